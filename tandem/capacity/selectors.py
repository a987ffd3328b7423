"""Reads of capacity building, built on :mod:`tandem.capacity.access`: one selector per list,
shared by the pages and the API; aggregates (feedback, reach) computed in the database."""

from __future__ import annotations

import datetime as dt
import hmac
from dataclasses import dataclass
from typing import Any

from django.db.models import Avg, Count, Q, QuerySet, Sum, Value
from django.db.models.functions import ExtractYear, StrIndex, Substr
from django.utils import timezone

from tandem.core.access import COORDINATOR_RANK, Actor, get_access
from tandem.core.models import GovernmentLevel, Jurisdiction, Sector, User

from . import access
from .models import (
    AttendanceDay,
    CalendarFeed,
    Certificate,
    Competency,
    Course,
    CourseDelivery,
    Feedback,
    ObjectiveRating,
    Participation,
    PlaceStatus,
    TrainingNeed,
    TrainingSession,
)

MIN_ANSWERS = 3  # no feedback figure is shown from fewer answers


def filter_courses(
    actor: Actor,
    *,
    term: str = "",
    competency: str = "",
    level: str = "",
    delivery: str = "",
    sector: str = "",
    language: str = "",
) -> QuerySet[Course]:
    qs = access.visible_courses(actor)
    if term:
        qs = qs.filter(Q(title__icontains=term) | Q(summary__icontains=term))
    if competency in Competency.values:
        qs = qs.filter(course_competencies__competency=competency)
    if level in GovernmentLevel.values:
        qs = qs.filter(level=level)
    if delivery in CourseDelivery.values:
        qs = qs.filter(delivery=delivery)
    if sector in Sector.values:
        qs = qs.filter(audience_sectors__sector=sector)
    if language:
        qs = qs.filter(languages__icontains=language[:8])
    return qs.distinct().prefetch_related("course_competencies", "audience_sectors").order_by("title", "id")


def with_place_counts(sessions: QuerySet[TrainingSession]) -> QuerySet[TrainingSession]:
    """Annotate ``accepted`` and ``waitlisted`` (one query)."""
    return sessions.annotate(
        accepted=Count("participations", filter=Q(participations__status=PlaceStatus.ACCEPTED), distinct=True),
        waitlisted=Count("participations", filter=Q(participations__status=PlaceStatus.WAITLISTED), distinct=True),
    )


def filter_sessions(
    actor: Actor,
    *,
    course: Course | None = None,
    upcoming: bool = False,
    within: Jurisdiction | None = None,
    include_archived: bool = False,
) -> QuerySet[TrainingSession]:
    qs = access.visible_sessions(actor)
    if not include_archived:
        qs = qs.filter(archived_at__isnull=True)
    if upcoming:
        qs = qs.filter(cancelled_at__isnull=True)
    if course is not None:
        qs = qs.filter(course=course)
    if upcoming:
        qs = qs.filter(ends_at__gte=timezone.now())
    if within is not None:
        qs = qs.filter(host__path__startswith=within.path)
    return with_place_counts(qs).order_by("starts_at", "id")


def session_participants(actor: Actor, session: TrainingSession) -> QuerySet[Participation]:
    """The participants of a session the actor may see (all of them for an organiser), with days attended."""
    return (
        access.visible_participations(actor)
        .filter(session=session)
        .annotate(days_present=Count("days", filter=Q(days__present=True)))
        .select_related("organisation")
        .order_by("created_at", "id")
    )


def my_participations(actor: Actor) -> QuerySet[Participation]:
    pk = get_access(actor).pk
    if pk is None:
        return Participation.objects.none()
    return (
        access.visible_participations(actor)
        .filter(person__user_id=pk)
        .select_related("certificate", "feedback")
        .order_by("-session__starts_at")
    )


def attendance_grid(session: TrainingSession, participations: list[Participation]) -> dict[int, set[dt.date]]:
    """Days each listed participation was present (one query)."""
    grid: dict[int, set[dt.date]] = {p.pk: set() for p in participations}
    rows = AttendanceDay.objects.filter(participation__in=[p.pk for p in participations], present=True).values_list(
        "participation_id", "day"
    )
    for pk, day in rows:
        grid[pk].add(day)
    return grid


@dataclass
class ObjectiveFigures:
    text: str
    answers: int
    rating: float | None
    before: float | None
    after: float | None

    @property
    def change(self) -> float | None:
        if self.before is None or self.after is None:
            return None
        return round(self.after - self.before, 1)


