"""API of events under ``/api/v1/events/``: the same rules as the pages.

Every event is read through :mod:`tandem.events.access`; an event the token's user may not read
answers 404 exactly like a missing one. Participants' names go to the organisers only.
"""

import datetime as dt
from typing import Literal
from uuid import UUID

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest
from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate
from ninja.responses import Status

from tandem.core import access as core_access
from tandem.core.api import InSchema, JurisdictionRef, OrganisationRef, Pagination, _actor, _reference, errors
from tandem.events.permissions import requires

from . import access, selectors, services

router = Router(tags=["events"])

KindValue = Literal["workshop", "summit", "dialogue", "training_day", "exchange_visit"]
LevelValue = Literal["national", "regional", "local"]
StatusValue = Literal["invited", "registered", "confirmed", "attended", "declined"]
VisibilityValue = Literal["clear", "green", "country", "subtree"]


class EventOut(Schema):
    uuid: UUID
    title: str
    kind: str
    starts_at: dt.datetime
    ends_at: dt.datetime
    time_zone: str
    place: JurisdictionRef | None
    online: bool
    venue: str
    host: OrganisationRef | None
    language: str
    visibility: str
    jurisdiction: JurisdictionRef
    version: int


class SessionOut(Schema):
    uuid: UUID
    title: str
    starts_at: dt.datetime
    ends_at: dt.datetime
    speakers: str
    room: str


class EventCountOut(Schema):
    label: str
    count: int


class CountsOut(Schema):
    total: int
    by_country: list[EventCountOut]
    by_level: list[EventCountOut]
    by_sector: list[EventCountOut]
    by_role: list[EventCountOut]


class EventDetailOut(EventOut):
    languages: str
    objectives: list[str]
    organisers: list[OrganisationRef]
    partners: list[OrganisationRef]
    funders: list[OrganisationRef]
    sessions: list[SessionOut]
    participants: CountsOut


class EventFilters(Schema):
    q: str | None = Field(None, max_length=100)
    kind: KindValue | None = None
    year: int | None = Field(None, ge=1900, le=2200)


class SessionIn(InSchema):
    title: str = Field(min_length=1, max_length=200)
    starts_at: dt.datetime
    ends_at: dt.datetime
    speakers: str = Field("", max_length=500)
    room: str = Field("", max_length=200)


class EventIn(InSchema):
    jurisdiction: UUID = Field(description="The owning jurisdiction (you must organise there).")
    title: str = Field(min_length=1, max_length=200)
    kind: KindValue
    starts_at: dt.datetime = Field(description="With its UTC offset.")
    ends_at: dt.datetime
    time_zone: str = Field("UTC", max_length=60)
    place: UUID | None = Field(None, description="A city or other local unit.")
    online: bool = False
    venue: str = Field("", max_length=300)
    host: UUID | None = None
    organisers: list[UUID] = Field(default_factory=list, max_length=50)
    partners: list[UUID] = Field(default_factory=list, max_length=50)
    funders: list[UUID] = Field(default_factory=list, max_length=50)
    language: Literal["en", "fr"] = "en"
    languages: str = Field("", max_length=200)
    objectives: list[str] = Field(default_factory=list, max_length=30)
    visibility: VisibilityValue
    sessions: list[SessionIn] = Field(default_factory=list, max_length=100)


class ParticipantOut(Schema):
    uuid: UUID
    name: str
    role: str
    organisation_name: str
    country: JurisdictionRef
    level: str
    sector: str
    status: str
    from_directory: bool

    @staticmethod
    def resolve_from_directory(obj) -> bool:
        return obj.person_id is not None

    @staticmethod
    def resolve_organisation_name(obj) -> str:
        return obj.organisation.name if obj.organisation_id else obj.organisation_name


class ParticipantIn(InSchema):
    person: UUID | None = Field(None, description="Someone from the directory; else give the guest's name.")
    name: str = Field("", max_length=200)
    role: str = Field("", max_length=200)
    organisation: UUID | None = None
    organisation_name: str = Field("", max_length=200)
    country: UUID | None = Field(None, description="A guest's country.")
    level: LevelValue
    sector: str = Field("", max_length=30)


class ParticipantStatusIn(InSchema):
    status: StatusValue


class OutcomeOut(Schema):
    kind: str
    text: str


class FollowUpOut(Schema):
    kind: str
    label: str
    status: str


class CommitmentOut(Schema):
    uuid: UUID
    text: str
    owner: str
    due_date: dt.date | None
    follow_up: FollowUpOut
    version: int


class BreakoutOut(Schema):
    uuid: UUID
    name: str
    country: JurisdictionRef | None
    challenges: list[str]
    areas_of_collaboration: list[str]
    commitments: list[CommitmentOut]


class BreakoutIn(InSchema):
    name: str = Field(min_length=1, max_length=200)
    country: UUID | None = None
    members: list[UUID] = Field(default_factory=list, max_length=500)
    rapporteur: UUID | None = None


