"""The benchmark command measures real pages (figures are printed, never asserted as timings)."""

from __future__ import annotations

import io

import pytest
from django.core.management import CommandError, call_command


def test_bench_prints_status_and_queries_per_page(world):
    out = io.StringIO()
    call_command("bench", persona=[world.local.username, world.member.username], repeat=1, stdout=out)
    rows = {tuple(line.split()[:3]) for line in out.getvalue().splitlines()[1:]}
    assert (world.local.username, "organisation_list", "200") in rows
    # The member has no coordinator role: the audit log is refused, and the bench says so.
    assert (world.member.username, "audit_list", "403") in rows


def test_bench_needs_the_demo_users(db):
    with pytest.raises(CommandError, match="load the demo first"):
        call_command("bench", persona=["nobody"], stdout=io.StringIO())
