"""The permissions the library's pages and API operations declare (see core.permissions).

Visibility is checked on each item (``library.access``): an item the actor may not read answers
404 like a missing one. Proposing and curating are checked again at the item's jurisdiction (403).
"""

from tandem.core.access import COORDINATOR_RANK, READ_RANK, ROLE_RANK
from tandem.core.models import Role
from tandem.core.permissions import declare, requires

READ = declare(
    "library.read",
    "Search and read the library items one may read by their visibility; the checklists Tandem ships.",
    min_rank=READ_RANK,
).name
PROPOSE = declare(
    "library.propose",
    "Propose library items and edit one's own until published (facilitators and coordinators; checked at the "
    "jurisdiction); curate and publish them (facilitators and national coordinators of the item's scope).",
    min_rank=ROLE_RANK[Role.FACILITATOR],
).name
CHECKLISTS = declare(
    "library.checklists",
    "Work through a checklist for one's jurisdiction and keep it as a record (coordinators).",
    min_rank=COORDINATOR_RANK,
).name

__all__ = ["CHECKLISTS", "PROPOSE", "READ", "requires"]
