"""Access rules of capacity building (built on :mod:`tandem.core.access`).

* A course is visible by its ``visibility``: to every role in the owner's country, to the
  roles in the owner jurisdiction's subtree (and those above it), or to every role in the
  network. Its sessions go with it.
* Publishing (courses, sessions) and organising (accepting, attendance, certificates,
  feedback figures): coordinators (local and above) and network facilitators over the
  jurisdiction — the course's owner jurisdiction, or the session's host.
* A participation is seen by the person it names, by the coordinators over the person's
  jurisdiction (as it was at registration), and by the session's organisers.
* Reach figures: coordinators, over the participants of their subtree.

All of it is filtered in SQL; what the actor may not see answers 404 like a missing record.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet

from tandem.core.access import COORDINATOR_RANK, READ_RANK, ROLE_RANK, Actor, get_access, path_q
from tandem.core.models import Jurisdiction, Person, Role

from .models import (
    CalendarFeed,
    Certificate,
    Course,
    CourseMaterial,
    CourseVisibility,
    Feedback,
    Participation,
    SharingExemption,
    SharingRequirement,
    TrainingNeed,
    TrainingSession,
)


def minimal_paths(paths: list[str]) -> list[str]:
    """Drop the paths a shorter one already covers."""
    kept: list[str] = []
    for path in sorted(set(paths), key=len):
        if not any(path.startswith(p) for p in kept):
            kept.append(path)
    return sorted(kept)


def organiser_paths(actor: Actor) -> list[str] | None:
    """Paths where the actor may publish and organise: coordinator rank, or a facilitator's grant.

    ``None``: everywhere (administrator); ``[]``: nowhere.
    """
    access = get_access(actor)
    if not access.is_active:
        return []
    if access.is_admin:
        return None
    paths = [g.path for g in access.grants if g.rank >= COORDINATOR_RANK or g.role == Role.FACILITATOR]
    return minimal_paths(paths)


def can_publish(actor: Actor, jurisdiction: Jurisdiction) -> bool:
    paths = organiser_paths(actor)
    return paths is None or any(jurisdiction.path.startswith(p) for p in paths)


def require_publish(actor: Actor, jurisdiction: Jurisdiction) -> None:
    if not can_publish(actor, jurisdiction):
        raise PermissionDenied


def publishable_jurisdictions(actor: Actor) -> QuerySet[Jurisdiction]:
    """Jurisdictions the actor may publish a course or host a session at."""
    return Jurisdiction.objects.filter(path_q(organiser_paths(actor), "path")).order_by("path")


def _ancestor_paths(paths: list[str]) -> list[str]:
    """Every path that is a prefix of one of ``paths`` (the grant's own included)."""
    found: set[str] = set()
    for path in paths:
        parts = [p for p in path.strip("/").split("/") if p]
        for i in range(1, len(parts) + 1):
            found.add("/" + "/".join(parts[:i]) + "/")
    return sorted(found)


def course_q(actor: Actor, prefix: str = "") -> Q:
    """``Q`` on courses (``prefix`` leads to the course): may the actor see it?"""
    access = get_access(actor)
    if not access.is_active:
        return Q(pk__in=[])
    if access.is_admin:
        return Q()
    grant_paths = access.grant_paths(READ_RANK)
    if not grant_paths:
        return Q(pk__in=[])
    field = f"{prefix}jurisdiction__path"
    above = Q(**{f"{field}__in": _ancestor_paths(grant_paths)})  # the owner is the user's unit or above it
    countries = access.country_paths() or []
    network = Q(**{f"{prefix}visibility": CourseVisibility.NETWORK})
    country = Q(**{f"{prefix}visibility": CourseVisibility.COUNTRY}) & (path_q(countries, field) | above)
    subtree = Q(**{f"{prefix}visibility": CourseVisibility.SUBTREE}) & (
        path_q(access.scope_paths(READ_RANK), field) | above
    )
    return network | country | subtree


def visible_courses(actor: Actor, *, include_archived: bool = False) -> QuerySet[Course]:
    qs = Course.objects.filter(course_q(actor)).select_related("jurisdiction")
    if not include_archived:
        qs = qs.filter(archived_at__isnull=True)
    return qs


def visible_materials(actor: Actor) -> QuerySet[CourseMaterial]:
    """Materials of the courses the actor sees (archived courses included: their page still opens)."""
    return CourseMaterial.objects.filter(course_q(actor, "course__")).select_related(
        "course", "course__jurisdiction", "session"
    )


def visible_sessions(actor: Actor) -> QuerySet[TrainingSession]:
    """Sessions of the courses the actor sees."""
    return TrainingSession.objects.filter(course_q(actor, "course__")).select_related(
        "course", "course__jurisdiction", "host"
    )


def organiser_q(actor: Actor, prefix: str = "") -> Q:
    """``Q`` on sessions (``prefix`` leads to the session): does the actor organise it?"""
    paths = organiser_paths(actor)
    if paths is None:
        return Q()
    if not paths:
        return Q(pk__in=[])
    return path_q(paths, f"{prefix}host__path") | path_q(paths, f"{prefix}course__jurisdiction__path")


def organised_sessions(actor: Actor) -> QuerySet[TrainingSession]:
    return visible_sessions(actor).filter(organiser_q(actor))


def can_organise(actor: Actor, session: TrainingSession) -> bool:
    return can_publish(actor, session.host) or can_publish(actor, session.course.jurisdiction)


def require_organise(actor: Actor, session: TrainingSession) -> None:
    if not can_organise(actor, session):
        raise PermissionDenied


def participation_q(actor: Actor, prefix: str = "") -> Q:
    """``Q`` on participations: the person themselves, coordinators over the person (as registered), organisers."""
    access = get_access(actor)
    if not access.is_active:
        return Q(pk__in=[])
    if access.is_admin:
        return Q()
    condition = Q(**{f"{prefix}person__user_id": access.pk})
    coordinator_paths = access.scope_paths(COORDINATOR_RANK)
    if coordinator_paths:
        condition |= path_q(coordinator_paths, f"{prefix}jurisdiction_path")
    organiser = organiser_paths(access)
    if organiser:
        condition |= organiser_q(access, f"{prefix}session__")
    return condition


def visible_participations(actor: Actor) -> QuerySet[Participation]:
    return Participation.objects.filter(
        participation_q(actor), session__in=visible_sessions(actor).values("id")
    ).select_related("person", "session", "session__course", "session__host", "jurisdiction")


def visible_feedback(actor: Actor) -> QuerySet[Feedback]:
    """Answers with names: only the person who gave them (organisers see aggregates, see selectors)."""
    access = get_access(actor)
    if access.is_admin:
        return Feedback.objects.all()
    pk = access.pk
    if not access.is_active or pk is None:
        return Feedback.objects.none()
    return Feedback.objects.filter(participation__person__user_id=pk)


def visible_certificates(actor: Actor) -> QuerySet[Certificate]:
    return Certificate.objects.filter(participation__in=visible_participations(actor).values("id")).select_related(
        "participation", "participation__session"
    )


def nominable_people(actor: Actor) -> QuerySet[Person]:
    """People a coordinator may nominate: active people of the coordinator's subtree."""
    access = get_access(actor)
    return Person.objects.filter(
        path_q(access.scope_paths(COORDINATOR_RANK), "jurisdiction__path"), archived_at__isnull=True
    ).select_related("jurisdiction")


def reach_participations(actor: Actor) -> QuerySet[Participation]:
    """Participations counted in the reach figures: coordinators, over the people of their subtree."""
    access = get_access(actor)
    return Participation.objects.filter(path_q(access.scope_paths(COORDINATOR_RANK), "jurisdiction_path"))


def need_q(actor: Actor) -> Q:
    """``Q`` on training needs: the coordinators over the need's jurisdiction (its own and those above)."""
    return get_access(actor).scope_q("jurisdiction__path", COORDINATOR_RANK)


def visible_needs(actor: Actor) -> QuerySet[TrainingNeed]:
    return TrainingNeed.objects.filter(need_q(actor)).select_related("jurisdiction", "raised_by", "answered_by")


def can_answer_need(actor: Actor, need: TrainingNeed) -> bool:
    """The level above answers: a coordinator over the need's parent jurisdiction."""
    parent = need.jurisdiction.parent
    return parent is not None and get_access(actor).rank_at(parent) >= COORDINATOR_RANK


def visible_requirements(actor: Actor) -> QuerySet[SharingRequirement]:
    """Which course a country requires before AMBER+ sending: every role of the country may read it."""
    return SharingRequirement.objects.filter(path_q(get_access(actor).country_paths(), "country__path")).select_related(
        "country", "course"
    )


def visible_exemptions(actor: Actor) -> QuerySet[SharingExemption]:
    """Exemptions: the national coordinators of the country, and the exempted user."""
    access = get_access(actor)
    pk = access.pk
    if not access.is_active or pk is None:
        return SharingExemption.objects.none()
    condition = Q(user_id=pk)
    national = access.scope_paths(ROLE_RANK[Role.NATIONAL_COORDINATOR])
    if national is None:
        return SharingExemption.objects.all().select_related("user", "requirement")
    if national:
        condition |= path_q(national, "requirement__country__path")
    return SharingExemption.objects.filter(condition).select_related("user", "requirement")


def own_person(actor: Actor) -> Person | None:
    """The actor's own directory record (``None`` without one)."""
    access = get_access(actor)
    pk = access.pk
    if not access.is_active or pk is None:
        return None
    return Person.objects.filter(user_id=pk, archived_at__isnull=True).select_related("jurisdiction").first()


def own_feed(actor: Actor) -> QuerySet[CalendarFeed]:
    access = get_access(actor)
    pk = access.pk
    if not access.is_active or pk is None:
        return CalendarFeed.objects.none()
    return CalendarFeed.objects.filter(user_id=pk)


def is_participant(actor: Actor, participation: Participation) -> bool:
    access = get_access(actor)
    return access.is_active and participation.person.user_id is not None and participation.person.user_id == access.pk


def can_see_person_details(actor: Any, participation: Participation) -> bool:
    return is_participant(actor, participation) or can_organise(actor, participation.session)


__all__ = [
    "can_answer_need",
    "need_q",
    "visible_needs",
    "visible_exemptions",
    "visible_requirements",
    "can_organise",
    "can_publish",
    "course_q",
    "is_participant",
    "nominable_people",
    "organised_sessions",
    "organiser_paths",
    "organiser_q",
    "own_feed",
    "own_person",
    "participation_q",
    "publishable_jurisdictions",
    "reach_participations",
    "require_organise",
    "require_publish",
    "visible_certificates",
    "visible_courses",
    "visible_feedback",
    "visible_materials",
    "visible_participations",
    "visible_sessions",
]