class BreakoutOutcomeIn(InSchema):
    kind: Literal["challenge", "collaboration"]
    text: str = Field(min_length=1, max_length=5000)


class CommitmentIn(InSchema):
    text: str = Field(min_length=1, max_length=5000)
    owner: str = Field(min_length=1, max_length=200)
    owner_organisation: UUID | None = None
    due_date: dt.date | None = None


class ReportOut(Schema):
    title: str
    status: str
    summary: str
    version: int | None
    library_item: UUID | None
    objectives: list[str]
    participants: CountsOut
    breakouts: list[BreakoutOut]


def _counts(counts: selectors.Counts) -> dict:
    def rows(pairs):
        return [{"label": label, "count": n} for label, n in pairs]

    return {
        "total": counts.total,
        "by_country": rows(counts.by_country),
        "by_level": rows(counts.by_level),
        "by_sector": rows(counts.by_sector),
        "by_role": rows(counts.by_role),
    }


def _detail(event) -> dict:
    orgs = selectors.event_organisations(event)
    return {
        **EventOut.model_validate(event, from_attributes=True).model_dump(),
        "languages": event.languages,
        "objectives": event.objective_list,
        "organisers": orgs["organiser"],
        "partners": orgs["partner"],
        "funders": orgs["funder"],
        "sessions": list(selectors.sessions(event)),
        "participants": _counts(selectors.participant_counts(event)),
    }


def _breakout(view: selectors.BreakoutView) -> dict:
    return {
        "uuid": view.breakout.uuid,
        "name": view.breakout.name,
        "country": view.breakout.country,
        "challenges": [o.text for o in view.challenges],
        "areas_of_collaboration": [o.text for o in view.collaboration],
        "commitments": [
            {
                "uuid": c.uuid,
                "text": c.text,
                "owner": c.owner,
                "due_date": c.due_date,
                "version": c.version,
                "follow_up": {"kind": f.kind, "label": str(f.label), "status": f.status},
            }
            for c, f in view.commitments
        ],
    }


def _event(request: HttpRequest, uuid: UUID):
    return core_access.get_visible_or_404(access.visible_events(_actor(request)), uuid=uuid)


def _managed(request: HttpRequest, uuid: UUID):
    event = _event(request, uuid)
    access.require_manage(_actor(request), event)
    return event


@router.get("", response={200: list[EventOut], **errors(422)})
@paginate(Pagination)
@requires("events.view")
def event_list(request: HttpRequest, filters: Query[EventFilters]):
    """Events you may read, the latest first."""
    return selectors.filter_events(_actor(request), {k: v for k, v in filters.model_dump().items() if v is not None})


@router.post("", response={201: EventDetailOut, **errors(403, 422)})
@requires("events.organise")
def event_create(request: HttpRequest, payload: EventIn):
    """Create an event, with its agenda sessions (each inside the event's dates)."""
    actor = _actor(request)
    if access.organiser_paths(actor) == []:
        raise PermissionDenied
    jurisdiction = _reference(access.organiser_jurisdictions(actor), payload.jurisdiction, "jurisdiction")
    orgs = core_access.visible_organisations(actor)
    data = services.EventData(
        title=payload.title,
        kind=payload.kind,
        starts_at=payload.starts_at,
        ends_at=payload.ends_at,
        time_zone=payload.time_zone,
        visibility=payload.visibility,
        place=_reference(selectors.place_choices(actor), payload.place, "place"),
        online=payload.online,
        venue=payload.venue,
        host=_reference(orgs, payload.host, "host"),
        language=payload.language,
        languages=payload.languages,
        objectives="\n".join(payload.objectives),
        organisers=tuple(_reference(orgs, u, "organisers") for u in payload.organisers),
        partners=tuple(_reference(orgs, u, "partners") for u in payload.partners),
        funders=tuple(_reference(orgs, u, "funders") for u in payload.funders),
    )
    event = _create_with_sessions(actor, jurisdiction, data, payload.sessions)
    return Status(201, _detail(event))


def _create_with_sessions(actor, jurisdiction, data, sessions):
    from django.core.exceptions import ValidationError
    from django.db import transaction

    with transaction.atomic():
        event = services.event_create(actor=actor, jurisdiction=jurisdiction, data=data)
        for i, s in enumerate(sessions):
            try:
                services.session_add(actor=actor, event=event, **s.model_dump())
            except ValidationError as exc:
                raise ValidationError({f"sessions[{i}]": exc.messages}) from None
    return event


@router.get("/{uuid}", response={200: EventDetailOut, **errors(404)})
@requires("events.view")
def event_detail(request: HttpRequest, uuid: UUID):
    return _detail(_event(request, uuid))


@router.get("/{uuid}/participants", response={200: list[ParticipantOut], **errors(403, 404)})
@requires("events.organise")
def participant_list(request: HttpRequest, uuid: UUID):
    """The participant list (the event's organisers)."""
    event = _managed(request, uuid)
    return list(selectors.participants(_actor(request), event))


