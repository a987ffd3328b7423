"""API of capacity building, mounted under ``/api/v1/capacity``.

Same rules as the pages (see :mod:`tandem.capacity.access`): a course and its sessions
answer 404 to whoever may not see them, like missing ones; publishing and organising need
a coordinator or facilitator role over the jurisdiction (403 otherwise); a participation
is seen by its person, the coordinators over the person and the session's organisers.
"""

import datetime as dt
from typing import Any
from uuid import UUID

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate
from ninja.responses import Status as HttpStatus

from tandem.capacity.permissions import requires
from tandem.core import access as core_access
from tandem.core.api import InSchema, JurisdictionRef, Pagination, _reference, _within, errors
from tandem.core.models import GovernmentLevel, Sector, User

from . import access, pdf, selectors, services
from .models import Competency, CourseDelivery, CourseVisibility, PlaceStatus

capacity = Router(tags=["capacity building"])


def _actor(request: HttpRequest) -> User:
    return request.auth  # type: ignore[attr-defined,return-value]


# --- Schemas -------------------------------------------------------------------------


class FrameworkItemRef(Schema):
    framework: UUID = Field(description="An assessment framework (see /api/v1/assessment/frameworks).")
    code: str = Field(max_length=30, description="The item's code in that framework, e.g. T2.")


class FrameworkItemOut(FrameworkItemRef):
    statement: str


class CourseOut(Schema):
    uuid: UUID
    title: str
    summary: str
    jurisdiction: JurisdictionRef
    level: GovernmentLevel
    delivery: CourseDelivery
    visibility: CourseVisibility
    languages: list[str]
    duration_hours: int
    objectives: list[str]
    competencies: list[Competency]
    sectors: list[Sector]
    framework_items: list[FrameworkItemOut] = Field(description="The assessment framework items it addresses.")
    version: int

    @staticmethod
    def resolve_framework_items(obj: Any) -> list[dict[str, Any]]:
        return [
            {"framework": i.competency.framework.uuid, "code": i.code, "statement": i.statement}
            for i in obj.framework_items.all()  # access-ok: framework items are reference data every role reads
        ]

    @staticmethod
    def resolve_languages(obj: Any) -> list[str]:
        return obj.language_list

    @staticmethod
    def resolve_objectives(obj: Any) -> list[str]:
        return [o.text for o in obj.learning_objectives.all()]

    @staticmethod
    def resolve_competencies(obj: Any) -> list[str]:
        return sorted(c.competency for c in obj.course_competencies.all())

    @staticmethod
    def resolve_sectors(obj: Any) -> list[str]:
        return sorted(a.sector for a in obj.audience_sectors.all())


class CourseFilters(Schema):
    q: str | None = Field(None, max_length=100, description="Part of the title or summary.")
    competency: Competency | None = None
    level: GovernmentLevel | None = None
    delivery: CourseDelivery | None = None
    sector: Sector | None = Field(None, description="Courses for this audience sector.")
    language: str | None = Field(None, max_length=8, description="A language code, e.g. sw.")


class CourseIn(InSchema):
    title: str = Field(min_length=1, max_length=200)
    summary: str = Field("", max_length=5000)
    jurisdiction: UUID = Field(description="The owner jurisdiction (one where you may publish).")
    level: GovernmentLevel
    delivery: CourseDelivery
    visibility: CourseVisibility
    languages: str = Field("", max_length=60)
    duration_hours: int = Field(1, ge=1, le=500)
    objectives: list[str] = Field(default_factory=list, max_length=20)
    competencies: list[Competency] = Field(default_factory=list)
    sectors: list[Sector] = Field(default_factory=list)
    framework_items: list[FrameworkItemRef] = Field(default_factory=list, max_length=50)


class CourseRef(Schema):
    uuid: UUID
    title: str


