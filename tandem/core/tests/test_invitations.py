"""Invitations and sign-up (issue 17): a coordinator invites someone into their own scope; the
invitee sets a password through a single-use, expiring link and holds exactly the role offered."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from tandem.core import access, invitations, services
from tandem.core.models import AuditEvent, Invitation, Person, Role, User

PASSWORD = "a-long-and-unusual-passphrase-42"


def _invite(world, actor=None, **extra):
    values = {
        "email": "Amina@Example.org",
        "full_name": "Amina Cruz",
        "role": Role.MEMBER,
        "jurisdiction": world.cebu_city,
    }
    values.update(extra)
    return invitations.invitation_create(actor=actor or world.local, base_url="https://tandem.example.org", **values)


def test_an_invited_member_signs_up_through_the_link_and_holds_the_role(
    world, client, django_capture_on_commit_callbacks
):
    client.force_login(world.local)
    with django_capture_on_commit_callbacks(execute=True):
        page = client.post(
            reverse("invitation_create"),
            {
                "email": "amina@example.org",
                "full_name": "Amina Cruz",
                "role": Role.PARTNER,
                "jurisdiction": world.cebu_city.uuid,
                "organisation": world.cso_org.uuid,
                "days": 7,
            },
        )
    assert page.status_code == 200
    link = page.context["link"]
    assert link in mail.outbox[0].body and mail.outbox[0].to == ["amina@example.org"]
    assert "Partner" in mail.outbox[0].body and "Cebu City" in mail.outbox[0].body
    path = link.split("://", 1)[1].split("/", 1)[1]
    client.logout()

    form = client.get(f"/{path}")
    assert form.status_code == 200 and "Local invites you as Partner in Cebu City" in form.content.decode()
    done = client.post(f"/{path}", {"username": "amina", "password": PASSWORD, "password_again": PASSWORD})
    assert done.status_code == 302
    user = User.objects.get(username="amina")
    assert user.email == "amina@example.org" and user.check_password(PASSWORD)
    grant = user.role_assignments.get()
    assert (grant.role, grant.jurisdiction, grant.organisation, grant.granted_by) == (
        Role.PARTNER,
        world.cebu_city,
        world.cso_org,
        world.local,
    )
    assert Person.objects.get(user=user).jurisdiction == world.cebu_city
    assert client.get(reverse("home")).status_code == 200  # signed in
    # The link is spent: a second use answers the same 404 as any unknown link.
    client.logout()
    spent = client.get(f"/{path}")
    unknown = client.get(reverse("invitation_accept", args=["x" * 43]))
    assert spent.status_code == unknown.status_code == 404
    assert "This link does not work" in spent.content.decode() and "Amina" not in spent.content.decode()
    events = AuditEvent.objects.filter(object_type="invitation").values_list("changes", flat=True)
    assert {"invited": "amina@example.org", "role": "partner"} in list(events)


def test_a_role_that_needs_a_second_factor_asks_for_it_at_the_first_sign_in(world, client, real_mfa):
    from tandem.core import mfa

    issued = _invite(world, actor=world.national, role=Role.REGIONAL_COORDINATOR, jurisdiction=world.visayas)
    client.post(issued.path, {"username": "amina", "password": PASSWORD, "password_again": PASSWORD})
    assert mfa.required_by_role(User.objects.get(username="amina"))
    response = client.get(reverse("home"))
    assert response.status_code == 302 and "/account/security/" in response["Location"]


def test_a_coordinator_offers_only_roles_below_their_own_in_their_own_scope(world, client):
    with pytest.raises(PermissionDenied):
        _invite(world, role=Role.LOCAL_COORDINATOR)  # their own rank
    with pytest.raises(PermissionDenied):
        _invite(world, jurisdiction=world.manila)  # not theirs
    client.force_login(world.local)
    form = client.get(reverse("invitation_create")).context["form"]
    offered = {value for value, _label in form.fields["role"].choices if value}
    assert Role.LOCAL_COORDINATOR not in offered and Role.NATIONAL_COORDINATOR not in offered
    assert Role.MEMBER in offered
    assert world.manila not in form.fields["jurisdiction"].queryset
    assert not Invitation.objects.exists()


def test_bad_input_is_refused_and_nothing_is_written(world):
    _invite(world)
    with pytest.raises(ValidationError) as waiting:
        _invite(world, email="amina@example.org")
    assert "already waiting" in str(waiting.value)
    with pytest.raises(ValidationError) as taken:
        _invite(world, email="someone@example.org", full_name="")
    assert "full_name" in taken.value.message_dict
    User.objects.create_user(username="has", password=PASSWORD, email="has@example.org")
    with pytest.raises(ValidationError):
        _invite(world, email="has@example.org")
    assert Invitation.objects.count() == 1


def test_a_weak_password_or_a_taken_username_creates_nothing(world, client):
    issued = _invite(world)
    weak = client.post(issued.path, {"username": "amina", "password": "12345678", "password_again": "12345678"})
    assert weak.status_code == 200 and "password" in weak.context["form"].errors
    taken = client.post(issued.path, {"username": "Local", "password": PASSWORD, "password_again": PASSWORD})
    assert "username" in taken.context["form"].errors
    assert not User.objects.filter(email="amina@example.org").exists()
    assert invitations.invitation_for_secret(issued.secret) is not None  # still usable


def test_expired_revoked_and_resent_links(world, client):
    issued = _invite(world)
    Invitation.objects.filter(pk=issued.invitation.pk).update(expires_at=timezone.now() - dt.timedelta(minutes=1))
    assert client.get(issued.path).status_code == 404
    fresh = invitations.invitation_resend(actor=world.local, invitation=issued.invitation)
    assert client.get(issued.path).status_code == 404  # the old link stays dead
    assert client.get(fresh.path).status_code == 200
    invitations.invitation_revoke(actor=world.regional, invitation=fresh.invitation)
    assert client.get(fresh.path).status_code == 404


def test_an_inviter_who_lost_the_right_cannot_grant_through_an_old_link(world, client):
    issued = _invite(world)
    services.role_revoke(actor=world.admin, assignment=world.local.role_assignments.get())
    access.forget_grants(world.local)
    response = client.post(issued.path, {"username": "amina", "password": PASSWORD, "password_again": PASSWORD})
    assert "can no longer grant" in response.content.decode()
    assert not User.objects.filter(username="amina").exists()


def test_invitations_are_listed_to_the_coordinators_of_their_jurisdiction_only(world, client):
    issued = _invite(world)
    client.force_login(world.regional)
    assert "amina@example.org" in client.get(reverse("invitation_list")).content.decode()
    client.force_login(world.outsider)
    assert "amina@example.org" not in client.get(reverse("invitation_list")).content.decode()
    assert client.get(reverse("invitation_revoke", args=[issued.invitation.uuid])).status_code == 404
