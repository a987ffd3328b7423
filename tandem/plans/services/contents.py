"""A plan's contents: pillars, objectives, indicators, activities and their alignment."""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from tandem.core import access as core_access
from tandem.core import versioning
from tandem.core.currencies import check_currency, country_currency
from tandem.core.models import AuditAction, Organisation, User
from tandem.core.services import audit_record

from .. import access
from ..models import (
    LOCKED_INDICATOR_FIELDS,
    ActionPlan,
    Activity,
    Alignment,
    Indicator,
    Objective,
    PeriodState,
    Pillar,
)
from ._common import ACTIVITY_FIELDS, INDICATOR_FIELDS, OBJECTIVE_FIELDS, _filled

# --- Pillars and objectives ---------------------------------------------------------


@transaction.atomic
def pillar_create(*, actor: User, plan: ActionPlan, code: str, title: str, position: int = 0) -> Pillar:
    access.require_edit(actor, plan)
    if not plan.is_national:
        raise ValidationError({"__all__": _("Only a national plan has pillars.")})
    pillar = Pillar(plan=plan, code=code.strip(), title=title.strip(), position=position)
    pillar.full_clean()
    pillar.save()
    audit_record(actor=actor, action=AuditAction.CREATE, obj=pillar, changes={"code": pillar.code})
    return pillar


def _check_pillar(plan: ActionPlan, pillar: Pillar | None) -> None:
    if pillar is not None and (not plan.is_national or pillar.plan_id != plan.pk):
        raise ValidationError({"pillar": _("Choose a pillar of this plan.")})


@transaction.atomic
def objective_create(*, actor: User, plan: ActionPlan, code: str, text: str, pillar: Pillar | None = None) -> Objective:
    access.require_edit(actor, plan)
    _check_pillar(plan, pillar)
    objective = Objective(plan=plan, code=code.strip(), text=text.strip(), pillar=pillar)
    objective.full_clean()
    objective.save()
    audit_record(actor=actor, action=AuditAction.CREATE, obj=objective, changes={"code": objective.code})
    return objective


@transaction.atomic
def objective_update(*, actor: User, objective: Objective, expected_version: int, **values: Any) -> Objective:
    access.require_edit(actor, objective.plan)
    if set(values) - set(OBJECTIVE_FIELDS):
        raise ValueError(f"cannot update {set(values) - set(OBJECTIVE_FIELDS)}")
    if "pillar" in values:
        _check_pillar(objective.plan, values["pillar"])
    return versioning.update(
        actor=actor, model=Objective, obj=objective, expected_version=expected_version, values=values
    )


# --- Indicators --------------------------------------------------------------------------


def _check_indicator_objective(plan: ActionPlan, objective: Objective | None) -> None:
    if objective is not None and objective.plan_id != plan.pk:
        raise ValidationError({"objective": _("Choose an objective of this plan.")})


@transaction.atomic
def indicator_create(
    *,
    actor: User,
    plan: ActionPlan,
    name: str = "",
    unit: str = "",
    frequency: str = "quarterly",
    additive: bool = False,
    baseline: Decimal | None = None,
    target: Decimal | None = None,
    objective: Objective | None = None,
    inherited_from: Indicator | None = None,
) -> Indicator:
    """A plan's indicator; with ``inherited_from`` the national definition is copied and locked."""
    access.require_edit(actor, plan)
    _check_indicator_objective(plan, objective)
    if inherited_from is not None:
        if plan.is_national or inherited_from.plan_id != plan.national_plan_id:
            raise ValidationError(
                {"inherited_from": _("Choose an indicator of the national plan this plan implements.")}
            )
        if plan.indicators.filter(inherited_from=inherited_from).exists():
            raise ValidationError({"inherited_from": _("This plan already uses that national indicator.")})
        name, unit = inherited_from.name, inherited_from.unit
        frequency, additive = inherited_from.frequency, inherited_from.additive
    indicator = Indicator(
        plan=plan,
        objective=objective,
        name=(name or "").strip(),
        unit=unit,
        frequency=frequency,
        additive=additive,
        baseline=baseline,
        target=target,
        inherited_from=inherited_from,
    )
    indicator.full_clean()
    indicator.save()
    audit_record(
        actor=actor,
        action=AuditAction.CREATE,
        obj=indicator,
        changes=_filled({"name": indicator.name, "unit": unit, "inherited_from": inherited_from}),
    )
    return indicator


