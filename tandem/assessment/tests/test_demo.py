"""The demo: four Kenyan counties over two rounds, a disagreement in Mombasa, a facilitator's assessment."""

from __future__ import annotations

import time

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tandem.assessment import access, selectors
from tandem.assessment.models import Status
from tandem.core.models import User


def test_demo_assessments(demo_world, client):
    national = User.objects.get(username="national.ke")
    kenyan = access.visible_assessments(national).filter(jurisdiction__path__startswith="/")
    assert kenyan.filter(round_label="2025").count() == 4 and kenyan.filter(round_label="2026").count() == 4
    local = User.objects.get(username="local.mombasa")
    mombasa = access.visible_assessments(local).get(jurisdiction__iso_code="KE-28", round_label="2026")
    result = selectors.results(mombasa)
    assert 8 <= result.answered <= 12
    comm = result.by_code()["communication"]
    assert comm.stat.disagreement and comm.groups["national"].median >= 3 and comm.groups["local"].median <= 1
    old = access.visible_assessments(local).get(jurisdiction__iso_code="KE-28", round_label="2025")
    assert old.status == Status.FINAL and old.validation_meeting is not None
    assert access.visible_recommendations(local).filter(assessment=old, action_item__isnull=False).exists()
    facilitator = User.objects.get(username="facilitator")
    assert access.visible_assessments(facilitator).filter(lead=facilitator).exists()
    mapping = access.visible_mappings(facilitator).get(jurisdiction__iso_code="ID")
    assert mapping.validation_meeting is not None and mapping.expert is not None
    assert access.visible_mapping_entries(facilitator).filter(exercise=mapping).count() == 4
    # The Mombasa member is invited to 2026 and sees no other county's assessment.
    member = User.objects.get(username="member.mombasa")
    assert list(access.visible_assessments(member)) == [mombasa]
    client.force_login(local)
    page = client.get(reverse("assessment_detail", kwargs={"uuid": mombasa.uuid})).content.decode()
    assert "radar-previous" in page and "disagreement" in page


def test_demo_comparison_page_queries_and_time(demo_world, client):
    national = User.objects.get(username="national.ke")
    client.force_login(national)
    client.get(reverse("assessment_comparison"))
    with CaptureQueriesContext(connection) as queries:
        start = time.perf_counter()
        page = client.get(reverse("assessment_comparison") + "?round=2026")
        elapsed = time.perf_counter() - start
    text = page.content.decode()
    assert "Mombasa" in text and "Surabaya" not in text
    print(f"comparison at demo scale: {len(queries)} queries, {elapsed * 1000:.0f} ms")
    assert len(queries) <= 16
    mombasa = access.visible_assessments(national).get(jurisdiction__iso_code="KE-28", round_label="2026")
    history = client.get(reverse("assessment_comparison") + f"?round=2026&place={mombasa.jurisdiction.uuid}")
    rows = history.content.decode().split('id="history-table"')[1]
    assert "2025" in rows and "2026" in rows
