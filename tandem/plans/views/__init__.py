"""Pages of the action plans.

One module per concern; ``tandem.plans.urls`` reads the views from here.
"""

from .activities import (
    activity_align,
    activity_create,
    activity_edit,
    objective_align,
    plan_lookup_organisations,
)
from .documents import (
    plan_import,
    plan_pdf,
    plan_xlsx,
)
from .objectives import (
    indicator_create,
    indicator_edit,
    objective_create,
    objective_edit,
    pillar_create,
)
from .overviews import (
    plan_matrix,
    plan_roadmap,
    plan_rollup,
    roadmap_record,
)
from .plans import (
    plan_create,
    plan_detail,
    plan_edit,
    plan_export,
    plan_list,
)
from .progress import (
    period_action,
    period_create,
    period_progress,
)

__all__ = [
    "plan_list",
    "plan_export",
    "plan_create",
    "plan_edit",
    "plan_detail",
    "pillar_create",
    "objective_create",
    "objective_edit",
    "indicator_create",
    "indicator_edit",
    "activity_create",
    "activity_edit",
    "activity_align",
    "objective_align",
    "period_create",
    "period_progress",
    "period_action",
    "plan_rollup",
    "plan_matrix",
    "plan_roadmap",
    "roadmap_record",
    "plan_xlsx",
    "plan_import",
    "plan_pdf",
    "plan_lookup_organisations",
]
