"""Queries compiled once (tandem.core.prepared) and the grants read through one."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tandem.core.access import Access, get_access
from tandem.core.models import Jurisdiction, RoleAssignment
from tandem.core.prepared import Prepared


def _assignments(user_id):
    return (
        RoleAssignment.objects.filter(user_id=user_id)
        .order_by("jurisdiction__path", "role")
        .values_list("uuid", "role", "jurisdiction__path", "jurisdiction__valid_from", "created_at", "organisation_id")
    )


def test_rows_are_what_the_orm_reads_uuids_dates_and_times_converted(world):
    prepared = Prepared(RoleAssignment, _assignments, args=(int,))
    world.cebu_city.valid_from = dt.date(2024, 5, 1)
    world.cebu_city.save(update_fields=["valid_from"])
    for persona in ("local", "regional", "company", "outsider"):
        user = world.personas[persona]
        expected = list(_assignments(user.pk))
        assert expected, persona
        assert prepared.rows(user.pk) == expected
    local_rows = prepared.rows(world.local.pk)
    assert local_rows[0][3] == dt.date(2024, 5, 1)
    assert timezone.is_aware(local_rows[0][4])


def test_compiled_once_then_one_query_per_call(world):
    built = []

    def build(user_id):
        built.append(user_id)
        return _assignments(user_id)

    prepared = Prepared(RoleAssignment, build, args=(int,))
    prepared.rows(world.local.pk)
    expected = [list(_assignments(world.regional.pk)), list(_assignments(world.national.pk))]
    with CaptureQueriesContext(connection) as queries:
        got = [prepared.rows(world.regional.pk), prepared.rows(world.national.pk)]
    assert got == expected
    assert len(queries) == 2
    assert len(built) == 1, "the queryset is built and compiled once"
    assert prepared.rows(0) == []  # no such user: nothing, not another user's rows


def test_an_argument_must_appear_once_and_the_count_must_match(db):
    twice = Prepared(
        RoleAssignment, lambda pk: RoleAssignment.objects.filter(user_id=pk, granted_by_id=pk), args=(int,)
    )
    with pytest.raises(ValueError, match="once"):
        twice.rows(1)
    once = Prepared(RoleAssignment, lambda pk: RoleAssignment.objects.filter(user_id=pk).values_list("pk"), args=(int,))
    with pytest.raises(TypeError):
        once.rows(1, 2)
    with pytest.raises(TypeError):
        once.rows("1")  # an int argument given a string: refused, never sent as it is
    with pytest.raises(ValueError):
        Prepared(RoleAssignment, _assignments, args=())
    with pytest.raises(ValueError):
        Prepared(RoleAssignment, _assignments, args=(float,))


def _end(jurisdiction: Jurisdiction, on: dt.date) -> None:
    Jurisdiction.objects.filter(pk=jurisdiction.pk).update(valid_to=on)


def test_a_role_in_a_jurisdiction_that_ended_before_today_grants_nothing(world):
    today = timezone.localdate()
    _end(world.cebu_city, today)
    assert [g.path for g in Access(world.local).grants] == [world.cebu_city.path], "it still exists today"
    _end(world.cebu_city, today - dt.timedelta(days=1))
    assert Access(world.local).grants == []
    assert not Access(world.local).has_any_rank(1)
    # The regional coordinator's grant is above it: untouched.
    assert [g.path for g in Access(world.regional).grants] == [world.visayas.path]


def test_grants_are_ordered_by_path_then_role_and_read_once_per_request(world, django_assert_num_queries):
    from tandem.core import services

    services.role_grant(actor=world.national, user=world.local, role="viewer", jurisdiction=world.visayas)
    fresh = type(world.local).objects.get(pk=world.local.pk)
    with django_assert_num_queries(1):
        grants = get_access(fresh).grants
        assert get_access(fresh).grants is grants
    assert [(g.path, g.role) for g in grants] == sorted((g.path, g.role) for g in grants)
    assert {g.path for g in grants} == {world.cebu_city.path, world.visayas.path}
    assert grants[0].jurisdiction_name == world.visayas.name
    assert grants[0].jurisdiction_uuid == world.visayas.uuid


def test_a_string_argument_is_a_parameter_never_sql(world):
    from tandem.core import services
    from tandem.core.models import ApiToken

    created = services.api_token_create(actor=world.local, name="probe")
    by_hash = Prepared(ApiToken, lambda h: ApiToken.objects.filter(token_hash=h).values_list("name"), args=(str,))
    assert by_hash.rows(created.token.token_hash) == [("probe",)]
    assert by_hash.rows("x' OR '1'='1") == []
    assert by_hash.rows("") == []
    with pytest.raises(TypeError):
        by_hash.rows(created.token.pk)  # a str argument given an int
