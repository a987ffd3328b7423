"""Funding sources and calls for proposals."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from tandem.core.auditlog import audit_record
from tandem.core.models import AuditAction, Jurisdiction, Organisation, Sector, User

from .. import access
from ..models import Call, Criterion, FundingSource, InKindType, SourceKind
from ._common import currency, money


@transaction.atomic
def source_create(
    *,
    actor: User,
    name: str,
    kind: str,
    jurisdiction: Jurisdiction,
    amount: Any,
    currency_code: str,
    period_start: dt.date,
    period_end: dt.date,
    in_kind: bool = False,
    in_kind_type: str = "",
    in_kind_description: str = "",
    conditions: str = "",
    organisation: Organisation | None = None,
    serves: Iterable[Jurisdiction] = (),
) -> FundingSource:
    if not access.can_open_call(actor, jurisdiction):
        raise PermissionDenied
    errors: dict[str, str] = {}
    if kind not in SourceKind.values:
        errors["kind"] = _("Choose a kind of source.")
    if in_kind and (in_kind_type not in InKindType.values or not in_kind_description.strip()):
        errors["in_kind_description"] = _("A contribution in kind needs its type and a description.")
    if period_end < period_start:
        errors["period_end"] = _("The period ends before it starts.")
    if errors:
        raise ValidationError(errors)
    source = FundingSource.objects.create(
        name=name.strip(),
        kind=kind,
        jurisdiction=jurisdiction,
        organisation=organisation,
        amount=money(amount, "amount"),
        currency=currency(currency_code),
        in_kind=in_kind,
        in_kind_type=in_kind_type if in_kind else "",
        in_kind_description=in_kind_description.strip() if in_kind else "",
        period_start=period_start,
        period_end=period_end,
        conditions=conditions,
    )
    served = list(serves)
    if any(not j.path.startswith(jurisdiction.country_path or jurisdiction.path) for j in served):
        raise ValidationError({"serves": _("A source serves jurisdictions of its own country only.")})
    source.serves.set(served)
    audit_record(actor=actor, action=AuditAction.CREATE, obj=source)
    return source


@transaction.atomic
def call_create(
    *,
    actor: User,
    jurisdiction: Jurisdiction,
    title: str,
    purpose: str,
    sources: Sequence[FundingSource],
    budget: Any,
    min_grant: Any,
    max_grant: Any,
    currency_code: str,
    opens_at: dt.datetime,
    closes_at: dt.datetime,
    criteria: Sequence[tuple[str, Any, int]],
    eligible_sectors: Sequence[str] = (),
    objectives: Sequence[Any] = (),
    required_documents: str = "",
    publishable: bool = False,
    manager: User | None = None,
) -> Call:
    """Open a call over ``jurisdiction``'s subtree. ``criteria``: (name, weight, max score)."""
    if not access.can_open_call(actor, jurisdiction):
        raise PermissionDenied
    code = currency(currency_code)
    values = {
        "budget": money(budget, "budget", positive=True),
        "min_grant": money(min_grant, "min_grant"),
        "max_grant": money(max_grant, "max_grant", positive=True),
    }
    errors: dict[str, str] = {}
    if values["max_grant"] < values["min_grant"]:
        errors["max_grant"] = _("The maximum grant is below the minimum.")
    if values["budget"] < values["max_grant"]:
        errors["budget"] = _("The budget is below the maximum grant.")
    if opens_at.tzinfo is None or closes_at.tzinfo is None:
        errors["opens_at"] = _("Give the opening and closing times with their time zone.")
    elif closes_at <= opens_at:
        errors["closes_at"] = _("The call closes before it opens.")
    if not sources:
        errors["sources"] = _("Choose at least one funding source.")
    elif any(s.currency != code or s.in_kind for s in sources):
        errors["sources"] = _("Every source of a call gives money in the call's currency.")
    bad_sectors = [s for s in eligible_sectors if s not in Sector.values]
    if bad_sectors:
        errors["eligible_sectors"] = _("Unknown sector.")
    if not criteria:
        errors["criteria"] = _("Give at least one criterion with its weight.")
    weights = []
    for name, weight, max_score in criteria:
        w = money(weight, "criteria", positive=True)
        if not name.strip() or not 1 <= int(max_score) <= 100:
            errors["criteria"] = _("Each criterion has a name and a maximum score from 1 to 100.")
        weights.append(w)
    if errors:
        raise ValidationError(errors)
    call = Call.objects.create(
        title=title.strip(),
        purpose=purpose,
        jurisdiction=jurisdiction,
        eligible_sectors=list(eligible_sectors),
        currency=code,
        opens_at=opens_at,
        closes_at=closes_at,
        required_documents=required_documents,
        publishable=publishable,
        manager=manager or actor,
        **values,
    )
    call.sources.set(sources)
    call.plan_objectives.set(objectives)
    Criterion.objects.bulk_create(
        Criterion(call=call, name=name.strip(), weight=w, max_score=int(max_score), position=i)
        for i, ((name, _w, max_score), w) in enumerate(zip(criteria, weights, strict=True))
    )
    audit_record(actor=actor, action=AuditAction.CREATE, obj=call)
    return call


def total_weight(call: Call) -> Decimal:
    return sum((c.weight for c in Criterion.objects.filter(call=call)), Decimal(0))


@transaction.atomic
def call_close(*, actor: User, call: Call, expected_version: int) -> Call:
    """Close a call now (before its closing time): no more drafts, edits or submissions."""
    from django.utils import timezone

    from tandem.core import versioning

    access.require_manage_call(actor, call)
    locked = versioning.lock(call, expected_version=expected_version, actor=actor, fields=["closes_at"])
    now = timezone.now()
    if locked.closes_at <= now:
        raise ValidationError(_("This call is already closed."))
    return versioning.save(locked, {"closes_at": max(now, locked.opens_at + dt.timedelta(seconds=1))}, actor=actor)


@transaction.atomic
def call_release_comments(*, actor: User, call: Call, expected_version: int) -> Call:
    """Let the applicants of a call read the reviewers' comments, anonymised, once decided."""
    from tandem.core import versioning

    access.require_manage_call(actor, call)
    locked = versioning.lock(call, expected_version=expected_version, actor=actor, fields=["release_comments"])
    return versioning.save(locked, {"release_comments": True}, actor=actor)