@transaction.atomic
def indicator_update(*, actor: User, indicator: Indicator, expected_version: int, **values: Any) -> Indicator:
    access.require_edit(actor, indicator.plan)
    if set(values) - set(INDICATOR_FIELDS):
        raise ValueError(f"cannot update {set(values) - set(INDICATOR_FIELDS)}")
    if indicator.is_inherited:
        locked = {
            name: _("This is the national definition; it cannot be changed locally.")
            for name in LOCKED_INDICATOR_FIELDS
            if name in values and values[name] != getattr(indicator, name)
        }
        if locked:
            raise ValidationError(locked)
        values = {k: v for k, v in values.items() if k not in LOCKED_INDICATOR_FIELDS}
    if "objective" in values:
        _check_indicator_objective(indicator.plan, values["objective"])
    updated = versioning.update(
        actor=actor, model=Indicator, obj=indicator, expected_version=expected_version, values=values
    )
    if not indicator.is_inherited:
        # Keep the inheritors comparable: they follow the national definition.
        definition = {name: getattr(updated, name) for name in LOCKED_INDICATOR_FIELDS}
        Indicator.objects.filter(inherited_from=updated).update(**definition)
    return updated


# --- Activities ----------------------------------------------------------------------------


def _check_activity(plan: ActionPlan, values: dict[str, Any], actor: User) -> None:
    errors: dict[str, str] = {}
    if plan.is_national:
        errors["__all__"] = _("Activities belong to regional and local plans.")
    objective = values.get("objective")
    if objective is not None and objective.plan_id != plan.pk:
        errors["objective"] = _("Choose an objective of this plan.")
    start, end = values.get("start_date"), values.get("end_date")
    if start and end and end < start:
        errors["end_date"] = _("The end date cannot be before the start date.")
    budget = values.get("budget")
    if budget is not None and budget < 0:
        errors["budget"] = _("A budget cannot be negative.")
    if budget is not None and not values.get("currency"):
        errors["currency"] = _("Give the budget's currency (an ISO 4217 code, for example KES).")
    if errors:
        raise ValidationError(errors)


def _with_currency(plan: ActionPlan, values: dict[str, Any], activity: Activity | None = None) -> dict[str, Any]:
    """``values`` with ``currency`` checked (upper case); a budget given without a currency (or with a
    blank one) takes the currency of the plan's country."""
    code = values.get("currency") or ""
    if code:
        return {**values, "currency": check_currency(code)}
    budget = values["budget"] if "budget" in values else getattr(activity, "budget", None)
    if budget is None or (activity is not None and activity.currency and "currency" not in values):
        return values
    default = country_currency(plan.jurisdiction)
    if not default:
        raise ValidationError(
            {"currency": _("This country has no default currency: enter the budget's ISO 4217 code, for example EUR.")}
        )
    return {**values, "currency": default}


def _check_organisations(actor: User, orgs: Iterable[Organisation | None], field: str) -> None:

    ids = {o.pk for o in orgs if o is not None}
    if ids and core_access.visible_organisations(actor).filter(pk__in=ids).count() != len(ids):
        raise ValidationError({field: _("Choose organisations from your jurisdictions.")})


@transaction.atomic
def activity_create(
    *, actor: User, plan: ActionPlan, title: str, partner_orgs: Iterable[Organisation] = (), **values: Any
) -> Activity:
    access.require_edit(actor, plan)
    if set(values) - set(ACTIVITY_FIELDS):
        raise ValueError(f"cannot set {set(values) - set(ACTIVITY_FIELDS)}")
    values = _with_currency(plan, values)
    _check_activity(plan, values, actor)
    partners = list(partner_orgs)
    _check_organisations(actor, [values.get("responsible_org")], "responsible_org")
    _check_organisations(actor, partners, "partner_orgs")
    activity = Activity(plan=plan, title=title.strip(), **values)
    activity.full_clean()
    activity.save()
    activity.partner_orgs.set(partners)
    audit_record(
        actor=actor,
        action=AuditAction.CREATE,
        obj=activity,
        changes=_filled(
            {
                "title": activity.title,
                "budget": activity.budget,
                "currency": activity.currency,
                "partner_orgs": [str(o) for o in partners],
            }
        ),
    )
    return activity


