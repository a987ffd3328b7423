"""Reads of the exchange: one selector per list, shared by the pages and the API.

Every selector starts from the one visibility rule (:mod:`tandem.exchange.access`)
and only narrows it, in SQL: a page and its API operation list the same items for
the same filters because they call the same function.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Count, F, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.http import urlencode

from . import access
from .models import OPEN_STATUSES, ExchangeItem, ItemRecipient, Kind, Reply, SharingAgreement, Status, Tlp

MAX_TERM = 100
BOXES = ("inbox", "outbox", "all")


@dataclass
class ItemFilters:
    """The filters of an item list (inbox: sent to you; outbox: sent by you; all: both)."""

    box: str = "inbox"
    term: str = ""
    kind: str = ""
    tlp: str = ""
    status: str = ""
    overdue: bool = False

    @classmethod
    def clean(
        cls,
        *,
        box: str | None = "inbox",
        term: str | None = "",
        kind: str | None = "",
        tlp: str | None = "",
        status: str | None = "",
        overdue: bool = False,
    ) -> ItemFilters:
        """Filters from untrusted input: unknown values are dropped, the search term is cut."""
        return cls(
            box=box if box in BOXES else "inbox",
            term=(term or "").strip()[:MAX_TERM],
            kind=kind if kind in Kind.values else "",
            tlp=tlp if tlp in Tlp.values else "",
            status=status if status in Status.values else "",
            overdue=bool(overdue),
        )

    def params(self) -> dict[str, str]:
        params = {"box": self.box}
        for name in ("term", "kind", "tlp", "status"):
            value = getattr(self, name)
            if value:
                params["q" if name == "term" else name] = value
        if self.overdue:
            params["overdue"] = "1"
        return params

    @property
    def query(self) -> str:
        return urlencode(sorted(self.params().items()))

    @property
    def active(self) -> bool:
        return bool(self.term or self.kind or self.tlp or self.status or self.overdue)


def items(actor: Any, filters: ItemFilters | None = None) -> QuerySet[ExchangeItem]:
    """The sent items ``actor`` may read in the filters' box, narrowed by the filters, newest first."""
    f = filters or ItemFilters()
    qs = access.visible_sent_items(actor)
    if f.box == "outbox":
        qs = qs.filter(sender_id=actor.pk)
    elif f.box == "inbox":
        qs = qs.exclude(sender_id=actor.pk)
    if f.term:
        qs = qs.filter(Q(title__icontains=f.term) | Q(body__icontains=f.term))
    if f.kind:
        qs = qs.filter(kind=f.kind)
    if f.tlp:
        qs = qs.filter(tlp=f.tlp)
    if f.status:
        qs = qs.filter(status=f.status)
    if f.overdue:
        qs = qs.filter(kind=Kind.REQUEST, status__in=OPEN_STATUSES, due_date__lt=timezone.localdate())
    return qs.order_by("-sent_at", "-id")


def inbox(actor: Any, filters: ItemFilters | None = None) -> QuerySet[ExchangeItem]:
    """Items sent to ``actor`` (by anyone else) that they may read."""
    f = filters or ItemFilters()
    return items(actor, ItemFilters(**{**f.__dict__, "box": "inbox"}))


def sent(actor: Any, filters: ItemFilters | None = None) -> QuerySet[ExchangeItem]:
    """Items ``actor`` sent."""
    f = filters or ItemFilters()
    return items(actor, ItemFilters(**{**f.__dict__, "box": "outbox"}))


def with_reply_counts(qs: QuerySet[ExchangeItem]) -> QuerySet[ExchangeItem]:
    """Annotate ``reply_count``: a correlated subquery, counted for the rows of the page only
    (a ``Count`` over a join grouped every visible item before the ``LIMIT``)."""
    replies = Reply.objects.filter(item_id=OuterRef("pk")).order_by().values("item_id").annotate(n=Count("id"))
    return qs.annotate(reply_count=Coalesce(Subquery(replies.values("n")), 0))


def drafts(actor: Any) -> QuerySet[ExchangeItem]:
    """The actor's own unsent drafts (nobody else ever sees them), last edited first."""
    return access.visible_items(actor).filter(sender_id=actor.pk, sent_at__isnull=True).order_by("-updated_at", "-id")


def open_requests(actor: Any) -> QuerySet[ExchangeItem]:
    """Requests ``actor`` may read that are still open or acknowledged, oldest first."""
    return (
        access.visible_sent_items(actor).filter(kind=Kind.REQUEST, status__in=OPEN_STATUSES).order_by("sent_at", "id")
    )


def agreements(actor: Any, term: str = "") -> QuerySet[SharingAgreement]:
    """Sharing agreements of the actor's countries, with their number of parties, by title."""
    qs = access.visible_agreements(actor).annotate(
        parties=Count("party_organisations", distinct=True) + Count("party_jurisdictions", distinct=True)
    )
    term = (term or "").strip()[:MAX_TERM]
    if term:
        qs = qs.filter(title__icontains=term)
    return qs.order_by("title", "id")


def recipients(item: ExchangeItem) -> QuerySet[ItemRecipient]:
    """An item's recipient rows (the caller has checked the item is visible): the sender's, then forwards."""
    return item.recipients.select_related(
        "jurisdiction", "organisation", "user", "body", "via_body", "forwarded_by"
    ).order_by(F("forwarded_at").asc(nulls_first=True), "id")
