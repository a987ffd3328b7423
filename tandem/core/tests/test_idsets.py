"""``InIdSet``: the rows whose column is among a subquery's values, on SQLite and PostgreSQL alike."""

from __future__ import annotations

import uuid

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


def test_a_long_in_array_list_is_one_array_parameter_on_postgresql(world):
    from django.test.utils import CaptureQueriesContext

    from tandem.core.idsets import LISTED

    ids = [world.city_hall.pk, *range(10**6, 10**6 + 2000)]
    uuids = [world.cso_org.uuid, *(uuid.uuid4() for _ in range(LISTED))]
    few = [world.police.pk, *range(10**6, 10**6 + LISTED - 1)]
    with CaptureQueriesContext(connection) as queries:
        assert list(Organisation.objects.filter(pk__in_array=ids).values_list("pk", flat=True)) == [world.city_hall.pk]
        assert list(Organisation.objects.filter(uuid__in_array=uuids)) == [world.cso_org]
        assert list(Organisation.objects.filter(pk__in_array=few)) == [world.police]
    long_ids, long_uuids, short = (q["sql"] for q in queries.captured_queries)
    if connection.vendor == "postgresql":
        # One array literal read once before the scan, not 2,001 placeholders (each scanned by the client
        # on every run) nor 2,001 elements for the planner to estimate.
        assert "= ANY(ARRAY(SELECT unnest('{" in long_ids and long_ids.count(",") > 2000 and " IN (" not in long_ids
        assert "::bigint[])))" in long_ids and "::uuid[])))" in long_uuids
    else:
        assert " IN (" in long_ids and " IN (" in long_uuids
    assert " IN (" in short and "ANY(" not in short  # up to LISTED values: the list, whose length the planner sees


def test_first_per_group_keeps_the_rows_and_their_order_on_every_slice(world):
    """Organisations by jurisdiction: a slice of the ordered list is the same rows in the same order,
    whether read group by group (PostgreSQL, an order of plain keys, ascending or descending) or not."""
    from tandem.core.idsets import first_per_group
    from tandem.core.models import Jurisdiction

    for n in range(7):  # several per place, their names interleaving across places
        for place in (world.cebu_city, world.manila, world.cebu):
            Organisation.objects.create(jurisdiction=place, name=f"Group {n % 3} {place.name} {n}")
    groups = Jurisdiction.objects.values("id").order_by()
    for order in (("name", "id"), ("-name", "-id"), ("jurisdiction_id", "-id")):
        plain = list(Organisation.objects.order_by(*order))
        rows = first_per_group(Organisation.objects.order_by(*order), group="jurisdiction", groups=groups)
        lateral = "LATERAL" in str(rows[:2].query)
        assert lateral is (connection.vendor == "postgresql"), order
        for start in range(0, len(plain) + 4, 4):
            assert list(rows[start : start + 4]) == plain[start : start + 4], (order, start)
        assert rows[len(plain) - 1] == plain[-1]
        assert (
            list(rows.filter(name__startswith="Group 1")[:3]) == [o for o in plain if o.name.startswith("Group 1")][:3]
        )
    # Read as the plain query: an unordered slice (the capped count), an order through a relation.
    rows = first_per_group(Organisation.objects.order_by("name", "id"), group="jurisdiction", groups=groups)
    assert "LATERAL" not in str(rows.order_by()[:5].query)
    assert rows.order_by()[:1000].count() == len(plain)
    related = rows.order_by("jurisdiction__name", "id")
    assert "LATERAL" not in str(related[:5].query)
    assert list(related[:5]) == list(Organisation.objects.order_by("jurisdiction__name", "id")[:5])
