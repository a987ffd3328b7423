"""Who may read and write action plans. Built on :mod:`tandem.core.access`; fails closed.

Reading a plan (and everything in it: objectives, indicators, activities,
alignments, periods, values):

* coordinators (local and above) of the plan's jurisdiction or any ancestor
  ("national sees all below");
* a national plan is also read by every coordinator below it (they align to it);
* a plan marked ``visible_to_partners`` is read by every role whose scope
  covers the plan's jurisdiction (for a national plan: every role in the country).

Writing a plan and its progress: coordinators of its jurisdiction or above.
Reviewing, accepting and reopening a period: a coordinator of an ancestor
jurisdiction ("the level above"), never the plan's own coordinator alone.

A plan outside these rules is a 404, identical to a missing one.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet

from tandem.core import access as core_access
from tandem.core.access import COORDINATOR_RANK, READ_RANK, get_visible_or_404, path_q, scope_paths
from tandem.core.models import Jurisdiction

from .models import (
    ActionPlan,
    Activity,
    Alignment,
    Indicator,
    IndicatorValue,
    Objective,
    PlanLevel,
    ReportingPeriod,
    RoadmapStageChange,
)


def ancestor_paths(path: str) -> list[str]:
    """'/1/7/42/' -> ['/1/', '/1/7/', '/1/7/42/']."""
    parts = [p for p in path.strip("/").split("/") if p]
    return ["/" + "/".join(parts[: i + 1]) + "/" for i in range(len(parts))]


def parent_path(path: str) -> str | None:
    ancestors = ancestor_paths(path)
    return ancestors[-2] if len(ancestors) >= 2 else None


def _grant_paths(user: Any, min_rank: int) -> list[str]:
    return [g.path for g in core_access.grants(user) if g.rank >= min_rank]


def plan_read_q(user: Any, prefix: str = "") -> Q:
    """``Q`` over ActionPlan (``prefix`` e.g. ``"plan__"`` from a related model)."""
    if core_access.is_admin(user):
        return Q()
    if not getattr(user, "is_authenticated", False):
        return Q(pk__in=[])
    path_field = f"{prefix}jurisdiction__path"
    coordinator = scope_paths(user, COORDINATOR_RANK) or []
    readers = scope_paths(user, READ_RANK) or []
    q = Q(pk__in=[])
    if coordinator:
        q |= path_q(coordinator, path_field)
        above = sorted({a for p in _grant_paths(user, COORDINATOR_RANK) for a in ancestor_paths(p)})
        q |= Q(**{f"{prefix}level": PlanLevel.NATIONAL, f"{path_field}__in": above})
    if readers:
        q |= Q(**{f"{prefix}visible_to_partners": True}) & path_q(readers, path_field)
        above = sorted({a for p in _grant_paths(user, READ_RANK) for a in ancestor_paths(p)})
        q |= Q(
            **{f"{prefix}visible_to_partners": True, f"{prefix}level": PlanLevel.NATIONAL, f"{path_field}__in": above}
        )
    return q


def visible_plans(user: Any) -> QuerySet[ActionPlan]:
    return ActionPlan.objects.filter(plan_read_q(user)).select_related("jurisdiction", "national_plan", "owner_body")


def visible_national_plans(user: Any) -> QuerySet[ActionPlan]:
    return visible_plans(user).filter(level=PlanLevel.NATIONAL)


def get_plan_or_404(user: Any, **lookup: Any) -> ActionPlan:
    return get_visible_or_404(visible_plans(user), **lookup)


def _in_visible_plans(user: Any, model: Any) -> QuerySet:
    return model.objects.filter(plan_read_q(user, "plan__"))


def visible_objectives(user: Any) -> QuerySet[Objective]:
    return _in_visible_plans(user, Objective).select_related("plan", "plan__jurisdiction", "pillar")


def visible_indicators(user: Any) -> QuerySet[Indicator]:
    return _in_visible_plans(user, Indicator).select_related("plan", "plan__jurisdiction", "inherited_from")


def visible_activities(user: Any) -> QuerySet[Activity]:
    return _in_visible_plans(user, Activity).select_related("plan", "plan__jurisdiction", "responsible_org")


def visible_alignments(user: Any) -> QuerySet[Alignment]:
    return _in_visible_plans(user, Alignment).select_related(
        "plan", "plan__jurisdiction", "activity", "local_objective", "national_objective"
    )


def visible_periods(user: Any) -> QuerySet[ReportingPeriod]:
    return _in_visible_plans(user, ReportingPeriod).select_related("plan", "plan__jurisdiction")


def visible_values(user: Any) -> QuerySet[IndicatorValue]:
    return IndicatorValue.objects.filter(plan_read_q(user, "period__plan__"))


def visible_roadmap_changes(user: Any) -> QuerySet[RoadmapStageChange]:
    """The localisation roadmap is open to every role of the country (it names no one)."""
    return RoadmapStageChange.objects.filter(path_q(core_access.country_paths(user), "jurisdiction__path"))


def roadmap_jurisdictions(user: Any) -> QuerySet[Jurisdiction]:
    return Jurisdiction.objects.filter(path_q(core_access.country_paths(user), "path"))


# --- Write rules -------------------------------------------------------------------


def rank_at_path(user: Any, path: str) -> int:
    if core_access.is_admin(user):
        return core_access.ROLE_RANK["administrator"]
    return max((g.rank for g in core_access.grants(user) if path.startswith(g.path)), default=0)


def can_edit_plan(user: Any, plan: ActionPlan) -> bool:
    return rank_at_path(user, plan.jurisdiction.path) >= COORDINATOR_RANK


def require_edit(user: Any, plan: ActionPlan) -> None:
    if not can_edit_plan(user, plan):
        raise PermissionDenied


def can_review(user: Any, plan: ActionPlan) -> bool:
    """A coordinator of the level above the plan's jurisdiction (or an administrator)."""
    if core_access.is_admin(user):
        return True
    above = parent_path(plan.jurisdiction.path)
    return above is not None and rank_at_path(user, above) >= COORDINATOR_RANK


