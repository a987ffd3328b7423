"""Who sees whose roles, which users a coordinator manages, and whose contact details each persona reads.

Each rule is checked from both sides (who gets the record, who does not), by the queryset the pages use
and by the per-record check, so that a rule widened or narrowed by one condition fails here.
"""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser
from django.db.models import Q

from tandem.core import access, services
from tandem.core.models import Person, Role, RoleAssignment, User


def _usernames(queryset) -> set[str]:
    return set(queryset.values_list("username", flat=True))


def _holders(assignments) -> set[str]:
    return {a.user.username for a in assignments}


# --- Role assignments -----------------------------------------------------------------


def test_a_regional_coordinator_sees_the_roles_of_its_region_and_its_own_only(world):
    seen = _holders(access.visible_role_assignments(world.regional))
    assert {"regional", "facilitator", "local", "member", "cso", "company", "viewer"} <= seen
    # Above the region (the national coordinator), beside it (Kenya) and the network's administrator: not shown.
    assert not seen & {"national", "outsider", "admin"}


def test_a_local_coordinator_does_not_see_the_roles_granted_above_its_city(world):
    seen = _holders(access.visible_role_assignments(world.local))
    assert {"local", "member", "cso", "company", "viewer"} <= seen
    assert not seen & {"regional", "facilitator", "national", "outsider", "admin"}


def test_a_member_sees_only_its_own_role(world):
    assert [a.user.username for a in access.visible_role_assignments(world.member)] == ["member"]
    assert [a.user.username for a in access.visible_role_assignments(world.cso)] == ["cso"]


def test_an_administrator_sees_every_role_and_anonymous_none(world):
    assert access.visible_role_assignments(world.admin).count() == RoleAssignment.objects.count()
    assert not access.visible_role_assignments(AnonymousUser()).exists()
    assert not access.visible_role_assignments(None).exists()


def test_a_coordinator_sees_its_own_role_granted_elsewhere(world):
    """A second role outside the coordinator's area is still the user's own: it is listed."""
    services.role_grant(actor=None, user=world.local, role=Role.VIEWER, jurisdiction=world.nairobi)
    local = User.objects.get(pk=world.local.pk)
    seen = {(a.user.username, a.jurisdiction.name) for a in access.visible_role_assignments(local)}
    assert ("local", "Nairobi") in seen
    assert ("outsider", "Nairobi") not in seen


# --- Users a coordinator manages --------------------------------------------------------


def test_a_regional_coordinator_manages_the_users_with_a_role_in_its_region(world):
    seen = _usernames(access.visible_users(world.regional))
    assert {"regional", "facilitator", "local", "member", "cso", "company", "viewer"} == seen


def test_a_user_with_two_roles_in_the_area_is_listed_once(world):
    services.role_grant(actor=None, user=world.member, role=Role.VIEWER, jurisdiction=world.cebu)
    names = list(access.visible_users(world.regional).values_list("username", flat=True))
    assert names.count("member") == 1


def test_a_revoked_role_no_longer_puts_its_holder_under_the_coordinator(world):
    assignment = world.viewer.role_assignments.get()
    services.role_revoke(actor=world.admin, assignment=assignment)
    assert "viewer" not in _usernames(access.visible_users(world.regional))
    assert "viewer" not in _usernames(access.visible_users(world.local))


def test_someone_who_coordinates_nothing_manages_only_itself(world):
    assert _usernames(access.visible_users(world.member)) == {"member"}
    assert _usernames(access.visible_users(world.cso)) == {"cso"}
    assert not access.visible_users(AnonymousUser()).exists()


def test_an_administrator_manages_every_active_user_and_no_deactivated_one(world):
    world.viewer.is_active = False
    world.viewer.save(update_fields=["is_active"])
    seen = _usernames(access.visible_users(world.admin))
    assert {"national", "regional", "local", "outsider", "admin"} <= seen
    assert "viewer" not in seen


# --- Contact details --------------------------------------------------------------------


def _linked_person(world, user, jurisdiction, name):
    return services.person_create(actor=world.admin, jurisdiction=jurisdiction, full_name=name, user=user)


def _contact(actor, person) -> tuple[bool, bool]:
    """(the list's annotation, the per-record check on a fresh row): the two must agree."""
    listed = access.visible_people(actor).filter(pk=person.pk).first()
    annotated = None if listed is None else listed.contact_visible
    return annotated, access.can_see_contact(actor, Person.objects.get(pk=person.pk))


def test_coordinators_of_the_persons_unit_or_above_read_its_contact_details(world):
    for coordinator in (world.local, world.regional, world.national, world.admin):
        assert _contact(coordinator, world.person_cebu) == (True, True), coordinator.username
    assert _contact(world.national, world.person_manila) == (True, True)


