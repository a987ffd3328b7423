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


def with_plans_above(actor: Actor, plans: QuerySet[ActionPlan]) -> QuerySet[ActionPlan]:
    """``plans`` with ``national_visible`` and ``regional_visible``: whether ``actor`` may read the national
    plan each implements and the regional plan each aligns to (a plan readable through
    ``visible_to_partners`` must not name a plan above it that its reader cannot open)."""
    return plans.select_related("national_plan", "regional_plan__jurisdiction").annotate(
        national_visible=_readable_above(actor, "national_plan"),
        regional_visible=_readable_above(actor, "regional_plan"),
    )


def _readable_above(actor: Actor, field: str) -> Any:
    """Whether ``actor`` may read the plan ``field`` names: the read rule on that plan's own columns,
    reached by the joins ``select_related`` makes anyway, so each listed row is tested where it is read.
    (An ``EXISTS`` on the readable plans was hashed whole first: every plan of the country, twice, for a
    page of 50: 45 of the national plan list's 116 ms at ten times the national scale.)"""
    if not get_access(actor).is_authenticated:
        return core_access.rule_flag(None)
    return core_access.rule_flag(Q(**{f"{field}__isnull": False}) & plan_read_q(actor, f"{field}__"))


def plans_above_visible(actor: Actor, plan: ActionPlan) -> tuple[bool, bool]:
    """(national, regional): whether ``actor`` may read the national plan ``plan`` implements and the
    regional plan it aligns to (from :func:`with_plans_above`'s annotations when present)."""
    if not hasattr(plan, "national_visible"):
        plan = with_plans_above(actor, ActionPlan.objects.all()).get(pk=plan.pk)
    return bool(plan.national_visible), bool(plan.regional_visible)  # type: ignore[attr-defined]


def with_inherited_visible(actor: Actor, indicators: QuerySet[Indicator]) -> QuerySet[Indicator]:
    """``indicators`` with ``inherited_visible``: whether ``actor`` may read the national indicator each
    inherits (its uuid is shown only then; the copied definition is the local plan's own)."""
    readable = Indicator.objects.filter(plan_read_q(actor, "plan__"), pk=OuterRef("inherited_from_id"))
    return indicators.annotate(inherited_visible=Exists(readable))


def readable_target_q(actor: Actor, prefix: str = "") -> Q:
    """``Q`` over Alignment (``prefix`` from a related model): a local innovation, or an alignment to an
    objective whose plan ``actor`` may read. Alignments outside it are shown to no one: not their code,
    not their uuid, not their number."""
    readable = plan_read_q(actor, f"{prefix}national_objective__plan__")
    if not readable:  # an administrator reads every plan (and ``Q(x) | Q()`` would be ``Q(x)``)
        return Q()
    return Q(**{f"{prefix}national_objective__isnull": True}) | readable


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
    """A readable plan, with ``national_visible`` and ``regional_visible`` (see :func:`with_plans_above`)."""
    return get_visible_or_404(with_plans_above(actor, visible_plans(actor)), **lookup)


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
    "plans_above_visible",
    "with_inherited_visible",
    "readable_target_q",
    "with_plans_above",
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
