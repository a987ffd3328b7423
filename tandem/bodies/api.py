"""API of the coordination bodies, mounted under ``/api/v1/bodies``.

Same rules as the pages (see :mod:`tandem.bodies.access`): a body in your
country is visible to every role there; its meetings, decisions and action
items to its members and the coordinators of its jurisdiction (a visible body
whose internals you may not see answers 403 on ``/bodies/{uuid}/...``; a
meeting or action item you may not see answers 404 like a missing one).
"""

import datetime as dt
from typing import Any
from uuid import UUID

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate
from ninja.responses import Status

from tandem.bodies.permissions import requires
from tandem.core import access as core_access
from tandem.core.api import InSchema, JurisdictionRef, OrganisationRef, Pagination, _reference, _within, errors
from tandem.core.models import Sector, User

from . import access, selectors, services
from .models import MAX_AGENDA_ITEM_CHARS, MAX_AGENDA_ITEMS, ActionStatus, BodyKind, MeetingStatus

bodies = Router(tags=["coordination bodies"])

OPEN = [ActionStatus.OPEN, ActionStatus.IN_PROGRESS]


def _actor(request: HttpRequest) -> User:
    return request.auth  # type: ignore[attr-defined,return-value]


# --- Schemas -------------------------------------------------------------------------


class PersonRef(Schema):
    uuid: UUID
    full_name: str


class BodyRef(Schema):
    uuid: UUID
    name: str


class BodyOut(Schema):
    uuid: UUID
    name: str
    kind: BodyKind
    jurisdiction: JurisdictionRef
    mandate: str
    mandate_reviewed_on: dt.date | None
    objectives: list[str]
    internals_visible: bool = Field(description="True when you may read the body's meetings, minutes and action items.")
    archived_at: dt.datetime | None
    version: int
    created_at: dt.datetime
    updated_at: dt.datetime

    @staticmethod
    def resolve_objectives(obj: Any) -> list[str]:
        return [o.text for o in obj.objectives.all()]

    @staticmethod
    def resolve_internals_visible(obj: Any) -> bool:
        return bool(getattr(obj, "internals_visible", False))


class BodyFilters(Schema):
    q: str | None = Field(None, max_length=100, description="Part of the name or mandate.")
    kind: BodyKind | None = None
    within: UUID | None = Field(None, description="Only bodies in this unit or below.")
    archived: bool = Field(False, description="true: only archived bodies.")


class BodyIn(InSchema):
    name: str = Field(min_length=1, max_length=200)
    kind: BodyKind
    jurisdiction: UUID
    mandate: str = Field("", max_length=20000)
    mandate_reviewed_on: dt.date | None = None
    objectives: list[str] = Field(default_factory=list, max_length=50)


class BodyPatch(InSchema):
    version: int = Field(ge=1, description="The version you loaded; a stale one is refused with 409.")
    name: str = Field(None, min_length=1, max_length=200)
    kind: BodyKind = None
    mandate: str = Field(None, max_length=20000)
    mandate_reviewed_on: dt.date | None = None
    objectives: list[str] = Field(None, max_length=50)


class MembershipOut(Schema):
    uuid: UUID
    organisation: OrganisationRef
    person: PersonRef | None
    role: str
    sector: Sector
    start_date: dt.date
    end_date: dt.date | None
    version: int


class MembershipIn(InSchema):
    organisation: UUID
    person: UUID | None = None
    role: str = Field("", max_length=100)
    sector: Sector | None = Field(None, description="Defaults to the organisation's sector.")
    start_date: dt.date | None = Field(None, description="Defaults to today.")
    end_date: dt.date | None = None


class MeetingOut(Schema):
    uuid: UUID
    body: BodyRef
    title: str
    starts_at: dt.datetime
    ends_at: dt.datetime | None
    time_zone: str
    place: str
    online_link: str
    status: MeetingStatus
    agenda: list[str]
    version: int

    @staticmethod
    def resolve_agenda(obj: Any) -> list[str]:
        return [a.text for a in obj.agenda_items.all()]


