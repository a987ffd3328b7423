"""Bodies: access, validations, conflicts, inclusivity, health, calendar, PDF, exports and query counts."""

from __future__ import annotations

import datetime as dt
import re
import uuid

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from tandem.bodies import access, ics, selectors, services
from tandem.bodies.forms import MeetingForm
from tandem.bodies.models import ActionStatus, BodyKind, MeetingStatus, MinutesStatus, SeatKind
from tandem.core import access as core_access
from tandem.core import services as core_services
from tandem.core.models import Role, Sector

from .factories import cebu_body

TODAY = timezone.localdate


def _body(w, name="Second Council", orgs=(), place=None, since=30):
    body = services.body_create(
        actor=w.admin, name=name, kind=BodyKind.COORDINATION_COMMITTEE, jurisdiction=place or w.cebu_city
    )
    for org in orgs:
        services.membership_add(
            actor=w.admin, body=body, organisation=org, start_date=TODAY() - dt.timedelta(days=since)
        )
    return body


# --- Access ------------------------------------------------------------------------------


def test_member_sees_internals_non_member_sees_existence_only(world, client):
    cebu_body(world)
    client.force_login(world.member)
    page = client.get(reverse("body_detail", args=[world.body.uuid])).content.decode()
    assert "Health summary" in page and "Quarterly meeting" in page
    assert client.get(reverse("meeting_detail", args=[world.meeting.uuid])).status_code == 200

    client.force_login(world.company)  # same city, not a member
    page = client.get(reverse("body_detail", args=[world.body.uuid])).content.decode()
    assert "Cebu City Peace Council" in page and "Visayas Youth Forum" in page  # existence and members
    assert "Health summary" not in page and "Quarterly meeting" not in page
    for name in ("meeting_detail", "minutes_pdf", "meeting_ics"):
        assert client.get(reverse(name, args=[world.meeting.uuid])).status_code == 404
    assert client.get(reverse("action_item_edit", args=[world.item.uuid])).status_code == 404
    assert "Quarterly meeting" not in client.get(reverse("meeting_list")).content.decode()
    assert "youth dialogue" not in client.get(reverse("action_item_list")).content.decode()


def test_foreign_body_and_minutes_are_byte_identical_to_missing(world, client):
    cebu_body(world)
    nairobi = _body(world, "Nairobi Forum", [world.nairobi_org], place=world.nairobi)
    client.force_login(world.outsider)
    assert client.get(reverse("body_detail", args=[nairobi.uuid])).status_code == 200
    foreign = client.get(reverse("body_detail", args=[world.body.uuid]))
    missing = client.get(reverse("body_detail", args=[uuid.uuid4()]))
    assert foreign.status_code == missing.status_code == 404
    assert foreign.content == missing.content
    foreign = client.get(reverse("minutes_pdf", args=[world.meeting.uuid]))
    missing = client.get(reverse("minutes_pdf", args=[uuid.uuid4()]))
    assert foreign.status_code == missing.status_code == 404 and foreign.content == missing.content


def test_member_of_another_body_gets_404_on_its_minutes(world, client):
    cebu_body(world)
    other = _body(world, "Port Council", [world.company_org])
    meeting = services.meeting_create(
        actor=world.admin,
        body=other,
        title="Port meeting",
        starts_at=timezone.now() - dt.timedelta(days=3),
        time_zone="Asia/Manila",
        status=MeetingStatus.HELD,
    )
    services.minutes_save(actor=world.admin, meeting=meeting, minutes=None, text="Port minutes", expected_version=None)
    client.force_login(world.member)  # member of the Peace Council only
    assert client.get(reverse("minutes_pdf", args=[meeting.uuid])).status_code == 404
    client.force_login(world.company)
    assert client.get(reverse("minutes_pdf", args=[meeting.uuid])).status_code == 200


def test_ended_membership_closes_internals(world):
    cebu_body(world)
    assert access.can_see_internals(world.member, world.body)
    services.membership_end(
        actor=world.admin, membership=world.body_youth, end_date=TODAY() - dt.timedelta(days=1), expected_version=1
    )
    assert not access.can_see_internals(world.member, world.body)
    assert not access.visible_meetings(world.member).exists()
    assert access.can_see_internals(world.local, world.body)  # coordinator of the jurisdiction


