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