@transaction.atomic
def activity_update(
    *,
    actor: User,
    activity: Activity,
    expected_version: int,
    partner_orgs: Iterable[Organisation] | None = None,
    **values: Any,
) -> Activity:
    access.require_edit(actor, activity.plan)
    if set(values) - set(ACTIVITY_FIELDS):
        raise ValueError(f"cannot update {set(values) - set(ACTIVITY_FIELDS)}")
    values = _with_currency(activity.plan, values, activity)
    fields = ("objective", "start_date", "end_date", "budget", "currency")
    merged = {name: getattr(activity, name) for name in fields} | values
    _check_activity(activity.plan, merged, actor)
    if "responsible_org" in values:
        _check_organisations(actor, [values["responsible_org"]], "responsible_org")
    updated = versioning.update(
        actor=actor, model=Activity, obj=activity, expected_version=expected_version, values=values
    )
    if partner_orgs is not None:
        partners = list(partner_orgs)
        _check_organisations(actor, partners, "partner_orgs")
        before = set(updated.partner_orgs.values_list("pk", flat=True))
        if before != {o.pk for o in partners}:
            updated.partner_orgs.set(partners)
            changes = {"partner_orgs": [str(o) for o in partners]}
            if updated.version == expected_version:  # no field changed: the partners change is the edit
                versioning.save(updated, actor=actor, changes=changes)
            else:
                audit_record(actor=actor, action=AuditAction.UPDATE, obj=updated, changes=changes)
    return updated


@transaction.atomic
def activity_delete(*, actor: User, activity: Activity, expected_version: int) -> None:
    access.require_edit(actor, activity.plan)
    locked = versioning.lock(activity, expected_version=expected_version, actor=actor)
    if locked.progress.filter(
        period__state__in=[PeriodState.SUBMITTED, PeriodState.REVIEWED, PeriodState.ACCEPTED]
    ).exists():
        raise ValidationError(
            {"__all__": _("This activity has progress in submitted or accepted periods; set its status instead.")}
        )
    audit_record(actor=actor, action=AuditAction.DELETE, obj=locked, changes={"title": locked.title})
    locked.delete()


# --- Alignment -----------------------------------------------------------------------------


@transaction.atomic
def alignment_set(
    *,
    actor: User,
    plan: ActionPlan,
    national_objectives: Iterable[Objective] = (),
    local_innovation: bool = False,
    activity: Activity | None = None,
    local_objective: Objective | None = None,
    note: str = "",
) -> list[Alignment]:
    """Replace the alignment of one local objective or activity: objectives of the national plan (or of the
    regional plan a local plan aligns to), or a local innovation."""
    access.require_edit(actor, plan)
    if (activity is None) == (local_objective is None):
        raise ValueError("align exactly one activity or local objective")
    subject = activity or local_objective
    assert subject is not None  # exactly one of them, checked above
    if subject.plan_id != plan.pk or plan.is_national:
        raise ValidationError(
            {"__all__": _("Only the objectives and activities of a regional or local plan are aligned.")}
        )
    targets = list(national_objectives)
    if local_innovation and targets:
        raise ValidationError(
            {"national_objectives": _("A local innovation has no national counterpart: choose one or the other.")}
        )
    if not local_innovation and not targets:
        raise ValidationError(
            {"national_objectives": _("Choose at least one national objective, or mark it as a local innovation.")}
        )
    allowed = {plan.national_plan_id, plan.regional_plan_id} - {None}
    if any(t.plan_id not in allowed for t in targets):
        raise ValidationError(
            {
                "national_objectives": _(
                    "Choose objectives of the national plan this plan implements, or of its regional plan."
                )
            }
        )
    subject_filter = {"activity": activity} if activity is not None else {"local_objective": local_objective}
    Alignment.objects.filter(**subject_filter).delete()
    rows = [Alignment(plan=plan, national_objective=t, note=note, **subject_filter) for t in targets] or [
        Alignment(plan=plan, local_innovation=True, note=note, **subject_filter)
    ]
    for row in rows:
        row.full_clean()
    # Saved one by one, not with ``bulk_create`` (which sends no signal): the cached numbers and matrices
    # that count alignments are dropped on save (``tandem.dashboards.cache``), also for a first alignment.
    for row in rows:
        row.save()
    created = rows
    audit_record(
        actor=actor,
        action=AuditAction.UPDATE,
        obj=subject,
        changes={"aligned_to": [t.code for t in targets] or ["local innovation"]},
    )
    return created
