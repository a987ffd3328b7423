"""The permissions capacity building's pages and API operations declare (see core.permissions)."""

from tandem.core.access import COORDINATOR_RANK, READ_RANK, ROLE_RANK
from tandem.core.models import Role
from tandem.core.permissions import declare, public, requires

VIEW = declare(
    "capacity.view",
    "Read the training catalogue one may see, request a place, give feedback, fetch one's certificates.",
    min_rank=READ_RANK,
).name
PUBLISH = declare(
    "capacity.publish",
    "Publish courses and sessions and organise them (places, attendance, certificates, feedback figures): "
    "coordinators and network facilitators over the jurisdiction. Checked again on the record.",
    min_rank=ROLE_RANK[Role.FACILITATOR],
).name
NOMINATE = declare(
    "capacity.nominate",
    "Nominate people of one's subtree for a session, and read the reach figures of one's subtree.",
    min_rank=COORDINATOR_RANK,
).name

__all__ = ["NOMINATE", "PUBLISH", "VIEW", "public", "requires"]