def test_the_internals_rule_built_once_per_request_stays_each_users_own_and_follows_their_roles(world):
    """``internal_bodies`` is built once per resolved access (``Access.memo``): one user's rule never
    serves another, a role granted or revoked counts at once, so does a deactivation, and a membership
    that ends (rows the database reads when the query runs) closes the internals at once."""
    cebu_body(world)
    member, viewer = world.member, world.viewer
    for _ in range(2):  # the second time from the memo of each
        assert set(access.visible_meetings(member)) == {world.meeting, world.upcoming}
        assert not access.visible_meetings(viewer).exists()
        assert set(access.visible_decisions(member)) == {world.decision}
        assert not access.visible_decisions(viewer).exists()
        assert world.item in access.visible_action_items(member) and not access.visible_action_items(viewer).exists()
    granted = core_services.role_grant(
        actor=world.admin, user=viewer, role=Role.LOCAL_COORDINATOR, jurisdiction=world.cebu_city
    )
    assert set(access.visible_meetings(viewer)) == {world.meeting, world.upcoming}
    assert [i.meeting_visible for i in access.visible_action_items(viewer)] == [True]
    core_services.role_revoke(actor=world.admin, assignment=granted)
    assert not access.visible_meetings(viewer).exists()
    services.membership_end(
        actor=world.admin, membership=world.body_youth, end_date=TODAY() - dt.timedelta(days=1), expected_version=1
    )
    assert not access.visible_meetings(member).exists()
    assert access.visible_meetings(world.local).count() == 2
    world.local.is_active = False  # deactivated within the request: the rule built before does not serve
    assert not access.visible_meetings(world.local).exists()
    assert not access.internal_bodies(world.local).exists()


def test_fellow_current_members_see_each_others_contacts(world):
    company_person = core_services.person_create(
        actor=world.admin,
        jurisdiction=world.cebu_city,
        full_name="Ana Cruz",
        email="ana@example.org",
        user=world.company,
    )
    body = _body(world, "Contacts Council")
    assert not core_access.can_see_contact(world.company, world.person_cebu)
    services.membership_add(actor=world.admin, body=body, organisation=world.cso_org, person=world.person_cebu)
    mine = services.membership_add(
        actor=world.admin,
        body=body,
        organisation=world.company_org,
        person=company_person,
        start_date=TODAY() - dt.timedelta(days=30),
    )
    assert core_access.can_see_contact(world.company, world.person_cebu)
    # Fellow members only: a person of the same city who sits on no body keeps their details.
    stranger = core_services.person_create(
        actor=world.admin, jurisdiction=world.cebu_city, full_name="Lito Ramos", email="lito@example.org"
    )
    assert not core_access.can_see_contact(world.company, stranger)
    annotated = core_access.visible_people(world.company).get(pk=world.person_cebu.pk)
    assert annotated.contact_visible is True
    # The viewer is in the same city but in no body: still withheld.
    assert core_access.visible_people(world.viewer).get(pk=world.person_cebu.pk).contact_visible is False
    services.membership_end(
        actor=world.admin, membership=mine, end_date=TODAY() - dt.timedelta(days=1), expected_version=1
    )
    assert not core_access.can_see_contact(world.company, world.person_cebu)
    assert core_access.visible_people(world.company).get(pk=world.person_cebu.pk).contact_visible is False


# --- Validation ----------------------------------------------------------------------------


def test_membership_validations(world):
    body = _body(world)
    with pytest.raises(ValidationError) as exc:
        services.membership_add(
            actor=world.admin,
            body=body,
            organisation=world.cso_org,
            start_date=TODAY(),
            end_date=TODAY() - dt.timedelta(days=1),
        )
    assert "end date cannot be before" in str(exc.value)
    with pytest.raises(ValidationError) as exc:
        services.membership_add(actor=world.admin, body=body, organisation=world.nairobi_org)
    assert "outside the body's country" in str(exc.value)
    services.membership_add(actor=world.admin, body=body, organisation=world.cso_org)
    with pytest.raises(ValidationError) as exc:
        services.membership_add(actor=world.admin, body=body, organisation=world.cso_org)
    assert "already a current member" in str(exc.value)
    assert body.memberships.count() == 1


def test_membership_page_shows_errors_and_keeps_history(world, client):
    cebu_body(world)
    client.force_login(world.local)
    url = reverse("membership_create", args=[world.body.uuid])
    response = client.post(url, {"organisation": str(world.cso_org.uuid), "start_date": TODAY().isoformat()})
    assert response.status_code == 200 and "already a current member" in response.content.decode()
    response = client.post(
        reverse("membership_end", args=[world.body_hall.uuid]),
        {"end_date": (TODAY() - dt.timedelta(days=400)).isoformat(), "version": 1},
    )
    assert "end date cannot be before" in response.content.decode()
    response = client.post(
        reverse("membership_end", args=[world.body_hall.uuid]), {"end_date": TODAY().isoformat(), "version": 1}
    )
    assert response.status_code == 302
    world.body_hall.refresh_from_db()
    assert world.body_hall.end_date == TODAY()  # history kept, not deleted


