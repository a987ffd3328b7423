"""API of what a body's page shows beyond the body itself: seats, inclusivity and health, meeting edits,
attendance and minutes. Operations of the same router as :mod:`tandem.bodies.api` (``/api/v1/bodies``),
which imports this module last: a path such as ``/meetings/{uuid}`` keeps its GET and PATCH together.

Same rules as the pages: seats and the sectors of the members are shown to whoever sees the body;
health, attendance and minutes to its members and the coordinators of its jurisdiction (read), run
by those coordinators. A meeting you may not see answers 404 like a missing one. Reading minutes
is recorded in the audit log, as the minutes PDF is.
"""

import datetime as dt
from typing import Any
from uuid import UUID

from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Schema
from ninja.responses import Status

from tandem.bodies.permissions import requires
from tandem.core import access as core_access
from tandem.core.api import InSchema, OrganisationRef, _reference, errors, require_values
from tandem.core.models import Sector, User
from tandem.core.security import client_ip

from . import access, selectors, services
from .api import MeetingOut, PersonRef, _aware, _body, _meetings
from .api import bodies as records
from .models import MAX_AGENDA_ITEM_CHARS, MAX_AGENDA_ITEMS, MAX_MINUTES_CHARS, MeetingStatus, MinutesStatus, SeatKind


def _actor(request: HttpRequest) -> User:
    return request.auth  # type: ignore[attr-defined,return-value]


# --- Schemas -------------------------------------------------------------------------


class HoldingOut(Schema):
    uuid: UUID
    person: PersonRef | None
    organisation: OrganisationRef | None
    start_date: dt.date
    end_date: dt.date | None


class SeatOut(Schema):
    uuid: UUID
    title: str
    kind: SeatKind
    current: HoldingOut | None = Field(description="Who holds the seat today.")
    history: list[HoldingOut] = Field(description="Earlier (and later, announced) holders, newest first.")

    @staticmethod
    def resolve_current(obj: Any) -> Any:
        return getattr(obj, "current", None)

    @staticmethod
    def resolve_history(obj: Any) -> list[Any]:
        return list(getattr(obj, "history", []))


class SeatIn(InSchema):
    title: str = Field(min_length=1, max_length=200)
    kind: SeatKind


class HolderIn(InSchema):
    person: UUID | None = None
    organisation: UUID | None = None
    start_date: dt.date | None = Field(None, description="Defaults to today; the previous holding ends the day before.")


class SectorCount(Schema):
    sector: Sector
    members: int


class HealthOut(Schema):
    held_90: int = Field(description="Meetings held in the last 90 days.")
    held_365: int = Field(description="Meetings held in the last 365 days.")
    average_attendance: float | None = Field(description="Members present per held meeting (last 365 days).")
    attendance_rate: int | None = Field(description="Percentage of invited members who came.")
    closed_on_time_share: int | None = Field(description="Percentage of done items with a due date done by it.")
    overdue: int
    open_items: int
    months_since_review: int | None = Field(description="Months since the mandate was last reviewed.")


class InclusivityOut(Schema):
    members: int = Field(description="Current member organisations.")
    by_sector: list[SectorCount]
    missing_sectors: list[Sector]
    security_share: int = Field(description="Percentage of current members from police, security and justice.")
    health: HealthOut | None = Field(description="Present when you may read the body's internals.")


class MeetingPatch(InSchema):
    version: int = Field(ge=1, description="The version you loaded; a stale one is refused with 409.")
    title: str = Field(None, min_length=1, max_length=200)
    starts_at: dt.datetime = Field(None, description="With a UTC offset.")
    ends_at: dt.datetime | None = None
    time_zone: str = Field(None, max_length=64)
    place: str = Field(None, max_length=300)
    online_link: str = Field(None, max_length=200)
    status: MeetingStatus = None
    agenda: list[str] = Field(None, max_length=MAX_AGENDA_ITEMS)


class MeetingAttendanceOut(Schema):
    membership: UUID
    organisation: OrganisationRef
    person: PersonRef | None
    invited: bool
    attended: bool


class AttendanceIn(InSchema):
    present: list[UUID] = Field(max_length=500, description="Memberships (of the meeting day) whose members came.")


