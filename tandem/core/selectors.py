"""Reads for the core app that are not plain scoped querysets (those live in access)."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Q, QuerySet

from . import access
from .models import AuditEvent, Jurisdiction


def jurisdiction_ancestors(jurisdiction: Jurisdiction) -> list[Jurisdiction]:
    """Ancestors from the root down, excluding ``jurisdiction`` itself. One query."""
    ids = jurisdiction.ancestor_ids()[:-1]
    if not ids:
        return []
    by_id = {j.pk: j for j in Jurisdiction.objects.filter(pk__in=ids).only("id", "uuid", "name", "path", "kind")}
    return [by_id[i] for i in ids if i in by_id]


def breadcrumb(user: Any, jurisdiction: Jurisdiction) -> list[dict[str, Any]]:
    """The jurisdiction path for a breadcrumb; links only to units the user may open."""
    paths = access.scope_paths(user)
    crumbs = []
    for node in [*jurisdiction_ancestors(jurisdiction), jurisdiction]:
        linkable = paths is None or any(node.path.startswith(p) for p in paths)
        crumbs.append({"name": node.name, "uuid": node.uuid, "linkable": linkable})
    return crumbs


def jurisdiction_children(user: Any, parent: Jurisdiction) -> QuerySet[Jurisdiction]:
    return (
        access.visible_jurisdictions(user)
        .filter(parent=parent)
        .annotate(child_count=Count("children", distinct=True))
        .order_by("name")
    )


def jurisdiction_search(user: Any, term: str, limit: int = 200) -> QuerySet[Jurisdiction]:
    qs = access.visible_jurisdictions(user)
    term = term.strip()
    if term:
        qs = qs.filter(Q(name__icontains=term) | Q(iso_code__iexact=term) | Q(level_name__icontains=term))
    return qs.select_related("parent")[:limit]


def latest_activity(user: Any, limit: int = 15) -> QuerySet[AuditEvent]:
    """Recent changes inside the user's jurisdictions (not sign-ins)."""
    paths = access.scope_paths(user)
    qs = AuditEvent.objects.exclude(jurisdiction_path="").filter(access.path_q(paths, "jurisdiction_path"))
    return qs.exclude(action__in=["login", "logout", "login_failed", "read"]).select_related("actor")[:limit]


def resolve_within(user: Any, raw: str | None) -> Jurisdiction | None:
    """A 'within' filter value (UUID) to a visible jurisdiction, or None."""
    if not raw:
        return None
    try:
        return access.visible_jurisdictions(user).get(uuid=raw)
    except Exception:
        return None