def test_meeting_in_the_past_cannot_be_scheduled_and_zone_is_checked(world):
    body = _body(world)
    with pytest.raises(ValidationError) as exc:
        services.meeting_create(
            actor=world.admin,
            body=body,
            title="Late",
            starts_at=timezone.now() - dt.timedelta(hours=1),
            time_zone="UTC",
        )
    assert "past" in str(exc.value)
    with pytest.raises(ValidationError):
        services.meeting_create(
            actor=world.admin,
            body=body,
            title="Bad zone",
            starts_at=timezone.now() + dt.timedelta(days=1),
            time_zone="Mars/Olympus",
        )
    assert not body.meetings.exists()


def test_huge_agenda_is_refused_with_a_clear_error(world, client):
    body = _body(world)
    form = MeetingForm(
        data={
            "title": "Big",
            "starts_at": "2099-01-01T10:00",
            "time_zone": "Asia/Manila",
            "status": "scheduled",
            "agenda": "x" * 200_000,
        }
    )
    assert not form.is_valid() and "too long" in form.errors["agenda"][0]
    with pytest.raises(ValidationError):
        services.meeting_create(
            actor=world.admin,
            body=body,
            title="Many items",
            starts_at=timezone.now() + dt.timedelta(days=1),
            time_zone="UTC",
            agenda=[f"item {i}" for i in range(51)],
        )
    client.force_login(world.local)
    response = client.post(
        reverse("meeting_create", args=[body.uuid]),
        {
            "title": "Big",
            "starts_at": "2099-01-01T10:00",
            "time_zone": "Asia/Manila",
            "status": "scheduled",
            "agenda": "y" * 200_000,
        },
    )
    assert response.status_code == 200 and "The agenda is too long" in response.content.decode()
    assert not body.meetings.exists()


def test_meeting_time_is_read_in_its_time_zone(world, client):
    body = _body(world)
    client.force_login(world.local)
    response = client.post(
        reverse("meeting_create", args=[body.uuid]),
        {
            "title": "Forum",
            "starts_at": "2099-03-01T10:00",
            "time_zone": "Africa/Nairobi",
            "status": "scheduled",
            "agenda": "Welcome\nUpdates",
        },
    )
    assert response.status_code == 302
    meeting = body.meetings.get()
    assert meeting.starts_at == dt.datetime(2099, 3, 1, 7, 0, tzinfo=dt.UTC)
    assert [a.text for a in meeting.agenda_items.all()] == ["Welcome", "Updates"]
    assert meeting.attendances.count() == 0  # no members yet to invite


# --- Conflicts and frozen minutes ----------------------------------------------------------------


def test_concurrent_minutes_edit_is_refused_with_what_changed(world, client):
    cebu_body(world)
    client.force_login(world.local)
    url = reverse("minutes_edit", args=[world.meeting.uuid])
    assert client.post(url, {"text": "First editor's text", "version": 1}).status_code == 302
    response = client.post(url, {"text": "Second editor's text", "version": 1})
    page = response.content.decode()
    assert (
        response.status_code == 200 and "Someone else saved this record" in page and "First editor&#x27;s text" in page
    )
    world.minutes.refresh_from_db()
    assert world.minutes.text == "First editor's text"


def test_approved_minutes_are_frozen_and_amendments_are_new_versions(world):
    cebu_body(world)
    approved = services.minutes_approve(actor=world.local, minutes=world.minutes, expected_version=1)
    assert approved.status == MinutesStatus.APPROVED and approved.approved_by == world.local
    with pytest.raises(ValidationError):
        services.minutes_save(
            actor=world.local,
            meeting=world.meeting,
            minutes=approved,
            text="Changed",
            expected_version=approved.version,
        )
    draft = services.minutes_amend(actor=world.local, meeting=world.meeting)
    assert draft.number == 2 and draft.status == MinutesStatus.DRAFT
    services.minutes_save(actor=world.local, meeting=world.meeting, minutes=draft, text="Amended", expected_version=1)
    approved.refresh_from_db()
    assert approved.text == "We met and agreed." and approved.status == MinutesStatus.APPROVED


