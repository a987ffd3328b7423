"""Helpers shared by the assessment pages."""

from __future__ import annotations

from typing import Any

from tandem.core import access as core_access

from .. import access
from ..models import Assessment


def get_assessment(request: Any, uuid: Any) -> Assessment:
    """The assessment if the user may see it; a 404 like a missing one otherwise."""
    return core_access.get_visible_or_404(access.visible_assessments(request.user), uuid=uuid)


def get_managed(request: Any, uuid: Any) -> Assessment:
    """404 outside the user's view, then 403 for one they see but may not run."""
    assessment = get_assessment(request, uuid)
    access.require_manage(request.user, assessment)
    return assessment
