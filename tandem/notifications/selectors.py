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


def notifications(actor: Any, filters: Filters | None = None) -> QuerySet[Notification]:
    f = filters or Filters()
    qs = access.visible_notifications(actor)
    if f.unread:
        qs = qs.filter(read_at__isnull=True)
    if f.kind:
        qs = qs.filter(kind=f.kind)
    return qs.order_by("-created_at", "-id")


def unread_count(actor: Any) -> int:
    return int(access.visible_notifications(actor).filter(read_at__isnull=True).count())


def preferences(actor: Any) -> QuerySet:
    return access.visible_preferences(actor)