def test_concurrent_action_item_edit_is_refused(world, client):
    cebu_body(world)
    services.action_item_update(actor=world.local, item=world.item, expected_version=1, status=ActionStatus.IN_PROGRESS)
    client.force_login(world.member)  # the owner organisation's member, with the page loaded at version 1
    response = client.post(
        reverse("action_item_edit", args=[world.item.uuid]), {"status": "done", "completed_on": "", "version": 1}
    )
    assert response.status_code == 200 and "Someone else saved this record" in response.content.decode()
    world.item.refresh_from_db()
    assert world.item.status == ActionStatus.IN_PROGRESS
    response = client.post(
        reverse("action_item_edit", args=[world.item.uuid]), {"status": "done", "completed_on": "", "version": 2}
    )
    assert response.status_code == 302
    world.item.refresh_from_db()
    assert world.item.status == ActionStatus.DONE and world.item.completed_on == TODAY()


def test_owner_may_change_status_only(world):
    cebu_body(world)
    with pytest.raises(Exception) as exc:
        services.action_item_update(actor=world.member, item=world.item, expected_version=1, title="Renamed")
    assert exc.type.__name__ == "PermissionDenied"
    with pytest.raises(Exception) as exc:
        services.action_item_update(actor=world.company, item=world.item, expected_version=1, status="done")
    assert exc.type.__name__ == "PermissionDenied"


# --- Seats ------------------------------------------------------------------------------


def test_new_seat_holder_ends_the_previous_holding(world):
    cebu_body(world)
    services.seat_assign(actor=world.local, seat=world.seat, organisation=world.cso_org, start_date=TODAY())
    holdings = list(world.seat.holdings.order_by("start_date"))
    assert [h.organisation for h in holdings] == [world.city_hall, world.cso_org]
    assert holdings[0].end_date == TODAY() - dt.timedelta(days=1) and holdings[1].end_date is None
    seat = selectors.body_seats(world.body)[0]
    assert seat.current.organisation == world.cso_org and seat.history[0].organisation == world.city_hall
    chair = services.seat_create(actor=world.local, body=world.body, title="Chair", kind=SeatKind.CHAIR)
    with pytest.raises(ValidationError):
        services.seat_assign(actor=world.local, seat=chair, organisation=world.nairobi_org)


# --- Inclusivity and health --------------------------------------------------------------------


def test_inclusivity_panel_numbers(world, client):
    judge = core_services.organisation_create(
        actor=world.admin, jurisdiction=world.cebu, name="Cebu Regional Trial Court", sector=Sector.JUSTICE
    )
    body = _body(world, "Balance Council", [world.cso_org, world.city_hall, world.police, judge])
    result = selectors.body_inclusivity(body)
    assert result.total == 4 and result.security == 2 and result.security_share == 50
    assert {v: present for v, _label, present in result.focus} == {
        "women": False,
        "youth": True,
        "religious": False,
    }
    assert {v for v, _l, _n in result.represented} == {"youth", "local_government", "police_security", "justice"}
    assert len(result.missing) == len(Sector.choices) - 4
    client.force_login(world.viewer)  # every role in the country sees the panel
    page = client.get(reverse("body_detail", args=[body.uuid])).content.decode()
    assert "Sectors missing" in page and "2 (50%)" in page


def test_inclusivity_overview_lists_bodies_missing_a_sector_in_constant_queries(
    world, client, django_assert_max_num_queries
):
    _body(world, "With youth", [world.cso_org, world.city_hall])
    without = _body(world, "Without youth", [world.city_hall])
    overview = selectors.inclusivity_overview(world.regional, None, "youth")
    assert overview.body_count == 2 and [b.name for b in overview.bodies_missing] == ["Without youth"]
    assert overview.bodies_with_sector["local_government"] == 2 and overview.bodies_with_sector["youth"] == 1
    client.force_login(world.regional)
    url = reverse("body_inclusivity_overview") + "?sector=youth&within="
    client.get(url)
    with django_assert_max_num_queries(12) as before:
        page = client.get(url).content.decode()
    assert "Without youth" in page
    for i in range(8):
        _body(world, f"Extra {i}", [world.city_hall])
    with django_assert_max_num_queries(len(before.captured_queries)):
        page = client.get(url).content.decode()
    assert "Extra 7" in page and str(without.uuid) in page
    assert client.get(url).status_code == 200
    client.force_login(world.outsider)  # coordinates Nairobi: sees none of the Cebu bodies
    assert "Without youth" not in client.get(url).content.decode()