class MinutesOut(Schema):
    uuid: UUID
    number: int
    status: MinutesStatus
    text: str
    approved_at: dt.datetime | None
    version: int


class MinutesIn(InSchema):
    text: str = Field(max_length=MAX_MINUTES_CHARS)
    version: int | None = Field(
        None, ge=1, description="The version of the draft you edited; omit it to start the first draft."
    )


class ApproveIn(InSchema):
    version: int = Field(ge=1, description="The version of the draft you read.")


# --- Seats, inclusivity, health ---------------------------------------------------------


@records.get("/{uuid}/seats", response={200: list[SeatOut], **errors(404, 422)})
@requires("bodies.view")
def seat_list(request: HttpRequest, uuid: UUID):
    """The body's seats with their current and past holders (as on the body's page)."""
    return selectors.body_seats(_body(_actor(request), uuid))


@records.post("/{uuid}/seats", response={201: SeatOut, **errors(400, 403, 404, 422)})
@requires("bodies.manage")
def seat_create(request: HttpRequest, uuid: UUID, payload: SeatIn):
    actor = _actor(request)
    body = _body(actor, uuid)
    access.require_manage(actor, body)
    seat = services.seat_create(actor=actor, body=body, title=payload.title, kind=payload.kind)
    return Status(201, next(s for s in selectors.body_seats(body) if s.pk == seat.pk))


@records.post("/seats/{uuid}/holder", response={201: SeatOut, **errors(400, 403, 404, 422)})
@requires("bodies.manage")
def seat_assign(request: HttpRequest, uuid: UUID, payload: HolderIn):
    """A new holder takes the seat (the history is kept)."""
    actor = _actor(request)
    seat = core_access.get_visible_or_404(access.visible_seats(actor), uuid=uuid)
    access.require_manage(actor, seat.body)
    services.seat_assign(
        actor=actor,
        seat=seat,
        person=_reference(core_access.visible_people(actor), payload.person, "person"),
        organisation=_reference(access.member_candidates(actor, seat.body), payload.organisation, "organisation"),
        start_date=payload.start_date,
    )
    return Status(201, next(s for s in selectors.body_seats(seat.body) if s.pk == seat.pk))


@records.get("/{uuid}/inclusivity", response={200: InclusivityOut, **errors(404, 422)})
@requires("bodies.view")
def body_inclusivity(request: HttpRequest, uuid: UUID):
    """Sectors among the current members; with the body's health figures for those who read its internals."""
    actor = _actor(request)
    body = _body(actor, uuid)
    figures = selectors.body_inclusivity(body)
    return {
        "members": figures.total,
        "by_sector": [{"sector": value, "members": n} for value, _label, n in figures.represented],
        "missing_sectors": [value for value, _label in figures.missing],
        "security_share": figures.security_share,
        "health": vars(selectors.body_health(body)) if access.can_see_internals(actor, body) else None,
    }


# --- Meetings: edit, attendance, minutes ------------------------------------------------


def _meeting(actor: User, uuid: UUID) -> Any:
    return core_access.get_visible_or_404(_meetings(actor), uuid=uuid)


@records.patch("/meetings/{uuid}", response={200: MeetingOut, **errors(400, 403, 404, 409, 422)})
@requires("bodies.internals")
def meeting_update(request: HttpRequest, uuid: UUID, payload: MeetingPatch):
    """Change a meeting (coordinators of the body's jurisdiction); ``agenda`` replaces the whole agenda."""
    actor = _actor(request)
    meeting = _meeting(actor, uuid)
    access.require_manage(actor, meeting.body)
    values = payload.model_dump(exclude_unset=True)
    version = values.pop("version")
    for name in ("starts_at", "ends_at"):
        if name in values:
            _aware(values[name], name)
    require_values(values, "title", "starts_at", "time_zone", "place", "online_link", "status")
    if any(len(a) > MAX_AGENDA_ITEM_CHARS for a in values.get("agenda") or []):
        raise ValidationError(
            {"agenda": _("Each agenda item can have at most %(n)d characters.") % {"n": MAX_AGENDA_ITEM_CHARS}}
        )
    services.meeting_update(actor=actor, meeting=meeting, expected_version=version, **values)
    return _meeting(actor, uuid)


