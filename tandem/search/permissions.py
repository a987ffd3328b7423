"""The permission of the global search (see core.permissions).

Anyone signed in may search: what they find is decided per record by each app's visibility rule
(``tandem.search.access``), so a record they may not open never appears nor counts.
"""

from tandem.core.access import READ_RANK
from tandem.core.permissions import declare, requires

USE = declare(
    "search.use",
    "Search every record one may see, across the apps (each result passes its app's visibility rule).",
    min_rank=READ_RANK,
).name

__all__ = ["USE", "requires"]
