"""The access layer itself: scope by subtree, 404 outside, 403 for too little role."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404

from tandem.core import access


def names(qs):
    return sorted(o.name for o in qs)


def test_local_coordinator_sees_own_city_only(world):
    assert names(access.visible_organisations(world.local)) == [
        "Cebu City Hall",
        "Cebu Shipping Co",
        "Visayas Youth Forum",
    ]


def test_regional_coordinator_sees_subtree(world):
    assert "Cebu Provincial Police" in names(access.visible_organisations(world.regional))
    assert "Manila Interfaith Council" not in names(access.visible_organisations(world.regional))


def test_national_sees_country_not_other_country(world):
    visible = names(access.visible_organisations(world.national))
    assert "Manila Interfaith Council" in visible
    assert "Nairobi County Government" not in visible


def test_admin_sees_everything(world):
    assert len(access.visible_organisations(world.admin)) == 7


def test_outsider_gets_404_identical_to_missing(world):
    import uuid

    with pytest.raises(Http404) as foreign:
        access.get_visible_or_404(access.visible_organisations(world.outsider), uuid=world.city_hall.uuid)
    with pytest.raises(Http404) as missing:
        access.get_visible_or_404(access.visible_organisations(world.outsider), uuid=uuid.uuid4())
    assert str(foreign.value) == str(missing.value)


def test_viewer_cannot_manage(world):
    with pytest.raises(PermissionDenied):
        access.require_rank(world.viewer, world.cebu_city, access.COORDINATOR_RANK)
    access.require_rank(world.local, world.cebu_city, access.COORDINATOR_RANK)


def test_contact_visible_to_coordinators_only(world):
    person = access.visible_people(world.local).get(pk=world.person_cebu.pk)
    assert person.contact_visible is True
    person = access.visible_people(world.viewer).get(pk=world.person_cebu.pk)
    assert person.contact_visible is False


def test_revoked_role_sees_nothing(world):
    from tandem.core import services

    assignment = world.local.role_assignments.get()
    services.role_revoke(actor=world.admin, assignment=assignment)
    access.forget_grants(world.local)
    assert names(access.visible_organisations(world.local)) == []


def test_country_paths_cover_the_whole_country_of_each_grant(world):
    from tandem.core import access

    # A city coordinator's country scope is the Philippines, not only Cebu City.
    assert access.country_paths(world.local) == [world.cebu_city.country_path]
    assert world.manila.path.startswith(access.country_paths(world.local)[0])
    assert not world.nairobi.path.startswith(access.country_paths(world.local)[0])
    assert access.country_paths(world.admin) is None
    from django.contrib.auth.models import AnonymousUser

    assert access.country_paths(AnonymousUser()) == []


def test_a_role_granted_in_a_second_country_widens_the_country_paths(world):
    """The country-wide rules (a body's existence, GREEN items) follow a new grant at once."""
    from tandem.core import services
    from tandem.core.models import Role

    assert access.country_paths(world.local) == [world.cebu_city.country_path]
    services.role_grant(actor=world.admin, user=world.local, role=Role.VIEWER, jurisdiction=world.westlands)
    assert access.country_paths(world.local) == sorted([world.cebu_city.country_path, world.westlands.country_path])


def test_archived_people_are_listed_only_when_asked_for(world):
    from tandem.core import services

    services.person_archive(actor=world.admin, person=world.person_cebu)
    assert world.person_cebu.pk not in access.visible_people(world.local).values_list("pk", flat=True)
    assert world.person_cebu.pk in access.visible_people(world.local, include_archived=True).values_list(
        "pk", flat=True
    )


def test_people_and_affiliations_come_with_what_their_lists_show_in_one_query(world, django_assert_num_queries):
    """The directory's lists show each row's unit, organisation and person: one query, not one per row."""
    access.get_access(world.local).grants  # resolved once per request, before the lists
    with django_assert_num_queries(1):
        people = [(p.full_name, p.jurisdiction.name) for p in access.visible_people(world.local)]
    assert ("Maria Santos", "Cebu City") in people
    with django_assert_num_queries(1):
        rows = [
            (a.organisation.name, a.person.full_name, a.jurisdiction.name)
            for a in access.visible_affiliations(world.local)
        ]
    assert ("Visayas Youth Forum", "Maria Santos", "Cebu City") in rows


def test_each_user_lists_only_their_own_api_tokens(world):
    from django.contrib.auth.models import AnonymousUser

    from tandem.core import services

    mine = services.api_token_create(actor=world.local, name="Local's script")
    services.api_token_create(actor=world.national, name="National's script")
    assert [t.name for t in access.own_api_tokens(world.local)] == ["Local's script"]
    assert [t.name for t in access.own_api_tokens(world.national)] == ["National's script"]
    assert not access.own_api_tokens(AnonymousUser()).exists()
    assert mine.token.user_id == world.local.pk


def test_only_an_administrator_may_make_another_administrator(world):
    from tandem.core.models import Role

    assert Role.ADMINISTRATOR in access.assignable_roles(world.admin, world.network)
    assert Role.ADMINISTRATOR not in access.assignable_roles(world.national, world.ph)
    assert Role.NATIONAL_COORDINATOR not in access.assignable_roles(world.national, world.ph)


def test_only_the_network_administrator_is_an_administrator(world):
    assert access.is_admin(world.admin) is True
    for name in ("national", "regional", "local", "viewer", "outsider"):
        assert access.is_admin(getattr(world, name)) is False, name


def test_invitations_are_for_coordinators_of_the_unit_and_listed_in_one_query(world, django_assert_num_queries):
    """Who was invited, where and by whom: the coordinators who could have sent the invitation, not
    the readers of the unit (a viewer, a member, a partner of Cebu City)."""
    from tandem.core import invitations

    invitations.invitation_create(
        actor=world.local,
        email="new@example.org",
        full_name="New Member",
        role="member",
        jurisdiction=world.cebu_city,
        organisation=world.cso_org,
        person=world.person_cebu,
    )
    for reader in (world.viewer, world.member, world.cso, world.facilitator):
        assert not access.visible_invitations(reader).exists(), reader.username
    access.get_access(world.regional).grants  # resolved once per request, before the list
    with django_assert_num_queries(1):
        rows = [
            (i.full_name, i.jurisdiction.name, i.organisation.name, i.invited_by.username, i.person.full_name)
            for i in access.visible_invitations(world.regional)
        ]
    assert rows == [("New Member", "Cebu City", "Visayas Youth Forum", "local", "Maria Santos")]


def test_archived_organisations_are_listed_only_when_asked_for(world):
    from tandem.core import services

    services.organisation_archive(actor=world.admin, organisation=world.cso_org)
    assert "Visayas Youth Forum" not in names(access.visible_organisations(world.local))
    assert "Visayas Youth Forum" in names(access.visible_organisations(world.local, include_archived=True))


def test_organisations_come_with_their_unit_and_parent_in_one_query(world, django_assert_num_queries):
    from tandem.core import services
    from tandem.core.models import Sector

    services.organisation_create(
        actor=world.admin,
        jurisdiction=world.cebu_city,
        name="Youth Forum North",
        sector=Sector.YOUTH,
        parent=world.cso_org,
    )
    access.get_access(world.local).grants  # resolved once per request, before the list
    with django_assert_num_queries(1):
        rows = [
            (o.name, o.jurisdiction.name, o.parent and o.parent.name) for o in access.visible_organisations(world.local)
        ]
    assert ("Youth Forum North", "Cebu City", "Visayas Youth Forum") in rows
    assert ("Cebu City Hall", "Cebu City", None) in rows


def test_a_request_without_the_middleware_is_resolved_from_its_user(world, rf):
    """``request_access`` outside the middleware (a request built by hand, a background job's request)
    answers for the request's user, and for nobody without one."""
    request = rf.get("/")
    request.user = world.local
    assert access.request_access(request) is access.get_access(world.local)
    assert access.request_access(rf.get("/")).is_authenticated is False