def _attendance_rows(meeting: Any) -> list[dict[str, Any]]:
    recorded = {a.membership_id: a for a in selectors.meeting_attendances(meeting)}
    rows = []
    for membership in selectors.members_on_day(meeting):
        row = recorded.get(membership.pk)
        rows.append(
            {
                "membership": membership.uuid,
                "organisation": membership.organisation,
                "person": membership.person,
                "invited": bool(row and row.invited),
                "attended": bool(row and row.attended),
            }
        )
    return rows


@records.get("/meetings/{uuid}/attendance", response={200: list[MeetingAttendanceOut], **errors(404, 422)})
@requires("bodies.internals")
def attendance_list(request: HttpRequest, uuid: UUID):
    """The members of the body on the meeting day: invited, and whether they came."""
    return _attendance_rows(_meeting(_actor(request), uuid))


@records.put("/meetings/{uuid}/attendance", response={200: list[MeetingAttendanceOut], **errors(400, 403, 404, 422)})
@requires("bodies.internals")
def attendance_record(request: HttpRequest, uuid: UUID, payload: AttendanceIn):
    """Record who came (the whole list: members left out are recorded as absent)."""
    actor = _actor(request)
    meeting = _meeting(actor, uuid)
    access.require_manage(actor, meeting.body)
    members = {m.uuid: m.pk for m in selectors.members_on_day(meeting)}
    unknown = [str(u) for u in payload.present if u not in members]
    if unknown:
        raise ValidationError({"present": _("Only members of the body on the meeting day can be recorded as present.")})
    services.meeting_record_attendance(
        actor=actor, meeting=meeting, attended_membership_ids=sorted({members[u] for u in payload.present})
    )
    return _attendance_rows(meeting)


def _current_minutes(actor: User, meeting: Any) -> Any:
    return access.visible_minutes(actor).filter(meeting=meeting).order_by("-number").first()


@records.get("/meetings/{uuid}/minutes", response={200: MinutesOut, **errors(404, 422)})
@requires("bodies.internals")
def minutes_detail(request: HttpRequest, uuid: UUID):
    """The latest version of the minutes (404 when none was written). The read is audited."""
    actor = _actor(request)
    minutes = _current_minutes(actor, _meeting(actor, uuid))
    if minutes is None:
        raise Http404
    services.minutes_read(actor=actor, minutes=minutes, ip_address=client_ip(request))
    return minutes


@records.put("/meetings/{uuid}/minutes", response={200: MinutesOut, **errors(400, 403, 404, 409, 422)})
@requires("bodies.internals")
def minutes_save(request: HttpRequest, uuid: UUID, payload: MinutesIn):
    """Write the first draft (no ``version``) or save the current draft; approved minutes are frozen."""
    actor = _actor(request)
    meeting = _meeting(actor, uuid)
    access.require_manage(actor, meeting.body)
    current = services.current_minutes(meeting)
    return services.minutes_save(
        actor=actor,
        meeting=meeting,
        minutes=current if payload.version else None,
        text=payload.text,
        expected_version=payload.version,
    )


@records.post("/meetings/{uuid}/minutes/approve", response={200: MinutesOut, **errors(400, 403, 404, 409, 422)})
@requires("bodies.internals")
def minutes_approve(request: HttpRequest, uuid: UUID, payload: ApproveIn):
    """Approve the current draft: it is frozen from then on (changes need an amendment)."""
    actor = _actor(request)
    meeting = _meeting(actor, uuid)
    access.require_manage(actor, meeting.body)
    current = services.current_minutes(meeting)
    if current is None or current.status != MinutesStatus.DRAFT:
        raise ValidationError(_("There is no draft to approve."))
    return services.minutes_approve(actor=actor, minutes=current, expected_version=payload.version)


@records.post("/meetings/{uuid}/minutes/amend", response={201: MinutesOut, **errors(400, 403, 404, 422)})
@requires("bodies.internals")
def minutes_amend(request: HttpRequest, uuid: UUID):
    """Start a new draft from the approved minutes (the approved version stays as it is)."""
    actor = _actor(request)
    meeting = _meeting(actor, uuid)
    access.require_manage(actor, meeting.body)
    return Status(201, services.minutes_amend(actor=actor, meeting=meeting))