class TrainingSessionOut(Schema):
    uuid: UUID
    course: CourseRef
    host: JurisdictionRef
    starts_at: dt.datetime
    ends_at: dt.datetime
    time_zone: str
    venue: str
    online_link: str
    places: int
    accepted: int = Field(description="Places taken.")
    waitlisted: int
    registration_deadline: dt.datetime
    required_share: int = Field(description="Share of days (%) to attend for a certificate.")
    cancelled_at: dt.datetime | None = Field(description="Set once the session is cancelled; it takes no places.")
    cancellation_reason: str
    archived_at: dt.datetime | None
    version: int


class TrainingSessionFilters(Schema):
    course: UUID | None = None
    upcoming: bool = Field(False, description="Only sessions not yet ended.")
    within: UUID | None = Field(None, description="Only sessions hosted in this unit or below.")


class TrainingSessionIn(InSchema):
    host: UUID
    starts_at: dt.datetime = Field(description="With its UTC offset.")
    ends_at: dt.datetime
    time_zone: str = Field("UTC", max_length=60)
    registration_deadline: dt.datetime
    places: int = Field(ge=1, le=10000)
    venue: str = Field("", max_length=300)
    online_link: str = Field("", max_length=200)
    required_share: int = Field(80, ge=0, le=100)
    external_trainers: str = Field("", max_length=500)


class TrainingSessionPatch(InSchema):
    version: int = Field(ge=1, description="The version you loaded; a stale one is refused with 409.")
    starts_at: dt.datetime = Field(None, description="With its UTC offset.")
    ends_at: dt.datetime = Field(None)
    time_zone: str = Field(None, min_length=1, max_length=60)
    registration_deadline: dt.datetime = Field(None)
    places: int = Field(None, ge=1, le=10000, description="Not fewer than the places already taken.")
    venue: str = Field(None, max_length=300)
    online_link: str = Field(None, max_length=200)
    required_share: int = Field(None, ge=0, le=100)
    external_trainers: str = Field(None, max_length=500)


class SessionCancelIn(InSchema):
    version: int = Field(ge=1, description="The version you loaded; a stale one is refused with 409.")
    reason: str = Field(min_length=1, max_length=1000, description="Shown to the participants.")


class VersionIn(InSchema):
    version: int = Field(ge=1, description="The version you loaded; a stale one is refused with 409.")


class ParticipationOut(Schema):
    uuid: UUID
    session: UUID
    person: str
    status: PlaceStatus
    sector: str
    organisation: str
    jurisdiction: JurisdictionRef
    level: GovernmentLevel
    version: int

    @staticmethod
    def resolve_session(obj: Any) -> UUID:
        return obj.session.uuid

    @staticmethod
    def resolve_person(obj: Any) -> str:
        return obj.person.full_name

    @staticmethod
    def resolve_organisation(obj: Any) -> str:
        return obj.organisation_name


class NominationIn(InSchema):
    person: UUID = Field(description="A person of your jurisdiction or below.")


class PlaceDecisionIn(InSchema):
    status: PlaceStatus = Field(description="accepted, waitlisted or declined.")
    version: int | None = Field(None, ge=1, description="The version you loaded (a stale one: 409).")


class ReachFilters(Schema):
    dimension: str = Field("sector", pattern="^(sector|level|jurisdiction|organisation_type|course|competency|year)$")
    start: dt.date | None = None
    end: dt.date | None = None
    within: UUID | None = None


class ReachRow(Schema):
    label: str
    people: int
    participations: int


# --- Courses -----------------------------------------------------------------------------


def _courses(actor: User) -> Any:
    return access.visible_courses(actor).prefetch_related(
        "learning_objectives", "course_competencies", "audience_sectors", *ITEMS_PREFETCH
    )


ITEMS_PREFETCH = ("framework_items", "framework_items__competency", "framework_items__competency__framework")


def _items(actor: User, refs: list[dict[str, Any]]) -> list[Any]:
    """The framework items named by ``(framework, code)``, among those the actor may choose; else 422."""
    found = []
    choosable = services.choosable_items(actor)
    for ref in refs:
        item = choosable.filter(competency__framework__uuid=ref["framework"], code=ref["code"]).first()
        if item is None:
            raise ValidationError({"framework_items": [_("Unknown framework item %(code)s.") % {"code": ref["code"]}]})
        found.append(item)
    return found


