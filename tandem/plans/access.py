"""Who may read and write action plans. Built on :mod:`tandem.core.access`; fails closed.

Reading a plan (and everything in it: objectives, indicators, activities,
alignments, periods, values):

* coordinators (local and above) of the plan's jurisdiction or any ancestor
  ("national sees all below");
* a national or regional plan is also read by every coordinator below it (they align
  to it); coordinators of another region do not read a regional plan;
* a plan marked ``visible_to_partners`` is read by every role whose scope
  covers the plan's jurisdiction (for a national or regional plan: every role below it too).

Writing a plan and its progress: coordinators of its jurisdiction or above.
Reviewing, accepting and reopening a period: a coordinator of an ancestor
jurisdiction ("the level above"), never the plan's own coordinator alone.

A plan outside these rules is a 404, identical to a missing one.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef, Q, QuerySet

from tandem.core import access as core_access
from tandem.core.access import COORDINATOR_RANK, READ_RANK, Actor, get_access, get_visible_or_404, path_q
from tandem.core.models import Jurisdiction

from .models import (
    ActionPlan,
    Activity,
    Alignment,
    Indicator,
    IndicatorValue,
    Objective,
    Pillar,
    PlanLevel,
    ReportingPeriod,
    RoadmapStageChange,
)

# Core's rule that callers reach through this module.
scope_paths = core_access.scope_paths


# Plans that plans below align to: read by the coordinators (and, when shared, the roles) below them.
ALIGNED_TO = [PlanLevel.NATIONAL, PlanLevel.REGIONAL]


def ancestor_paths(path: str) -> list[str]:
    """'/1/7/42/' -> ['/1/', '/1/7/', '/1/7/42/']."""
    parts = [p for p in path.strip("/").split("/") if p]
    return ["/" + "/".join(parts[: i + 1]) + "/" for i in range(len(parts))]


def parent_path(path: str) -> str | None:
    ancestors = ancestor_paths(path)
    return ancestors[-2] if len(ancestors) >= 2 else None


def plan_read_q(actor: Actor, prefix: str = "") -> Q:
    """``Q`` over ActionPlan (``prefix`` e.g. ``"plan__"`` from a related model)."""
    access = get_access(actor)
    if access.is_admin:
        return Q()
    if not access.is_authenticated:
        return Q(pk__in=[])
    path_field = f"{prefix}jurisdiction__path"
    coordinator = access.scope_paths(COORDINATOR_RANK) or []
    readers = access.scope_paths(READ_RANK) or []
    q = Q(pk__in=[])
    if coordinator:
        q |= path_q(coordinator, path_field)
        above = sorted({a for p in access.grant_paths(COORDINATOR_RANK) for a in ancestor_paths(p)})
        q |= Q(**{f"{prefix}level__in": ALIGNED_TO, f"{path_field}__in": above})
    if readers:
        q |= Q(**{f"{prefix}visible_to_partners": True}) & path_q(readers, path_field)
        above = sorted({a for p in access.grant_paths(READ_RANK) for a in ancestor_paths(p)})
        q |= Q(**{f"{prefix}visible_to_partners": True, f"{prefix}level__in": ALIGNED_TO, f"{path_field}__in": above})
    return q


def visible_plans(actor: Actor) -> QuerySet[ActionPlan]:
    return ActionPlan.objects.filter(plan_read_q(actor)).select_related("jurisdiction", "national_plan", "owner_body")


def visible_national_plans(actor: Actor) -> QuerySet[ActionPlan]:
    return visible_plans(actor).filter(level=PlanLevel.NATIONAL)


def with_regional_plan(actor: Actor, plans: QuerySet[ActionPlan]) -> QuerySet[ActionPlan]:
    """``plans`` with ``regional_visible``: whether ``actor`` may read the regional plan each aligns to
    (a plan readable through ``visible_to_partners`` must not name a regional plan its reader cannot open)."""
    readable = ActionPlan.objects.filter(plan_read_q(actor), pk=OuterRef("regional_plan_id"))
    return plans.select_related("regional_plan").annotate(regional_visible=Exists(readable))


def alignment_targets(actor: Actor, plan: ActionPlan) -> QuerySet[Objective]:
    """The objectives a regional or local plan's objectives and activities may align to: those of its
    national plan, then those of the regional plan it aligns to (if any)."""
    plans = [p for p in (plan.national_plan_id, plan.regional_plan_id) if p is not None]
    return (
        visible_objectives(actor)
        .filter(plan_id__in=plans)
        .order_by("plan__level", "code", "id")  # "national" before "regional"
    )


def get_plan_or_404(actor: Actor, **lookup: Any) -> ActionPlan:
    return get_visible_or_404(visible_plans(actor), **lookup)


def _in_visible_plans(actor: Actor, model: Any) -> QuerySet:
    return model.objects.filter(plan_read_q(actor, "plan__"))


def visible_pillars(actor: Actor) -> QuerySet[Pillar]:
    return _in_visible_plans(actor, Pillar).select_related("plan")


def visible_objectives(actor: Actor) -> QuerySet[Objective]:
    return _in_visible_plans(actor, Objective).select_related("plan", "plan__jurisdiction", "pillar")


def visible_indicators(actor: Actor) -> QuerySet[Indicator]:
    return _in_visible_plans(actor, Indicator).select_related("plan", "plan__jurisdiction", "inherited_from")


def visible_activities(actor: Actor) -> QuerySet[Activity]:
    return _in_visible_plans(actor, Activity).select_related("plan", "plan__jurisdiction", "responsible_org")


def visible_alignments(actor: Actor) -> QuerySet[Alignment]:
    return _in_visible_plans(actor, Alignment).select_related(
        "plan", "plan__jurisdiction", "activity", "local_objective", "national_objective"
    )


def visible_periods(actor: Actor) -> QuerySet[ReportingPeriod]:
    return _in_visible_plans(actor, ReportingPeriod).select_related("plan", "plan__jurisdiction")


def visible_values(actor: Actor) -> QuerySet[IndicatorValue]:
    return IndicatorValue.objects.filter(plan_read_q(actor, "period__plan__"))


def visible_roadmap_changes(actor: Actor) -> QuerySet[RoadmapStageChange]:
    """The localisation roadmap is open to every role of the country (it names no one)."""
    return RoadmapStageChange.objects.filter(path_q(get_access(actor).country_paths(), "jurisdiction__path"))


def roadmap_jurisdictions(actor: Actor) -> QuerySet[Jurisdiction]:
    return Jurisdiction.objects.filter(path_q(get_access(actor).country_paths(), "path"))


# --- Write rules -------------------------------------------------------------------


def rank_at_path(actor: Actor, path: str) -> int:
    return get_access(actor).rank_at_path(path)


def can_edit_plan(actor: Actor, plan: ActionPlan) -> bool:
    return rank_at_path(actor, plan.jurisdiction.path) >= COORDINATOR_RANK


def require_edit(actor: Actor, plan: ActionPlan) -> None:
    if not can_edit_plan(actor, plan):
        raise PermissionDenied


def can_review(actor: Actor, plan: ActionPlan) -> bool:
    """A coordinator of the level above the plan's jurisdiction (or an administrator)."""
    access = get_access(actor)
    if access.is_admin:
        return True
    above = parent_path(plan.jurisdiction.path)
    return above is not None and access.rank_at_path(above) >= COORDINATOR_RANK


def require_review(actor: Actor, plan: ActionPlan) -> None:
    if not can_review(actor, plan):
        raise PermissionDenied


def can_create_plans(actor: Actor) -> bool:
    return get_access(actor).has_any_rank(COORDINATOR_RANK)


def can_record_stage(actor: Actor, jurisdiction: Jurisdiction) -> bool:
    return rank_at_path(actor, jurisdiction.path) >= COORDINATOR_RANK


__all__ = [
    "ancestor_paths",
    "can_create_plans",
    "can_edit_plan",
    "can_record_stage",
    "alignment_targets",
    "can_review",
    "with_regional_plan",
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


def owner_body_choices(actor: Actor) -> QuerySet:
    """Bodies a new plan may name as its owner: active, visible to the user, at a unit where the
    user may create plans (the service then requires the plan's own jurisdiction, as the edit page does)."""
    from tandem.bodies.access import visible_bodies

    access = get_access(actor)
    return visible_bodies(access).filter(jurisdiction__in=editable_jurisdictions(access)).order_by("name", "id")


def editable_jurisdictions(actor: Actor) -> QuerySet[Jurisdiction]:
    """Where the user may create plans (coordinator rank)."""
    return core_access.managed_jurisdictions(actor)