def feedback_summary(actor: Actor, session: TrainingSession) -> dict[str, Any]:
    """The organiser's aggregate: per objective, the mean rating and confidence before/after, never from
    fewer than ``MIN_ANSWERS`` answers; comments without names, and only from ``MIN_ANSWERS`` answers."""
    access.require_organise(actor, session)
    answers = Feedback.objects.filter(participation__session=session).count()
    rows = (
        ObjectiveRating.objects.filter(feedback__participation__session=session)
        .values("objective_id", "objective__text", "objective__position")
        .annotate(n=Count("id"), rating=Avg("rating"), before=Avg("confidence_before"), after=Avg("confidence_after"))
        .order_by("objective__position", "objective_id")
    )
    objectives = []
    for row in rows:
        enough = row["n"] >= MIN_ANSWERS
        objectives.append(
            ObjectiveFigures(
                text=row["objective__text"],
                answers=row["n"],
                rating=round(row["rating"], 1) if enough else None,
                before=round(row["before"], 1) if enough else None,
                after=round(row["after"], 1) if enough else None,
            )
        )
    comments: list[str] = []
    if answers >= MIN_ANSWERS:
        comments = list(
            Feedback.objects.filter(participation__session=session)
            .exclude(comment="")
            .order_by("?")
            .values_list("comment", flat=True)
        )
    return {"answers": answers, "enough": answers >= MIN_ANSWERS, "objectives": objectives, "comments": comments}


# --- Certificates -----------------------------------------------------------------------


def my_certificates(actor: Actor) -> QuerySet[Certificate]:
    """The certificates of the actor's own person record, newest first."""
    pk = get_access(actor).pk
    if pk is None:
        return Certificate.objects.none()
    return access.visible_certificates(actor).filter(participation__person__user_id=pk).order_by("-completed_on", "-id")


def certificate_by_code(code: str) -> Any:
    """What the public verification page may show about a code: name, course and date only."""
    cleaned = code.strip().upper().replace(" ", "")
    if not cleaned or len(cleaned) > 20:
        return None
    return (
        Certificate.objects.filter(code=cleaned)  # access-ok: public verification by code, three fields only
        .values("full_name", "course_title", "completed_on")
        .first()
    )


# --- Calendar feed ----------------------------------------------------------------------


def feed_owner(token: str) -> User | None:
    feed = CalendarFeed.objects.filter(token=token).select_related("user").first()
    if feed is None or not hmac.compare_digest(feed.token, token) or not feed.user.is_active:
        return None
    return feed.user


def registered_sessions(actor: Actor) -> QuerySet[TrainingSession]:
    """Sessions where the actor holds a place (accepted or wait-listed)."""
    pk = get_access(actor).pk
    if pk is None:
        return TrainingSession.objects.none()
    return (
        access.visible_sessions(actor)
        .filter(
            participations__person__user_id=pk,
            participations__status__in=[PlaceStatus.ACCEPTED, PlaceStatus.WAITLISTED],
        )
        .distinct()
        .order_by("starts_at")
    )


# --- Reach ------------------------------------------------------------------------------

DIMENSIONS = ("sector", "level", "jurisdiction", "organisation_type", "course", "competency", "year")


def trained(actor: Actor, *, start: dt.date | None = None, end: dt.date | None = None) -> QuerySet[Participation]:
    """Participations that count as "trained" (a certificate was issued) in the actor's reach scope and period."""
    qs = access.reach_participations(actor).filter(certificate__isnull=False)
    if start is not None:
        qs = qs.filter(session__starts_at__date__gte=start)
    if end is not None:
        qs = qs.filter(session__starts_at__date__lte=end)
    return qs