@capacity.get("/courses", response={200: list[CourseOut], **errors(422)})
@paginate(Pagination)
@requires("capacity.view")
def course_list(request: HttpRequest, filters: Query[CourseFilters]):
    """The courses you may see, by title."""
    return selectors.filter_courses(
        _actor(request),
        term=filters.q or "",
        competency=filters.competency or "",
        level=filters.level or "",
        delivery=filters.delivery or "",
        sector=filters.sector or "",
        language=filters.language or "",
    ).prefetch_related("learning_objectives", *ITEMS_PREFETCH)


@capacity.post("/courses", response={201: CourseOut, **errors(403, 422)})
@requires("capacity.publish")
def course_create(request: HttpRequest, payload: CourseIn):
    """Publish a course owned by a jurisdiction where you coordinate or facilitate."""
    actor = _actor(request)
    data = payload.dict()
    data["jurisdiction"] = _reference(core_access.visible_jurisdictions(actor), data["jurisdiction"], "jurisdiction")
    data["framework_items"] = _items(actor, data["framework_items"])
    course = services.course_create(actor=actor, **data)
    return HttpStatus(201, _courses(actor).get(pk=course.pk))


@capacity.get("/courses/{uuid}", response={200: CourseOut, **errors(404)})
@requires("capacity.view")
def course_detail(request: HttpRequest, uuid: UUID):
    return core_access.get_visible_or_404(_courses(_actor(request)), uuid=uuid)


@capacity.post("/courses/{uuid}/sessions", response={201: TrainingSessionOut, **errors(403, 404, 422)})
@requires("capacity.publish")
def session_create(request: HttpRequest, uuid: UUID, payload: TrainingSessionIn):
    """Publish a session of the course, hosted where you coordinate or facilitate."""
    actor = _actor(request)
    course = core_access.get_visible_or_404(access.visible_courses(actor), uuid=uuid)
    data = payload.dict()
    data["host"] = _reference(core_access.visible_jurisdictions(actor), data["host"], "host")
    if not access.can_publish(actor, data["host"]):
        raise PermissionDenied
    session = services.session_create(actor=actor, course=course, **data)
    return HttpStatus(201, selectors.filter_sessions(actor, include_archived=True).get(pk=session.pk))


# --- Sessions and places -------------------------------------------------------------------


def _session(actor: User, uuid: UUID) -> Any:
    return core_access.get_visible_or_404(selectors.filter_sessions(actor, include_archived=True), uuid=uuid)


@capacity.get("/sessions", response={200: list[TrainingSessionOut], **errors(404, 422)})
@paginate(Pagination)
@requires("capacity.view")
def session_list(request: HttpRequest, filters: Query[TrainingSessionFilters]):
    """Sessions of the courses you may see, by start."""
    actor = _actor(request)
    course = None
    if filters.course is not None:
        course = core_access.get_visible_or_404(access.visible_courses(actor), uuid=filters.course)
    return selectors.filter_sessions(
        actor, course=course, upcoming=filters.upcoming, within=_within(actor, filters.within)
    )


@capacity.get("/sessions/{uuid}", response={200: TrainingSessionOut, **errors(404)})
@requires("capacity.view")
def session_detail(request: HttpRequest, uuid: UUID):
    return _session(_actor(request), uuid)


def _organised(actor: User, uuid: UUID) -> Any:
    session = _session(actor, uuid)
    access.require_organise(actor, session)
    return session


@capacity.patch("/sessions/{uuid}", response={200: TrainingSessionOut, **errors(403, 404, 409, 422)})
@requires("capacity.publish")
def session_update(request: HttpRequest, uuid: UUID, payload: TrainingSessionPatch):
    """The organiser changes the fields given; fewer places than those taken is refused (422)."""
    actor = _actor(request)
    session = _organised(actor, uuid)
    values = payload.model_dump(exclude_unset=True)
    version = values.pop("version")
    values = {name: value for name, value in values.items() if value is not None}
    services.session_update(actor=actor, session=session, expected_version=version, **values)
    return _session(actor, uuid)


