"""Reading: the read log of AMBER, AMBER+STRICT and RED items."""

from __future__ import annotations

from tandem.core.models import User

from ..models import (
    LOGGED_TLPS,
    ExchangeItem,
    ReadAction,
    ReadLog,
)

# --- Reading -----------------------------------------------------------------------------


def log_read(*, user: User, item: ExchangeItem, action: str, detail: str = "") -> None:
    """Record a read of an AMBER, AMBER+STRICT or RED item (the caller has checked visibility)."""
    if item.tlp in LOGGED_TLPS and item.sent_at is not None:
        ReadLog.objects.create(item=item, user=user, action=action, detail=detail[:200])


def log_export(*, user: User, items: list[ExchangeItem]) -> None:
    ReadLog.objects.bulk_create(
        [
            ReadLog(item=i, user=user, action=ReadAction.EXPORT)
            for i in items
            if i.tlp in LOGGED_TLPS and i.sent_at is not None
        ]
    )