def test_health_summary_numbers(world):
    body = _body(world, "Health Council", [world.cso_org, world.city_hall], since=800)
    members = list(body.memberships.all())
    now = timezone.now()
    for days, present in ((30, members[:1]), (200, members), (500, members)):
        m = services.meeting_create(
            actor=world.admin,
            body=body,
            title=f"M{days}",
            starts_at=now - dt.timedelta(days=days),
            time_zone="UTC",
            status=MeetingStatus.HELD,
        )
        services.meeting_record_attendance(
            actor=world.admin, meeting=m, attended_membership_ids=[x.pk for x in present]
        )
    today = TODAY()
    item = {"actor": world.admin, "body": body}
    services.action_item_create(
        **item,
        title="on time",
        due_date=today - dt.timedelta(days=10),
        status="done",
        completed_on=today - dt.timedelta(days=12),
    )
    services.action_item_create(
        **item,
        title="late",
        due_date=today - dt.timedelta(days=10),
        status="done",
        completed_on=today - dt.timedelta(days=2),
    )
    services.action_item_create(**item, title="overdue", due_date=today - dt.timedelta(days=1))
    services.action_item_create(**item, title="not yet", due_date=today + dt.timedelta(days=1))
    services.body_update(
        actor=world.admin, body=body, expected_version=1, mandate_reviewed_on=today - dt.timedelta(days=100)
    )
    body.refresh_from_db()
    health = selectors.body_health(body)
    assert (health.held_90, health.held_365) == (1, 2)
    assert health.average_attendance == 1.5  # 1 + 2 members over 2 meetings in the last year
    assert health.closed_on_time_share == 50
    assert health.overdue == 1 and health.open_items == 2
    assert health.months_since_review == 3


# --- Calendar and PDF --------------------------------------------------------------------------


def test_ics_format_folding_escaping_and_utc():
    assert ics.escape_text("a,b;c\\d\ne") == "a\\,b\\;c\\\\d\\ne"
    folded = ics.fold("DESCRIPTION:" + "é" * 100)
    for line in folded.split("\r\n"):
        assert len(line.encode("utf-8")) <= 75
    assert folded.replace("\r\n ", "") == "DESCRIPTION:" + "é" * 100


def test_meeting_ics_download(world, client):
    cebu_body(world)
    client.force_login(world.member)
    response = client.get(reverse("meeting_ics", args=[world.meeting.uuid]))
    assert response.status_code == 200 and response["Content-Type"].startswith("text/calendar")
    assert "attachment" in response["Content-Disposition"]
    text = response.content.decode()
    assert text.startswith("BEGIN:VCALENDAR\r\nVERSION:2.0\r\n") and text.endswith("END:VCALENDAR\r\n")
    assert "\n" not in text.replace("\r\n", "")
    assert f"UID:meeting-{world.meeting.uuid}@" in text
    assert f"DTSTART:{world.meeting.starts_at.astimezone(dt.UTC):%Y%m%dT%H%M%SZ}" in text
    assert "LOCATION:City Hall\\, Room 2" in text and "DTSTAMP:" in text


def test_calendar_feed_needs_the_right_token_and_rotation_revokes_it(world, client):
    body = cebu_body(world)
    url = reverse("body_calendar_feed", args=[body.uuid, body.calendar_token])
    response = client.get(url)  # no session
    assert response.status_code == 200 and response.content.count(b"BEGIN:VEVENT") == 2
    wrong = client.get(reverse("body_calendar_feed", args=[body.uuid, "x" * 43]))
    assert wrong.status_code == 404
    client.force_login(world.local)
    assert client.post(reverse("body_calendar_rotate", args=[body.uuid])).status_code == 302
    client.logout()
    assert client.get(url).status_code == 404
    body.refresh_from_db()
    assert client.get(reverse("body_calendar_feed", args=[body.uuid, body.calendar_token])).status_code == 200


