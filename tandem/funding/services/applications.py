"""Applications: draft, submit, withdraw, documents."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tandem.core import uploads, versioning
from tandem.core.auditlog import audit_record
from tandem.core.models import AuditAction, Jurisdiction, Organisation, User

from .. import access
from ..models import Application, ApplicationDocument, ApplicationStatus, BudgetLine, Call
from ._common import is_open, money, require_open, within

DOCUMENT_TYPES = frozenset({"pdf", "png", "jpeg", "docx", "xlsx", "text"})
MAX_BUDGET_LINES = 30


def _clean_lines(lines: Sequence[tuple[str, Any]]) -> list[tuple[str, Decimal]]:
    cleaned = []
    for category, amount in lines:
        if not str(category).strip():
            raise ValidationError({"budget_lines": _("Each budget line has a category.")})
        cleaned.append((str(category).strip()[:200], money(amount, "budget_lines")))
    if not cleaned:
        raise ValidationError({"budget_lines": _("Give at least one budget line.")})
    if len(cleaned) > MAX_BUDGET_LINES:
        raise ValidationError({"budget_lines": _("At most 30 budget lines.")})
    return cleaned


def _check(
    call: Call,
    organisation: Organisation,
    jurisdiction: Jurisdiction,
    amount: Decimal,
    lines: list[tuple[str, Decimal]],
) -> None:
    errors: dict[str, str] = {}
    if not within(organisation.jurisdiction, call.jurisdiction) and not within(
        call.jurisdiction, organisation.jurisdiction
    ):
        errors["organisation"] = _("This organisation is not eligible for the call (outside its jurisdictions).")
    elif call.eligible_sectors and organisation.sector not in call.eligible_sectors:
        errors["organisation"] = _("This organisation's sector is not eligible for the call.")
    if not within(jurisdiction, call.jurisdiction):
        errors["jurisdiction"] = _("The project must take place within the call's jurisdictions.")
    if not call.min_grant <= amount <= call.max_grant:
        errors["amount_requested"] = _("The amount must be between %(min)s and %(max)s %(currency)s.") % {
            "min": call.min_grant,
            "max": call.max_grant,
            "currency": call.currency,
        }
    if sum((a for _c, a in lines), Decimal(0)) != amount:
        errors["budget_lines"] = _("The budget lines must add up to the amount requested.")
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def application_save(
    *,
    actor: User,
    call: Call,
    organisation: Organisation,
    title: str,
    summary: str,
    jurisdiction: Jurisdiction,
    amount_requested: Any,
    budget_lines: Sequence[tuple[str, Any]],
    co_funding: Any = "0",
    co_funding_note: str = "",
    objectives: Sequence[Any] = (),
    activities: Sequence[Any] = (),
    application: Application | None = None,
    expected_version: int | None = None,
) -> Application:
    """Create or update a draft (autosave and the form both come here). Nothing is written on error."""
    if not access.acts_for(actor, organisation.pk):
        raise PermissionDenied
    require_open(call)
    amount = money(amount_requested, "amount_requested", positive=True)
    lines = _clean_lines(budget_lines)
    _check(call, organisation, jurisdiction, amount, lines)
    served = set(Call.plan_objectives.through.objects.filter(call=call).values_list("objective_id", flat=True))
    if any(o.pk not in served for o in objectives):
        raise ValidationError({"objectives": _("Choose among the objectives the call serves.")})
    values = {
        "title": title.strip(),
        "summary": summary,
        "jurisdiction": jurisdiction,
        "amount_requested": amount,
        "co_funding": money(co_funding or "0", "co_funding"),
        "co_funding_note": co_funding_note,
    }
    if application is None:
        application = Application.objects.create(
            call=call, organisation=organisation, submitted_by=actor, status=ApplicationStatus.DRAFT, **values
        )
        audit_record(actor=actor, action=AuditAction.CREATE, obj=application)
    else:
        access.require_applicant(actor, application)
        if application.status != ApplicationStatus.DRAFT:
            raise ValidationError(_("Only a draft can be edited."))
        application = versioning.update(
            actor=actor, obj=application, expected_version=int(expected_version or 0), values=values
        )
        BudgetLine.objects.filter(application=application).delete()
    BudgetLine.objects.bulk_create(BudgetLine(application=application, category=c, amount=a) for c, a in lines)
    application.plan_objectives.set(objectives)
    application.plan_activities.set(activities)
    return application


@transaction.atomic
def application_submit(*, actor: User, application: Application, expected_version: int) -> Application:
    access.require_applicant(actor, application)
    locked = versioning.lock(application, expected_version=expected_version, actor=actor, fields=["status"])
    if locked.status != ApplicationStatus.DRAFT:
        raise ValidationError(_("Only a draft can be submitted."))
    require_open(locked.call)
    return versioning.save(locked, {"status": ApplicationStatus.SUBMITTED, "submitted_at": timezone.now()}, actor=actor)


@transaction.atomic
def application_withdraw(*, actor: User, application: Application, expected_version: int) -> Application:
    access.require_applicant(actor, application)
    locked = versioning.lock(application, expected_version=expected_version, actor=actor, fields=["status"])
    if locked.status not in (ApplicationStatus.DRAFT, ApplicationStatus.SUBMITTED, ApplicationStatus.WAITLISTED):
        raise ValidationError(_("A decided application cannot be withdrawn."))
    return versioning.save(locked, {"status": ApplicationStatus.WITHDRAWN}, actor=actor)


@transaction.atomic
def document_add(*, actor: User, application: Application, file: Any) -> ApplicationDocument:
    """Attach a file, checked by tandem.core.uploads before anything reads it (drafts, open calls)."""
    access.require_applicant(actor, application)
    if application.status != ApplicationStatus.DRAFT or not is_open(application.call):
        raise ValidationError(_("Documents can be added to a draft of an open call only."))
    checked = uploads.read_upload(file, allowed=DOCUMENT_TYPES)
    document = ApplicationDocument.objects.create(
        application=application, name=checked.name, content_type=checked.content_type, data=checked.data
    )
    audit_record(actor=actor, action=AuditAction.CREATE, obj=document, jurisdiction=application.jurisdiction)
    return document
