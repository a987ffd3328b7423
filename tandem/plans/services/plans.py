"""Creating and editing action plans (national, regional, local) and their links."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from tandem.core import versioning
from tandem.core.models import AuditAction, Jurisdiction, JurisdictionKind, User
from tandem.core.services import audit_record

from .. import access
from ..models import (
    ActionPlan,
    PlanLevel,
)
from ._common import PLAN_FIELDS, _filled

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
