"""The permissions the events' pages and API operations declare (see core.permissions).

Visibility is checked on each event (``events.access``): an event the actor may not read answers
404 like a missing one. Organising is checked again at the event's owning jurisdiction (403).
"""

from tandem.core.access import READ_RANK, ROLE_RANK
from tandem.core.models import Role
from tandem.core.permissions import declare, requires

VIEW = declare(
    "events.view",
    "Read the events one may see (by their visibility), their agenda, outcomes, calendar and published report.",
    min_rank=READ_RANK,
).name
ORGANISE = declare(
    "events.organise",
    "Create events and organise them (agenda, participants, breakouts, outcomes, commitments, report): "
    "coordinators and network facilitators over the owning jurisdiction. Checked again on the event.",
    min_rank=ROLE_RANK[Role.FACILITATOR],
).name

__all__ = ["ORGANISE", "VIEW", "requires"]
