"""The API after a session: attendance and feedback figures for the organiser, certificates for their person."""

from __future__ import annotations

import pytest

from tandem.capacity import services
from tandem.capacity.models import PlaceStatus
from tandem.core import services as core_services

from .factories import cebu_training

pytestmark = pytest.mark.django_db


def _get(client, user, path):
    secret = core_services.api_token_create(actor=user, name="t").secret
    return client.get(path, HTTP_AUTHORIZATION=f"Bearer {secret}")


def test_the_organiser_reads_attendance_per_day(world, client):
    w = cebu_training(world)
    answer = _get(client, w.local, f"/api/v1/capacity/sessions/{w.session.uuid}/attendance").json()
    assert len(answer["days"]) == 3
    rows = {r["person"]: r["days_present"] for r in answer["participants"]}
    assert rows["Maria Santos"] == answer["days"] and rows["Ana Cruz"] == []
    assert _get(client, w.member, f"/api/v1/capacity/sessions/{w.session.uuid}/attendance").status_code == 403
    assert _get(client, w.outsider, f"/api/v1/capacity/sessions/{w.session.uuid}/attendance").status_code == 404


def test_feedback_figures_stay_hidden_under_three_answers(world, client):
    w = cebu_training(world)
    objective = w.course.learning_objectives.first()
    services.feedback_submit(
        actor=w.member, participation=w.ana, ratings={objective.pk: (5, 2, 4)}, comment="Ana's view"
    )
    path = f"/api/v1/capacity/sessions/{w.session.uuid}/feedback"
    answer = _get(client, w.local, path).json()
    assert answer["answers"] == 1 and answer["minimum"] == 3
    assert answer["comments"] == []
    assert all(o["rating"] is None and o["before"] is None for o in answer["objectives"])
    assert "Ana" not in str(answer)
    assert _get(client, w.member, path).status_code == 403


def test_a_participant_lists_and_downloads_only_their_own_certificates(world, client):
    w = cebu_training(world)
    for day in services.session_days(w.session):
        services.attendance_record(actor=w.local, session=w.session, day=day, present=[w.maria, w.ana])
    services.certificates_issue(actor=w.local, session=w.session)
    mine = _get(client, w.member, "/api/v1/capacity/certificates").json()
    assert [c["full_name"] for c in mine["items"]] == ["Ana Cruz"]
    assert mine["items"][0]["session"] == str(w.session.uuid)
    own = _get(client, w.member, f"/api/v1/capacity/certificates/{mine['items'][0]['uuid']}/pdf")
    assert own.status_code == 200 and own["Content-Type"] == "application/pdf"
    assert own["X-Content-Type-Options"] == "nosniff" and "attachment" in own["Content-Disposition"]
    assert _get(client, w.member, f"/api/v1/capacity/certificates/{w.certificate.uuid}/pdf").status_code == 404
    assert _get(client, w.outsider, f"/api/v1/capacity/certificates/{w.certificate.uuid}/pdf").status_code == 404
    assert _get(client, w.local, "/api/v1/capacity/certificates").json()["items"] == []
    assert w.ana.status == PlaceStatus.ACCEPTED
