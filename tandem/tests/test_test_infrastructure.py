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
