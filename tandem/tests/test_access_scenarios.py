"""Defect 7 (a) and (c): access bugs that no other test would notice.

(a) Archiving an organisation takes away what its users got through it: AMBER exchange
    items addressed to it, body internals through its membership, fellow members' contact
    details; and the exchange's two sides of its rule (``item_q`` and ``audience_users``)
    agree on it.
(c) A regional coordinator grants roles below their rank inside their subtree, never their
    peer's nor the national coordinator's (page and API), and the national coordinator
    can still create regional coordinators.
"""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.urls import reverse
from django.utils import timezone

from tandem.core import access as core_access
from tandem.core import services as core_services
from tandem.core.models import Role, RoleAssignment

# --- (a) Archiving an organisation ---------------------------------------------------


def _amber_to_youth_forum(w):
    from tandem.exchange.tests.matrix_rows import _send

    return _send(w, "AMBER")  # from Cebu City hall to the youth forum (cso and member act for it)


def _archive(w, organisation):
    core_services.organisation_archive(actor=w.admin, organisation=organisation)
    for user in w.personas.values():
        core_access.forget_grants(user)


def test_archived_organisation_no_longer_belongs_to_its_users(world):
    assert world.cso_org.pk in set(core_access.user_organisation_ids(world.cso).values_list("id", flat=True))
    _archive(world, world.cso_org)
    assert world.cso_org.pk not in set(core_access.user_organisation_ids(world.cso).values_list("id", flat=True))


def test_archiving_the_recipient_organisation_closes_its_amber_items(world, client):
    from tandem.exchange import access as exchange_access

    item = _amber_to_youth_forum(world)
    url = reverse("exchange_detail", kwargs={"uuid": item.uuid})
    client.force_login(world.cso)
    assert client.get(url).status_code == 200
    assert world.cso in exchange_access.item_audience(item)

    _archive(world, world.cso_org)
    client.force_login(world.cso)
    assert client.get(url).status_code == 404
    assert not exchange_access.can_see(world.cso, item)
    assert world.cso not in exchange_access.item_audience(item)
    assert world.member not in exchange_access.item_audience(item)


@pytest.mark.parametrize("archived", [False, True], ids=["live", "archived"])
def test_item_q_and_audience_users_agree_on_archived_recipients(world, archived):
    """The exchange computes its rule twice (SQL filter, audience preview): both must agree."""
    from tandem.exchange import access as exchange_access

    item = _amber_to_youth_forum(world)
    if archived:
        _archive(world, world.cso_org)
    audience = set(exchange_access.item_audience(item).values_list("pk", flat=True))
    disagreements = [
        name for name, user in world.personas.items() if exchange_access.can_see(user, item) != (user.pk in audience)
    ]
    assert disagreements == []


def test_archiving_a_member_organisation_closes_the_body_internals(world, client):
    from tandem.bodies import access as bodies_access
    from tandem.bodies.tests.factories import cebu_body

    cebu_body(world)
    url = reverse("meeting_detail", kwargs={"uuid": world.meeting.uuid})
    client.force_login(world.member)
    assert client.get(url).status_code == 200
    assert world.minutes.pk in set(bodies_access.visible_minutes(world.member).values_list("pk", flat=True))

    _archive(world, world.cso_org)
    client.force_login(world.member)
    assert client.get(url).status_code == 404
    assert not bodies_access.visible_minutes(world.member).exists()
    assert not bodies_access.can_see_internals(world.member, world.body)


def test_archiving_a_member_organisation_hides_fellow_members_contacts(world, client):
    """The company joins the body: its partner sees the youth forum's representative's contacts, until
    the company is archived."""
    from tandem.bodies import services as bodies_services
    from tandem.bodies.tests.factories import cebu_body

    body = cebu_body(world)
    bodies_services.membership_add(
        actor=world.admin,
        body=body,
        organisation=world.company_org,
        start_date=timezone.localdate() - dt.timedelta(days=10),
    )
    url = reverse("person_detail", kwargs={"uuid": world.person_cebu.uuid})
    client.force_login(world.company)
    assert core_access.can_see_contact(world.company, world.person_cebu)
    assert "maria@example.org" in client.get(url).content.decode()

    _archive(world, world.company_org)
    person = core_access.visible_people(world.company).get(pk=world.person_cebu.pk)
    assert not core_access.can_see_contact(world.company, person)
    client.force_login(world.company)
    response = client.get(url)
    assert response.status_code == 200
    assert "maria@example.org" not in response.content.decode()


