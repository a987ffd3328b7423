"""Writes for action plans: atomic, audited, version-checked.

Every function is ``<entity>_<action>(*, actor, ...)`` and re-checks the write
rule of :mod:`tandem.plans.access`. Validation errors are ``ValidationError``
with a message per field; nothing is written when one is raised.
"""

from ._common import ACTIVITY_FIELDS, INDICATOR_FIELDS, OBJECTIVE_FIELDS, PLAN_FIELDS
from .contents import (
    activity_create,
    activity_delete,
    activity_update,
    alignment_set,
    indicator_create,
    indicator_update,
    objective_create,
    objective_update,
    pillar_create,
)
from .plans import (
    plan_create,
    plan_update,
)
from .progress import (
    period_accept,
    period_create,
    period_reopen,
    period_review,
    period_submit,
    progress_save,
    roadmap_record,
)

__all__ = [
    "ACTIVITY_FIELDS",
    "INDICATOR_FIELDS",
    "OBJECTIVE_FIELDS",
    "PLAN_FIELDS",
    "activity_create",
    "activity_delete",
    "activity_update",
    "alignment_set",
    "indicator_create",
    "indicator_update",
    "objective_create",
    "objective_update",
    "period_accept",
    "period_create",
    "period_reopen",
    "period_review",
    "period_submit",
    "pillar_create",
    "plan_create",
    "plan_update",
    "progress_save",
    "roadmap_record",
]
