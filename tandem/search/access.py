"""THE visibility rule of the global search: an entry is found by those who may see its record.

There is no rule of the search's own: each source (``registry.SearchSource``) brings its app's
``visible_*`` queryset, and an entry of that kind is visible when its record is in it (a subquery
per kind, filtered in SQL). A record the actor may not open never appears, nor counts.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db.models import Q, QuerySet

from tandem.core import registry

from .models import SearchEntry


def entry_q(actor: Any, kinds: Iterable[str] | None = None, among: dict[str, list[int]] | None = None) -> Q:
    """``Q`` on SearchEntry: the entries whose record ``actor`` may see (of ``kinds``, or of every kind).

    ``among``: per kind, the only record ids worth checking (the search's candidates): the rule is
    then checked on those records alone, by primary key, instead of on all the actor may see."""
    wanted = set(kinds) if kinds is not None else None
    condition = Q(pk__in=[])
    for source in registry.search_sources():
        if wanted is not None and source.kind not in wanted:
            continue
        visible = source.visible(actor).order_by()
        if among is not None and source.kind in among:
            visible = visible.filter(pk__in=among[source.kind])
        condition |= Q(kind=source.kind, object_id__in=visible.values("pk"))
    return condition


def visible_entries(actor: Any, kinds: Iterable[str] | None = None) -> QuerySet[SearchEntry]:
    return all_entries().filter(entry_q(actor, kinds))


def all_entries() -> QuerySet[SearchEntry]:
    """Every entry, unscoped: only for :func:`visible_entries` and the selector's question "which kinds
    match these words at all", whose answer is never shown."""
    return SearchEntry.objects.all()
