"""Awards: tranches, payments, spend reports, closing."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from tandem.core import uploads, versioning
from tandem.core.auditlog import audit_record
from tandem.core.models import AuditAction, User

from .. import access
from ..models import Award, BudgetLine, Payment, Receipt, SpendLine, SpendReport, Tranche
from ._common import money
from .applications import DOCUMENT_TYPES


def _open_award(award: Award) -> Award:
    locked = Award.objects.select_for_update().select_related("call", "application").get(pk=award.pk)
    if locked.closed_at is not None:
        raise ValidationError(_("This award is closed."))
    return locked


def _sum(queryset: Any, field: str = "amount") -> Decimal:
    return queryset.aggregate(total=Sum(field))["total"] or Decimal(0)


@transaction.atomic
def tranche_add(*, actor: User, award: Award, amount: Any, due_date: dt.date, condition: str = "") -> Tranche:
    access.require_manage_call(actor, award.call)
    locked = _open_award(award)
    value = money(amount, "amount", positive=True)
    if _sum(Tranche.objects.filter(award=locked)) + value > locked.amount:
        raise ValidationError({"amount": _("The tranches would add up to more than the award.")})
    tranche = Tranche.objects.create(award=locked, amount=value, due_date=due_date, condition=condition.strip())
    audit_record(actor=actor, action=AuditAction.CREATE, obj=tranche, jurisdiction=locked.jurisdiction)
    return tranche


@transaction.atomic
def payment_record(
    *, actor: User, award: Award, amount: Any, paid_on: dt.date, tranche: Tranche | None = None
) -> Payment:
    access.require_manage_call(actor, award.call)
    locked = _open_award(award)
    value = money(amount, "amount", positive=True)
    if _sum(Payment.objects.filter(award=locked)) + value > locked.amount:
        raise ValidationError({"amount": _("The payments would add up to more than the award.")})
    if tranche is not None:
        if tranche.award_id != locked.pk:
            raise ValidationError({"tranche": _("This tranche belongs to another award.")})
        if _sum(Payment.objects.filter(tranche=tranche)) + value > tranche.amount:
            raise ValidationError({"amount": _("The payments would add up to more than the tranche.")})
    payment = Payment.objects.create(award=locked, tranche=tranche, amount=value, paid_on=paid_on, recorded_by=actor)
    Award.objects.filter(pk=locked.pk).update(paid=F("paid") + value)  # the row is locked (_open_award)
    audit_record(actor=actor, action=AuditAction.CREATE, obj=payment, jurisdiction=locked.jurisdiction)
    return payment


@transaction.atomic
def report_schedule(*, actor: User, award: Award, due_date: dt.date) -> SpendReport:
    access.require_manage_call(actor, award.call)
    locked = _open_award(award)
    report = SpendReport.objects.create(award=locked, due_date=due_date)
    audit_record(actor=actor, action=AuditAction.CREATE, obj=report, jurisdiction=locked.jurisdiction)
    return report


@transaction.atomic
def report_submit(
    *,
    actor: User,
    report: SpendReport,
    narrative: str,
    lines: Mapping[int, Any],
    receipts: Sequence[Any] = (),
) -> SpendReport:
    """File a spend report: amount per budget line (id -> amount), narrative, receipts (checked by
    tandem.core.uploads). A line that would take the budget line over its amount is refused."""
    locked_report = SpendReport.objects.select_for_update().get(pk=report.pk)
    award = _open_award(locked_report.award)
    access.require_applicant(actor, award.application)
    if locked_report.submitted_at is not None:
        raise ValidationError(_("This report was already submitted."))
    budget = {b.pk: b for b in BudgetLine.objects.filter(application_id=award.application_id)}
    values = {}
    for line_id, amount in lines.items():
        if line_id not in budget:
            raise ValidationError({"lines": _("Unknown budget line.")})
        values[line_id] = money(amount, "lines")
    spent = {
        row["budget_line_id"]: row["total"]
        for row in SpendLine.objects.filter(budget_line_id__in=list(budget), report__submitted_at__isnull=False)
        .values("budget_line_id")
        .annotate(total=Sum("amount"))
    }
    over = [budget[i].category for i, v in values.items() if spent.get(i, Decimal(0)) + v > budget[i].amount]
    if over:
        raise ValidationError({"lines": _("Over-spend of the budget line(s): %(lines)s.") % {"lines": ", ".join(over)}})
    checked = [uploads.read_upload(f, allowed=DOCUMENT_TYPES) for f in receipts]
    SpendLine.objects.bulk_create(
        SpendLine(report=locked_report, budget_line=budget[i], amount=v) for i, v in values.items() if v
    )
    Receipt.objects.bulk_create(
        Receipt(report=locked_report, name=c.name, content_type=c.content_type, data=c.data) for c in checked
    )
    total = sum((v for v in values.values()), Decimal(0))
    Award.objects.filter(pk=award.pk).update(spent=F("spent") + total)  # the row is locked (_open_award)
    locked_report.narrative = narrative
    locked_report.submitted_at = timezone.now()
    locked_report.submitted_by = actor
    locked_report.save(update_fields=["narrative", "submitted_at", "submitted_by", "updated_at"])
    audit_record(
        actor=actor,
        action=AuditAction.UPDATE,
        obj=locked_report,
        jurisdiction=award.jurisdiction,
        changes={"spent": {budget[i].category: str(v) for i, v in values.items()}},
    )
    return locked_report


@transaction.atomic
def award_close(*, actor: User, award: Award, expected_version: int) -> Award:
    access.require_manage_call(actor, award.call)
    locked = versioning.lock(award, expected_version=expected_version, actor=actor, fields=["closed_at"])
    if locked.closed_at is not None:
        raise ValidationError(_("This award is closed."))
    return versioning.save(locked, {"closed_at": timezone.now()}, actor=actor)
