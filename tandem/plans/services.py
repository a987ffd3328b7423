"""Writes for action plans: atomic, audited, version-checked.

Every function is ``<entity>_<action>(*, actor, ...)`` and re-checks the write
rule of :mod:`tandem.plans.access`. Validation errors are ``ValidationError``
with a message per field; nothing is written when one is raised.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from tandem.core import access as core_access
from tandem.core import events, versioning
from tandem.core.currencies import check_currency, country_currency
from tandem.core.models import AuditAction, Jurisdiction, JurisdictionKind, Organisation, User
from tandem.core.services import audit_record

from . import access
from .models import (
    LOCKED_INDICATOR_FIELDS,
    NON_NEGATIVE_UNITS,
    ActionPlan,
    Activity,
    ActivityProgress,
    Alignment,
    Indicator,
    IndicatorValue,
    Objective,
    PeriodEvent,
    PeriodState,
    Pillar,
    PlanLevel,
    ProgressStatus,
    ReportingPeriod,
    RoadmapStage,
    RoadmapStageChange,
)

PLAN_FIELDS = (
    "title",
    "legal_instrument",
    "summary",
    "period_start",
    "period_end",
    "owner_body",
    "visible_to_partners",
    "regional_plan",
)
OBJECTIVE_FIELDS = ("code", "text", "pillar")
INDICATOR_FIELDS = ("name", "unit", "baseline", "target", "frequency", "additive", "objective")
ACTIVITY_FIELDS = (
    "title",
    "description",
    "objective",
    "responsible_org",
    "budget",
    "currency",
    "budget_source",
    "start_date",
    "end_date",
    "status",
)


def _filled(values: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in values.items() if v not in ("", None)}


# --- Plans -----------------------------------------------------------------------------


def _check_plan_links(
    *,
    level: str,
    jurisdiction: Jurisdiction,
    national_plan: ActionPlan | None,
    owner_body: Any,
    regional_plan: ActionPlan | None = None,
) -> None:
    errors: dict[str, str] = {}
    if level == PlanLevel.NATIONAL:
        if jurisdiction.kind != JurisdictionKind.COUNTRY:
            errors["jurisdiction"] = _("A national plan belongs to a country.")
        if national_plan is not None:
            errors["national_plan"] = _("A national plan does not implement another national plan.")
    else:
        if national_plan is None:
            errors["national_plan"] = _("Choose the national plan this plan implements.")
        elif national_plan.level != PlanLevel.NATIONAL or not _strictly_below(jurisdiction, national_plan.jurisdiction):
            errors["national_plan"] = _("The national plan must be the plan of the country this jurisdiction is in.")
    if regional_plan is not None:
        if level != PlanLevel.LOCAL:
            errors["regional_plan"] = _("Only a local plan aligns to a regional plan.")
        elif (
            regional_plan.level != PlanLevel.REGIONAL
            or regional_plan.national_plan_id != getattr(national_plan, "pk", None)
            or not _strictly_below(jurisdiction, regional_plan.jurisdiction)
        ):
            errors["regional_plan"] = _(
                "The regional plan must be a plan of a unit above this jurisdiction that implements the same "
                "national plan."
            )
    if owner_body is not None and owner_body.jurisdiction_id != jurisdiction.pk:
        errors["owner_body"] = _("The owning body must be a coordination body of the same jurisdiction.")
    if errors:
        raise ValidationError(errors)


def _strictly_below(jurisdiction: Jurisdiction, above: Jurisdiction) -> bool:
    return jurisdiction.path.startswith(above.path) and jurisdiction.path != above.path


@transaction.atomic
def plan_create(
    *,
    actor: User,
    level: str,
    jurisdiction: Jurisdiction,
    title: str,
    period_start: dt.date,
    period_end: dt.date,
    national_plan: ActionPlan | None = None,
    regional_plan: ActionPlan | None = None,
    legal_instrument: str = "",
    summary: str = "",
    owner_body: Any = None,
    visible_to_partners: bool = False,
) -> ActionPlan:
    if access.rank_at_path(actor, jurisdiction.path) < access.COORDINATOR_RANK:
        raise PermissionDenied
    _check_plan_links(
        level=level,
        jurisdiction=jurisdiction,
        national_plan=national_plan,
        owner_body=owner_body,
        regional_plan=regional_plan,
    )
    if regional_plan is not None and not access.visible_plans(actor).filter(pk=regional_plan.pk).exists():
        raise ValidationError({"regional_plan": _("Choose a regional plan you can read.")})
    if period_start and period_end and period_end < period_start:
        raise ValidationError({"period_end": _("The end date cannot be before the start date.")})
    plan = ActionPlan(
        level=level,
        jurisdiction=jurisdiction,
        national_plan=national_plan,
        regional_plan=regional_plan,
        title=title.strip(),
        legal_instrument=legal_instrument.strip(),
        summary=summary,
        period_start=period_start,
        period_end=period_end,
        owner_body=owner_body,
        visible_to_partners=visible_to_partners,
    )
    plan.full_clean()
    plan.save()
    audit_record(
        actor=actor,
        action=AuditAction.CREATE,
        obj=plan,
        changes=_filled(
            {
                "level": level,
                "title": plan.title,
                "regional_plan": str(regional_plan or ""),
                "period_start": period_start,
                "period_end": period_end,
            }
        ),
    )
    return plan


@transaction.atomic
def plan_update(*, actor: User, plan: ActionPlan, expected_version: int, **values: Any) -> ActionPlan:
    access.require_edit(actor, plan)
    unknown = set(values) - set(PLAN_FIELDS)
    if unknown:
        raise ValueError(f"cannot update {unknown}")
    if "owner_body" in values or "regional_plan" in values:
        _check_plan_links(
            level=plan.level,
            jurisdiction=plan.jurisdiction,
            national_plan=plan.national_plan,
            owner_body=values.get("owner_body", plan.owner_body),
            regional_plan=values.get("regional_plan", plan.regional_plan),
        )
    if "regional_plan" in values and values["regional_plan"] != plan.regional_plan:
        _check_regional_change(actor, plan, values["regional_plan"])
    start = values.get("period_start", plan.period_start)
    end = values.get("period_end", plan.period_end)
    if start and end and end < start:
        raise ValidationError({"period_end": _("The end date cannot be before the start date.")})
    outside = plan.periods.exclude(start__gte=start, end__lte=end)
    if start and end and outside.exists():
        raise ValidationError(
            {
                "period_start": _("Reporting periods %(labels)s would fall outside the plan's period.")
                % {"labels": ", ".join(outside.values_list("label", flat=True)[:5])}
            }
        )
    return versioning.update(actor=actor, model=ActionPlan, obj=plan, expected_version=expected_version, values=values)


def _check_regional_change(actor: User, plan: ActionPlan, regional: ActionPlan | None) -> None:
    """A new regional plan must be readable; the old one must no longer be aligned to."""
    if regional is not None and not access.visible_plans(actor).filter(pk=regional.pk).exists():
        raise ValidationError({"regional_plan": _("Choose a regional plan you can read.")})
    if plan.regional_plan_id and plan.alignments.filter(national_objective__plan_id=plan.regional_plan_id).exists():
        raise ValidationError(
            {
                "regional_plan": _(
                    "Objectives or activities of this plan are aligned to the current regional plan: align them "
                    "elsewhere first."
                )
            }
        )


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
    return {**values, "currency": country_currency(plan.jurisdiction)}


def _check_organisations(actor: User, orgs: Iterable[Organisation | None], field: str) -> None:
    from tandem.core import access as core_access

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
    created = Alignment.objects.bulk_create(rows)
    audit_record(
        actor=actor,
        action=AuditAction.UPDATE,
        obj=subject,
        changes={"aligned_to": [t.code for t in targets] or ["local innovation"]},
    )
    return created


# --- Reporting periods and progress ---------------------------------------------------------


@transaction.atomic
def period_create(*, actor: User, plan: ActionPlan, label: str, start: dt.date, end: dt.date) -> ReportingPeriod:
    access.require_edit(actor, plan)
    errors: dict[str, str] = {}
    if end < start:
        errors["end"] = _("The end date cannot be before the start date.")
    elif start < plan.period_start or end > plan.period_end:
        errors["start"] = _("A reporting period must lie within the plan's period (%(start)s to %(end)s).") % {
            "start": plan.period_start.isoformat(),
            "end": plan.period_end.isoformat(),
        }
    if plan.periods.filter(label__iexact=label.strip()).exists():
        errors["label"] = _("This plan already has a period with this label.")
    if errors:
        raise ValidationError(errors)
    period = ReportingPeriod(plan=plan, label=label.strip(), start=start, end=end)
    period.full_clean()
    period.save()
    audit_record(actor=actor, action=AuditAction.CREATE, obj=period, changes={"label": period.label})
    return period


def _locked_message(period: ReportingPeriod) -> str:
    return _(
        "Period %(label)s is %(state)s and locked: nothing was saved. Ask the reviewer at the level above to reopen it."
    ) % {"label": period.label, "state": period.get_state_display().lower()}


@transaction.atomic
def progress_save(
    *,
    actor: User,
    period: ReportingPeriod,
    expected_version: int,
    values: dict[Indicator, tuple[Decimal | None, str]],
    statuses: dict[Activity, tuple[str | None, str]],
    submit: bool = False,
) -> ReportingPeriod:
    """Write all indicator values and activity statuses of a period at once (all or nothing).

    ``values``: indicator -> (value or None to clear, note); ``statuses``:
    activity -> (status or None to clear, note). Errors are keyed by the
    indicator's or activity's UUID.
    """
    plan = period.plan
    access.require_edit(actor, plan)
    locked = versioning.lock(period)
    if not locked.is_editable:
        raise ValidationError({"__all__": _locked_message(locked)})
    versioning.check(locked, expected_version, actor=actor)
    errors: dict[str, str] = {}
    if locked.start < plan.period_start or locked.end > plan.period_end:
        errors["__all__"] = _("Period %(label)s lies outside the plan's period: values cannot be recorded for it.") % {
            "label": locked.label
        }
    for indicator, (value, _note) in values.items():
        if indicator.plan_id != plan.pk:
            errors[str(indicator.uuid)] = _("This indicator is not part of the plan.")
        elif value is not None and value < 0 and indicator.unit in NON_NEGATIVE_UNITS:
            errors[str(indicator.uuid)] = _("%(unit)s cannot be negative.") % {"unit": indicator.get_unit_display()}
    for activity, (status, _note) in statuses.items():
        if activity.plan_id != plan.pk:
            errors[str(activity.uuid)] = _("This activity is not part of the plan.")
        elif status is not None and status not in ProgressStatus.values:
            errors[str(activity.uuid)] = _("Choose on track, at risk or off track.")
    if errors:
        raise ValidationError(errors)
    changes: dict[str, Any] = {}
    existing = {v.indicator_id: v for v in locked.values.all()}
    for indicator, (value, note) in values.items():
        row = existing.get(indicator.pk)
        if value is None:
            if row is not None:
                row.delete()
                changes[indicator.name[:60]] = None
            continue
        if row is None:
            IndicatorValue.objects.create(period=locked, indicator=indicator, value=value, note=note)
            changes[indicator.name[:60]] = str(value)
        elif row.value != value or row.note != note:
            row.value, row.note = value, note
            row.save(update_fields=["value", "note", "updated_at"])
            changes[indicator.name[:60]] = str(value)
    current = {p.activity_id: p for p in locked.activity_progress.all()}
    for activity, (status, note) in statuses.items():
        row = current.get(activity.pk)
        if status is None:
            if row is not None:
                row.delete()
            continue
        if row is None:
            ActivityProgress.objects.create(period=locked, activity=activity, status=status, note=note)
            changes[activity.title[:60]] = status
        elif row.status != status or row.note != note:
            row.status, row.note = status, note
            row.save(update_fields=["status", "note", "updated_at"])
            changes[activity.title[:60]] = status
    versioning.save(locked, actor=actor, changes=changes)
    if submit:
        return _transition(
            actor=actor,
            period=locked,
            expected_version=locked.version,
            allowed=(PeriodState.DRAFT,),
            to=PeriodState.SUBMITTED,
        )
    return locked


def _transition(
    *,
    actor: User,
    period: ReportingPeriod,
    expected_version: int,
    allowed: tuple[str, ...],
    to: str,
    note: str = "",
) -> ReportingPeriod:
    locked = versioning.lock(period)
    if locked.state not in allowed:
        raise ValidationError(
            {
                "__all__": _("Period %(label)s is %(state)s: this step is not possible now.")
                % {"label": locked.label, "state": locked.get_state_display().lower()}
            }
        )
    versioning.check(locked, expected_version, actor=actor)
    before = locked.state
    now = timezone.now()
    stamp: dict[str, str] = {
        PeriodState.SUBMITTED: "submitted_at",
        PeriodState.REVIEWED: "reviewed_at",
        PeriodState.ACCEPTED: "accepted_at",
    }
    values: dict[str, Any] = {"state": to}
    if to in stamp:
        values[stamp[to]] = now
    else:  # reopened: the stamps of the steps undone are cleared, the history keeps them
        values.update(submitted_at=None, reviewed_at=None, accepted_at=None)
    versioning.save(locked, values, actor=actor, changes={"state": [before, to], "note": note})
    PeriodEvent.objects.create(period=locked, from_state=before, to_state=to, actor=actor, note=note)
    return locked


def _reviewer_ids(plan: ActionPlan) -> list[int]:
    """The coordinators of the level above the plan's jurisdiction (who review its progress)."""
    above = access.parent_path(plan.jurisdiction.path)
    if above is None:
        return []
    candidates = User.objects.filter(
        is_active=True,
        role_assignments__revoked_at__isnull=True,
        role_assignments__jurisdiction__path__in=access.ancestor_paths(above),
    ).distinct()
    return [u.pk for u in candidates if access.can_review(u, plan) and not core_access.get_access(u).is_admin]


