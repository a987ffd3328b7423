"""Review: reviewers, conflicts of interest, scores, decisions."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from tandem.core import events, versioning
from tandem.core.access import get_access
from tandem.core.auditlog import audit_record
from tandem.core.models import AuditAction, User

from .. import access
from ..models import (
    Application,
    ApplicationStatus,
    Award,
    ConflictDeclaration,
    Criterion,
    FundingSource,
    ReviewAssignment,
    Score,
)
from ._common import money


def linked_to_applicant(reviewer: User, application: Application) -> bool:
    """The reviewer acts for the applicant organisation (a current affiliation in the directory
    or a role on its behalf): a link that counts as a conflict whatever was declared."""
    return access.acts_for(get_access(reviewer), application.organisation_id)


@transaction.atomic
def reviewer_assign(*, actor: User, application: Application, reviewer: User) -> ReviewAssignment:
    access.require_manage_call(actor, application.call)
    if application.status == ApplicationStatus.DRAFT or application.status == ApplicationStatus.WITHDRAWN:
        raise ValidationError(_("Only submitted applications are reviewed."))
    if reviewer.pk == application.submitted_by_id:
        raise ValidationError({"reviewer": _("The applicant cannot review their own application.")})
    assignment, created = ReviewAssignment.objects.get_or_create(
        application=application, reviewer=reviewer, defaults={"assigned_by": actor}
    )
    if created:
        audit_record(actor=actor, action=AuditAction.CREATE, obj=assignment, jurisdiction=application.jurisdiction)
        # The reviewer has not declared their interests yet: the title names the call, not the application.
        events.emit(
            "funding.review_assigned",
            assignment,
            recipient_ids=[reviewer.pk],
            key=str(assignment.uuid),
            title=application.call.title,
            url=reverse("funding_declare", args=[assignment.uuid]),
            actor_id=actor.pk,
        )
    return assignment


@transaction.atomic
def conflict_declare(
    *, actor: User, assignment: ReviewAssignment, has_conflict: bool, note: str = ""
) -> ConflictDeclaration:
    """The reviewer's declaration, made once before the application is shown. A link in the
    directory that the reviewer did not declare is recorded as a conflict (``detected``)."""
    access.require_reviewer(actor, assignment)
    locked = ReviewAssignment.objects.select_for_update().get(pk=assignment.pk)
    if access.declaration_of(locked) is not None:
        raise ValidationError(_("You have already declared for this application."))
    detected = not has_conflict and linked_to_applicant(actor, locked.application)
    declaration = ConflictDeclaration.objects.create(
        assignment=locked, has_conflict=has_conflict or detected, detected=detected, note=note.strip()[:1000]
    )
    audit_record(
        actor=actor,
        action=AuditAction.UPDATE,
        obj=locked,
        jurisdiction=locked.application.jurisdiction,
        changes={"conflict": declaration.has_conflict, "detected": detected},
    )
    return declaration


@transaction.atomic
def scores_save(*, actor: User, assignment: ReviewAssignment, scores: Mapping[int, tuple[int, str]]) -> list[Score]:
    """Scores per criterion (criterion id -> (value, comment)); every criterion of the call once."""
    access.require_reviewer(actor, assignment)
    locked = ReviewAssignment.objects.select_for_update().select_related("application").get(pk=assignment.pk)
    declaration = access.declaration_of(locked)
    if declaration is None:
        raise ValidationError(_("Declare your conflicts of interest first."))
    if declaration.has_conflict:
        raise PermissionDenied(_("You declared a conflict of interest: you cannot score this application."))
    if linked_to_applicant(actor, locked.application):
        raise PermissionDenied(_("You are linked to the applicant organisation: you cannot score this application."))
    if locked.application.status != ApplicationStatus.SUBMITTED:
        raise ValidationError(_("This application is no longer open to review."))
    criteria = {c.pk: c for c in Criterion.objects.filter(call_id=locked.application.call_id)}
    if set(scores) != set(criteria):
        raise ValidationError({"scores": _("Score every criterion of the call.")})
    for criterion_id, (value, _comment) in scores.items():
        if not 0 <= int(value) <= criteria[criterion_id].max_score:
            raise ValidationError({"scores": _("A score is between 0 and the criterion's maximum.")})
    Score.objects.filter(assignment=locked).delete()
    saved = Score.objects.bulk_create(
        Score(assignment=locked, criterion=criteria[cid], value=int(value), comment=str(comment)[:2000])
        for cid, (value, comment) in scores.items()
    )
    locked.completed_at = timezone.now()
    locked.save(update_fields=["completed_at", "updated_at"])
    audit_record(
        actor=actor,
        action=AuditAction.UPDATE,
        obj=locked,
        jurisdiction=locked.application.jurisdiction,
        changes={"scores": {criteria[cid].name: int(v) for cid, (v, _c) in scores.items()}},
    )
    return saved


DECISIONS = (ApplicationStatus.AWARDED, ApplicationStatus.DECLINED, ApplicationStatus.WAITLISTED)


@transaction.atomic
def application_decide(
    *,
    actor: User,
    application: Application,
    expected_version: int,
    decision: str,
    reason: str = "",
    amount: Any = None,
    conditions: str = "",
    source: FundingSource | None = None,
) -> Application:
    """Award (amount, conditions, source), decline (reason) or wait-list. A stale version (another
    manager decided meanwhile) raises VersionConflict with what changed; nothing is written."""
    access.require_manage_call(actor, application.call)
    locked = versioning.lock(
        application, expected_version=expected_version, actor=actor, fields=["status", "decision_reason"]
    )
    if decision not in DECISIONS:
        raise ValidationError({"decision": _("Choose award, decline or wait-list.")})
    if locked.status not in (ApplicationStatus.SUBMITTED, ApplicationStatus.WAITLISTED):
        raise ValidationError(_("Only a submitted or wait-listed application can be decided."))
    if decision == ApplicationStatus.DECLINED and not reason.strip():
        raise ValidationError({"reason": _("Give the reason for declining.")})
    call = locked.call
    award_values: dict[str, Any] = {}
    if decision == ApplicationStatus.AWARDED:
        value = money(amount, "amount", positive=True)
        if value > call.max_grant:
            raise ValidationError({"amount": _("The award is above the call's maximum grant.")})
        if source is None or not call.sources.filter(pk=source.pk).exists():
            raise ValidationError({"source": _("Choose one of the call's funding sources.")})
        award_values = {"amount": value, "source": source, "conditions": conditions}
    now = timezone.now()
    saved = versioning.save(
        locked, {"status": decision, "decision_reason": reason.strip(), "decided_at": now}, actor=actor
    )
    if award_values:
        award = Award.objects.create(
            application=saved,
            call=call,
            jurisdiction=saved.jurisdiction,
            currency=call.currency,
            awarded_at=now,
            **award_values,
        )
        audit_record(actor=actor, action=AuditAction.CREATE, obj=award)
    events.emit(
        "funding.decision",
        saved,
        recipient_ids=[saved.submitted_by_id] if saved.submitted_by_id else [],
        key=f"{saved.uuid}:{decision}:{saved.version}",
        title=saved.title,
        url=reverse("funding_application_detail", args=[saved.uuid]),
        actor_id=actor.pk,
    )
    return saved
