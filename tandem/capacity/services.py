"""Writes of capacity building: atomic, audited, permission re-checked.

Every function is ``<entity>_<action>(*, actor, ...)``. A refusal raises
``ValidationError`` (bad input: nothing written) or ``PermissionDenied``.
Places are counted with the session row locked (``select_for_update``), so two
people asking for the last place at once cannot both get it.
"""

from __future__ import annotations

import datetime as dt
import zoneinfo
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from tandem.core import access as core_access
from tandem.core import events, versioning
from tandem.core.access import COORDINATOR_RANK, get_access
from tandem.core.models import Affiliation, AuditAction, Jurisdiction, Person, Sector, User
from tandem.core.services import audit_record

from . import access
from .models import (
    MAX_OBJECTIVES,
    OPEN_STATUSES,
    RATING_MAX,
    RATING_MIN,
    AttendanceDay,
    CalendarFeed,
    Certificate,
    Competency,
    Course,
    CourseAudience,
    CourseCompetency,
    Feedback,
    LearningObjective,
    ObjectiveRating,
    Participation,
    PlaceStatus,
    TrainingNeed,
    TrainingSession,
    Urgency,
    level_of,
    new_token,
)

COURSE_FIELDS = {"title", "summary", "level", "languages", "duration_hours", "delivery", "visibility"}


# --- Courses ----------------------------------------------------------------------------


def choosable_items(actor: Any) -> Any:
    """Framework items a course may name: those of the assessment frameworks the actor reads."""
    from tandem.assessment.access import visible_frameworks
    from tandem.assessment.models import Item

    return Item.objects.filter(competency__framework__in=visible_frameworks(actor).values("id")).select_related(
        "competency", "competency__framework"
    )


def _set_items(actor: Any, course: Course, items: Iterable[Any] | None) -> None:
    if items is None:
        return
    wanted = {item.pk for item in items}
    if len(wanted) > 50:
        raise ValidationError({"framework_items": _("At most 50 framework items.")})
    if wanted and choosable_items(actor).filter(pk__in=wanted).count() != len(wanted):
        raise ValidationError({"framework_items": _("Choose framework items from the list.")})
    course.framework_items.set(list(wanted))


def _set_parts(course: Course, objectives: list[str] | None, competencies: list[str] | None, sectors: list[str] | None):
    if objectives is not None:
        cleaned = [o.strip() for o in objectives if o and o.strip()]
        if len(cleaned) > MAX_OBJECTIVES:
            raise ValidationError({"objectives": _("At most %(n)d learning objectives.") % {"n": MAX_OBJECTIVES}})
        if any(len(o) > 500 for o in cleaned):
            raise ValidationError({"objectives": _("Each learning objective can have at most 500 characters.")})
        existing = list(LearningObjective.objects.filter(course=course).order_by("position", "id"))
        # Keep the rows of unchanged objectives, so ratings already given stay attached to them.
        for i, text in enumerate(cleaned):
            if i < len(existing):
                if existing[i].text != text or existing[i].position != i:
                    existing[i].text, existing[i].position = text, i
                    existing[i].save(update_fields=["text", "position"])
            else:
                LearningObjective.objects.create(course=course, position=i, text=text)
        for extra in existing[len(cleaned) :]:
            extra.delete()
    if competencies is not None:
        unknown = set(competencies) - set(Competency.values)
        if unknown:
            raise ValidationError({"competencies": _("Unknown competency.")})
        CourseCompetency.objects.filter(course=course).delete()
        CourseCompetency.objects.bulk_create([CourseCompetency(course=course, competency=c) for c in set(competencies)])
    if sectors is not None:
        if set(sectors) - set(Sector.values):
            raise ValidationError({"sectors": _("Unknown sector.")})
        CourseAudience.objects.filter(course=course).delete()
        CourseAudience.objects.bulk_create([CourseAudience(course=course, sector=s) for s in set(sectors)])


