"""The bodies API beyond the body itself: seats, inclusivity and health, meeting edits, attendance, minutes."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from tandem.bodies.models import MinutesStatus
from tandem.core.models import AuditAction, AuditEvent

from .factories import cebu_body
from .test_api_bodies import Api

BASE = "/api/v1/bodies"


def test_seats_list_the_current_holder_and_a_new_holder_keeps_the_history(world, client):
    body = cebu_body(world)
    seats = Api(client, world.cso).get(f"{BASE}/{body.uuid}/seats").json()
    assert [(s["title"], s["current"]["organisation"]["name"]) for s in seats] == [
        ("Co-chair (mayor)", "Cebu City Hall")
    ]
    api = Api(client, world.local)
    start = (timezone.localdate() + dt.timedelta(days=1)).isoformat()
    response = api.send(
        "post", f"{BASE}/seats/{world.seat.uuid}/holder", {"organisation": str(world.cso_org.uuid), "start_date": start}
    )
    assert response.status_code == 201
    seat = response.json()
    assert seat["current"]["organisation"]["name"] == "Cebu City Hall"  # the new holder starts tomorrow
    assert [h["organisation"]["name"] for h in seat["history"]] == ["Visayas Youth Forum"]
    # A holder from another country is refused, nothing written.
    far = (timezone.localdate() + dt.timedelta(days=5)).isoformat()
    refused = api.send(
        "post",
        f"{BASE}/seats/{world.seat.uuid}/holder",
        {"organisation": str(world.nairobi_org.uuid), "start_date": far},
    )
    assert refused.status_code == 422
    assert world.seat.holdings.count() == 2


def test_a_seat_is_added_by_a_coordinator_only(world, client):
    body = cebu_body(world)
    payload = {"title": "Secretariat", "kind": "secretariat"}
    assert Api(client, world.member).send("post", f"{BASE}/{body.uuid}/seats", payload).status_code == 403
    created = Api(client, world.local).send("post", f"{BASE}/{body.uuid}/seats", payload)
    assert created.status_code == 201 and created.json()["current"] is None
    assert (
        Api(client, world.local).send("post", f"{BASE}/{body.uuid}/seats", {"title": "", "kind": "chair"}).status_code
        == 422
    )


def test_inclusivity_for_everyone_who_sees_the_body_and_health_for_its_insiders(world, client):
    body = cebu_body(world)
    seen = Api(client, world.company).get(f"{BASE}/{body.uuid}/inclusivity").json()
    assert seen["members"] == 2
    assert {row["sector"]: row["members"] for row in seen["by_sector"]} == {"youth": 1, "local_government": 1}
    assert "women" in seen["missing_sectors"] and seen["security_share"] == 0
    assert seen["health"] is None  # the company is not a member
    inside = Api(client, world.cso).get(f"{BASE}/{body.uuid}/inclusivity").json()
    assert inside["health"]["held_365"] == 1 and inside["health"]["open_items"] == 1
    assert Api(client, world.outsider).get(f"{BASE}/{body.uuid}/inclusivity").status_code == 404


def test_a_meeting_is_edited_with_its_version_and_a_stale_edit_is_409(world, client):
    cebu_body(world)
    api = Api(client, world.local)
    url = f"{BASE}/meetings/{world.upcoming.uuid}"
    response = api.send(
        "patch", url, {"version": world.upcoming.version, "place": "Barangay hall", "agenda": ["Plan", "Budget"]}
    )
    assert response.status_code == 200
    assert response.json()["place"] == "Barangay hall" and response.json()["agenda"] == ["Plan", "Budget"]
    stale = api.send("patch", url, {"version": world.upcoming.version, "place": "Elsewhere"})
    assert stale.status_code == 409
    assert (
        api.send("patch", url, {"version": response.json()["version"], "starts_at": "2099-01-01T10:00:00"}).status_code
        == 422
    )
    assert api.send("patch", url, {"version": response.json()["version"], "title": None}).status_code == 422
    assert (
        Api(client, world.cso).send("patch", url, {"version": response.json()["version"], "place": "x"}).status_code
        == 403
    )
    world.upcoming.refresh_from_db()
    assert world.upcoming.place == "Barangay hall"


def test_attendance_is_read_by_insiders_and_recorded_by_coordinators(world, client):
    cebu_body(world)
    url = f"{BASE}/meetings/{world.meeting.uuid}/attendance"
    rows = Api(client, world.cso).get(url).json()
    assert {(r["organisation"]["name"], r["attended"]) for r in rows} == {
        ("Visayas Youth Forum", True),
        ("Cebu City Hall", False),
    }
    api = Api(client, world.local)
    saved = api.send("put", url, {"present": [str(world.body_hall.uuid)]})
    assert saved.status_code == 200
    assert {(r["organisation"]["name"], r["attended"]) for r in saved.json()} == {
        ("Visayas Youth Forum", False),
        ("Cebu City Hall", True),
    }
    foreign = api.send("put", url, {"present": [str(world.body_hall.uuid), str(world.cso_org.uuid)]})
    assert foreign.status_code == 422 and "present" in foreign.json()["errors"]
    assert Api(client, world.cso).send("put", url, {"present": []}).status_code == 403
    future = api.send("put", f"{BASE}/meetings/{world.upcoming.uuid}/attendance", {"present": []})
    assert future.status_code == 422  # not started yet
    assert Api(client, world.company).get(url).status_code == 404


def test_minutes_are_read_with_an_audit_row_saved_approved_and_amended(world, client):
    cebu_body(world)
    url = f"{BASE}/meetings/{world.meeting.uuid}/minutes"
    before = AuditEvent.objects.filter(action=AuditAction.READ).count()
    read = Api(client, world.cso).get(url)
    assert read.status_code == 200 and read.json()["text"] == "We met and agreed."
    assert AuditEvent.objects.filter(action=AuditAction.READ).count() == before + 1
    api = Api(client, world.local)
    draft = read.json()
    saved = api.send("put", url, {"text": "We met, agreed and planned.", "version": draft["version"]})
    assert saved.status_code == 200 and saved.json()["version"] == draft["version"] + 1
    assert api.send("put", url, {"text": "Lost update", "version": draft["version"]}).status_code == 409
    assert api.send("put", url, {"text": "Second first draft"}).status_code == 409  # one already exists
    approved = api.send("post", f"{url}/approve", {"version": saved.json()["version"]})
    assert approved.status_code == 200 and approved.json()["status"] == MinutesStatus.APPROVED
    frozen = api.send("put", url, {"text": "Changed", "version": approved.json()["version"]})
    assert frozen.status_code == 422
    amended = api.send("post", f"{url}/amend", {})
    assert amended.status_code == 201 and amended.json()["number"] == 2 and amended.json()["status"] == "draft"
    assert Api(client, world.cso).send("post", f"{url}/amend", {}).status_code == 403
    assert Api(client, world.company).get(url).status_code == 404
    assert Api(client, world.local).get(f"{BASE}/meetings/{world.upcoming.uuid}/minutes").status_code == 404
