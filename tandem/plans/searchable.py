"""The plans' records in the global search: plans, objectives, activities (found by those who may
read the plan, ``plans.access``); an objective or activity links to its plan's page."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from tandem.core.registry import SearchSource, SearchText

from . import access
from .models import ActionPlan, Activity, Objective


def _plan(p: ActionPlan) -> SearchText:
    return SearchText(
        title=p.title,
        url_uuid=p.uuid,
        summary=p.legal_instrument,
        body=p.summary,
        jurisdiction_id=p.jurisdiction_id,
        year=(p.period_start or p.created_at).year,
    )


def _objective(o: Objective) -> SearchText:
    return SearchText(
        title=f"{o.code} {o.text[:150]}".strip(),
        url_uuid=o.plan.uuid,
        summary=o.plan.title,
        body=o.text,
        jurisdiction_id=o.plan.jurisdiction_id,
        year=(o.plan.period_start or o.created_at).year,
    )


def _activity(a: Activity) -> SearchText:
    return SearchText(
        title=a.title,
        url_uuid=a.plan.uuid,
        summary=a.plan.title,
        body=a.description,
        jurisdiction_id=a.plan.jurisdiction_id,
        year=(a.start_date or a.created_at).year,
    )


SOURCES = [
    SearchSource("plan", _("Plans"), "plans.ActionPlan", access.visible_plans, _plan, "plan_detail"),
    SearchSource(
        "objective",
        _("Objectives"),
        "plans.Objective",
        access.visible_objectives,
        _objective,
        "plan_detail",
        rows=lambda: Objective.objects.select_related("plan"),
        parents=(("plans.ActionPlan", "plan"),),
    ),
    SearchSource(
        "activity",
        _("Activities"),
        "plans.Activity",
        access.visible_activities,
        _activity,
        "plan_detail",
        rows=lambda: Activity.objects.select_related("plan"),
        parents=(("plans.ActionPlan", "plan"),),
    ),
]