@transaction.atomic
def course_create(
    *,
    actor: User,
    jurisdiction: Jurisdiction,
    title: str,
    level: str,
    delivery: str,
    visibility: str,
    summary: str = "",
    languages: str = "",
    duration_hours: int = 1,
    objectives: list[str] | None = None,
    competencies: list[str] | None = None,
    sectors: list[str] | None = None,
    framework_items: Iterable[Any] | None = None,
) -> Course:
    access.require_publish(actor, jurisdiction)
    course = Course(
        title=title.strip(),
        summary=summary,
        jurisdiction=jurisdiction,
        level=level,
        languages=languages,
        duration_hours=duration_hours,
        delivery=delivery,
        visibility=visibility,
        created_by=actor,
    )
    course.full_clean()
    course.save()
    _set_parts(course, objectives or [], competencies or [], sectors or [])
    _set_items(actor, course, framework_items)
    audit_record(actor=actor, action=AuditAction.CREATE, obj=course, changes={"title": course.title})
    return course


@transaction.atomic
def course_update(
    *,
    actor: User,
    course: Course,
    expected_version: int,
    objectives: list[str] | None = None,
    competencies: list[str] | None = None,
    sectors: list[str] | None = None,
    framework_items: Iterable[Any] | None = None,
    **values: Any,
) -> Course:
    access.require_publish(actor, course.jurisdiction)
    if set(values) - COURSE_FIELDS:
        raise ValueError(f"cannot update {set(values) - COURSE_FIELDS}")
    updated = versioning.update(actor=actor, model=Course, obj=course, expected_version=expected_version, values=values)
    if framework_items is not None:
        framework_items = list(framework_items)
        _set_items(actor, updated, framework_items)
        audit_record(
            actor=actor,
            action=AuditAction.UPDATE,
            obj=updated,
            changes={"framework_items": sorted(f"{i.competency.framework.slug}:{i.code}" for i in framework_items)},
        )
    if objectives is not None or competencies is not None or sectors is not None:
        _set_parts(updated, objectives, competencies, sectors)
        audit_record(
            actor=actor,
            action=AuditAction.UPDATE,
            obj=updated,
            changes={
                k: v
                for k, v in {"objectives": objectives, "competencies": competencies, "sectors": sectors}.items()
                if v is not None
            },
        )
    return updated


# --- Sessions ---------------------------------------------------------------------------


def _check_session(
    starts_at: dt.datetime, ends_at: dt.datetime, deadline: dt.datetime, places: int, time_zone: str, share: int
) -> None:
    errors: dict[str, str] = {}
    for name, value in (("starts_at", starts_at), ("ends_at", ends_at), ("registration_deadline", deadline)):
        if timezone.is_naive(value):
            errors[name] = _("Give a time with its time zone.")
    if errors:
        raise ValidationError(errors)
    if ends_at <= starts_at:
        errors["ends_at"] = _("The session cannot end before it starts.")
    if deadline > ends_at:
        errors["registration_deadline"] = _("The registration deadline must be before the session ends.")
    if places < 1:
        errors["places"] = _("A session needs at least one place.")
    if not 0 <= share <= 100:
        errors["required_share"] = _("The required attendance is a share between 0 and 100%.")
    if (ends_at - starts_at).days > 60:
        errors["ends_at"] = _("A session lasts at most 60 days.")
    try:
        zoneinfo.ZoneInfo(time_zone)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        errors["time_zone"] = _("Unknown time zone.")
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def session_create(
    *,
    actor: User,
    course: Course,
    host: Jurisdiction,
    starts_at: dt.datetime,
    ends_at: dt.datetime,
    places: int,
    registration_deadline: dt.datetime,
    time_zone: str = "UTC",
    venue: str = "",
    online_link: str = "",
    required_share: int = 80,
    trainers: Iterable[Person] = (),
    external_trainers: str = "",
) -> TrainingSession:
    if not (access.can_publish(actor, host) or access.can_publish(actor, course.jurisdiction)):
        raise PermissionDenied
    access.require_publish(actor, host)
    _check_session(starts_at, ends_at, registration_deadline, places, time_zone, required_share)
    if not venue.strip() and not online_link.strip():
        raise ValidationError({"venue": _("Give a venue or an online link.")})
    session = TrainingSession(
        course=course,
        host=host,
        starts_at=starts_at,
        ends_at=ends_at,
        time_zone=time_zone,
        venue=venue.strip(),
        online_link=online_link.strip(),
        places=places,
        registration_deadline=registration_deadline,
        required_share=required_share,
        external_trainers=external_trainers.strip(),
        created_by=actor,
    )
    session.full_clean()
    session.save()
    trainer_list = list(trainers)
    if trainer_list:
        session.session_trainers.set(trainer_list)
    audit_record(
        actor=actor,
        action=AuditAction.CREATE,
        obj=session,
        jurisdiction=host,
        changes={"course": course.title, "starts_at": starts_at, "places": places},
    )
    return session


