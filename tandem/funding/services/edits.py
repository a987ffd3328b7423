"""Edits of funding sources and calls for proposals (versioned through tandem.core.versioning).

What may change once applicants rely on a call (the rule the page and the API share):

* before the call opens: everything;
* while it is open: the wording (title, purpose, required documents), open-data publication,
  the budget, more plan objectives (none removed), and a later closing time (closing earlier is
  the separate "close now" step, with its confirmation). The eligibility (jurisdiction,
  sectors), the grant range, the currency, the sources, the criteria and the opening time are
  frozen: applicants drafted against them;
* once it is closed: the wording, publication and the budget only (a call is never reopened).

The budget never falls below the maximum grant nor below what the call has awarded.
A source's currency and its money/in-kind nature are frozen once a call uses it, and its amount
never falls below what awards charge to it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from tandem.core import versioning
from tandem.core.models import Sector, User

from .. import access
from ..models import Award, Call, Criterion, FundingSource, InKindType, SourceKind
from ._common import currency, money

UPCOMING, OPEN, CLOSED = "upcoming", "open", "closed"
ALWAYS = frozenset({"title", "purpose", "required_documents", "publishable", "budget"})
WHILE_OPEN = ALWAYS | {"objectives", "closes_at"}


def stage(call: Call, now: dt.datetime | None = None) -> str:
    now = now or timezone.now()
    if now < call.opens_at:
        return UPCOMING
    return OPEN if now < call.closes_at else CLOSED


def editable_call_fields(call: Call) -> frozenset[str] | None:
    """The fields that may change at the call's stage (``None``: every field)."""
    current = stage(call)
    if current == UPCOMING:
        return None
    return WHILE_OPEN if current == OPEN else ALWAYS


def _criteria_now(call: Call) -> list[tuple[str, Decimal, int]]:
    return [
        (c.name, c.weight, c.max_score)
        for c in Criterion.objects.filter(call=call).order_by("position", "id")  # part of the call
    ]


def _ids(queryset: Any) -> set[int]:
    return set(queryset)


def _awarded(call: Call) -> Decimal:
    return Award.objects.filter(call=call).aggregate(t=Sum("amount"))["t"] or Decimal(0)


@transaction.atomic
def call_update(*, actor: User, call: Call, expected_version: int, **values: Any) -> Call:
    """Edit a call. ``values`` holds the fields sent (the others stay): title, purpose,
    required_documents, publishable, budget, min_grant, max_grant, currency_code, jurisdiction,
    eligible_sectors, sources, objectives, opens_at, closes_at, criteria ((name, weight, max))."""
    access.require_manage_call(actor, call)
    locked = versioning.lock(call, expected_version=expected_version, actor=actor, fields=list(values))
    allowed = editable_call_fields(locked)
    scalar: dict[str, Any] = {}
    errors: dict[str, str] = {}
    for name in ("title", "purpose", "required_documents", "publishable", "opens_at", "closes_at"):
        if name in values:
            scalar[name] = values[name].strip() if name == "title" else values[name]
    for name in ("budget", "min_grant", "max_grant"):
        if name in values:
            scalar[name] = money(values[name], name, positive=name != "min_grant")
    if "currency_code" in values:
        scalar["currency"] = currency(values["currency_code"], "currency_code")
    if "jurisdiction" in values:
        if not access.can_open_call(actor, values["jurisdiction"]):
            raise PermissionDenied
        scalar["jurisdiction"] = values["jurisdiction"]
    if "eligible_sectors" in values:
        sectors = list(values["eligible_sectors"])
        if any(s not in Sector.values for s in sectors):
            errors["eligible_sectors"] = _("Unknown sector.")
        scalar["eligible_sectors"] = sectors
    changed = {name: value for name, value in scalar.items() if getattr(locked, name) != value}
    sources = objectives = criteria = None
    if "sources" in values and {s.pk for s in values["sources"]} != _ids(locked.sources.values_list("id", flat=True)):
        sources = list(values["sources"])
    before_objectives = _ids(locked.plan_objectives.values_list("id", flat=True))
    if "objectives" in values and {o.pk for o in values["objectives"]} != before_objectives:
        objectives = list(values["objectives"])
    if "criteria" in values:
        wanted = [(str(n).strip(), money(w, "criteria", positive=True), int(m)) for n, w, m in values["criteria"]]
        if wanted != _criteria_now(locked):
            criteria = wanted
    touched = set(changed)
    touched |= {"sources"} if sources is not None else set()
    touched |= {"objectives"} if objectives is not None else set()
    touched |= {"criteria"} if criteria is not None else set()
    if "currency" in touched:
        touched = (touched - {"currency"}) | {"currency_code"}
    if allowed is not None:
        for name in sorted(touched - allowed):
            errors[name] = _("This can no longer change: the call is open or closed and applicants rely on it.")
        if objectives is not None and not before_objectives <= {o.pk for o in objectives}:
            errors["objectives"] = _("While the call is open, objectives may be added but none removed.")
        if "closes_at" in changed and changed["closes_at"] < locked.closes_at:
            errors["closes_at"] = _(
                "While the call is open, its closing time may only move later (use “Close the call now” to end it)."
            )
    if errors:
        raise ValidationError(errors)
    _check_call(locked, changed, sources, criteria, errors)
    if not touched:
        return locked
    audit_changes: dict[str, Any] = {name: [getattr(locked, name), value] for name, value in changed.items()}
    if sources is not None:
        audit_changes["sources"] = [s.name for s in sources]
        locked.sources.set(sources)
    if objectives is not None:
        audit_changes["objectives"] = [str(o) for o in objectives]
        locked.plan_objectives.set(objectives)
    if criteria is not None:
        audit_changes["criteria"] = [f"{n}; {w}; {m}" for n, w, m in criteria]
        Criterion.objects.filter(call=locked).delete()
        Criterion.objects.bulk_create(
            Criterion(call=locked, name=n, weight=w, max_score=m, position=i) for i, (n, w, m) in enumerate(criteria)
        )
    return versioning.save(locked, changed, actor=actor, changes=audit_changes)


