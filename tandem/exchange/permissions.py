"""The permissions the information exchange's pages and API operations declare (see core.permissions).

TLP and audience are checked on each item (``exchange.access``): an item the actor may not read
answers 404 like a missing one, so item-addressed actions declare only what every reader holds.
"""

from tandem.core.access import COORDINATOR_RANK, READ_RANK
from tandem.core.permissions import declare, requires

from .access import EXCHANGE_WRITE_RANK

READ = declare(
    "exchange.read",
    "Read the items one may read by their TLP label and audience, and act on them as their rules allow "
    "(acknowledge, reply, set a request's status, forward AMBER, lower one's own label); one's own drafts; "
    "the sharing agreements of one's country.",
    min_rank=READ_RANK,
).name
SEND = declare(
    "exchange.send", "Write and send items (any role above viewer in a country).", min_rank=EXCHANGE_WRITE_RANK
).name
COORDINATE = declare(
    "exchange.coordinate", "Follow the open requests of one's jurisdictions (coordinators).", min_rank=COORDINATOR_RANK
).name
AGREEMENTS = declare(
    "exchange.agreements",
    "Record and edit sharing agreements of one's jurisdiction (coordinators).",
    min_rank=COORDINATOR_RANK,
).name

__all__ = ["AGREEMENTS", "COORDINATE", "READ", "SEND", "requires"]