SESSION_FIELDS = {
    "starts_at",
    "ends_at",
    "time_zone",
    "registration_deadline",
    "places",
    "venue",
    "online_link",
    "required_share",
    "external_trainers",
}


def _require_open(session: TrainingSession) -> None:
    if session.cancelled_at is not None:
        raise ValidationError(_("This session was cancelled."))
    if session.archived_at is not None:
        raise ValidationError(_("This session is archived."))


@transaction.atomic
def session_update(
    *,
    actor: User,
    session: TrainingSession,
    expected_version: int,
    trainers: Iterable[Person] | None = None,
    **values: Any,
) -> TrainingSession:
    """The organiser changes a session's dates, place or places; an added place goes to the wait-list."""
    access.require_organise(actor, session)
    if set(values) - SESSION_FIELDS:
        raise ValueError(f"cannot update {set(values) - SESSION_FIELDS}")
    locked = versioning.lock(session, expected_version=expected_version, actor=actor, fields=list(values))
    _require_open(locked)
    merged = {name: values.get(name, getattr(locked, name)) for name in SESSION_FIELDS}
    for name in ("venue", "online_link", "external_trainers", "time_zone"):
        merged[name] = (merged[name] or "").strip()
    _check_session(
        merged["starts_at"],
        merged["ends_at"],
        merged["registration_deadline"],
        merged["places"],
        merged["time_zone"],
        merged["required_share"],
    )
    if not merged["venue"] and not merged["online_link"]:
        raise ValidationError({"venue": _("Give a venue or an online link.")})
    taken = _accepted_count(locked)
    if merged["places"] < taken:
        raise ValidationError(
            {
                "places": _("%(taken)d places are already taken; free some before lowering the places.")
                % {"taken": taken}
            }
        )
    changed = {name: merged[name] for name in SESSION_FIELDS if getattr(locked, name) != merged[name]}
    if changed:
        locked = versioning.save(locked, changed, actor=actor, jurisdiction=locked.host, clean=True)
    if trainers is not None:
        locked.session_trainers.set(list(trainers))
    while "places" in changed and _promote(actor=actor, session=locked) is not None:
        pass
    return locked


def _participant_user_ids(session: TrainingSession) -> list[int]:
    return [
        pk
        for pk in Participation.objects.filter(session=session, status__in=OPEN_STATUSES).values_list(
            "person__user_id", flat=True
        )
        if pk is not None
    ]


@transaction.atomic
def session_cancel(*, actor: User, session: TrainingSession, expected_version: int, reason: str) -> TrainingSession:
    """The organiser cancels a session: it takes no more registrations; the places stay on record."""
    access.require_organise(actor, session)
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": _("Say why the session is cancelled; the participants will read it.")})
    locked = versioning.lock(session, expected_version=expected_version, actor=actor)
    _require_open(locked)
    told = _participant_user_ids(locked)  # registered, nominated, requested and wait-listed
    saved = versioning.save(
        locked,
        {"cancelled_at": timezone.now(), "cancellation_reason": reason[:1000]},
        actor=actor,
        jurisdiction=locked.host,
        changes={"cancelled": True, "reason": reason[:1000], "participants": len(told)},
    )
    # Once the cancellation commits; the notifications app drops whoever cannot open the session.
    events.emit(
        "capacity.session_cancelled",
        saved,
        recipient_ids=told,
        key=f"{saved.uuid}:cancelled",
        title=str(saved),
        url=reverse("session_detail", args=[saved.uuid]),
        actor_id=actor.pk,
    )
    return saved