class MeetingIn(InSchema):
    title: str = Field(min_length=1, max_length=200)
    starts_at: dt.datetime = Field(description="With a UTC offset, e.g. 2026-03-01T09:00:00+03:00.")
    ends_at: dt.datetime | None = None
    time_zone: str = Field(max_length=64, description="IANA name, e.g. Africa/Nairobi.")
    place: str = Field("", max_length=300)
    online_link: str = Field("", max_length=200)
    status: MeetingStatus = MeetingStatus.SCHEDULED
    agenda: list[str] = Field(default_factory=list, max_length=MAX_AGENDA_ITEMS)


class DecisionOut(Schema):
    uuid: UUID
    number: int
    text: str
    created_at: dt.datetime


class DecisionIn(InSchema):
    text: str = Field(min_length=1, max_length=5000)


class MeetingRef(Schema):
    uuid: UUID
    title: str


class ActionItemOut(Schema):
    uuid: UUID
    body: BodyRef
    meeting: MeetingRef | None
    decision: UUID | None
    title: str
    owner_organisation: OrganisationRef | None
    owner_person: PersonRef | None
    due_date: dt.date | None
    status: ActionStatus
    completed_on: dt.date | None
    overdue: bool
    version: int

    @staticmethod
    def resolve_meeting(obj: Any) -> Any:
        # The keeper of the action log reads the item, not the meeting behind it.
        return obj.meeting if obj.meeting_id and getattr(obj, "meeting_visible", True) else None

    @staticmethod
    def resolve_decision(obj: Any) -> UUID | None:
        return obj.decision.uuid if obj.decision_id and getattr(obj, "meeting_visible", True) else None

    @staticmethod
    def resolve_overdue(obj: Any) -> bool:
        return bool(obj.due_date and obj.status in OPEN and obj.due_date < timezone.localdate())


class ActionItemFilters(Schema):
    q: str | None = Field(None, max_length=100)
    status: ActionStatus | None = None
    mine: bool = Field(False, description="Only items you own (as a person or for your organisation).")
    overdue: bool = False
    body: UUID | None = None


class ActionItemIn(InSchema):
    title: str = Field(min_length=1, max_length=300)
    meeting: UUID | None = None
    decision: UUID | None = None
    owner_organisation: UUID | None = None
    owner_person: UUID | None = None
    due_date: dt.date | None = None
    status: ActionStatus = ActionStatus.OPEN


class ActionItemPatch(InSchema):
    version: int = Field(ge=1, description="The version you loaded; a stale one is refused with 409.")
    title: str = Field(None, min_length=1, max_length=300)
    owner_organisation: UUID | None = None
    owner_person: UUID | None = None
    due_date: dt.date | None = None
    status: ActionStatus = None
    completed_on: dt.date | None = None


# --- Helpers ---------------------------------------------------------------------------


def _bodies(actor: User) -> QuerySet:
    return access.with_internals_flag(actor, access.visible_bodies(actor, include_archived=True)).prefetch_related(
        "objectives"
    )


def _body(actor: User, uuid: UUID) -> Any:
    return core_access.get_visible_or_404(_bodies(actor), uuid=uuid)


def _meetings(actor: User) -> QuerySet:
    return access.visible_meetings(actor).prefetch_related("agenda_items")


def _items(actor: User) -> QuerySet:
    return access.visible_action_items(actor)


def _aware(value: dt.datetime | None, field: str) -> dt.datetime | None:
    if value is not None and timezone.is_naive(value):
        raise ValidationError({field: _("Give the time with its UTC offset.")})
    return value


# --- Bodies ------------------------------------------------------------------------------


@bodies.get("", response={200: list[BodyOut], **errors(404, 422)})
@paginate(Pagination)
@requires("bodies.view")
def body_list(request: HttpRequest, filters: Query[BodyFilters]):
    """Bodies in your country (existence, type, mandate), by name."""
    actor = _actor(request)
    qs = selectors.filter_bodies(
        actor,
        term=filters.q or "",
        kind=filters.kind or "",
        within=_within(actor, filters.within),
        archived=filters.archived,
    )
    return access.with_internals_flag(actor, qs).prefetch_related("objectives")


