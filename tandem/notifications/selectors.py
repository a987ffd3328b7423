"""Reads of the notification centre (the page and the API use the same selector)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet

from . import access
from .kinds import KINDS
from .models import Notification


@dataclass(frozen=True)
class Filters:
    unread: bool = False
    kind: str = ""

    @classmethod
    def clean(cls, *, unread: Any = None, kind: Any = None) -> Filters:
        return cls(unread=str(unread or "") in {"1", "true", "True", "on"}, kind=kind if kind in KINDS else "")


def notifications(
    actor: Any, filters: Filters | None = None, visible: QuerySet[Notification] | None = None
) -> QuerySet[Notification]:
    """The centre's list; ``visible``: ``access.visible_notifications(actor)`` already built."""
    f = filters or Filters()
    qs = access.visible_notifications(actor) if visible is None else visible
    if f.unread:
        qs = qs.filter(read_at__isnull=True)
    if f.kind:
        qs = qs.filter(kind=f.kind)
    return qs.order_by("-created_at", "-id")


def unread_count(actor: Any, visible: QuerySet[Notification] | None = None) -> int:
    qs = access.visible_notifications(actor) if visible is None else visible
    return int(qs.filter(read_at__isnull=True).count())


def centre(actor: Any, filters: Filters) -> tuple[QuerySet[Notification], int]:
    """The centre page's list and unread count, from one build of the visibility rule."""
    visible = access.visible_notifications(actor)
    return notifications(actor, filters, visible), unread_count(actor, visible)


def preferences(actor: Any) -> QuerySet:
    return access.visible_preferences(actor)