@transaction.atomic
def session_archive(*, actor: User, session: TrainingSession, expected_version: int) -> TrainingSession:
    """The organiser files away a session that has ended or was cancelled; it leaves the lists."""
    access.require_organise(actor, session)
    locked = versioning.lock(session, expected_version=expected_version, actor=actor)
    if locked.archived_at is not None:
        raise ValidationError(_("This session is archived."))
    if locked.cancelled_at is None and locked.ends_at > timezone.now():
        raise ValidationError(_("Only a session that has ended or was cancelled can be archived."))
    return versioning.save(
        locked, {"archived_at": timezone.now()}, actor=actor, action=AuditAction.ARCHIVE, jurisdiction=locked.host
    )


def session_days(session: TrainingSession) -> list[dt.date]:
    """The calendar days of the session in its own time zone."""
    zone = zoneinfo.ZoneInfo(session.time_zone)
    first = session.starts_at.astimezone(zone).date()
    last = session.ends_at.astimezone(zone).date()
    return [first + dt.timedelta(days=i) for i in range((last - first).days + 1)]


# --- Participants -----------------------------------------------------------------------


def _snapshot(person: Person) -> dict[str, Any]:
    today = timezone.localdate()
    affiliation = (
        Affiliation.objects.filter(
            Q(end_date__isnull=True) | Q(end_date__gte=today), person=person, organisation__archived_at__isnull=True
        )
        .select_related("organisation")
        .order_by("-start_date", "id")
        .first()
    )
    organisation = affiliation.organisation if affiliation else None
    return {
        "sector": organisation.sector if organisation else "",
        "organisation": organisation,
        "organisation_name": organisation.name if organisation else "",
        "jurisdiction": person.jurisdiction,
        "jurisdiction_path": person.jurisdiction.path,
        "level": level_of(person.jurisdiction),
    }


def _announce(kind: str, participation: Participation, recipient_ids: list[Any], actor: User) -> None:
    """Tell the notifications app (after commit) about a place in a session: the record is the session."""
    session = participation.session
    events.emit(
        kind,
        session,
        recipient_ids=[pk for pk in recipient_ids if pk],
        key=f"{participation.uuid}:{kind}:{participation.status}:{participation.version}",
        title=str(session),
        url=reverse("session_detail", args=[session.uuid]),
        actor_id=actor.pk,
    )


def _lock_session(session: TrainingSession) -> TrainingSession:
    return TrainingSession.objects.select_for_update().get(pk=session.pk)


def _register(
    *, actor: User, session: TrainingSession, person: Person, status: str, walk_in: bool = False
) -> Participation:
    locked = _lock_session(session)
    if locked.cancelled_at is not None:
        raise ValidationError(_("This session was cancelled; it takes no registrations."))
    if locked.archived_at is not None:
        raise ValidationError(_("This session is archived; it takes no registrations."))
    if walk_in and _accepted_count(locked) >= locked.places:
        raise ValidationError(_("The session is full (%(places)d places).") % {"places": locked.places})
    if not walk_in and timezone.now() > locked.registration_deadline:
        raise ValidationError(
            _("Registration for this session closed on %(date)s.")
            % {"date": timezone.localtime(locked.registration_deadline).strftime("%Y-%m-%d %H:%M")}
        )
    existing = Participation.objects.filter(session=locked, person=person).first()
    if existing is not None and existing.status in OPEN_STATUSES:
        raise ValidationError(_("%(name)s already holds a place or a request for this session.") % {"name": person})
    values = {**_snapshot(person), "status": status, "nominated_by": actor if status == PlaceStatus.NOMINATED else None}
    if existing is not None:  # came back after withdrawing or being declined: a fresh registration
        participation = versioning.save(versioning.lock(existing), values, actor=actor, action=AuditAction.UPDATE)
        return participation
    participation = Participation.objects.create(session=locked, person=person, **values)
    audit_record(
        actor=actor,
        action=AuditAction.CREATE,
        obj=participation,
        jurisdiction=participation.jurisdiction,
        changes={"status": status, "session": str(locked.uuid)},
    )
    return participation