@bodies.post("", response={201: BodyOut, **errors(400, 403, 422)})
@requires("bodies.manage")
def body_create(request: HttpRequest, payload: BodyIn):
    actor = _actor(request)
    data = payload.model_dump()
    jurisdiction = _reference(core_access.visible_jurisdictions(actor), data.pop("jurisdiction"), "jurisdiction")
    core_access.require_rank(actor, jurisdiction, core_access.COORDINATOR_RANK)
    body = services.body_create(actor=actor, jurisdiction=jurisdiction, **data)
    return Status(201, _body(actor, body.uuid))


# Static paths before "/{uuid}".


@bodies.get("/action-items", response={200: list[ActionItemOut], **errors(404, 422)})
@paginate(Pagination)
@requires("bodies.view")
def action_item_list(request: HttpRequest, filters: Query[ActionItemFilters]):
    """Action items of the bodies whose internals you see (``mine=true``: the ones you own)."""
    actor = _actor(request)
    qs = selectors.filter_action_items(
        actor,
        mine=filters.mine,
        term=filters.q or "",
        status=filters.status or "",
        overdue=filters.overdue,
        body=_body(actor, filters.body) if filters.body else None,
    )
    return qs.order_by("due_date", "id")


@bodies.patch("/action-items/{uuid}", response={200: ActionItemOut, **errors(400, 403, 404, 409, 422)})
@requires("bodies.view")
def action_item_update(request: HttpRequest, uuid: UUID, payload: ActionItemPatch):
    """Coordinators edit everything; the keeper of the body's action log (the holder of its
    Secretariat seat) the owner, due date and status; the owner ``status`` and ``completed_on``."""
    actor = _actor(request)
    item = core_access.get_visible_or_404(_items(actor), uuid=uuid)
    if not services.can_update_action_item(actor, item):
        raise PermissionDenied
    values = payload.model_dump(exclude_unset=True)
    version = values.pop("version")
    if "owner_organisation" in values:
        values["owner_organisation"] = _reference(
            access.owner_candidates(actor, item.body), values["owner_organisation"], "owner_organisation"
        )
    if "owner_person" in values:
        values["owner_person"] = _reference(core_access.visible_people(actor), values["owner_person"], "owner_person")
    services.action_item_update(actor=actor, item=item, expected_version=version, **values)
    return core_access.get_visible_or_404(_items(actor), pk=item.pk)


@bodies.get("/meetings/{uuid}", response={200: MeetingOut, **errors(404, 422)})
@requires("bodies.internals")
def meeting_detail(request: HttpRequest, uuid: UUID):
    return core_access.get_visible_or_404(_meetings(_actor(request)), uuid=uuid)


@bodies.get("/meetings/{uuid}/decisions", response={200: list[DecisionOut], **errors(404, 422)})
@requires("bodies.internals")
def decision_list(request: HttpRequest, uuid: UUID):
    actor = _actor(request)
    meeting = core_access.get_visible_or_404(_meetings(actor), uuid=uuid)
    return list(access.visible_decisions(actor).filter(meeting=meeting).order_by("number"))


@bodies.post("/meetings/{uuid}/decisions", response={201: DecisionOut, **errors(400, 403, 404, 422)})
@requires("bodies.internals")
def decision_create(request: HttpRequest, uuid: UUID, payload: DecisionIn):
    actor = _actor(request)
    meeting = core_access.get_visible_or_404(_meetings(actor), uuid=uuid)
    access.require_manage(actor, meeting.body)
    return Status(201, services.decision_create(actor=actor, meeting=meeting, text=payload.text))


@bodies.get("/{uuid}", response={200: BodyOut, **errors(404, 422)})
@requires("bodies.view")
def body_detail(request: HttpRequest, uuid: UUID):
    return _body(_actor(request), uuid)


@bodies.patch("/{uuid}", response={200: BodyOut, **errors(400, 403, 404, 409, 422)})
@requires("bodies.manage")
def body_update(request: HttpRequest, uuid: UUID, payload: BodyPatch):
    actor = _actor(request)
    body = _body(actor, uuid)
    access.require_manage(actor, body)
    values = payload.model_dump(exclude_unset=True)
    version = values.pop("version")
    services.body_update(actor=actor, body=body, expected_version=version, **values)
    return _body(actor, uuid)