def test_minutes_pdf_download(world, client):
    cebu_body(world)
    client.force_login(world.member)
    response = client.get(reverse("minutes_pdf", args=[world.meeting.uuid]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF") and "attachment" in response["Content-Disposition"]


# --- Lists, exports, query counts -----------------------------------------------------------


def test_exports_hold_the_filtered_rows(world, client):
    cebu_body(world)
    _body(world, "=HYPERLINK(1)")
    client.force_login(world.local)
    text = b"".join(client.get(reverse("body_export", args=["csv"]) + "?within=").streaming_content).decode()
    assert "Cebu City Peace Council" in text and "'=HYPERLINK(1)" in text
    text = b"".join(client.get(reverse("action_item_export", args=["csv"]) + "?within=").streaming_content).decode()
    assert "Organise the youth dialogue" in text
    response = client.get(reverse("meeting_export", args=["xlsx"]) + "?within=")
    assert response.status_code == 200 and response.content[:2] == b"PK"


@pytest.mark.parametrize("name", ["body_list", "meeting_list", "action_item_list", "action_item_mine"])
def test_list_query_counts_stay_constant(world, client, django_assert_max_num_queries, name):
    cebu_body(world)
    client.force_login(world.member)
    url = reverse(name) + "?within="
    client.get(url)
    with django_assert_max_num_queries(20) as first:
        assert client.get(url).status_code == 200
    for i in range(6):
        body = cebu_body(world, name=f"Council {i}")
        assert body
    with django_assert_max_num_queries(len(first.captured_queries)):
        response = client.get(url)
    assert response.status_code == 200


def test_body_detail_query_count_is_constant(world, client, django_assert_max_num_queries):
    body = cebu_body(world)
    client.force_login(world.local)
    url = reverse("body_detail", args=[body.uuid])
    client.get(url)
    with django_assert_max_num_queries(40) as first:
        client.get(url)
    for i in range(5):
        org = core_services.organisation_create(
            actor=world.admin, jurisdiction=world.cebu_city, name=f"Org {i}", sector=Sector.WOMEN
        )
        services.membership_add(actor=world.admin, body=body, organisation=org)
        services.action_item_create(actor=world.admin, body=body, title=f"Item {i}", owner_organisation=org)
    with django_assert_max_num_queries(len(first.captured_queries)):
        assert "Org 4" in client.get(url).content.decode()


def test_my_action_items_highlight_overdue(world, client):
    cebu_body(world)
    services.action_item_create(
        actor=world.admin,
        body=world.body,
        title="Late report",
        owner_organisation=world.cso_org,
        due_date=TODAY() - dt.timedelta(days=3),
    )
    services.action_item_create(
        actor=world.admin, body=world.body, title="Hall task", owner_organisation=world.city_hall
    )
    client.force_login(world.member)
    page = client.get(reverse("action_item_mine")).content.decode()
    assert "Late report" in page and "Organise the youth dialogue" in page and "Hall task" not in page
    assert 'class="overdue"' in page and "<mark>Overdue" in page


def test_my_action_items_counted_with_the_owners_read_first_are_the_same_items(world):
    """The dashboard's "my action items" (``owners_first``): the same items as the list, for
    every persona, whether owned as a person or through an organisation."""
    from tandem.core.models import User

    cebu_body(world)
    world.person_cebu.user = world.local
    world.person_cebu.save(update_fields=["user"])
    services.action_item_create(actor=world.admin, body=world.body, title="Mine", owner_person=world.person_cebu)
    services.action_item_create(
        actor=world.admin, body=world.body, title="Hall task", owner_organisation=world.city_hall
    )
    found = {}
    for name, user in world.personas.items():
        fresh = User.objects.get(pk=user.pk)  # a new request's access
        listed = set(access.my_action_items(user).values_list("title", flat=True))
        counted = set(access.my_action_items(fresh, owners_first=True).values_list("title", flat=True))
        assert counted == listed, name
        found[name] = counted
    assert "Mine" in found["local"] and "Organise the youth dialogue" in found["member"]
    assert "Mine" not in found["member"] and "Hall task" not in found["member"]


def test_body_edit_conflict_and_archive(world, client):
    body = cebu_body(world)
    services.body_update(actor=world.admin, body=body, expected_version=1, mandate="Changed by admin")
    client.force_login(world.local)
    response = client.post(
        reverse("body_edit", args=[body.uuid]),
        {"name": body.name, "kind": body.kind, "mandate": "Mine", "objectives": "One\nTwo", "version": 1},
    )
    assert response.status_code == 200 and "Someone else saved this record" in response.content.decode()
    response = client.post(
        reverse("body_edit", args=[body.uuid]),
        {"name": body.name, "kind": body.kind, "mandate": "Mine", "objectives": "One\nTwo", "version": 2},
    )
    assert response.status_code == 302
    assert list(body.objectives.values_list("text", flat=True)) == ["One", "Two"]
    assert client.get(reverse("body_archive", args=[body.uuid])).status_code == 200  # confirmation first
    client.post(reverse("body_archive", args=[body.uuid]))
    body.refresh_from_db()
    assert body.archived_at is not None
    assert str(body.uuid) not in client.get(reverse("body_list") + "?within=").content.decode()


def test_lists_filter_by_body_and_answer_htmx_with_the_partial(world, client):
    cebu_body(world)
    other = cebu_body(world, name="Harbour Council")
    client.force_login(world.member)
    page = client.get(reverse("action_item_list") + f"?within=&body={other.uuid}").content.decode()
    assert "Harbour Council" in page and "Cebu City Peace Council</a>" not in page
    page = client.get(reverse("meeting_list") + f"?within=&body={uuid.uuid4()}").content.decode()
    assert "Harbour Council" in page and "Cebu City Peace Council" in page  # an unknown body is ignored
    partial = client.get(reverse("body_list") + "?within=&q=Harbour", HTTP_HX_REQUEST="true").content.decode()
    assert partial.startswith('<div id="body-results"') and "<html" not in partial and "Harbour Council" in partial


def test_members_get_the_private_feed_link_only_managers_can_replace_it(world, client):
    body = cebu_body(world)
    client.force_login(world.member)
    page = client.get(reverse("body_detail", args=[body.uuid])).content.decode()
    assert body.calendar_token in page and reverse("body_calendar_rotate", args=[body.uuid]) not in page
    client.force_login(world.company)
    assert body.calendar_token not in client.get(reverse("body_detail", args=[body.uuid])).content.decode()


def test_concurrent_meeting_edit_is_refused_with_the_differences(world, client):
    cebu_body(world)
    meeting = world.upcoming
    services.meeting_update(actor=world.admin, meeting=meeting, expected_version=1, place="Room 5")
    client.force_login(world.local)
    response = client.post(
        reverse("meeting_edit", args=[meeting.uuid]),
        {
            "title": "Next meeting",
            "starts_at": "2099-05-01T09:00",
            "time_zone": "Asia/Manila",
            "status": "scheduled",
            "place": "Room 7",
            "agenda": "",
            "version": 1,
        },
    )
    page = response.content.decode()
    assert response.status_code == 200 and "Someone else saved this record" in page and "Room 5" in page
    meeting.refresh_from_db()
    assert meeting.place == "Room 5"


def test_attendance_only_for_members_of_the_day(world):
    cebu_body(world)
    stranger = _body(world, "Other", [world.company_org]).memberships.get()
    with pytest.raises(ValidationError):
        services.meeting_record_attendance(
            actor=world.admin, meeting=world.meeting, attended_membership_ids=[stranger.pk]
        )
    with pytest.raises(ValidationError):  # the meeting has not started yet
        services.meeting_record_attendance(actor=world.admin, meeting=world.upcoming, attended_membership_ids=[])
    assert set(access.current_member_organisation_ids(world.body).values_list("organisation_id", flat=True)) == {
        world.cso_org.pk,
        world.city_hall.pk,
    }


def test_body_page_in_french(world, client):
    cebu_body(world)
    client.force_login(world.member)
    client.cookies["django_language"] = "fr"
    page = client.get(reverse("body_detail", args=[world.body.uuid]), HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert "Bilan de santé" in page and "Secteurs absents" in page and "Présidences et sièges" in page


def test_invitations_can_be_changed_before_the_meeting(world, client):
    cebu_body(world)
    meeting = world.upcoming
    assert meeting.attendances.filter(invited=True).count() == 2  # all current members at scheduling
    client.force_login(world.local)
    url = reverse("meeting_invitations", args=[meeting.uuid])
    assert client.post(url, {"invited": [str(world.body_youth.pk)]}).status_code == 302
    assert list(meeting.attendances.filter(invited=True).values_list("membership_id", flat=True)) == [
        world.body_youth.pk
    ]
    stranger = _body(world, "Other", [world.company_org]).memberships.get()
    response = client.post(url, {"invited": [str(stranger.pk)]})
    assert response.status_code == 200  # not a choice: the form refuses it
    assert meeting.attendances.filter(invited=True).count() == 1


@pytest.mark.parametrize("persona", ["member", "cso", "admin", "national", "regional", "local"])
def test_action_item_links_open_a_read_page_and_offer_edit_only_to_those_allowed(world, client, persona):
    import re

    cebu_body(world)
    hall_item = services.action_item_create(
        actor=world.admin,
        body=world.body,
        meeting=world.meeting,
        title="Book the hall",
        owner_organisation=world.city_hall,
    )
    client.force_login(world.personas[persona])
    pages = [reverse("body_detail", args=[world.body.uuid]), reverse("meeting_detail", args=[world.meeting.uuid])]
    edits = {}
    links = {
        link
        for url in pages
        for link in re.findall(r'href="(/bodies/action-items/[0-9a-f-]+/)"', client.get(url).content.decode())
    }
    assert len(links) == 2, "the body and meeting pages list both action items"
    for item in (world.item, hall_item):
        link = reverse("action_item_detail", args=[item.uuid])
        assert link in links
        page = client.get(link)
        assert page.status_code == 200, link
        edit = reverse("action_item_edit", args=[item.uuid])
        edits[item.title] = client.get(edit).status_code == 200
        assert (edit in page.content.decode()) == edits[item.title], f"{persona}: Edit shown iff allowed"
    # The youth forum's people update their own item only; the coordinators edit both.
    assert edits["Book the hall"] is (persona not in {"member", "cso"})


def test_repeated_row_links_name_their_row_for_screen_readers(world, client):
    import re

    cebu_body(world)
    client.force_login(world.local)
    page = client.get(reverse("body_detail", args=[world.body.uuid])).content.decode()
    for action in ("End membership", "Change holder"):
        names = [re.sub(r"<[^>]+>", "", m) for m in re.findall(rf">({action}.*?)</a>", page)]
        assert names, action
        assert len(set(names)) == len(names) and all("·" in n for n in names), names


def test_my_action_items_page_reads_in_pinned_queries(world, client, django_assert_num_queries):
    """Session, user, grants, capped count, the "within" choices, the page: the owned ids are one
    set inside the page's query (see ``tandem.core.idsets``), never loaded one by one."""
    cebu_body(world)
    for i in range(3):
        services.action_item_create(
            actor=world.admin, body=world.body, title=f"Task {i}", owner_organisation=world.cso_org
        )
    client.force_login(world.member)
    client.get(reverse("action_item_mine"))
    with django_assert_num_queries(6):
        page = client.get(reverse("action_item_mine")).content.decode()
    assert "Task 2" in page and "Organise the youth dialogue" in page


def test_meeting_list_and_export_count_the_members_present(world, client):
    body = _body(world, "Attendance Council", [world.cso_org, world.city_hall], since=100)
    members = list(body.memberships.all())
    now = timezone.now()
    for title, present in (("Both came", members), ("One came", members[:1]), ("None came", [])):
        m = services.meeting_create(
            actor=world.admin,
            body=body,
            title=title,
            starts_at=now - dt.timedelta(days=3),
            time_zone="UTC",
            status=MeetingStatus.HELD,
        )
        services.meeting_record_attendance(
            actor=world.admin, meeting=m, attended_membership_ids=[x.pk for x in present]
        )
    client.force_login(world.local)
    page = client.get(reverse("meeting_list") + "?within=&q=came").content.decode()
    for title, n in (("Both came", 2), ("One came", 1), ("None came", 0)):
        assert re.search(rf">{title}</a></th>.*?<td>{n}</td></tr>", page, re.S)
    text = b"".join(client.get(reverse("meeting_export", args=["csv"]) + "?within=&q=came").streaming_content)
    rows = {line.split(",")[2]: line.rsplit(",", 1)[1].strip() for line in text.decode().splitlines()[1:]}
    assert rows == {"Both came": "2", "One came": "1", "None came": "0"}


def test_list_and_export_count_current_members_only(world, client):
    body = _body(world, "Counted Council", orgs=(world.city_hall, world.cso_org, world.company_org))
    _body(world, "Empty Council")
    ended = body.memberships.get(organisation=world.company_org)
    services.membership_end(
        actor=world.admin, membership=ended, end_date=TODAY() - dt.timedelta(days=1), expected_version=ended.version
    )
    services.membership_add(
        actor=world.admin, body=body, organisation=world.police, start_date=TODAY() + dt.timedelta(days=5)
    )
    client.force_login(world.local)
    html = client.get(reverse("body_list") + "?within=&q=Council").content.decode()
    cells = r"</a></th>\s*<td>[^<]*</td><td>[^<]*</td><td>(\d+)</td>"
    counted, empty = re.search("Counted Council" + cells, html), re.search("Empty Council" + cells, html)
    assert counted and counted[1] == "2"  # not the ended one, not the one that starts in five days
    assert empty and empty[1] == "0"
    text = b"".join(client.get(reverse("body_export", args=["csv"]) + "?within=").streaming_content).decode()
    rows = {line.split(",")[1]: line.split(",")[4] for line in text.splitlines()[1:]}
    assert rows["Counted Council"] == "2" and rows["Empty Council"] == "0"
