"""Helpers shared by the page modules of tandem.capacity."""

from __future__ import annotations

from typing import Any

from tandem.core import access as core_access

from .. import access


def get_course(request: Any, uuid: Any):
    return core_access.get_visible_or_404(access.visible_courses(request.user, include_archived=True), uuid=uuid)


def get_session(request: Any, uuid: Any):
    return core_access.get_visible_or_404(access.visible_sessions(request.user), uuid=uuid)


def get_participation(request: Any, uuid: Any):
    return core_access.get_visible_or_404(access.visible_participations(request.user), uuid=uuid)