@bodies.get("/{uuid}/memberships", response={200: list[MembershipOut], **errors(404, 422)})
@paginate(Pagination)
@requires("bodies.view")
def membership_list(request: HttpRequest, uuid: UUID, current: bool = True):
    """Member organisations (current ones by default; ``current=false`` for the history)."""
    actor = _actor(request)
    body = _body(actor, uuid)
    qs = access.visible_memberships(actor).filter(body=body)
    qs = qs.filter(access.current_membership_q()) if current else qs.exclude(access.current_membership_q())
    return qs.order_by("organisation__name", "-start_date", "id")


@bodies.post("/{uuid}/memberships", response={201: MembershipOut, **errors(400, 403, 404, 422)})
@requires("bodies.manage")
def membership_create(request: HttpRequest, uuid: UUID, payload: MembershipIn):
    actor = _actor(request)
    body = _body(actor, uuid)
    access.require_manage(actor, body)
    data = payload.model_dump()
    data["organisation"] = _reference(access.member_candidates(actor, body), data["organisation"], "organisation")
    data["person"] = _reference(core_access.visible_people(actor), data["person"], "person")
    data["sector"] = data["sector"] or ""
    if data["start_date"] and data["end_date"] and data["end_date"] < data["start_date"]:
        raise ValidationError({"end_date": _("The end date cannot be before the start date.")})
    return Status(201, services.membership_add(actor=actor, body=body, **data))


@bodies.get("/{uuid}/meetings", response={200: list[MeetingOut], **errors(403, 404, 422)})
@paginate(Pagination)
@requires("bodies.internals")
def meeting_list(request: HttpRequest, uuid: UUID, upcoming: bool | None = None):
    """The body's meetings, newest first (``upcoming=true``: future ones, soonest first)."""
    actor = _actor(request)
    body = _body(actor, uuid)
    access.require_internals(actor, body)
    qs = _meetings(actor).filter(body=body)
    if upcoming is True:
        return qs.filter(starts_at__gte=timezone.now()).order_by("starts_at", "id")
    if upcoming is False:
        qs = qs.filter(starts_at__lt=timezone.now())
    return qs.order_by("-starts_at", "-id")


@bodies.post("/{uuid}/meetings", response={201: MeetingOut, **errors(400, 403, 404, 422)})
@requires("bodies.manage")
def meeting_create(request: HttpRequest, uuid: UUID, payload: MeetingIn):
    actor = _actor(request)
    body = _body(actor, uuid)
    access.require_manage(actor, body)
    data = payload.model_dump()
    _aware(data["starts_at"], "starts_at")
    _aware(data["ends_at"], "ends_at")
    if any(len(a) > MAX_AGENDA_ITEM_CHARS for a in data["agenda"]):
        raise ValidationError(
            {"agenda": _("Each agenda item can have at most %(n)d characters.") % {"n": MAX_AGENDA_ITEM_CHARS}}
        )
    meeting = services.meeting_create(actor=actor, body=body, **data)
    return Status(201, core_access.get_visible_or_404(_meetings(actor), pk=meeting.pk))


@bodies.post("/{uuid}/action-items", response={201: ActionItemOut, **errors(400, 403, 404, 422)})
@requires("bodies.action_log")
def action_item_create(request: HttpRequest, uuid: UUID, payload: ActionItemIn):
    """Coordinators of the body and the keeper of its action log (the holder of its Secretariat seat)."""
    actor = _actor(request)
    body = _body(actor, uuid)
    access.require_action_log(actor, body)
    data = payload.model_dump()
    data["meeting"] = _reference(_meetings(actor).filter(body=body), data["meeting"], "meeting")
    data["decision"] = _reference(access.visible_decisions(actor), data["decision"], "decision")
    data["owner_organisation"] = _reference(
        access.owner_candidates(actor, body), data["owner_organisation"], "owner_organisation"
    )
    data["owner_person"] = _reference(core_access.visible_people(actor), data["owner_person"], "owner_person")
    item = services.action_item_create(actor=actor, body=body, **data)
    return Status(201, core_access.get_visible_or_404(_items(actor), pk=item.pk))


from . import api_records  # noqa: E402, F401  (more operations of ``bodies``; it uses the schemas above)

ROUTERS: list[tuple[str, Router]] = [("/bodies", bodies)]