def require_review(user: Any, plan: ActionPlan) -> None:
    if not can_review(user, plan):
        raise PermissionDenied


def can_create_plans(user: Any) -> bool:
    return core_access.has_any_rank(user, COORDINATOR_RANK)


def can_record_stage(user: Any, jurisdiction: Jurisdiction) -> bool:
    return rank_at_path(user, jurisdiction.path) >= COORDINATOR_RANK


__all__ = [
    "ancestor_paths",
    "can_create_plans",
    "can_edit_plan",
    "can_record_stage",
    "can_review",
    "get_plan_or_404",
    "plan_read_q",
    "require_edit",
    "require_review",
    "visible_activities",
    "visible_alignments",
    "visible_indicators",
    "visible_national_plans",
    "visible_objectives",
    "visible_periods",
    "visible_plans",
    "visible_roadmap_changes",
    "visible_values",
]


def plan_bodies(jurisdiction: Jurisdiction) -> QuerySet:
    """Active coordination bodies of a plan's jurisdiction (the choices of an owning body)."""
    from tandem.bodies.models import Body

    return Body.objects.filter(jurisdiction=jurisdiction, archived_at__isnull=True).order_by("name")


def owner_body_choices(user: Any) -> QuerySet:
    """Bodies a new plan may name as its owner: active, visible to the user, at a unit where the
    user may create plans (the service then requires the plan's own jurisdiction, as the edit page does)."""
    from tandem.bodies.access import visible_bodies

    return visible_bodies(user).filter(jurisdiction__in=editable_jurisdictions(user)).order_by("name", "id")


def editable_jurisdictions(user: Any) -> QuerySet[Jurisdiction]:
    """Where the user may create plans (coordinator rank)."""
    return core_access.managed_jurisdictions(user)
