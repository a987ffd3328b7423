"""The assessment's panel on the home page: the assessments waiting for the user's answers."""

from __future__ import annotations

from typing import Any

from . import access
from .models import Status


def panel(user: Any) -> dict[str, Any] | None:
    waiting = list(
        access.visible_answer_sheets(user)
        .filter(
            person__user_id=getattr(user, "pk", None), assessment__status=Status.COLLECTING, submitted_at__isnull=True
        )
        .select_related("assessment", "assessment__jurisdiction")
        .order_by("assessment__created_at")[:10]
    )
    if not waiting:
        return None
    return {"template": "assessment/dashboard_panel.html", "waiting": [r.assessment for r in waiting]}