def _announce(kind: str, period: ReportingPeriod, recipient_ids: list[int], actor: User) -> None:
    """Tell the notifications app (through tandem.core.events, after commit)."""
    events.emit_change(
        kind,
        period,
        recipient_ids=recipient_ids,
        title=f"{period.plan.title}: {period.label}",
        url=reverse("period_progress", args=[period.uuid]),
        actor=actor,
    )


def _submitter_ids(period: ReportingPeriod) -> list[int]:
    last = PeriodEvent.objects.filter(period=period, to_state=PeriodState.SUBMITTED).order_by("-id").first()
    return [last.actor_id] if last is not None and last.actor_id else []


@transaction.atomic
def period_submit(*, actor: User, period: ReportingPeriod, expected_version: int) -> ReportingPeriod:
    access.require_edit(actor, period.plan)
    done = _transition(
        actor=actor,
        period=period,
        expected_version=expected_version,
        allowed=(PeriodState.DRAFT,),
        to=PeriodState.SUBMITTED,
    )
    _announce("plans.progress_submitted", done, _reviewer_ids(period.plan), actor)
    return done


@transaction.atomic
def period_review(*, actor: User, period: ReportingPeriod, expected_version: int, note: str = "") -> ReportingPeriod:
    access.require_review(actor, period.plan)
    return _transition(
        actor=actor,
        period=period,
        expected_version=expected_version,
        allowed=(PeriodState.SUBMITTED,),
        to=PeriodState.REVIEWED,
        note=note,
    )


