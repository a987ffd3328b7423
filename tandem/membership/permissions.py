"""The permissions membership's pages and API operations declare (see core.permissions).

The public list of members is ``@public`` (no sign-in): it shows the authority's name, its
country and the year it joined, nothing more.
"""

from tandem.core.access import COORDINATOR_RANK, READ_RANK, ROLE_RANK
from tandem.core.models import Role
from tandem.core.permissions import declare, requires

READ = declare(
    "membership.read",
    "See the membership applications and members of the jurisdictions one holds a role in (or above).",
    min_rank=READ_RANK,
).name
APPLY = declare(
    "membership.apply",
    "Apply for one's local authority to join the network (coordinators of the jurisdiction).",
    min_rank=COORDINATOR_RANK,
).name
REVIEW = declare(
    "membership.review",
    "Accept, decline, ask for information about applications, and record that a member lapsed or left "
    "(network facilitators of the area, administrators).",
    min_rank=ROLE_RANK[Role.FACILITATOR],
).name

__all__ = ["APPLY", "READ", "REVIEW", "requires"]