def test_coordinators_of_another_unit_do_not(world):
    # The local coordinator of Cebu City may not see a Manila person at all, nor read its details.
    assert _contact(world.local, world.person_manila) == (None, False)
    assert _contact(world.outsider, world.person_cebu) == (None, False)
    # The regional coordinator sees the region's people, not a neighbouring region's.
    assert _contact(world.regional, world.person_manila) == (None, False)


def test_partners_members_and_viewers_see_the_person_but_not_its_contact_details(world):
    for reader in (world.company, world.cso, world.member, world.viewer, world.facilitator):
        annotated, checked = _contact(reader, world.person_cebu)
        assert checked is False, reader.username
        assert annotated in (False, None), reader.username


def test_a_person_reads_its_own_contact_details(world):
    me = _linked_person(world, world.company, world.cebu_city, "Company Person")
    assert _contact(world.company, me) == (True, True)
    # ...and not another partner's.
    other = _linked_person(world, world.cso, world.cebu_city, "Youth Forum Person")
    assert _contact(world.company, other) == (False, False)


def test_nobody_signed_in_reads_no_contact_details(world):
    assert access.can_see_contact(AnonymousUser(), Person.objects.get(pk=world.person_cebu.pk)) is False
    assert access.can_see_contact(None, Person.objects.get(pk=world.person_cebu.pk)) is False


def test_a_listed_person_answers_from_its_annotation_without_a_query(world, django_assert_num_queries):
    """List pages show contact details per row from the list's one query: no query per person."""
    rows = list(access.visible_people(world.company).filter(pk__in=[world.person_cebu.pk]))
    access.get_access(world.company).grants  # resolved once per request, before the rows
    with django_assert_num_queries(0):
        assert [access.can_see_contact(world.company, p) for p in rows] == [False]


def test_the_contact_expression_opens_nothing_to_nobody_signed_in_and_everything_to_administrators(world):
    """``contact_visibility_expression`` also annotates people fetched without the scope (a body's
    representatives): fail closed for an anonymous visitor."""
    everyone = Person.objects.order_by("pk")
    assert everyone.count() == 3
    for nobody in (AnonymousUser(), None):
        flags = everyone.annotate(v=access.contact_visibility_expression(nobody)).values_list("v", flat=True)
        assert list(flags) == [False, False, False]
    flags = everyone.annotate(v=access.contact_visibility_expression(world.admin)).values_list("v", flat=True)
    assert list(flags) == [True, True, True]


def test_a_coordinator_reads_its_own_contact_details_outside_the_unit_it_coordinates(world):
    """The local coordinator of Cebu City, also a viewer in Manila, where their own person record is."""
    services.role_grant(actor=world.admin, user=world.local, role=Role.VIEWER, jurisdiction=world.manila)
    me = _linked_person(world, world.local, world.manila, "Local Coordinator")
    assert _contact(world.local, me) == (True, True)
    # ...but not a Manila neighbour's, which only a coordinator of Manila (or above) reads.
    assert _contact(world.local, world.person_manila) == (False, False)


def test_the_roles_list_comes_with_holder_unit_organisation_and_granter_in_one_query(world, django_assert_num_queries):
    services.role_grant(actor=world.regional, user=world.member, role=Role.VIEWER, jurisdiction=world.cebu)
    access.get_access(world.regional).grants  # resolved once per request, before the list
    with django_assert_num_queries(1):
        rows = [
            (
                a.user.username,
                a.jurisdiction.name,
                a.organisation and a.organisation.name,
                a.granted_by and a.granted_by.username,
            )
            for a in access.visible_role_assignments(world.regional)
        ]
    assert ("local", "Cebu City", "Cebu City Hall", None) in rows
    assert ("member", "Cebu", None, "regional") in rows


def test_every_apps_contact_scope_opens_contact_details(world, monkeypatch):
    """A second app's ``contact_scope`` hook adds to the fellow members', it does not replace them."""
    from tandem.core import registry

    stranger = services.person_create(actor=world.admin, jurisdiction=world.cebu_city, full_name="Lito Ramos")
    neighbour = services.person_create(actor=world.admin, jurisdiction=world.cebu_city, full_name="Rosa Diaz")
    monkeypatch.setitem(
        registry._hooks["contact_scope"],
        "zz_test",
        registry.Hook("contact_scope", "zz_test", lambda actor: Q(pk=neighbour.pk), order=1000),
    )
    monkeypatch.setitem(
        registry._hooks["contact_scope"],
        "aa_test",
        registry.Hook("contact_scope", "aa_test", lambda actor: Q(pk=stranger.pk), order=1),
    )
    assert _contact(world.viewer, stranger) == (True, True)
    assert _contact(world.viewer, neighbour) == (True, True)
    assert _contact(world.viewer, world.person_cebu) == (False, False)