@router.post("/{uuid}/participants", response={201: ParticipantOut, **errors(403, 404, 422)})
@requires("events.organise")
def participant_add(request: HttpRequest, uuid: UUID, payload: ParticipantIn):
    """Invite someone from the directory (``person``) or register a guest (``name`` and ``country``).
    A second registration of the same person is refused (422)."""
    actor = _actor(request)
    event = _managed(request, uuid)
    organisation = _reference(core_access.visible_organisations(actor), payload.organisation, "organisation")
    if payload.person is not None:
        person = _reference(core_access.visible_people(actor), payload.person, "person")
        participant = services.participant_invite(
            actor=actor,
            event=event,
            person=person,
            level=payload.level,
            role=payload.role,
            organisation=organisation,
            sector=payload.sector,
        )
    else:
        country = _reference(selectors.country_choices(), payload.country, "country")
        participant = services.participant_add_guest(
            actor=actor,
            event=event,
            name=payload.name,
            country=country,
            level=payload.level,
            role=payload.role,
            organisation_name=payload.organisation_name or (organisation.name if organisation else ""),
            sector=payload.sector,
        )
    return Status(201, participant)


@router.post("/participants/{uuid}/status", response={200: ParticipantOut, **errors(403, 404, 422)})
@requires("events.organise")
def participant_status(request: HttpRequest, uuid: UUID, payload: ParticipantStatusIn):
    """Registration, confirmation, attendance."""
    actor = _actor(request)
    participant = core_access.get_visible_or_404(access.visible_participants(actor), uuid=uuid)
    access.require_manage(actor, participant.event)
    return services.participant_set_status(actor=actor, participant=participant, status=payload.status)


@router.get("/{uuid}/breakouts", response={200: list[BreakoutOut], **errors(404)})
@requires("events.view")
def breakout_list(request: HttpRequest, uuid: UUID):
    """The breakout groups with their outcomes and commitments."""
    actor = _actor(request)
    return [_breakout(b) for b in selectors.breakouts(actor, _event(request, uuid))]


@router.post("/{uuid}/breakouts", response={201: BreakoutOut, **errors(403, 404, 422)})
@requires("events.organise")
def breakout_create(request: HttpRequest, uuid: UUID, payload: BreakoutIn):
    actor = _actor(request)
    event = _managed(request, uuid)
    people = selectors.participants(actor, event)
    breakout = services.breakout_create(
        actor=actor,
        event=event,
        name=payload.name,
        country=_reference(selectors.country_choices(), payload.country, "country"),
        members=tuple(_reference(people, u, "members") for u in payload.members),
        rapporteur=_reference(people, payload.rapporteur, "rapporteur"),
    )
    return Status(201, _one_breakout(actor, breakout))


def _one_breakout(actor, breakout) -> dict:
    view = next(b for b in selectors.breakouts(actor, breakout.event) if b.breakout.pk == breakout.pk)
    return _breakout(view)


@router.post("/breakouts/{uuid}/outcomes", response={201: BreakoutOut, **errors(403, 404, 422)})
@requires("events.organise")
def outcome_add(request: HttpRequest, uuid: UUID, payload: BreakoutOutcomeIn):
    """A challenge identified or an area of collaboration."""
    actor = _actor(request)
    breakout = core_access.get_visible_or_404(access.visible_breakouts(actor), uuid=uuid)
    access.require_manage(actor, breakout.event)
    services.outcome_add(actor=actor, breakout=breakout, kind=payload.kind, text=payload.text)
    return Status(201, _one_breakout(actor, breakout))


@router.post("/breakouts/{uuid}/commitments", response={201: BreakoutOut, **errors(403, 404, 422)})
@requires("events.organise")
def commitment_add(request: HttpRequest, uuid: UUID, payload: CommitmentIn):
    actor = _actor(request)
    breakout = core_access.get_visible_or_404(access.visible_breakouts(actor), uuid=uuid)
    access.require_manage(actor, breakout.event)
    services.commitment_add(
        actor=actor,
        breakout=breakout,
        text=payload.text,
        owner=payload.owner,
        owner_organisation=_reference(
            core_access.visible_organisations(actor), payload.owner_organisation, "owner_organisation"
        ),
        due_date=payload.due_date,
    )
    return Status(201, _one_breakout(actor, breakout))


@router.get("/{uuid}/report", response={200: ReportOut, **errors(404)})
@requires("events.view")
def report_detail(request: HttpRequest, uuid: UUID):
    """The generated report (before publication: the organisers only)."""
    actor = _actor(request)
    event = _event(request, uuid)
    report = selectors.report_of(actor, event)
    if report is None and not access.can_manage(actor, event):
        raise Http404
    data = selectors.report_data(actor, event, report)
    return {
        "title": data.title,
        "status": report.status if report else "draft",
        "summary": data.summary,
        "version": report.version if report else None,
        "library_item": report.library_item.uuid if report and report.library_item else None,
        "objectives": data.objectives,
        "participants": _counts(data.counts),
        "breakouts": [_breakout(b) for b in data.breakouts],
    }


ROUTERS: list[tuple[str, Router]] = [("/events", router)]