def _check_call(
    call: Call,
    changed: dict[str, Any],
    sources: Sequence[FundingSource] | None,
    criteria: list[tuple[str, Decimal, int]] | None,
    errors: dict[str, str],
) -> None:
    def now(name: str) -> Any:
        return changed.get(name, getattr(call, name))

    if now("max_grant") < now("min_grant"):
        errors["max_grant"] = _("The maximum grant is below the minimum.")
    if now("budget") < now("max_grant"):
        errors["budget"] = _("The budget is below the maximum grant.")
    elif "budget" in changed and changed["budget"] < _awarded(call):
        errors["budget"] = _("The budget is below what the call has already awarded.")
    opens, closes = now("opens_at"), now("closes_at")
    if opens.tzinfo is None or closes.tzinfo is None:
        errors["opens_at"] = _("Give the opening and closing times with their time zone.")
    elif closes <= opens:
        errors["closes_at"] = _("The call closes before it opens.")
    if sources is not None and not sources:
        errors["sources"] = _("Choose at least one funding source.")
    check = sources if sources is not None else list(call.sources.all())
    if any(s.currency != now("currency") or s.in_kind for s in check):
        errors["sources"] = _("Every source of a call gives money in the call's currency.")
    if criteria is not None:
        if not criteria:
            errors["criteria"] = _("Give at least one criterion with its weight.")
        elif any(not n or not 1 <= m <= 100 for n, _w, m in criteria):
            errors["criteria"] = _("Each criterion has a name and a maximum score from 1 to 100.")
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def source_update(*, actor: User, source: FundingSource, expected_version: int, **values: Any) -> FundingSource:
    """Edit a source (its owner jurisdiction stays). ``values``: name, kind, organisation, amount,
    currency_code, in_kind, in_kind_type, in_kind_description, period_start, period_end,
    conditions, serves."""
    if not access.can_open_call(actor, source.jurisdiction):
        raise PermissionDenied
    locked = versioning.lock(source, expected_version=expected_version, actor=actor, fields=list(values))
    scalar: dict[str, Any] = {}
    for name in ("name", "kind", "organisation", "in_kind", "in_kind_type", "in_kind_description"):
        if name in values:
            scalar[name] = values[name].strip() if isinstance(values[name], str) else values[name]
    for name in ("period_start", "period_end", "conditions"):
        if name in values:
            scalar[name] = values[name]
    if "amount" in values:
        scalar["amount"] = money(values["amount"], "amount")
    if "currency_code" in values:
        scalar["currency"] = currency(values["currency_code"], "currency_code")
    if not scalar.get("in_kind", locked.in_kind):
        scalar.update(in_kind_type="", in_kind_description="")
    changed = {name: value for name, value in scalar.items() if getattr(locked, name) != value}
    serves = None
    if "serves" in values and {j.pk for j in values["serves"]} != _ids(locked.serves.values_list("id", flat=True)):
        serves = list(values["serves"])

    def now(name: str) -> Any:
        return changed.get(name, getattr(locked, name))

    errors: dict[str, str] = {}
    if now("kind") not in SourceKind.values:
        errors["kind"] = _("Choose a kind of source.")
    if now("in_kind") and (now("in_kind_type") not in InKindType.values or not now("in_kind_description")):
        errors["in_kind_description"] = _("A contribution in kind needs its type and a description.")
    if now("period_end") < now("period_start"):
        errors["period_end"] = _("The period ends before it starts.")
    used = locked.calls.exists()
    if used and "currency" in changed:
        errors["currency_code"] = _("A call uses this source: its currency can no longer change.")
    if used and "in_kind" in changed:
        errors["in_kind"] = _("A call uses this source: it stays a source of money.")
    charged = Award.objects.filter(source=locked).aggregate(t=Sum("amount"))["t"] or Decimal(0)
    if "amount" in changed and changed["amount"] < charged:
        errors["amount"] = _("The amount is below what awards already charge to this source (%(charged)s).") % {
            "charged": charged
        }
    country = locked.jurisdiction.country_path or locked.jurisdiction.path
    if serves is not None and any(not j.path.startswith(country) for j in serves):
        errors["serves"] = _("A source serves jurisdictions of its own country only.")
    if errors:
        raise ValidationError(errors)
    if not changed and serves is None:
        return locked
    audit_changes: dict[str, Any] = {name: [getattr(locked, name), value] for name, value in changed.items()}
    if serves is not None:
        audit_changes["serves"] = [j.name for j in serves]
        locked.serves.set(serves)
    return versioning.save(locked, changed, actor=actor, changes=audit_changes)
