"""THE visibility rule of the global search: an entry is found by those who may see its record.

There is no rule of the search's own: each source (``registry.SearchSource``) brings its app's
``visible_*`` queryset, and an entry of that kind is visible when its record is in it (a subquery
per kind, filtered in SQL). A record the actor may not open never appears, nor counts.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db.models import Q, QuerySet

from tandem.core import access as core_access
from tandem.core import registry

from .models import SearchEntry


class Rules:
    """Each kind's visibility queryset (the source's own ``visible``) for one actor, built once per
    resolved access, i.e. once per request: building a rule costs more Python than running it. A
    grant or revocation makes a new access, so a role change takes effect at the next request; the
    rule itself runs in SQL at every search, so a change of audience or label takes effect at once."""

    def __init__(self, actor: Any) -> None:
        self.actor = actor
        resolved = core_access.get_access(actor)
        grants = resolved.grants if resolved.is_authenticated else None
        memo = getattr(resolved, "_search_rules", None)
        if memo is None or memo[0] is not resolved._grants or memo[1] != resolved.is_active:
            memo = (resolved._grants, resolved.is_active, {})
            if grants is not None:
                resolved._search_rules = memo  # type: ignore[attr-defined]
        self.memo: dict[str, QuerySet] = memo[2]

    def of(self, source: registry.SearchSource) -> QuerySet:
        if source.kind not in self.memo:
            self.memo[source.kind] = source.visible(self.actor).order_by()
        return self.memo[source.kind]


def entry_q(actor: Any, kinds: Iterable[str] | None = None) -> Q:
    """``Q`` on SearchEntry: the entries whose record ``actor`` may see (of ``kinds``, or of every kind)."""
    wanted = set(kinds) if kinds is not None else None
    rules = Rules(actor)
    condition = Q(pk__in=[])
    for source in registry.search_sources():
        if wanted is not None and source.kind not in wanted:
            continue
        condition |= Q(kind=source.kind, object_id__in=rules.of(source).values("pk"))
    return condition


def visible_entries(actor: Any, kinds: Iterable[str] | None = None) -> QuerySet[SearchEntry]:
    return all_entries().filter(entry_q(actor, kinds))


def all_entries() -> QuerySet[SearchEntry]:
    """Every entry, unscoped: only for :func:`visible_entries` and the selector's question "which kinds
    match these words at all", whose answer is never shown."""
    return SearchEntry.objects.all()