@transaction.atomic
def period_accept(*, actor: User, period: ReportingPeriod, expected_version: int, note: str = "") -> ReportingPeriod:
    access.require_review(actor, period.plan)
    done = _transition(
        actor=actor,
        period=period,
        expected_version=expected_version,
        allowed=(PeriodState.SUBMITTED, PeriodState.REVIEWED),
        to=PeriodState.ACCEPTED,
        note=note,
    )
    _announce("plans.progress_accepted", done, _submitter_ids(done), actor)
    return done


@transaction.atomic
def period_reopen(*, actor: User, period: ReportingPeriod, expected_version: int, reason: str) -> ReportingPeriod:
    """Only the reviewer (level above) reopens; the reason is kept in the period's history."""
    access.require_review(actor, period.plan)
    if not (reason or "").strip():
        raise ValidationError({"reason": _("Say why the period is reopened.")})
    submitters = _submitter_ids(period)
    done = _transition(
        actor=actor,
        period=period,
        expected_version=expected_version,
        allowed=(PeriodState.SUBMITTED, PeriodState.REVIEWED, PeriodState.ACCEPTED),
        to=PeriodState.DRAFT,
        note=reason.strip(),
    )
    _announce("plans.progress_sent_back", done, submitters, actor)
    return done


# --- Localisation roadmap ------------------------------------------------------------------------


@transaction.atomic
def roadmap_record(
    *, actor: User, jurisdiction: Jurisdiction, stage: str, date: dt.date, note: str = ""
) -> RoadmapStageChange:
    if not access.can_record_stage(actor, jurisdiction):
        raise PermissionDenied
    if stage not in RoadmapStage.values:
        raise ValidationError({"stage": _("Choose a stage.")})
    if date > timezone.localdate():
        raise ValidationError({"date": _("A stage is recorded once reached: the date cannot be in the future.")})
    change = RoadmapStageChange(jurisdiction=jurisdiction, stage=stage, date=date, note=note.strip(), recorded_by=actor)
    change.full_clean()
    change.save()
    audit_record(actor=actor, action=AuditAction.CREATE, obj=change, changes={"stage": stage, "date": date})
    return change