@transaction.atomic
def participation_request(*, actor: User, session: TrainingSession) -> Participation:
    """The actor asks for a place for themselves (needs their own directory record)."""
    if not access.visible_sessions(actor).filter(pk=session.pk).exists():
        raise PermissionDenied
    person = access.own_person(actor)
    if person is None:
        raise ValidationError(_("Your account is not linked to a person in the directory; ask a coordinator."))
    participation = _register(actor=actor, session=session, person=person, status=PlaceStatus.REQUESTED)
    _announce("capacity.place_requested", participation, [session.created_by_id], actor)
    return participation


@transaction.atomic
def participation_nominate(*, actor: User, session: TrainingSession, person: Person) -> Participation:
    """A coordinator proposes a person of their subtree."""
    if not access.visible_sessions(actor).filter(pk=session.pk).exists():
        raise PermissionDenied
    if get_access(actor).rank_at(person.jurisdiction) < COORDINATOR_RANK or person.archived_at is not None:
        raise ValidationError({"person": _("You can nominate only people of your own jurisdiction and below.")})
    participation = _register(actor=actor, session=session, person=person, status=PlaceStatus.NOMINATED)
    _announce("capacity.nominated", participation, [person.user_id, session.created_by_id], actor)
    return participation


@transaction.atomic
def participation_add(*, actor: User, session: TrainingSession, person: Person) -> Participation:
    """The organiser gives a place directly (a walk-in, or a late addition): accepted at once if a
    place is free, whatever the registration deadline."""
    access.require_organise(actor, session)
    if not core_access.visible_people(actor).filter(pk=person.pk).exists():
        raise ValidationError({"person": _("This person is not in your directory.")})
    return _register(actor=actor, session=session, person=person, status=PlaceStatus.ACCEPTED, walk_in=True)


def _accepted_count(session: TrainingSession) -> int:
    return Participation.objects.filter(session=session, status=PlaceStatus.ACCEPTED).count()


def _promote(*, actor: User, session: TrainingSession) -> Participation | None:
    """Give a freed place to the first on the wait-list (the session row is locked by the caller)."""
    if _accepted_count(session) >= session.places:
        return None
    first = (
        Participation.objects.filter(session=session, status=PlaceStatus.WAITLISTED)
        .order_by("updated_at", "id")
        .first()
    )
    if first is None:
        return None
    locked = versioning.lock(first)
    promoted = versioning.save(
        locked,
        {"status": PlaceStatus.ACCEPTED},
        actor=actor,
        changes={"status": [PlaceStatus.WAITLISTED, PlaceStatus.ACCEPTED], "promoted": True},
    )
    _announce("capacity.promoted", promoted, [promoted.person.user_id], actor)
    return promoted


@transaction.atomic
def participation_decide(
    *, actor: User, participation: Participation, status: str, expected_version: int | None = None
) -> Participation:
    """The organiser accepts, wait-lists or declines a participant."""
    session = _lock_session(participation.session)
    access.require_organise(actor, session)
    if status not in (PlaceStatus.ACCEPTED, PlaceStatus.WAITLISTED, PlaceStatus.DECLINED):
        raise ValidationError({"status": _("Choose accept, wait-list or decline.")})
    locked = versioning.lock(participation, expected_version=expected_version, actor=actor, fields=["status"])
    if locked.status == PlaceStatus.WITHDRAWN:
        raise ValidationError(_("%(name)s has withdrawn.") % {"name": locked.person})
    if locked.status == status:
        return locked
    if status == PlaceStatus.ACCEPTED and _accepted_count(session) >= session.places:
        raise ValidationError(
            _("The session is full (%(places)d places). Wait-list this person or free a place first.")
            % {"places": session.places}
        )
    was_accepted = locked.status == PlaceStatus.ACCEPTED
    saved = versioning.save(locked, {"status": status}, actor=actor, jurisdiction=locked.jurisdiction)
    _announce("capacity.place_decided", saved, [saved.person.user_id], actor)
    if was_accepted:
        _promote(actor=actor, session=session)
    return saved


