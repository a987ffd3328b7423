"""The exchange's panel on the home page: open requests by age, for coordinators.

Counts go through the open-requests selector (the one visibility rule): a
coordinator sees the age of the requests they may read, nothing else.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Count, Q
from django.utils import timezone

from tandem.core import access as core_access

from . import selectors


def panel(user: Any) -> dict[str, Any] | None:
    if not core_access.has_any_rank(user, core_access.COORDINATOR_RANK):
        return None
    from tandem.dashboards.cache import reader_numbers

    def count() -> dict[str, Any]:
        now = timezone.now()
        week, month = now - dt.timedelta(days=7), now - dt.timedelta(days=30)
        return (
            selectors.open_requests(user)
            .order_by()
            .aggregate(
                total=Count("id"),
                under_week=Count("id", filter=Q(sent_at__gte=week)),
                week_to_month=Count("id", filter=Q(sent_at__lt=week, sent_at__gte=month)),
                over_month=Count("id", filter=Q(sent_at__lt=month)),
                overdue=Count("id", filter=Q(due_date__lt=timezone.localdate())),
            )
        )

    # A national coordinator's requests are counted by the tens of thousands: cached like the
    # dashboard's numbers (every exchange write empties the entries).
    counts = reader_numbers(user, "exchange-panel", count)
    return {"template": "exchange/dashboard_panel.html", **counts}
