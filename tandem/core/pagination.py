"""A paginator for long lists: it counts at most ``TANDEM_COUNT_CAP`` rows.

Counting every visible row for each page (250,000 action items, 300,000 exchange items for a
national coordinator) costs more than the page itself. ``CappedPaginator`` counts up to the
cap plus one (``SELECT COUNT(*) FROM (... LIMIT cap + 1)``, which stops early) and, when the list
is longer, says so (``capped``; the pagination template shows "more than N results"). The pages
beyond the cap are not offered: past a thousand rows, the filters are the way in.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.paginator import Paginator
from django.utils.functional import cached_property


class CappedPaginator(Paginator):
    def __init__(
        self, object_list: Any, per_page: int, cap: int | None = None, *, partial: bool = False, **kwargs: Any
    ) -> None:
        super().__init__(object_list, per_page, **kwargs)
        self.cap = cap if cap is not None else settings.TANDEM_COUNT_CAP
        # The rows are those found in part of a longer list (the audit page's scan stopped): capped.
        self.partial = partial

    @cached_property
    def _capped_count(self) -> int:
        rows = self.object_list
        if hasattr(rows, "order_by"):
            rows = rows.order_by()  # the order does not change a count; sorting would read every row
        return len(rows) if isinstance(rows, list) else rows[: self.cap + 1].count()

    @cached_property
    def count(self) -> int:
        return min(self._capped_count, self.cap)

    @property
    def capped(self) -> bool:
        """More rows than the count says (the count stopped at the cap)."""
        return self.partial or self._capped_count > self.cap


def capped_count(rows: Any, cap: int) -> tuple[int, bool]:
    """``(count, capped)``: the rows counted up to ``cap`` (reading at most ``cap + 1`` of them)."""
    found = rows.order_by()[: cap + 1].count() if hasattr(rows, "order_by") else len(rows)
    return min(found, cap), found > cap