@capacity.post("/sessions/{uuid}/cancel", response={200: TrainingSessionOut, **errors(403, 404, 409, 422)})
@requires("capacity.publish")
def session_cancel(request: HttpRequest, uuid: UUID, payload: SessionCancelIn):
    """Cancel the session with a reason for its participants; it then refuses registrations."""
    actor = _actor(request)
    session = _organised(actor, uuid)
    services.session_cancel(actor=actor, session=session, expected_version=payload.version, reason=payload.reason)
    return _session(actor, uuid)


@capacity.post("/sessions/{uuid}/archive", response={200: TrainingSessionOut, **errors(403, 404, 409, 422)})
@requires("capacity.publish")
def session_archive(request: HttpRequest, uuid: UUID, payload: VersionIn):
    """File away a session that has ended or was cancelled (it leaves the lists)."""
    actor = _actor(request)
    session = _organised(actor, uuid)
    services.session_archive(actor=actor, session=session, expected_version=payload.version)
    return _session(actor, uuid)


@capacity.get("/sessions/{uuid}/participations", response={200: list[ParticipationOut], **errors(404)})
@paginate(Pagination)
@requires("capacity.view")
def session_participations(request: HttpRequest, uuid: UUID):
    """The places of the session you may see: all of them for an organiser, your own otherwise."""
    actor = _actor(request)
    return selectors.session_participants(actor, _session(actor, uuid))


@capacity.post("/sessions/{uuid}/requests", response={201: ParticipationOut, **errors(403, 404, 422)})
@requires("capacity.view")
def session_request(request: HttpRequest, uuid: UUID):
    """Ask for a place for yourself (your account must be linked to a person in the directory)."""
    actor = _actor(request)
    return HttpStatus(201, services.participation_request(actor=actor, session=_session(actor, uuid)))


@capacity.post("/sessions/{uuid}/nominations", response={201: ParticipationOut, **errors(403, 404, 422)})
@requires("capacity.nominate")
def session_nominate(request: HttpRequest, uuid: UUID, payload: NominationIn):
    """Nominate a person of your jurisdiction or below."""
    actor = _actor(request)
    session = _session(actor, uuid)
    person = _reference(access.nominable_people(actor), payload.person, "person")
    return HttpStatus(201, services.participation_nominate(actor=actor, session=session, person=person))


def _participation(actor: User, uuid: UUID) -> Any:
    return core_access.get_visible_or_404(access.visible_participations(actor), uuid=uuid)


@capacity.post("/participations/{uuid}/decision", response={200: ParticipationOut, **errors(403, 404, 409, 422)})
@requires("capacity.publish")
def participation_decide(request: HttpRequest, uuid: UUID, payload: PlaceDecisionIn):
    """The organiser accepts, wait-lists or declines (a full session refuses acceptance with 422)."""
    actor = _actor(request)
    participation = _participation(actor, uuid)
    access.require_organise(actor, participation.session)
    return services.participation_decide(
        actor=actor, participation=participation, status=payload.status, expected_version=payload.version
    )


@capacity.post("/participations/{uuid}/withdraw", response={200: ParticipationOut, **errors(403, 404, 422)})
@requires("capacity.view")
def participation_withdraw(request: HttpRequest, uuid: UUID):
    """Give up the place (the person, who nominated them, or an organiser); the wait-list moves up."""
    actor = _actor(request)
    return services.participation_withdraw(actor=actor, participation=_participation(actor, uuid))


# --- Attendance, feedback figures, certificates ---------------------------------------------


class AttendanceRow(Schema):
    participation: UUID
    person: str
    days_present: list[dt.date]


class AttendanceOut(Schema):
    days: list[dt.date] = Field(description="The session's days, in its own time zone.")
    participants: list[AttendanceRow] = Field(description="The accepted participants.")


@capacity.get("/sessions/{uuid}/attendance", response={200: AttendanceOut, **errors(403, 404)})
@requires("capacity.publish")
def session_attendance(request: HttpRequest, uuid: UUID):
    """The organiser reads who was present on which day."""
    actor = _actor(request)
    return attendance_out(actor, _organised(actor, uuid))


