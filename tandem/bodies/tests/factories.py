"""Records the bodies tests and matrix rows build on (through the services, as a coordinator would)."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from tandem.bodies import services
from tandem.bodies.models import BodyKind, MeetingStatus, SeatKind
from tandem.core.models import Sector


def cebu_body(w, name: str = "Cebu City Peace Council"):
    """A Cebu City body: the youth forum (member/cso personas) and city hall are members; one held meeting
    with draft minutes, a decision and an action item owned by the youth forum; one upcoming meeting."""
    today = timezone.localdate()
    body = services.body_create(
        actor=w.admin,
        name=name,
        kind=BodyKind.LOCAL_PREVENTION_NETWORK,
        jurisdiction=w.cebu_city,
        mandate="Coordinate prevention work in the city.",
        mandate_reviewed_on=today - dt.timedelta(days=400),
        objectives=["Meet every quarter", "Map community concerns"],
    )
    w.body_youth = services.membership_add(
        actor=w.admin,
        body=body,
        organisation=w.cso_org,
        person=w.person_cebu,
        start_date=today - dt.timedelta(days=300),
    )
    w.body_hall = services.membership_add(
        actor=w.admin, body=body, organisation=w.city_hall, start_date=today - dt.timedelta(days=300)
    )
    w.seat = services.seat_create(actor=w.admin, body=body, title="Co-chair (mayor)", kind=SeatKind.CO_CHAIR)
    services.seat_assign(
        actor=w.admin, seat=w.seat, organisation=w.city_hall, start_date=today - dt.timedelta(days=300)
    )
    w.meeting = services.meeting_create(
        actor=w.admin,
        body=body,
        title="Quarterly meeting",
        starts_at=timezone.now() - dt.timedelta(days=10),
        ends_at=timezone.now() - dt.timedelta(days=10) + dt.timedelta(hours=2),
        time_zone="Asia/Manila",
        place="City Hall, Room 2",
        status=MeetingStatus.HELD,
        agenda=["Welcome", "Community concerns"],
    )
    services.meeting_record_attendance(actor=w.admin, meeting=w.meeting, attended_membership_ids=[w.body_youth.pk])
    w.minutes = services.minutes_save(
        actor=w.admin, meeting=w.meeting, minutes=None, text="We met and agreed.", expected_version=None
    )
    w.decision = services.decision_create(actor=w.admin, meeting=w.meeting, text="Hold a youth dialogue.")
    w.item = services.action_item_create(
        actor=w.admin,
        body=body,
        decision=w.decision,
        title="Organise the youth dialogue",
        owner_organisation=w.cso_org,
        due_date=today + dt.timedelta(days=20),
    )
    w.upcoming = services.meeting_create(
        actor=w.admin,
        body=body,
        title="Next meeting",
        starts_at=timezone.now() + dt.timedelta(days=20),
        time_zone="Asia/Manila",
    )
    w.body = body
    w.sector_youth = Sector.YOUTH
    return body


def cebu_secretariat(w, *, handed_over: bool = False):
    """The Cebu City body (``cebu_body``) with a Secretariat seat held by Cebu Shipping Co (the
    ``company`` persona acts for it; it is no member of the body) for the last 100 days, and a
    Chair seat held by the youth forum (the ``member`` and ``cso`` personas). ``handed_over``:
    the company handed the Secretariat to city hall today, so its holding ended yesterday."""
    body = cebu_body(w)
    today = timezone.localdate()
    w.secretariat = services.seat_create(actor=w.admin, body=body, title="Secretariat", kind=SeatKind.SECRETARIAT)
    w.secretariat_holding = services.seat_assign(
        actor=w.admin, seat=w.secretariat, organisation=w.company_org, start_date=today - dt.timedelta(days=100)
    )
    chair = services.seat_create(actor=w.admin, body=body, title="Chair", kind=SeatKind.CHAIR)
    services.seat_assign(actor=w.admin, seat=chair, organisation=w.cso_org, start_date=today - dt.timedelta(days=100))
    if handed_over:
        services.seat_assign(actor=w.admin, seat=w.secretariat, organisation=w.city_hall, start_date=today)
        w.secretariat_holding.refresh_from_db()
    return body
