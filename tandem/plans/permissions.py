"""The permissions the action plans' pages and API operations declare (see core.permissions)."""

from tandem.core.access import COORDINATOR_RANK, READ_RANK
from tandem.core.permissions import declare, requires

VIEW = declare(
    "plans.view", "Read the plans, alignment, roadmap and roll-up of one's jurisdictions.", min_rank=READ_RANK
).name
MANAGE = declare(
    "plans.manage",
    "Create and edit the plans of one's jurisdiction, record its localisation stage, report progress.",
    min_rank=COORDINATOR_RANK,
).name
REVIEW = declare(
    "plans.review", "Review the progress submitted by the jurisdictions one level below.", min_rank=COORDINATOR_RANK
).name

__all__ = ["MANAGE", "REVIEW", "VIEW", "requires"]
