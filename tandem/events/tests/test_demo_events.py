"""The demo's Manila workshop (what ``manage.py load_demo`` builds)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tandem.events import selectors
from tandem.events.models import Event, EventReport, ReportStatus

pytestmark = pytest.mark.django_db


def test_demo_manila_workshop(demo_world, client):
    from tandem.core.models import User

    event = Event.objects.get(title__startswith="South-East Asia regional workshop")
    assert event.place.name == "Manila"
    assert (event.starts_at.year, event.starts_at.month) == (2023, 7)
    counts = selectors.participant_counts(event)
    assert {c for c, _n in counts.by_country} == {"Indonesia", "Malaysia", "Philippines"}
    assert counts.total >= 20
    roles = dict(counts.by_role)
    assert roles["Mayor"] >= 5 and roles["Governor"] >= 2
    admin = User.objects.get(username="admin")
    groups = selectors.breakouts(admin, event)
    assert len(groups) == 3
    assert all(g.challenges and g.collaboration for g in groups)
    followed = [f for g in groups for _c, f in g.commitments if f.kind == "action_item"]
    assert len(followed) == 1
    report = EventReport.objects.get(event=event)
    assert report.status == ReportStatus.PUBLISHED
    assert report.library_item.status == "published"
    # A demo persona of another country reads the published report (community visibility).
    client.force_login(User.objects.get(username="local.surabaya"))
    page = client.get(reverse("event_report", args=[event.uuid])).content.decode()
    assert "Malaysia group" in page and "Areas of collaboration" in page
