"""Helpers shared by the page modules of tandem.events."""

from __future__ import annotations

from typing import Any

from tandem.core import access as core_access

from .. import access


def get_event(request: Any, uuid: Any):
    return core_access.get_visible_or_404(access.visible_events(request.user), uuid=uuid)


def get_managed_event(request: Any, uuid: Any):
    """The event (404 outside the scope), then the organiser's right over it (403)."""
    event = get_event(request, uuid)
    access.require_manage(request.user, event)
    return event


def get_breakout(request: Any, uuid: Any):
    return core_access.get_visible_or_404(access.visible_breakouts(request.user), uuid=uuid)


def get_commitment(request: Any, uuid: Any):
    return core_access.get_visible_or_404(access.visible_commitments(request.user), uuid=uuid)


def get_participant(request: Any, uuid: Any):
    return core_access.get_visible_or_404(access.visible_participants(request.user), uuid=uuid)
