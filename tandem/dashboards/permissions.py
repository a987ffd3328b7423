"""The permission the dashboards declare (see core.permissions). Every figure is counted through the
apps' own access rules, so a viewer sees the figures of what they may open and nothing more."""

from tandem.core.access import READ_RANK
from tandem.core.permissions import declare, requires

VIEW = declare(
    "dashboards.view",
    "See the dashboard of one's jurisdictions (figures of the records one may open).",
    min_rank=READ_RANK,
).name

__all__ = ["VIEW", "requires"]
