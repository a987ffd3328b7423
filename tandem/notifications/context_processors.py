"""The unread count of the header's notification link (one COUNT per page, scoped like the centre)."""

from __future__ import annotations

from django.http import HttpRequest

from . import selectors


def unread(request: HttpRequest) -> dict:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"notifications_unread": selectors.unread_count(getattr(request, "access", user))}
