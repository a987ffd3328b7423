"""Reads of personal data are audited (issue 10, defect 3): contact details, people exports, minutes.

One row per page view, download or export (never one per record), action "read":
on the audit page (with its action filter), never in the home feed.
"""

from __future__ import annotations

from django.urls import reverse

from tandem.core import services
from tandem.core.models import AuditAction, AuditEvent
from tandem.core.tests.test_api import Api


def _reads():
    return AuditEvent.objects.filter(action=AuditAction.READ).order_by("id")


def test_viewing_a_persons_contact_details_is_recorded(world, as_user):
    client = as_user(world.local)
    page = client.get(reverse("person_detail", kwargs={"uuid": world.person_cebu.uuid})).content.decode()
    assert "maria@example.org" in page
    event = _reads().get()
    assert (event.actor, event.object_type, event.object_uuid) == (world.local, "person", str(world.person_cebu.uuid))
    assert event.changes == {"read": "contact_details"} and event.ip_address == "127.0.0.1"
    assert event.jurisdiction == world.cebu_city


def test_no_read_is_recorded_when_contact_details_are_withheld(world, as_user):
    page = as_user(world.company).get(reverse("person_detail", kwargs={"uuid": world.person_cebu.uuid}))
    assert "maria@example.org" not in page.content.decode()
    assert not _reads().exists()


def test_api_person_detail_records_the_read_of_contact_details(world, client):
    response = Api(client, world.local).get(f"/people/{world.person_cebu.uuid}")
    assert response.json()["email"] == "maria@example.org"
    assert _reads().get().object_uuid == str(world.person_cebu.uuid)
    Api(client, world.company).get(f"/people/{world.person_cebu.uuid}")  # contact withheld: nothing read
    assert _reads().count() == 1


def test_api_people_list_with_contact_details_is_one_read_with_its_count(world, client):
    listed = Api(client, world.local).get("/people?q=maria").json()
    assert [p["email"] for p in listed["items"]] == ["maria@example.org"]
    event = _reads().get()
    assert event.changes == {"read": "people_list", "count": 1, "filters": "q=maria"}
    # A list without anyone's contact details (withheld from the company partner) records nothing.
    assert Api(client, world.company).get("/people?q=maria").json()["items"][0]["email"] is None
    assert _reads().count() == 1


def test_a_people_export_is_one_read_with_its_count_and_filters(world, as_user):
    response = as_user(world.local).get(reverse("person_export", args=["csv"]), {"q": "a"})
    rows = b"".join(response.streaming_content).decode().strip().splitlines()[1:]
    event = _reads().get()
    assert event.changes["read"] == "people_export"
    assert event.changes["count"] == len(rows) >= 1
    assert event.changes["filters"] == "format=csv; q=a"
    assert event.jurisdiction == world.cebu_city  # the exporter's unit


def test_downloading_minutes_is_recorded(world, as_user):
    from tandem.bodies.tests.factories import cebu_body

    cebu_body(world)
    response = as_user(world.member).get(reverse("minutes_pdf", kwargs={"uuid": world.meeting.uuid}))
    assert response.status_code == 200
    event = _reads().get()
    assert (event.actor, event.object_type) == (world.member, "minutesversion")
    assert event.object_uuid == str(world.minutes.uuid) and event.changes == {"read": "minutes_pdf"}


def test_reads_are_on_the_audit_page_not_in_the_home_feed(world, as_user):
    services.organisation_update(actor=world.admin, organisation=world.city_hall, expected_version=1, name="Hall B")
    as_user(world.regional).get(reverse("person_detail", kwargs={"uuid": world.person_cebu.uuid}))
    client = as_user(world.local)
    feed = list(client.get(reverse("home")).context["activity"])
    assert feed[0].object_repr == "Hall B" and AuditAction.READ not in {e.action for e in feed}
    reads = client.get(reverse("audit_list"), {"action": "read"})
    assert [e.action for e in reads.context["page_obj"].object_list] == ["read"]
    assert "Maria Santos" in reads.content.decode() and "Hall B" not in reads.content.decode()