def attendance_out(actor: User, session: Any) -> dict[str, Any]:
    participants = list(selectors.session_participants(actor, session).filter(status=PlaceStatus.ACCEPTED))
    grid = selectors.attendance_grid(session, participants)
    return {
        "days": services.session_days(session),
        "participants": [
            {"participation": p.uuid, "person": str(p.person), "days_present": sorted(grid[p.pk])} for p in participants
        ],
    }


class ObjectiveFiguresOut(Schema):
    text: str
    answers: int
    rating: float | None = Field(description="Mean rating; null under the minimum number of answers.")
    before: float | None = Field(description="Mean confidence before the session (same rule).")
    after: float | None = Field(description="Mean confidence after the session (same rule).")


class FeedbackSummaryOut(Schema):
    answers: int
    minimum: int = Field(description="No figure or comment is given from fewer answers than this.")
    objectives: list[ObjectiveFiguresOut]
    comments: list[str] = Field(description="Without names, in random order; empty under the minimum.")


@capacity.get("/sessions/{uuid}/feedback", response={200: FeedbackSummaryOut, **errors(403, 404)})
@requires("capacity.publish")
def feedback_summary(request: HttpRequest, uuid: UUID):
    """The organiser's aggregate of the participants' feedback (never who said what)."""
    actor = _actor(request)
    summary = selectors.feedback_summary(actor, _organised(actor, uuid))
    return {**summary, "minimum": selectors.MIN_ANSWERS}


class CertificateOut(Schema):
    uuid: UUID
    code: str = Field(description="The verification code anyone holding the certificate can check.")
    full_name: str
    course_title: str
    completed_on: dt.date
    session: UUID

    @staticmethod
    def resolve_session(obj: Any) -> UUID:
        return obj.participation.session.uuid


@capacity.get("/certificates", response={200: list[CertificateOut], **errors(422)})
@paginate(Pagination)
@requires("capacity.view")
def certificate_list(request: HttpRequest):
    """Your own certificates, newest first."""
    return selectors.my_certificates(_actor(request))


@capacity.get("/certificates/{uuid}/pdf", response={200: None, **errors(403, 404, 422)})
@requires("capacity.view")
def certificate_pdf(request: HttpRequest, uuid: UUID):
    """The certificate as a PDF download: its person, or those who may read the person's details."""
    actor = _actor(request)
    cert = core_access.get_visible_or_404(access.visible_certificates(actor), uuid=uuid)
    return pdf.certificate_download(request, actor, cert)


# --- Reach ---------------------------------------------------------------------------------


@capacity.get("/reach", response={200: list[ReachRow], **errors(403, 404, 422)})
@requires("capacity.nominate")
def reach(request: HttpRequest, filters: Query[ReachFilters]):
    """People trained (a certificate issued) in your jurisdiction and below, by one dimension."""
    actor = _actor(request)
    rows = selectors.reach_rows(
        actor, filters.dimension, start=filters.start, end=filters.end, within=_within(actor, filters.within)
    )
    return [ReachRow(label=label, people=people, participations=n) for label, people, n in rows]


# --- Training needs ------------------------------------------------------------------------


class NeedOut(Schema):
    uuid: UUID
    jurisdiction: JurisdictionRef
    competency: Competency
    sector: str
    people_count: int
    urgency: str
    description: str
    answer: str
    answered_at: dt.datetime | None
    version: int


class NeedFilters(Schema):
    competency: Competency | None = None
    open: bool = Field(False, description="Only needs not answered yet.")


@capacity.get("/needs", response={200: list[NeedOut], **errors(403, 422)})
@paginate(Pagination)
@requires("capacity.nominate")
def need_list(request: HttpRequest, filters: Query[NeedFilters]):
    """Training needs of your jurisdiction and below, by competency and jurisdiction."""
    return selectors.filter_needs(_actor(request), competency=filters.competency or "", open_only=filters.open)


from . import api_files  # noqa: E402, F401  (materials, recording attendance: more operations of ``capacity``)

ROUTERS: list[tuple[str, Router]] = [("/capacity", capacity)]