# --- (c) A regional coordinator granting roles ----------------------------------------


def test_role_ranks_keep_the_chain_of_command():
    rank = core_access.ROLE_RANK
    assert (
        rank[Role.ADMINISTRATOR]
        > rank[Role.NATIONAL_COORDINATOR]
        > rank[Role.REGIONAL_COORDINATOR]
        > rank[Role.LOCAL_COORDINATOR]
        > rank[Role.MEMBER]
        > rank[Role.VIEWER]
    )


def _grant_page(client, actor, role, jurisdiction):
    client.force_login(actor)
    return client.post(
        reverse("role_create"), {"username": "viewer", "role": role, "jurisdiction": str(jurisdiction.uuid)}
    )


def _grant_api(client, actor, role, jurisdiction):
    secret = core_services.api_token_create(actor=actor, name="grant").secret
    return client.post(
        "/api/v1/role-assignments",
        data=json.dumps({"username": "viewer", "role": role, "jurisdiction": str(jurisdiction.uuid)}),
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {secret}",
    )


def _holds(w, role, jurisdiction) -> bool:
    return RoleAssignment.objects.filter(
        user=w.viewer, role=role, jurisdiction=jurisdiction, revoked_at__isnull=True
    ).exists()


@pytest.mark.parametrize("channel", ["page", "api"])
def test_regional_coordinator_grants_below_their_rank_in_their_subtree(world, client, channel):
    if channel == "page":
        assert _grant_page(client, world.regional, Role.LOCAL_COORDINATOR, world.cebu_city).status_code == 302
    else:
        assert _grant_api(client, world.regional, Role.LOCAL_COORDINATOR, world.cebu_city).status_code == 201
    assert _holds(world, Role.LOCAL_COORDINATOR, world.cebu_city)
    assert Role.LOCAL_COORDINATOR in core_access.assignable_roles(world.regional, world.cebu)


@pytest.mark.parametrize("channel", ["page", "api"])
@pytest.mark.parametrize("role", [Role.REGIONAL_COORDINATOR, Role.NATIONAL_COORDINATOR, Role.ADMINISTRATOR])
def test_regional_coordinator_cannot_create_peers_or_superiors(world, client, channel, role):
    for where in (world.visayas, world.cebu_city):
        if channel == "page":
            response = _grant_page(client, world.regional, role, where)
            assert response.status_code == 200  # the form again, with an error
        else:
            response = _grant_api(client, world.regional, role, where)
            assert response.status_code == 403
        assert not _holds(world, role, where)
        assert role not in core_access.assignable_roles(world.regional, where)


@pytest.mark.parametrize("channel", ["page", "api"])
def test_regional_coordinator_cannot_grant_outside_their_subtree(world, client, channel):
    if channel == "page":
        assert _grant_page(client, world.regional, Role.LOCAL_COORDINATOR, world.manila).status_code == 200
    else:
        assert _grant_api(client, world.regional, Role.LOCAL_COORDINATOR, world.manila).status_code in (403, 404, 422)
    assert not _holds(world, Role.LOCAL_COORDINATOR, world.manila)
    assert core_access.assignable_roles(world.regional, world.manila) == []


@pytest.mark.parametrize("channel", ["page", "api"])
def test_national_coordinator_creates_regional_coordinators(world, client, channel):
    if channel == "page":
        assert _grant_page(client, world.national, Role.REGIONAL_COORDINATOR, world.visayas).status_code == 302
    else:
        assert _grant_api(client, world.national, Role.REGIONAL_COORDINATOR, world.visayas).status_code == 201
    assert _holds(world, Role.REGIONAL_COORDINATOR, world.visayas)
    assert Role.NATIONAL_COORDINATOR not in core_access.assignable_roles(world.national, world.visayas)


def test_regional_coordinator_revokes_only_below_their_rank(world, client):
    core_services.role_grant(actor=None, user=world.viewer, role=Role.REGIONAL_COORDINATOR, jurisdiction=world.cebu)
    peer = RoleAssignment.objects.get(user=world.viewer, role=Role.REGIONAL_COORDINATOR)
    client.force_login(world.regional)
    assert client.post(reverse("role_revoke", kwargs={"uuid": peer.uuid})).status_code == 403
    local = world.local.role_assignments.get()
    assert client.post(reverse("role_revoke", kwargs={"uuid": local.uuid})).status_code == 302
