"""Events: access, agenda dates, registrations, counts, breakouts, follow-ups, the report
(versions, PDF, publication into the library), the calendar, the export and the API."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from tandem.core.versioning import VersionConflict
from tandem.events import selectors, services
from tandem.events.models import AgendaSession, Participant, ReportStatus
from tandem.events.tests.factories import make_breakout, make_commitment, make_event, make_guest

UTC = dt.UTC


def _indonesia(w):
    from tandem.core import services as core_services
    from tandem.core.models import JurisdictionKind

    if not hasattr(w, "id_country"):
        w.id_country = core_services.jurisdiction_create(
            actor=None, name="Indonesia", kind=JurisdictionKind.COUNTRY, parent=w.network, iso_code="ID", audit=False
        )
    return w.id_country


# --- Access -------------------------------------------------------------------------------


def test_a_foreign_event_is_404_and_a_member_may_not_edit(world, as_user):
    event = make_event(world, visibility="country")
    url = reverse("event_detail", args=[event.uuid])
    assert as_user(world.outsider).get(url).status_code == 404
    assert as_user(world.member).get(url).status_code == 200
    assert as_user(world.member).get(reverse("event_edit", args=[event.uuid])).status_code == 403
    with pytest.raises(PermissionDenied):
        services.session_add(
            actor=world.member,
            event=event,
            title="x",
            starts_at=event.starts_at,
            ends_at=event.ends_at,
        )


def test_a_subtree_event_is_hidden_from_another_city_of_the_country(world, as_user):
    from tandem.tests.access_cases import manila_coordinator

    event = make_event(world, visibility="subtree")
    assert as_user(manila_coordinator(world)).get(reverse("event_detail", args=[event.uuid])).status_code == 404
    assert as_user(world.viewer).get(reverse("event_detail", args=[event.uuid])).status_code == 200


def test_participants_names_go_to_organisers_only(world, as_user):
    event = make_event(world)
    make_guest(world, event, name="Ana Cruz")
    assert "Ana Cruz" in as_user(world.local).get(reverse("participant_list", args=[event.uuid])).content.decode()
    detail = as_user(world.viewer).get(reverse("event_detail", args=[event.uuid])).content.decode()
    assert "Ana Cruz" not in detail
    assert "1 participant" in detail


# --- Agenda -------------------------------------------------------------------------------


def test_a_session_outside_the_dates_is_refused_clearly(world, as_user):
    event = make_event(world)
    client = as_user(world.facilitator)
    response = client.post(
        reverse("event_session_add", args=[event.uuid]),
        {"title": "Late dinner", "starts_at": "2024-05-03T18:00", "ends_at": "2024-05-03T20:00"},
    )
    assert response.status_code == 200
    assert "must fall within the event" in response.content.decode()
    assert not AgendaSession.objects.filter(event=event).exists()
    ok = client.post(
        reverse("event_session_add", args=[event.uuid]),
        {"title": "Opening", "starts_at": "2024-05-01T09:00", "ends_at": "2024-05-01T10:00"},
    )
    assert ok.status_code == 302
    session = AgendaSession.objects.get(event=event)
    assert session.starts_at == dt.datetime(2024, 5, 1, 1, 0, tzinfo=UTC)  # 09:00 in Manila


def test_an_event_cannot_end_before_it_starts(world):
    with pytest.raises(ValidationError) as exc:
        services.event_create(
            actor=world.facilitator,
            jurisdiction=world.cebu_city,
            data=services.EventData(
                title="Backwards",
                kind="workshop",
                starts_at=dt.datetime(2024, 5, 2, tzinfo=UTC),
                ends_at=dt.datetime(2024, 5, 1, tzinfo=UTC),
                visibility="green",
                online=True,
            ),
        )
    assert "ends_at" in exc.value.message_dict


# --- Participants -------------------------------------------------------------------------


def test_a_duplicate_registration_is_refused_and_nothing_written(world, as_user):
    event = make_event(world)
    client = as_user(world.local)
    url = reverse("participant_list", args=[event.uuid])
    data = {
        "add": "guest",
        "guest-name": "Ana  Cruz",
        "guest-role": "Mayor",
        "guest-country": str(world.ph.uuid),
        "guest-level": "local",
    }
    assert client.post(url, data).status_code == 302
    again = client.post(url, {**data, "guest-name": "ana cruz"})
    assert again.status_code == 200
    assert "already registered" in again.content.decode()
    assert Participant.objects.filter(event=event).count() == 1
    services.participant_invite(actor=world.local, event=event, person=world.person_cebu, level="local")
    with pytest.raises(ValidationError, match="already on the participant list"):
        services.participant_invite(actor=world.local, event=event, person=world.person_cebu, level="local")


def test_counts_by_country_level_and_role(world):
    event = make_event(world)
    indonesia = _indonesia(world)
    make_guest(world, event, name="Ana Cruz", level="local")
    services.participant_add_guest(
        actor=world.admin, event=event, name="Budi", role="Governor", country=indonesia, level="regional"
    )
    services.participant_add_guest(
        actor=world.admin, event=event, name="Dewi", role="mayor", country=indonesia, level="local"
    )
    declined = make_guest(world, event, name="Not coming")
    services.participant_set_status(actor=world.admin, participant=declined, status="declined")
    counts = selectors.participant_counts(event)
    assert counts.total == 3
    assert dict(counts.by_country) == {"Indonesia": 2, "Philippines": 1}
    assert dict(counts.by_level) == {"Regional": 1, "Local": 2}
    assert dict(counts.by_role) == {"Mayor": 2, "Governor": 1}


def test_status_steps_keep_their_times(world):
    event = make_event(world)
    guest = services.participant_add_guest(
        actor=world.admin, event=event, name="Ana", country=world.ph, level="local", status="invited"
    )
    assert guest.registered_at is None
    guest = services.participant_set_status(actor=world.admin, participant=guest, status="attended")
    assert guest.registered_at and guest.confirmed_at and guest.attended_at


def test_export_lists_the_participants(world, as_user):
    event = make_event(world)
    make_guest(world, event, name="Ana Cruz")
    response = as_user(world.local).get(reverse("participant_export", args=[event.uuid, "csv"]))
    assert response.status_code == 200
    assert "Ana Cruz" in b"".join(response.streaming_content).decode("utf-8")
    assert as_user(world.local).get(reverse("participant_export", args=[event.uuid, "pdf"])).status_code == 404


# --- Breakouts and follow-ups ---------------------------------------------------------------


def test_a_breakout_member_must_belong_to_the_event(world):
    event, other = make_event(world), make_event(world, title="Other")
    stranger = make_guest(world, other)
    with pytest.raises(ValidationError):
        services.breakout_create(actor=world.admin, event=event, name="G", members=(stranger,))


def test_a_commitment_becomes_an_action_item_only_for_a_body_manager(world, as_user):
    from tandem.bodies.tests.factories import cebu_body

    body = cebu_body(world)
    event = make_event(world)
    commitment = make_commitment(world, event)
    # The facilitator organises the event but may not add action items to the city's body.
    with pytest.raises(PermissionDenied):
        services.commitment_to_action_item(
            actor=world.facilitator, commitment=commitment, body=body, expected_version=commitment.version
        )
    commitment.refresh_from_db()
    assert commitment.action_item_id is None
    client = as_user(world.regional)
    response = client.post(
        reverse("commitment_follow_up", args=[commitment.uuid]),
        {"body": str(body.uuid), "version": commitment.version},
    )
    assert response.status_code == 302
    commitment.refresh_from_db()
    assert commitment.action_item.body == body
    assert "Hold a quarterly youth forum" in commitment.action_item.title
    page = client.get(reverse("breakout_detail", args=[commitment.breakout.uuid])).content.decode()
    assert "Action item of a coordination body" in page and "Open" in page
    with pytest.raises(ValidationError):
        services.commitment_to_action_item(
            actor=world.regional, commitment=commitment, body=body, expected_version=commitment.version
        )


def test_outcome_text_is_shown_escaped(world, as_user):
    event = make_event(world)
    breakout = make_breakout(world, event)
    services.outcome_add(actor=world.admin, breakout=breakout, kind="challenge", text="<script>alert(1)</script>")
    page = as_user(world.viewer).get(reverse("breakout_detail", args=[breakout.uuid])).content.decode()
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;" in page


# --- The report -----------------------------------------------------------------------------


def test_report_versions_conflict_and_publication_into_the_library(world, as_user):
    from tandem.library import access as library_access
    from tandem.library import search

    event = make_event(world, language="fr", title="Atelier régional sur la prévention")
    breakout = make_breakout(world, event, name="Groupe Philippines")
    services.outcome_add(actor=world.admin, breakout=breakout, kind="challenge", text="Peu de budget local")
    client = as_user(world.facilitator)
    url = reverse("event_report_edit", args=[event.uuid])
    assert client.get(url).status_code == 200
    assert client.post(url, {"summary": "Les maires ont partagé leurs engagements.", "version": 1}).status_code == 302
    report = selectors.report_of(world.facilitator, event)
    assert report.version == 2
    stale = client.post(url, {"summary": "Une autre version", "version": 1})
    assert stale.status_code == 200
    report.refresh_from_db()
    assert report.summary == "Les maires ont partagé leurs engagements."
    assert [v.number for v in selectors.report_versions(report)] == [2, 1]
    with pytest.raises(VersionConflict):
        services.report_update(actor=world.facilitator, report=report, expected_version=1, summary="x")
    page = client.get(reverse("event_report", args=[event.uuid])).content.decode()
    assert "Peu de budget local" in page and "Rapport" in page
    assert (
        client.post(reverse("event_report_publish", args=[event.uuid]), {"version": report.version}).status_code == 302
    )
    report.refresh_from_db()
    assert report.status == ReportStatus.PUBLISHED
    item = report.library_item
    assert item.status == "published" and item.language == "fr" and item.kind == "event_report"
    found = search.search_items(world.local, search.Filters(q="engagements"))
    assert item in list(found)
    # Filed under its own kind: the library's filter finds it there, with its count and label.
    reports = search.search_items(world.local, search.Filters(q="engagements", kind="event_report"))
    assert list(reports) == [item]
    library = client.get(reverse("library_search"), {"q": "engagements"}).content.decode()
    assert "Event report" in library
    assert library_access.visible_published_items(world.outsider).filter(pk=item.pk).count() == 0


def test_a_draft_report_is_for_organisers_only(world, as_user):
    event = make_event(world)
    services.report_start(actor=world.admin, event=event, summary="Draft")
    assert as_user(world.viewer).get(reverse("event_report", args=[event.uuid])).status_code == 404
    assert as_user(world.local).get(reverse("event_report", args=[event.uuid])).status_code == 200


def test_report_pdf_carries_the_tlp_marking(world, as_user):
    event = make_event(world, visibility="green")
    make_commitment(world, event)
    services.report_start(actor=world.admin, event=event, summary="Summary")
    response = as_user(world.local).get(reverse("event_report_pdf", args=[event.uuid]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    from tandem.events.pdf import marking

    assert marking("green") == "TLP:GREEN" and marking("subtree") == "TLP:AMBER"


def test_calendar_has_the_event_and_its_sessions(world, as_user):
    event = make_event(world)
    services.session_add(
        actor=world.admin,
        event=event,
        title="Opening, welcome",
        starts_at=dt.datetime(2024, 5, 1, 1, tzinfo=UTC),
        ends_at=dt.datetime(2024, 5, 1, 2, tzinfo=UTC),
        room="Hall A",
    )
    body = as_user(world.viewer).get(reverse("event_ics", args=[event.uuid])).content.decode()
    assert body.count("BEGIN:VEVENT") == 2
    assert "DTSTART:20240501T010000Z" in body
    assert "Opening\\, welcome" in body


# --- Lists ----------------------------------------------------------------------------------


def test_list_query_count_does_not_grow(world, as_user, django_assert_num_queries):
    client = as_user(world.local)
    make_event(world)
    client.get(reverse("event_list"))
    with django_assert_num_queries(5) as one:
        client.get(reverse("event_list"))
    for i in range(6):
        event = make_event(world, title=f"Event {i}")
        make_guest(world, event)
    with django_assert_num_queries(len(one.captured_queries)):
        response = client.get(reverse("event_list"))
    assert response.content.decode().count("Event ") >= 6


def test_bad_list_filters_are_ignored(world, as_user):
    make_event(world)
    response = as_user(world.local).get(reverse("event_list"), {"kind": "<b>", "year": "abc", "page": "x"})
    assert response.status_code == 200


# --- API ------------------------------------------------------------------------------------


def _api(client, method, path, body=None):
    import json

    from tandem.core import services as core_services

    user = client.session_user
    secret = core_services.api_token_create(actor=user, name="t").secret
    headers = {"HTTP_AUTHORIZATION": f"Bearer {secret}"}
    if body is None:
        return getattr(client, method)(path, **headers)
    return getattr(client, method)(path, data=json.dumps(body), content_type="application/json", **headers)


def test_api_refuses_a_session_outside_the_dates_and_writes_nothing(world, as_user):
    from tandem.events.models import Event

    client = as_user(world.facilitator)
    client.session_user = world.facilitator
    body = {
        "jurisdiction": str(world.cebu_city.uuid),
        "title": "API workshop",
        "kind": "workshop",
        "starts_at": "2024-06-01T01:00:00+00:00",
        "ends_at": "2024-06-01T09:00:00+00:00",
        "online": True,
        "visibility": "green",
        "sessions": [
            {"title": "Late", "starts_at": "2024-06-02T01:00:00+00:00", "ends_at": "2024-06-02T02:00:00+00:00"}
        ],
    }
    response = _api(client, "post", "/api/v1/events", body)
    assert response.status_code == 422
    assert not Event.objects.filter(title="API workshop").exists()
    assert _api(client, "post", "/api/v1/events", {**body, "sessions": []}).status_code == 201
    assert _api(client, "post", "/api/v1/events", {**body, "kind": "party"}).status_code == 422
    assert _api(client, "post", "/api/v1/events", {**body, "extra": 1}).status_code == 422


def test_api_duplicate_guest_is_422(world, as_user):
    event = make_event(world)
    client = as_user(world.local)
    client.session_user = world.local
    body = {"name": "Ana Cruz", "country": str(world.ph.uuid), "level": "local"}
    assert _api(client, "post", f"/api/v1/events/{event.uuid}/participants", body).status_code == 201
    again = _api(client, "post", f"/api/v1/events/{event.uuid}/participants", body)
    assert again.status_code == 422
    assert _api(client, "get", f"/api/v1/events/{event.uuid}/participants").json()[0]["name"] == "Ana Cruz"


# --- Membership -----------------------------------------------------------------------------


def test_events_attended_by_an_organisation(world):
    event = make_event(world)
    p = services.participant_invite(
        actor=world.admin, event=event, person=world.person_cebu, level="local", organisation=world.city_hall
    )
    assert list(selectors.events_attended(world.local, world.city_hall.pk)) == []
    services.participant_set_status(actor=world.admin, participant=p, status="attended")
    assert list(selectors.events_attended(world.local, world.city_hall.pk)) == [event]
    assert list(selectors.events_attended(world.outsider, world.city_hall.pk)) == []


def test_a_commitment_becomes_a_follow_up_exchange_request(world, as_user):
    from tandem.events.models import Commitment

    event = make_event(world)
    commitment = make_commitment(world, event)
    client = as_user(world.local)
    url = reverse("commitment_exchange", args=[commitment.uuid])
    assert client.get(url).status_code == 200
    past = client.post(
        url,
        {
            "sender_jurisdiction": str(world.cebu_city.uuid),
            "recipients": [str(world.manila.uuid)],
            "due_date": "2001-01-01",
            "version": commitment.version,
        },
    )
    assert past.status_code == 200 and "cannot be in the past" in past.content.decode()
    assert Commitment.objects.get(pk=commitment.pk).exchange_item_id is None
    response = client.post(
        url,
        {
            "sender_jurisdiction": str(world.cebu_city.uuid),
            "recipients": [str(world.manila.uuid)],
            "due_date": (dt.date.today() + dt.timedelta(days=30)).isoformat(),
            "version": commitment.version,
        },
    )
    assert response.status_code == 302
    commitment.refresh_from_db()
    draft = commitment.exchange_item
    assert draft.kind == "request" and draft.sent_at is None
    assert response["Location"] == reverse("exchange_preview", args=[draft.uuid])
    follow = selectors.follow_up(world.local, commitment)
    assert follow.kind == "exchange" and follow.status == "draft, not sent yet"


def test_organisers_own_events_where_they_organise_only(world):
    from tandem.core.models import Jurisdiction
    from tandem.events import access

    assert list(access.organiser_jurisdictions(world.local)) == [world.cebu_city]
    assert list(access.organiser_jurisdictions(world.facilitator)) == [world.visayas, world.cebu, world.cebu_city]
    assert list(access.organiser_jurisdictions(world.admin)) == list(Jurisdiction.objects.order_by("path"))
    for user in (world.viewer, world.member):
        assert not access.organiser_jurisdictions(user).exists()


def test_a_draft_report_reaches_organisers_and_once_published_every_reader(world):
    from tandem.events import access

    event = make_event(world)
    report = services.report_start(actor=world.admin, event=event, summary="Draft")
    assert access.visible_reports(world.admin).filter(pk=report.pk).exists()  # the administrator organises
    assert not access.visible_reports(world.viewer).filter(pk=report.pk).exists()
    services.report_publish(actor=world.admin, report=report, expected_version=report.version, body_html="<p>Done</p>")
    assert access.visible_reports(world.viewer).filter(pk=report.pk).exists()


def test_anonymous_reads_no_event_and_no_participant(world):
    from django.contrib.auth.models import AnonymousUser

    from tandem.events import access

    event = make_event(world, visibility="clear")
    make_guest(world, event)
    assert access.visible_events(world.viewer).filter(pk=event.pk).exists()
    assert not access.visible_events(AnonymousUser()).exists()
    assert not access.visible_participants(AnonymousUser()).exists()


def test_an_organiser_with_nested_grants_organises_from_the_highest(world):
    from tandem.core import access as core_access
    from tandem.core import services as core_services
    from tandem.core.models import Role
    from tandem.events import access

    core_services.role_grant(
        actor=None, user=world.regional, role=Role.LOCAL_COORDINATOR, jurisdiction=world.cebu_city, organisation=None
    )
    core_access.forget_grants(world.regional)
    assert access.organiser_paths(world.regional) == [world.visayas.path]


def test_participant_list_query_count_does_not_grow(world, as_user, django_assert_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    event = make_event(world)
    make_guest(world, event)
    client = as_user(world.admin)
    url = reverse("participant_list", args=[event.uuid])
    client.get(url)
    with CaptureQueriesContext(connection) as one:
        assert client.get(url).status_code == 200
    for i in range(4):
        make_guest(world, event, name=f"Guest {i}", country=world.ke)
    with django_assert_num_queries(len(one.captured_queries)):
        assert "Guest 3" in client.get(url).content.decode()


def test_a_participant_sees_their_own_registration_only_at_events_they_may_read(world):
    from tandem.events import access

    person = world.person_cebu
    person.user = world.viewer
    person.save(update_fields=["user"])
    here = make_event(world, title="Cebu meeting", visibility="subtree", jurisdiction=world.cebu_city)
    there = make_event(
        world, title="Manila meeting", visibility="subtree", jurisdiction=world.manila, actor=world.admin
    )
    mine_here = services.participant_invite(actor=world.admin, event=here, person=person, level="local")
    mine_there = services.participant_invite(actor=world.admin, event=there, person=person, level="local")
    visible = set(access.visible_participants(world.viewer))
    assert mine_here in visible and mine_there not in visible
