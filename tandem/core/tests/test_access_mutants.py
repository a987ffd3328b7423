"""What a user notices of ``tandem.core.access``, for the rules the mutation run of defect 7 found untested:
whose contact details are shown, which organisations one belongs to, who appears in the role management
list, which countries one's roles open, and that a change of roles is seen at once."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db.models import Q
from django.utils import timezone

from tandem.core import access
from tandem.core import services as core_services
from tandem.core.models import Affiliation, Organisation, Person, Role, RoleAssignment, User

pytestmark = pytest.mark.django_db


def _grant(user, role, where, organisation=None):
    core_services.role_grant(actor=None, user=user, role=role, jurisdiction=where, organisation=organisation)
    access.forget_grants(user)


def _names(qs):
    return sorted(o.name for o in qs)


# --- contact details --------------------------------------------------------------------------------


def test_nobody_signed_in_sees_no_contact_details(world):
    """Even where people are listed by id (a body's members), an anonymous actor's flag is False, not unset."""
    flags = set(Person.objects.annotate(v=access.contact_visibility_expression(None)).values_list("v", flat=True))
    assert flags == {False}


def test_the_administrator_sees_every_contact(world):
    people = access.visible_people(world.admin).filter(pk__in=[world.person_cebu.pk, world.person_nairobi.pk])
    assert [p.contact_visible for p in people] == [True, True]


def test_a_viewer_sees_their_own_contact_details_and_no_one_elses(world):
    me = core_services.person_create(
        actor=world.admin, jurisdiction=world.cebu_city, full_name="Vic Viewer", user=world.viewer
    )
    flags = {p.full_name: p.contact_visible for p in access.visible_people(world.viewer)}
    assert flags == {"Vic Viewer": True, "Maria Santos": False}
    assert me.pk


# --- paths ------------------------------------------------------------------------------------------


def test_a_coordinator_of_two_places_sees_the_records_of_both(world):
    _grant(world.local, Role.LOCAL_COORDINATOR, world.manila)
    assert _names(access.visible_organisations(world.local)) == [
        "Cebu City Hall",
        "Cebu Shipping Co",
        "Manila Interfaith Council",
        "Visayas Youth Forum",
    ]


def test_the_countries_of_a_role_deep_in_a_country_and_after_a_new_role(world):
    assert access.country_paths(world.member) == [world.ph.path]
    assert access.country_paths(world.admin) is None
    assert access.country_paths(None) == []
    _grant(world.member, Role.VIEWER, world.westlands)  # the next use sees Kenya too
    assert access.country_paths(world.member) == sorted([world.ph.path, world.ke.path])


# --- organisations one belongs to --------------------------------------------------------------------


def test_the_organisations_one_belongs_to_as_a_list_and_after_a_new_role(world):
    assert access.get_access(world.member).organisation_id_list() == [world.cso_org.pk]
    assert access.get_access(None).organisation_id_list() == []
    _grant(world.member, Role.VIEWER, world.cebu_city, organisation=world.company_org)
    assert access.get_access(world.member).organisation_id_list() == sorted([world.cso_org.pk, world.company_org.pk])


def test_nobody_signed_in_belongs_to_no_organisation(world):
    assert not Organisation.objects.filter(id__in=access.user_organisation_ids(None)).exists()


def _member_of(user):
    return set(Organisation.objects.filter(id__in=access.user_organisation_ids(user)).values_list("name", flat=True))


def test_affiliations_count_while_current_and_the_person_not_archived(world):
    """The viewer's person record is affiliated with the shipping company: they belong to it while the
    affiliation runs and their record is not archived; an ended affiliation or archived record does not count."""
    person = core_services.person_create(
        actor=world.admin, jurisdiction=world.cebu_city, full_name="Vic", user=world.viewer
    )
    core_services.affiliation_create(actor=world.admin, person=person, organisation=world.company_org)
    assert _member_of(world.viewer) == {"Cebu Shipping Co"}
    Affiliation.objects.filter(person=person).update(end_date=timezone.localdate() + dt.timedelta(days=3))
    access.forget_grants(world.viewer)
    assert _member_of(world.viewer) == {"Cebu Shipping Co"}
    Affiliation.objects.filter(person=person).update(end_date=timezone.localdate() - dt.timedelta(days=1))
    access.forget_grants(world.viewer)
    assert _member_of(world.viewer) == set()
    Affiliation.objects.filter(person=person).update(end_date=None)
    Person.objects.filter(pk=person.pk).update(archived_at=timezone.now())
    access.forget_grants(world.viewer)
    assert _member_of(world.viewer) == set()


def test_a_revoked_role_on_behalf_of_an_organisation_or_an_archived_one_counts_no_more(world):
    assert _member_of(world.company) == {"Cebu Shipping Co"}
    RoleAssignment.objects.filter(user=world.company).update(revoked_at=timezone.now())
    access.forget_grants(world.company)
    assert _member_of(world.company) == set()
    assert _member_of(world.cso) == {"Visayas Youth Forum"}
    Organisation.objects.filter(pk=world.cso_org.pk).update(archived_at=timezone.now())
    access.forget_grants(world.cso)
    assert _member_of(world.cso) == set()


# --- role management ---------------------------------------------------------------------------------


def test_role_management_lists_users_with_a_live_role_in_the_subtree(world):
    listed = set(access.visible_users(world.local).values_list("username", flat=True))
    assert listed == {"local", "member", "cso", "company", "viewer"}
    RoleAssignment.objects.filter(user=world.viewer).update(revoked_at=timezone.now())
    assert "viewer" not in set(access.visible_users(world.local).values_list("username", flat=True))


def test_the_administrator_lists_active_users_only(world):
    User.objects.filter(pk=world.viewer.pk).update(is_active=False)
    listed = set(access.visible_users(world.admin).values_list("username", flat=True))
    assert "viewer" not in listed and {"admin", "local", "outsider"} <= listed


def test_a_viewer_lists_only_themselves_and_nobody_signed_in_no_one(world):
    assert list(access.visible_users(world.viewer)) == [world.viewer]
    assert not access.visible_users(None).exists()


def test_a_path_q_of_no_paths_matches_nothing_and_of_none_everything(world):
    assert not Organisation.objects.filter(access.path_q([], "jurisdiction__path")).exists()
    assert Organisation.objects.filter(access.path_q(None, "jurisdiction__path")).count() == 7
    assert (
        Organisation.objects.filter(
            Q(access.path_q([world.manila.path, world.nairobi.path], "jurisdiction__path"))
        ).count()
        == 2
    )
