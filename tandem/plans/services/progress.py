"""Reporting periods, progress and its review, and the localisation roadmap."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from tandem.core import access as core_access
from tandem.core import events, versioning
from tandem.core.models import AuditAction, Jurisdiction, User
from tandem.core.services import audit_record

from .. import access
from ..models import (
    NON_NEGATIVE_UNITS,
    ActionPlan,
    Activity,
    ActivityProgress,
    Indicator,
    IndicatorValue,
    PeriodEvent,
    PeriodState,
    ProgressStatus,
    ReportingPeriod,
    RoadmapStage,
    RoadmapStageChange,
)

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