@transaction.atomic
def participation_withdraw(*, actor: User, participation: Participation) -> Participation:
    """The person (or whoever nominated them, or an organiser) withdraws; a freed place goes to the wait-list."""
    session = _lock_session(participation.session)
    if not (
        access.is_participant(actor, participation)
        or participation.nominated_by_id == get_access(actor).pk
        or access.can_organise(actor, session)
    ):
        raise PermissionDenied
    locked = versioning.lock(participation)
    if locked.status not in OPEN_STATUSES:
        raise ValidationError(_("This place is no longer open."))
    was_accepted = locked.status == PlaceStatus.ACCEPTED
    saved = versioning.save(locked, {"status": PlaceStatus.WITHDRAWN}, actor=actor, jurisdiction=locked.jurisdiction)
    if was_accepted:
        _promote(actor=actor, session=session)
    return saved


# --- Attendance -------------------------------------------------------------------------


@transaction.atomic
def attendance_record(*, actor: User, session: TrainingSession, day: dt.date, present: Iterable[Participation]) -> int:
    """Record who attended on ``day``: the accepted participants listed are present, the others absent."""
    access.require_organise(actor, session)
    if day not in session_days(session):
        raise ValidationError({"day": _("%(day)s is not a day of this session.") % {"day": day.isoformat()}})
    accepted = list(Participation.objects.filter(session=session, status=PlaceStatus.ACCEPTED))
    present_ids = {p.pk for p in present}
    unknown = present_ids - {p.pk for p in accepted}
    if unknown:
        raise ValidationError(_("Only accepted participants can be marked present."))
    for participation in accepted:
        AttendanceDay.objects.update_or_create(
            participation=participation, day=day, defaults={"present": participation.pk in present_ids}
        )
    audit_record(
        actor=actor,
        action=AuditAction.UPDATE,
        obj=session,
        jurisdiction=session.host,
        changes={
            "attendance": day.isoformat(),
            "present": len(present_ids),
            "absent": len(accepted) - len(present_ids),
        },
    )
    return len(present_ids)


# --- Feedback ---------------------------------------------------------------------------


@transaction.atomic
def feedback_submit(
    *, actor: User, participation: Participation, ratings: dict[int, tuple[int, int, int]], comment: str = ""
) -> Feedback:
    """The participant rates each learning objective (1-5) and their confidence before and after."""
    participation = Participation.objects.select_related("session", "session__course", "person").get(
        pk=participation.pk
    )
    if not access.is_participant(actor, participation):
        raise PermissionDenied
    if participation.status != PlaceStatus.ACCEPTED:
        raise ValidationError(_("Only participants who held a place can give feedback."))
    if timezone.now() < participation.session.starts_at:
        raise ValidationError(_("Feedback opens when the session starts."))
    if Feedback.objects.filter(participation=participation).exists():
        raise ValidationError(_("You have already given feedback on this session."))
    objectives = {o.pk: o for o in LearningObjective.objects.filter(course=participation.session.course)}
    if set(ratings) - set(objectives):
        raise ValidationError(_("A rating names an objective of another course."))
    for values in ratings.values():
        if any(not isinstance(v, int) or not RATING_MIN <= v <= RATING_MAX for v in values):
            raise ValidationError(_("Ratings go from %(min)d to %(max)d.") % {"min": RATING_MIN, "max": RATING_MAX})
    if len(comment) > 3000:
        raise ValidationError({"comment": _("At most 3000 characters.")})
    feedback = Feedback.objects.create(participation=participation, comment=comment.strip())
    ObjectiveRating.objects.bulk_create(
        [
            ObjectiveRating(
                feedback=feedback, objective=objectives[pk], rating=r, confidence_before=b, confidence_after=a
            )
            for pk, (r, b, a) in ratings.items()
        ]
    )
    audit_record(
        actor=actor,
        action=AuditAction.CREATE,
        obj=feedback,
        jurisdiction=participation.jurisdiction,
        changes={"ratings": len(ratings)},
    )
    return feedback


