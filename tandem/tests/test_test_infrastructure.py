"""The test suite's own machinery: frozen clocks leave pytest's timing alone; the shared world."""

from __future__ import annotations

import datetime as dt

from freezegun import freeze_time


def test_a_frozen_clock_leaves_the_durations_report_true():
    from _pytest import timing

    with freeze_time(dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)) as clock:
        start = timing.Instant()
        clock.tick(3600)
        elapsed = start.elapsed().seconds
        stamped = timing.Instant().as_utc()
    assert 0 <= elapsed < 60
    assert stamped.year >= 2026 and stamped != dt.datetime(2026, 3, 2, 10, 0, tzinfo=dt.UTC)


def test_each_test_gets_the_world_rows_and_its_own_copy_of_the_objects(world, _world_snapshot):
    from tandem.core.models import Organisation, RoleAssignment, User

    assert world.local is not _world_snapshot.value.local
    assert world.personas["local"] is world.local
    assert set(User.objects.values_list("username", flat=True)) == {"admin", *world.personas}
    assert RoleAssignment.objects.filter(user=world.regional, jurisdiction=world.visayas).exists()
    assert Organisation.objects.get(pk=world.cso_org.pk).name == "Visayas Youth Forum"
    world.local.first_name = "Changed"
    assert _world_snapshot.value.local.first_name == "Local"
