"""The permissions the coordination bodies' pages and API operations declare (see core.permissions)."""

from tandem.core.access import COORDINATOR_RANK, READ_RANK
from tandem.core.permissions import declare, public, requires

VIEW = declare(
    "bodies.view",
    "Read the bodies of one's country; their internals (meetings, minutes, action items) as a member "
    "or a coordinator of the body's jurisdiction.",
    min_rank=READ_RANK,
).name
INTERNALS = declare(
    "bodies.internals",
    "A body's meetings, minutes and decisions: read by its current members and the coordinators of its "
    "jurisdiction, run by those coordinators. Both are checked on the meeting itself, so that a meeting "
    "the actor may not see answers 404 like a missing one.",
    min_rank=READ_RANK,
).name
MANAGE = declare(
    "bodies.manage",
    "Run a body of one's jurisdiction: members, seats, meetings, minutes, decisions, action items.",
    min_rank=COORDINATOR_RANK,
).name
ACTION_LOG = declare(
    "bodies.action_log",
    "Keep a body's action log (add action items; change their owner, due date and status): the "
    "coordinators of its jurisdiction and the current holder of its Secretariat seat (a person, or an "
    "organisation the user acts for). Checked on the body itself.",
    min_rank=READ_RANK,
).name

__all__ = ["ACTION_LOG", "INTERNALS", "MANAGE", "VIEW", "public", "requires"]
