"""Helpers shared by the page modules of tandem.bodies."""

from __future__ import annotations

from typing import Any

from django.conf import settings

from tandem.core import access as core_access

from .. import access
from ..models import ActionStatus

PAGE = settings.TANDEM_PAGE_SIZE
OPEN_STATUSES = [ActionStatus.OPEN, ActionStatus.IN_PROGRESS]


def _country_organisations(user: Any, body) -> Any:
    """Organisations the body's manager may pick: active ones in the body's country."""
    return access.member_candidates(user, body).order_by("name", "id")


def _country_people(user: Any) -> Any:
    return core_access.visible_people(user).order_by("full_name", "id")


def _meeting(request, uuid):
    return core_access.get_visible_or_404(
        access.visible_meetings(request.user).prefetch_related("agenda_items"), uuid=uuid
    )


def _body_filter(request) -> tuple[Any, dict[str, str]]:
    """The optional ``body`` filter (a visible body's UUID; anything else is ignored)."""
    raw = request.GET.get("body", "")
    if not raw:
        return None, {}
    try:
        body = access.visible_bodies(request.user, include_archived=True).get(uuid=raw)
    except Exception:  # unknown, foreign or malformed: ignored like other filters
        return None, {}
    return body, {"body": str(body.uuid)}
