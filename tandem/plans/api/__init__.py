"""The action plans API under ``/api/v1/plans``: plans, objectives, activities, alignment,
indicators, periods and progress, roll-up, alignment matrix and roadmap.

Same rules as the pages (:mod:`tandem.plans.access`): a plan you may not read is
404 exactly like a missing one; reading but not writing it is 403; stale
versions are 409; invalid values (text in a number, a negative count, a
locked period) are 422 and nothing is written.

One module per concern, each with its router; ``ROUTERS`` below sets the order of the routes.
"""

from ninja import Router

from . import activities, objectives, overviews, plans, progress
from .activities import (
    activity_align,
    activity_create,
    activity_list,
    activity_update,
)
from .objectives import (
    indicator_create,
    indicator_list,
    indicator_update,
    objective_create,
    objective_list,
    objective_update,
)
from .overviews import (
    plan_matrix,
    plan_roadmap,
    plan_rollup,
    roadmap_record,
)
from .plans import (
    pillar_create,
    plan_create,
    plan_detail,
    plan_list,
    plan_update,
)
from .progress import (
    period_accept,
    period_create,
    period_detail,
    period_list,
    period_progress,
    period_reopen,
    period_review,
    period_submit,
)

# The order of the routes: the fixed paths (``/rollup``, ``/matrix``, ``/roadmap``) before
# ``/{uuid}``, which would otherwise take them (a path parameter matches any segment).
ROUTERS: list[tuple[str, Router]] = [
    ("plans", overviews.router),
    ("plans", plans.router),
    ("plans", objectives.router),
    ("plans", activities.router),
    ("plans", progress.router),
]

__all__ = [
    "ROUTERS",
    "plan_rollup",
    "plan_matrix",
    "plan_roadmap",
    "roadmap_record",
    "plan_list",
    "plan_create",
    "plan_detail",
    "plan_update",
    "pillar_create",
    "objective_list",
    "objective_create",
    "objective_update",
    "indicator_list",
    "indicator_update",
    "indicator_create",
    "activity_list",
    "activity_create",
    "activity_update",
    "activity_align",
    "period_list",
    "period_create",
    "period_detail",
    "period_progress",
    "period_submit",
    "period_review",
    "period_accept",
    "period_reopen",
]
