"""The deadline scan: requests (exchange) and action items (bodies) due in 3 days or overdue.

Each is announced through ``tandem.core.events`` like any other change, with a key that includes
the due date: the same deadline is never announced twice, a moved deadline is announced again.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.urls import reverse

from tandem.core import events

DUE_SOON_DAYS = 3


def _requests(day: dt.date) -> int:
    from tandem.exchange import access as exchange_access
    from tandem.exchange.models import LOGGED_TLPS, OPEN_STATUSES, ExchangeItem, Kind

    count = 0
    soon = day + dt.timedelta(days=DUE_SOON_DAYS)
    # access-ok: the scan looks at every open request; each recipient is checked by the listener.
    due = ExchangeItem.objects.filter(
        kind=Kind.REQUEST, sent_at__isnull=False, status__in=OPEN_STATUSES, due_date__lte=soon
    ).exclude(due_date__isnull=True)
    for item in due:
        audience = list(exchange_access.item_audience(item).values_list("pk", flat=True))
        common = {
            "title": item.title,
            "url": reverse("exchange_detail", args=[item.uuid]),
            "label": item.get_tlp_display(),
            "restricted": item.tlp in LOGGED_TLPS,
        }
        if item.due_date == soon:
            recipients = [pk for pk in audience if pk != item.sender_id]
            events.emit(
                "exchange.request_due_soon", item, recipient_ids=recipients, key=f"{item.uuid}:{soon}", **common
            )
            count += 1
        elif item.due_date < day:
            recipients = [*audience, item.sender_id]
            events.emit(
                "exchange.request_overdue", item, recipient_ids=recipients, key=f"{item.uuid}:{item.due_date}", **common
            )
            count += 1
    return count


def _action_items(day: dt.date) -> int:
    from tandem.bodies.models import CLOSED_STATUSES, ActionItem

    count = 0
    soon = day + dt.timedelta(days=DUE_SOON_DAYS)
    # access-ok: the scan looks at every open action item; each owner is checked by the listener.
    due = (
        ActionItem.objects.exclude(status__in=CLOSED_STATUSES)
        .filter(due_date__lte=soon, owner_person__user__isnull=False)
        .select_related("owner_person", "body")
    )
    for item in due:
        common = {"title": item.title, "url": reverse("action_item_mine")}
        owner = [item.owner_person.user_id]
        if item.due_date == soon:
            events.emit("bodies.action_due_soon", item, recipient_ids=owner, key=f"{item.uuid}:{soon}", **common)
            count += 1
        elif item.due_date < day:
            events.emit(
                "bodies.action_overdue", item, recipient_ids=owner, key=f"{item.uuid}:{item.due_date}", **common
            )
            count += 1
    return count


def scan(day: dt.date) -> int:
    with transaction.atomic():
        return _requests(day) + _action_items(day)
