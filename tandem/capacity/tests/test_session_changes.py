"""Changing a session after it is published: edit (versioned), cancel with a reason, archive."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.urls import reverse
from django.utils import timezone

from tandem.capacity import services
from tandem.capacity.models import Participation, PlaceStatus, TrainingSession
from tandem.core import services as core_services

from .factories import cebu_course, cebu_session, cebu_training

pytestmark = pytest.mark.django_db


def _api(client, user):
    secret = core_services.api_token_create(actor=user, name="t").secret
    headers = {"HTTP_AUTHORIZATION": f"Bearer {secret}"}

    def send(method, path, body):
        return getattr(client, method)(path, data=json.dumps(body), content_type="application/json", **headers)

    return send


def _fresh(session):
    return TrainingSession.objects.get(pk=session.pk)


def _form(session, **changes):
    fmt = "%Y-%m-%dT%H:%M"
    data = {
        "version": session.version,
        "starts_at": session.starts_at.strftime(fmt),
        "ends_at": session.ends_at.strftime(fmt),
        "time_zone": session.time_zone,
        "registration_deadline": session.registration_deadline.strftime(fmt),
        "places": session.places,
        "venue": session.venue,
        "online_link": session.online_link,
        "required_share": session.required_share,
        "external_trainers": session.external_trainers,
    }
    data.update(changes)
    return data


def test_more_places_on_the_edit_page_promote_the_wait_list(world, as_user):
    w = world
    session = cebu_session(w, cebu_course(w), places=1, start=timezone.now() + dt.timedelta(days=10))
    first = services.participation_add(actor=w.local, session=session, person=w.person_cebu)
    other = core_services.person_create(actor=w.admin, jurisdiction=w.cebu_city, full_name="Ramon Dela Cruz")
    waiting = services.participation_nominate(actor=w.local, session=session, person=other)
    services.participation_decide(actor=w.local, participation=waiting, status=PlaceStatus.WAITLISTED)
    client = as_user(w.local)
    assert client.get(reverse("session_edit", args=[session.uuid])).status_code == 200
    response = client.post(reverse("session_edit", args=[session.uuid]), _form(_fresh(session), places=2))
    assert response.status_code == 302
    assert _fresh(session).places == 2
    assert Participation.objects.get(pk=waiting.pk).status == PlaceStatus.ACCEPTED
    assert Participation.objects.get(pk=first.pk).status == PlaceStatus.ACCEPTED


def test_fewer_places_than_taken_or_an_end_before_the_start_is_refused_and_nothing_written(world, as_user):
    w = cebu_training(world)  # two accepted places
    before = _fresh(w.session)
    client = as_user(w.local)
    page = client.post(reverse("session_edit", args=[w.session.uuid]), _form(before, places=1))
    assert page.status_code == 200
    assert "2 places are already taken" in page.content.decode()
    send = _api(client, w.local)
    path = f"/api/v1/capacity/sessions/{w.session.uuid}"
    answer = send("patch", path, {"version": before.version, "ends_at": before.starts_at.isoformat()})
    assert answer.status_code == 422
    assert "end before it starts" in answer.content.decode()
    after = _fresh(w.session)
    assert (after.places, after.ends_at, after.version) == (before.places, before.ends_at, before.version)


def test_a_stale_version_is_a_conflict_and_a_venue_change_goes_through(world, client):
    w = cebu_training(world)
    send = _api(client, w.local)
    path = f"/api/v1/capacity/sessions/{w.session.uuid}"
    version = _fresh(w.session).version
    ok = send("patch", path, {"version": version, "venue": "Cebu Provincial Capitol"})
    assert ok.status_code == 200 and ok.json()["venue"] == "Cebu Provincial Capitol"
    stale = send("patch", path, {"version": version, "venue": "Somewhere else"})
    assert stale.status_code == 409
    assert _fresh(w.session).venue == "Cebu Provincial Capitol"


def test_only_organisers_change_a_session_and_outsiders_do_not_see_it(world, client):
    w = cebu_training(world)
    path = f"/api/v1/capacity/sessions/{w.session.uuid}"
    body = {"version": _fresh(w.session).version, "venue": "Elsewhere"}
    assert _api(client, w.viewer)("patch", path, body).status_code == 403
    assert _api(client, w.outsider)("patch", path, body).status_code == 404
    assert (
        _api(client, w.outsider)("post", path + "/cancel", {"version": body["version"], "reason": "x"}).status_code
        == 404
    )
    assert _fresh(w.session).venue != "Elsewhere" and _fresh(w.session).cancelled_at is None


def test_a_cancelled_session_shows_why_and_refuses_registrations(world, as_user, client):
    w = cebu_training(world)
    organiser = as_user(w.local)
    url = reverse("session_cancel", args=[w.session.uuid])
    confirm = organiser.get(url).content.decode()
    assert "cannot be reopened" in confirm
    version = _fresh(w.session).version
    refused = organiser.post(url, {"version": version, "reason": "  "})
    assert refused.status_code == 200 and _fresh(w.session).cancelled_at is None
    assert organiser.post(url, {"version": version, "reason": "Typhoon warning in Cebu."}).status_code == 302
    cancelled = _fresh(w.session)
    assert cancelled.cancelled_at is not None
    detail = as_user(w.member).get(reverse("session_detail", args=[w.session.uuid])).content.decode()
    assert "Typhoon warning in Cebu." in detail
    newcomer = core_services.person_create(actor=w.admin, jurisdiction=w.cebu_city, full_name="Ramon Dela Cruz")
    answer = _api(client, w.local)(
        "post", f"/api/v1/capacity/sessions/{w.session.uuid}/nominations", {"person": str(newcomer.uuid)}
    )
    assert answer.status_code == 422
    assert "cancelled; it takes no registrations" in answer.content.decode()
    assert not Participation.objects.filter(person=newcomer).exists()
    again = _api(client, w.local)(
        "post", f"/api/v1/capacity/sessions/{w.session.uuid}/cancel", {"version": cancelled.version, "reason": "x"}
    )
    assert again.status_code == 422 and _fresh(w.session).cancellation_reason == "Typhoon warning in Cebu."


def test_only_an_ended_or_cancelled_session_is_archived_and_it_leaves_the_course_page(world, as_user):
    w = cebu_training(world)  # under way
    client = as_user(w.local)
    url = reverse("session_archive", args=[w.session.uuid])
    page = client.post(url, {"version": _fresh(w.session).version})
    assert page.status_code == 200 and "has ended or was cancelled" in page.content.decode()
    assert _fresh(w.session).archived_at is None
    services.session_cancel(
        actor=w.local, session=w.session, expected_version=_fresh(w.session).version, reason="Moved"
    )
    assert client.post(url, {"version": _fresh(w.session).version}).status_code == 302
    assert _fresh(w.session).archived_at is not None
    course_page = client.get(reverse("course_detail", args=[w.course.uuid])).content.decode()
    assert reverse("session_detail", args=[w.session.uuid]) not in course_page
    assert client.get(reverse("session_detail", args=[w.session.uuid])).status_code == 200
