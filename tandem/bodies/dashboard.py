"""The bodies' panel on the home page: the user's open and overdue action items."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Q
from django.utils import timezone

from . import access
from .models import CLOSED_STATUSES


def panel(user: Any) -> dict[str, Any] | None:
    """One aggregate query (cached like the dashboard's numbers); no panel for someone who owns no open
    action item."""
    from tandem.dashboards.cache import reader_numbers

    def count() -> dict[str, Any]:
        today = timezone.localdate()
        return (
            access.my_action_items(user, for_display=False)
            .exclude(status__in=CLOSED_STATUSES)
            .aggregate(open=Count("id"), overdue=Count("id", filter=Q(due_date__lt=today)))
        )

    counts = reader_numbers(user, "bodies-panel", count)
    if not counts["open"]:
        return None
    return {"template": "bodies/dashboard_panel.html", **counts}


def first_steps(user):
    """A coordinator's first body: done once one exists in a unit they coordinate."""
    from django.urls import reverse
    from django.utils.translation import gettext_lazy

    from tandem.core import access as core_access
    from tandem.core.registry import FirstStep

    from . import access

    if not core_access.has_any_rank(user, core_access.COORDINATOR_RANK):
        return []
    managed = core_access.managed_jurisdictions(user).values("id")
    has_body = access.visible_bodies(user).filter(jurisdiction__in=managed).exists()
    return [FirstStep(gettext_lazy("Set up your coordination body"), reverse("body_create"), has_body)]
