"""What a session leaves on record: attendance by day, feedback, and certificates."""

from __future__ import annotations

import datetime as dt
import zoneinfo
from collections.abc import Iterable

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tandem.core.models import AuditAction, User
from tandem.core.services import audit_record

from .. import access
from ..models import (
    RATING_MAX,
    RATING_MIN,
    AttendanceDay,
    Certificate,
    Feedback,
    LearningObjective,
    ObjectiveRating,
    Participation,
    PlaceStatus,
    TrainingSession,
)
from .sessions import session_days


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
