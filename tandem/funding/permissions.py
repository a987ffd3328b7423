"""The permissions funding's pages and API operations declare (see core.permissions)."""

from tandem.core.access import COORDINATOR_RANK, READ_RANK
from tandem.core.permissions import declare, requires

VIEW = declare(
    "funding.view",
    "Read the calls open where one works, one's own applications and awards, and the records of the "
    "calls one manages or reviews.",
    min_rank=READ_RANK,
).name
APPLY = declare(
    "funding.apply",
    "Draft, submit and withdraw an application for an organisation one acts for; file its spend reports.",
    min_rank=20,
).name
REVIEW = declare(
    "funding.review",
    "Declare conflicts of interest and score the applications one is assigned to review.",
    min_rank=READ_RANK,
).name
MANAGE = declare(
    "funding.manage",
    "Record funding sources, open and manage calls of one's jurisdiction: reviewers, decisions, "
    "tranches and payments; read the funding totals of one's scope.",
    min_rank=COORDINATOR_RANK,
).name

__all__ = ["APPLY", "MANAGE", "REVIEW", "VIEW", "requires"]
