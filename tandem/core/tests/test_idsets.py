"""``InIdSet``: the rows whose column is among a subquery's values, on SQLite and PostgreSQL alike."""

from __future__ import annotations

from django.db import connection

from tandem.core.idsets import InIdSet
from tandem.core.models import Organisation


def test_keeps_the_rows_of_the_set_and_only_them(world):
    union = (
        Organisation.objects.filter(pk=world.city_hall.pk)
        .values("id")
        .order_by()
        .union(Organisation.objects.filter(pk=world.cso_org.pk).values("id").order_by())
    )
    found = Organisation.objects.filter(InIdSet("id", union))
    assert set(found) == {world.city_hall, world.cso_org}
    assert list(Organisation.objects.filter(InIdSet("id", union)).exclude(pk=world.cso_org.pk)) == [world.city_hall]


def test_an_empty_set_keeps_nothing(world):
    none = Organisation.objects.none().values("id")
    assert Organisation.objects.exclude(InIdSet("id", none)).count() == Organisation.objects.count()
    assert not Organisation.objects.filter(InIdSet("id", Organisation.objects.none().values("id"))).exists()
    assert not Organisation.objects.filter(InIdSet("id", Organisation.objects.filter(pk=-1).values("id"))).exists()


def test_postgresql_reads_the_set_once_as_an_array(world):
    sql = str(Organisation.objects.filter(InIdSet("id", Organisation.objects.values("id"))).query)
    expected = "= ANY(ARRAY(" if connection.vendor == "postgresql" else " IN (SELECT"
    assert expected in sql


def test_in_array_keeps_the_listed_rows_and_only_them(world):
    from django.db.models import Q

    listed = [world.city_hall.pk, world.police.pk, 10**9]
    assert set(Organisation.objects.filter(pk__in_array=listed)) == {world.city_hall, world.police}
    by_uuid = Organisation.objects.filter(uuid__in_array=[world.cso_org.uuid, None])
    assert list(by_uuid) == [world.cso_org]
    # An empty list keeps nothing, and its negation keeps everything (never "IN NULL").
    assert not Organisation.objects.filter(pk__in_array=[]).exists()
    everything = Organisation.objects.count()
    assert Organisation.objects.exclude(pk__in_array=[]).count() == everything
    assert Organisation.objects.filter(Q(pk__in_array=[]) | Q(pk=world.cso_org.pk)).get() == world.cso_org
    assert Organisation.objects.exclude(pk__in_array=listed).count() == everything - 2


def test_in_array_sends_one_parameter_on_postgresql(world):
    from django.test.utils import CaptureQueriesContext

    ids = [world.city_hall.pk, *range(10**6, 10**6 + 2000)]
    with CaptureQueriesContext(connection) as queries:
        assert list(Organisation.objects.filter(pk__in_array=ids).values_list("pk", flat=True)) == [world.city_hall.pk]
    sql = queries.captured_queries[0]["sql"]
    if connection.vendor == "postgresql":
        # One array literal, not 2,001 placeholders (each scanned by the client on every run).
        assert "= ANY('{" in sql and sql.count(",") > 2000 and " IN (" not in sql
    else:
        assert " IN (" in sql
