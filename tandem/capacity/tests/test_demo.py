"""The demo: Kenya's catalogue, sessions across counties, certificates, feedback; Indonesia's course."""

from __future__ import annotations

import time

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tandem.capacity import access, selectors
from tandem.capacity.models import Certificate, Course, PlaceStatus, TrainingSession
from tandem.core.models import User

from .test_pages import REACH_QUERIES


def test_demo_catalogue_sessions_and_reach(demo_world, client):
    national = User.objects.get(username="national.ke")
    titles = set(access.visible_courses(national).values_list("title", flat=True))
    assert {
        "Prevention basics for county officials",
        "Community dialogue facilitation",
        "Safeguarding information sharing",
    } <= titles
    assert "Dasar-dasar pencegahan ekstremisme kekerasan untuk guru" not in titles  # Indonesia's, country-wide
    guru = Course.objects.get(title__startswith="Dasar-dasar")
    assert guru.summary.startswith("Prevention basics for teachers")
    hosts = set(
        TrainingSession.objects.filter(course__jurisdiction__iso_code="KE").values_list("host__iso_code", flat=True)
    )
    assert {"KE-28", "KE-30", "KE-17", "KE-07", "KE-21"} <= hosts
    assert Certificate.objects.count() > 50
    first = TrainingSession.objects.filter(host__iso_code="KE-28").order_by("starts_at").first()
    summary = selectors.feedback_summary(national, first)
    assert summary["enough"] and summary["objectives"][0].rating is not None
    upcoming = TrainingSession.objects.filter(host__iso_code="KE-28", places=3).first()
    statuses = set(upcoming.participations.values_list("status", flat=True))
    assert {PlaceStatus.ACCEPTED, PlaceStatus.WAITLISTED} <= statuses
    need = selectors.filter_needs(national).get(jurisdiction__iso_code="KE-28")
    assert need.answered_at is not None and selectors.matching_courses(national, need).exists()
    # A Philippine coordinator sees none of Kenya's training.
    regional = User.objects.get(username="regional.ph")
    assert not access.visible_sessions(regional).filter(course__jurisdiction__iso_code="KE").exists()
    assert selectors.reach_rows(regional, "sector") == []

    client.force_login(national)
    client.get(reverse("reach"))  # warm: templates and catalogues load once per process
    for dimension in ("jurisdiction", "sector", "competency"):
        start = time.perf_counter()
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(reverse("reach"), {"dimension": dimension})
        elapsed = time.perf_counter() - start
        assert response.status_code == 200
        assert len(ctx.captured_queries) == REACH_QUERIES[dimension]
        assert elapsed < 2.0
        print(f"reach by {dimension} on the demo: {len(ctx.captured_queries)} queries, {elapsed * 1000:.0f} ms")
    page = client.get(reverse("reach"), {"dimension": "jurisdiction"}).content.decode()
    assert "Mombasa" in page


def test_demo_is_ready_to_share_for_some_and_not_for_others(demo_world):
    """Kenya requires the safeguarding course before AMBER: the Mombasa coordinator completed it, the
    national coordinator is exempted, the body member is told what is missing."""
    from tandem.capacity import readiness
    from tandem.core.models import Jurisdiction

    mombasa = Jurisdiction.objects.get(iso_code="KE-28")
    for username in ("local.mombasa", "partner.cso", "national.ke"):
        assert readiness.send_gate(User.objects.get(username=username), mombasa, "AMBER") is None, username
    missing = readiness.send_gate(User.objects.get(username="member.mombasa"), mombasa, "AMBER")
    assert missing and "Safeguarding information sharing" in missing
    assert readiness.send_gate(User.objects.get(username="member.mombasa"), mombasa, "GREEN") is None
    safeguarding = Course.objects.get(title="Safeguarding information sharing")
    assert sorted(selectors.framework_items_of(safeguarding).values_list("code", flat=True)) == ["M1", "T2"]
