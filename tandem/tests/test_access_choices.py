"""The access helpers behind forms' choices and guards, tested directly (they had no test of their
own, so mutations of them survived): whom a sender may address (the units, organisations, people and
bodies of their own countries, never archived ones, never another country's), which bodies a new plan
may name as owner, and the body-internals guard."""

from __future__ import annotations

from tandem.bodies.tests.factories import cebu_body
from tandem.core import services as core_services
from tandem.core.models import Person, User
from tandem.exchange import access


def _names(queryset) -> list[str]:
    return [str(getattr(row, "name", None) or row.full_name) for row in queryset]


def test_units_of_the_senders_country_in_tree_order_and_none_abroad(world):
    units = list(access.addressable_jurisdictions(world.local))
    assert units[0] == world.ph and world.manila in units and world.cebu_city in units
    assert [u.path for u in units] == sorted(u.path for u in units)
    assert world.ke not in units and world.nairobi not in units
    assert set(access.addressable_jurisdictions(world.outsider)) >= {world.ke, world.nairobi}
    assert world.ph not in access.addressable_jurisdictions(world.outsider)


def test_a_user_without_a_role_addresses_no_one(world):
    nobody = User.objects.create_user(username="nobody", password="correct-horse-battery-staple")
    assert not access.addressable_jurisdictions(nobody).exists()
    assert not access.addressable_organisations(nobody).exists()
    assert not access.addressable_people(nobody).exists()
    assert not access.addressable_bodies(nobody).exists()
    assert not access.acting_organisations(nobody).exists()


def test_organisations_of_the_country_by_name_without_archived_ones(world):
    names = _names(access.addressable_organisations(world.cso))
    assert names == sorted(names)
    assert {"Cebu City Hall", "Manila Interfaith Council", "Cebu Provincial Police"} <= set(names)
    assert world.nairobi_org.name not in names
    core_services.organisation_archive(actor=world.admin, organisation=world.manila_org)
    assert "Manila Interfaith Council" not in _names(access.addressable_organisations(world.cso))


def test_people_with_an_account_in_the_country_only(world):
    account = User.objects.create_user(username="reyes", password="correct-horse-battery-staple")
    Person.objects.filter(pk=world.person_manila.pk).update(user=account)
    nairobi_account = User.objects.create_user(username="otieno", password="correct-horse-battery-staple")
    Person.objects.filter(pk=world.person_nairobi.pk).update(user=nairobi_account)
    people = list(access.addressable_people(world.local))
    assert world.person_manila in people  # has an account: can read what is sent
    assert world.person_cebu not in people  # no account: could never read it
    assert world.person_nairobi not in people  # another country
    core_services.person_archive(actor=world.admin, person=Person.objects.get(pk=world.person_manila.pk))
    assert world.person_manila not in access.addressable_people(world.local)


def test_bodies_of_the_country_without_archived_ones(world):
    from tandem.bodies import services as body_services

    body = cebu_body(world)
    assert body in access.addressable_bodies(world.local)
    assert body not in access.addressable_bodies(world.outsider)
    body_services.body_archive(actor=world.admin, body=body, archived=True)
    assert body not in access.addressable_bodies(world.local)


def test_one_sends_as_the_organisations_one_acts_for(world):
    assert list(access.acting_organisations(world.cso)) == [world.cso_org]
    assert list(access.acting_organisations(world.local)) == [world.city_hall]
    assert world.cso_org not in access.acting_organisations(world.company)


def test_a_new_plan_may_name_as_owner_only_active_bodies_where_the_user_makes_plans(world):
    from tandem.bodies import services as body_services
    from tandem.plans import access as plan_access

    body = cebu_body(world)
    assert list(plan_access.owner_body_choices(world.local)) == [body]
    assert not plan_access.owner_body_choices(world.member).exists()  # a member makes no plans
    assert not plan_access.owner_body_choices(world.outsider).exists()
    body_services.body_archive(actor=world.admin, body=body, archived=True)
    assert not plan_access.owner_body_choices(world.local).exists()


def test_require_internals_refuses_those_outside_the_body(world):
    import pytest
    from django.core.exceptions import PermissionDenied

    from tandem.bodies import access as body_access

    body = cebu_body(world)
    body_access.require_internals(world.member, body)  # a member: no error
    body_access.require_internals(world.local, body)
    for outsider in (world.viewer, world.company, world.outsider):
        with pytest.raises(PermissionDenied):
            body_access.require_internals(outsider, body)