def reach_rows(
    actor: Actor,
    dimension: str,
    *,
    start: dt.date | None = None,
    end: dt.date | None = None,
    within: Jurisdiction | None = None,
) -> list[tuple[str, int, int]]:
    """``(label, people, participations)`` per value of ``dimension``, computed in the database.

    Jurisdictions roll up: ``within`` (or each of the actor's top units) and each unit
    directly under it count everyone trained in it or below. A fixed number of queries, whatever the
    numbers of jurisdictions and participants.
    """
    qs = trained(actor, start=start, end=end)
    if dimension == "jurisdiction":
        return _reach_by_jurisdiction(actor, qs, within)
    if within is not None:
        qs = qs.filter(jurisdiction_path__startswith=within.path)
    field, labels = {
        "sector": ("sector", dict(Sector.choices)),
        "organisation_type": ("organisation__sector", dict(Sector.choices)),
        "level": ("level", dict(GovernmentLevel.choices)),
        "course": ("session__course__title", {}),
        "competency": ("session__course__course_competencies__competency", dict(Competency.choices)),
        "year": ("year", {}),
    }[dimension]
    if dimension == "year":
        qs = qs.annotate(year=ExtractYear("session__starts_at"))
    rows = (
        qs.values(field)
        .annotate(people=Count("person", distinct=True), participations=Count("id", distinct=True))
        .order_by("-people", field)
    )
    result = []
    for row in rows:
        value = row[field]
        label = str(labels.get(value, value)) if value not in (None, "") else "—"
        result.append((label, row["people"], row["participations"]))
    return result


def _reach_by_jurisdiction(
    actor: Actor, qs: QuerySet[Participation], within: Jurisdiction | None
) -> list[tuple[str, int, int]]:
    """Each parent unit (``within``, else the actor's top units, else the roots) with its total, then
    each unit directly under it. The child a participation counts for is read from its path in SQL
    (the path component after the parent's), so one grouped scan serves all the children at once."""
    scope = get_access(actor).scope_paths(COORDINATOR_RANK)
    if within is not None:
        parents = [within]
    elif scope is None:
        parents = list(Jurisdiction.objects.filter(depth=0).order_by("path"))
    else:
        parents = list(Jurisdiction.objects.filter(path__in=scope).order_by("path"))
    names = dict(Jurisdiction.objects.filter(parent__in=parents).values_list("path", "name"))
    rows: list[tuple[str, int, int]] = []
    for parent in parents:
        inside = qs.filter(jurisdiction_path__startswith=parent.path).order_by()
        total = inside.aggregate(people=Count("person", distinct=True), n=Count("id", distinct=True))
        rows.append((parent.name, total["people"], total["n"]))
        rest = Substr("jurisdiction_path", len(parent.path) + 1)
        child = Substr(rest, 1, StrIndex(rest, Value("/")))
        grouped = (
            inside.annotate(child=child)
            .exclude(child="")
            .values("child")
            .annotate(people=Count("person", distinct=True), n=Count("id", distinct=True))
        )
        children = [
            (names.get(parent.path + row["child"], "—"), row["people"], row["n"]) for row in grouped if row["child"]
        ]
        rows.extend(sorted(children, key=lambda r: (-r[1], r[0])))
    return rows


def reach_total(actor: Actor, *, start: dt.date | None = None, end: dt.date | None = None) -> int:
    return trained(actor, start=start, end=end).values("person").distinct().count()


# --- Training needs ---------------------------------------------------------------------


def filter_needs(actor: Actor, *, competency: str = "", open_only: bool = False) -> QuerySet[TrainingNeed]:
    qs = access.visible_needs(actor)
    if competency in Competency.values:
        qs = qs.filter(competency=competency)
    if open_only:
        qs = qs.filter(answered_at__isnull=True)
    return qs.order_by("competency", "jurisdiction__path", "-created_at")


def matching_courses(actor: Actor, need: TrainingNeed) -> QuerySet[Course]:
    """Courses the actor sees that build the need's competency."""
    qs = access.visible_courses(actor).filter(course_competencies__competency=need.competency).distinct()
    return qs.order_by("title", "id")


def matching_sessions(actor: Actor, need: TrainingNeed) -> QuerySet[TrainingSession]:
    """Upcoming sessions of those courses whose registration is still open."""
    return (
        access.visible_sessions(actor)
        .filter(
            course__in=matching_courses(actor, need).values("id"),
            registration_deadline__gte=timezone.now(),
        )
        .order_by("starts_at")
    )


def counts_by_competency(needs: QuerySet[TrainingNeed]) -> list[Any]:
    return list(
        needs.order_by()
        .values("competency")
        .annotate(needs=Count("id"), people=Sum("people_count"))
        .order_by("competency")
    )


def framework_items_of(course: Course) -> QuerySet[Any]:
    """The assessment framework items the course addresses (reference data every role reads)."""
    return course.framework_items.select_related("competency", "competency__framework").order_by(
        "competency__framework__name", "competency__position", "position", "code"
    )
