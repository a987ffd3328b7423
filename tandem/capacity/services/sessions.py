"""Sessions of a course: creation, changes, cancellation (announced), archiving, and their days."""

from __future__ import annotations

import datetime as dt
import zoneinfo
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from tandem.core import events, versioning
from tandem.core.models import AuditAction, Jurisdiction, Person, User
from tandem.core.services import audit_record

from .. import access
from ..models import OPEN_STATUSES, Course, Participation, TrainingSession
from .participants import _accepted_count, _promote


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