# --- Certificates -----------------------------------------------------------------------


def attended_share(session: TrainingSession, days_present: int) -> int:
    total = len(session_days(session))
    return round(100 * days_present / total) if total else 0


@transaction.atomic
def certificates_issue(*, actor: User, session: TrainingSession) -> list[Certificate]:
    """A certificate for each accepted participant who attended the required share of days (once each)."""
    access.require_organise(actor, session)
    if timezone.now() < session.starts_at:
        raise ValidationError(_("Certificates can be issued once the session has taken place."))
    completed_on = session.ends_at.astimezone(zoneinfo.ZoneInfo(session.time_zone)).date()
    issued = []
    candidates = Participation.objects.filter(session=session, status=PlaceStatus.ACCEPTED, certificate__isnull=True)
    for participation in candidates.select_related("person"):
        present = AttendanceDay.objects.filter(participation=participation, present=True).count()
        if attended_share(session, present) < session.required_share:
            continue
        certificate = Certificate.objects.create(
            participation=participation,
            full_name=participation.person.full_name,
            course_title=session.course.title,
            completed_on=completed_on,
        )
        audit_record(
            actor=actor,
            action=AuditAction.CREATE,
            obj=certificate,
            jurisdiction=participation.jurisdiction,
            changes={"person": participation.person.full_name},
        )
        issued.append(certificate)
    return issued


# --- The personal calendar feed ---------------------------------------------------------


@transaction.atomic
def calendar_feed_rotate(*, actor: User) -> CalendarFeed:
    """Give the actor a (new) private feed link; the old one stops at once."""
    if not get_access(actor).is_active:
        raise PermissionDenied
    feed, created = CalendarFeed.objects.get_or_create(user=actor)
    if not created:
        feed.token = new_token()
        feed.save(update_fields=["token"])
    audit_record(actor=actor, action=AuditAction.TOKEN, changes={"calendar_feed": "created" if created else "replaced"})
    return feed


# --- Training needs ---------------------------------------------------------------------


@transaction.atomic
def need_create(
    *,
    actor: User,
    jurisdiction: Jurisdiction,
    competency: str,
    people_count: int,
    urgency: str,
    sector: str = "",
    description: str = "",
) -> TrainingNeed:
    if get_access(actor).rank_at(jurisdiction) < COORDINATOR_RANK:
        raise PermissionDenied
    if competency not in Competency.values or urgency not in Urgency.values or (sector and sector not in Sector.values):
        raise ValidationError(_("Choose a competency, an urgency and a sector from the lists."))
    if people_count < 1:
        raise ValidationError({"people_count": _("At least one person.")})
    need = TrainingNeed(
        jurisdiction=jurisdiction,
        competency=competency,
        sector=sector,
        people_count=people_count,
        urgency=urgency,
        description=description.strip(),
        raised_by=actor,
    )
    need.full_clean()
    need.save()
    audit_record(actor=actor, action=AuditAction.CREATE, obj=need, changes={"competency": competency})
    return need


@transaction.atomic
def need_answer(*, actor: User, need: TrainingNeed, answer: str, expected_version: int) -> TrainingNeed:
    if not access.can_answer_need(actor, need):
        raise PermissionDenied
    if not answer.strip():
        raise ValidationError({"answer": _("Write the answer.")})
    locked = versioning.lock(need, expected_version=expected_version, actor=actor, fields=["answer"])
    return versioning.save(
        locked,
        {"answer": answer.strip(), "answered_by": actor, "answered_at": timezone.now()},
        actor=actor,
        changes={"answer": answer.strip()[:200]},
    )
