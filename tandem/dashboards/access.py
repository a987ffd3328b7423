"""Who sees a quarterly report (``QuarterlyReport``): only the person who asked for it, only while
they still hold every role they held then (the figures in it were counted with those roles), and
only while the jurisdiction it is narrowed to is still in their scope."""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from tandem.core import access as core_access

from .models import QuarterlyReport


def grants_text(actor: Any) -> str:
    """The actor's roles as stored on a report ("role@path" lines, sorted)."""
    mine = core_access.get_access(actor)
    return "\n".join(sorted({f"{g.role}@{g.path}" for g in mine.grants}))


def visible_reports(actor: Any) -> QuerySet[QuarterlyReport]:
    """The actor's own reports asked with the roles they hold now, narrowed to a place they still see."""
    mine = core_access.get_access(actor)
    if not mine.is_active or mine.pk is None:
        return QuarterlyReport.objects.none()
    # An administrator's scope is the empty Q (everything): ``Q(...) | Q()`` would drop it and keep only
    # the whole-scope reports, so their reports narrowed to a place could not be opened.
    scope = core_access.scope_q(actor, "within__path")
    in_scope = Q(within__isnull=True) | scope if scope else Q()
    return QuarterlyReport.objects.filter(in_scope, requester_id=mine.pk, grants=grants_text(actor))
