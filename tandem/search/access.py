"""THE visibility rule of the global search: an entry is found by those who may see its record.

There is no rule of the search's own: each source (``registry.SearchSource``) brings its app's
``visible_*`` queryset, and an entry of that kind is visible when its record is in it (a subquery
per kind, filtered in SQL). A record the actor may not open never appears, nor counts.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import EmptyResultSet
from django.db import connection
from django.db.models import F, Q, QuerySet
from django.db.models.expressions import RawSQL

from tandem.core import access as core_access
from tandem.core import registry
from tandem.core.idsets import ids_condition

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
            memo = (resolved._grants, resolved.is_active, {}, {})
            if grants is not None:
                resolved._search_rules = memo  # type: ignore[attr-defined]
        self.memo: dict[str, QuerySet] = memo[2]
        self.compiled: dict[str, Rule | None] = memo[3]

    def of(self, source: registry.SearchSource) -> QuerySet:
        if source.kind not in self.memo:
            self.memo[source.kind] = source.visible(self.actor).order_by()
        return self.memo[source.kind]

    def sql(self, source: registry.SearchSource) -> Rule | None:
        """The kind's rule compiled once (``None``: it matches nothing, e.g. a user without a role),
        for a statement that holds it several times (the search's sample: the candidates, the
        visible records, the matches), where each copy compiled apart cost 1-2 ms of CPU."""
        if source.kind not in self.compiled:
            visible = self.of(source)
            try:
                sql, params = visible.values(rule_pk=F("pk")).query.sql_with_params()
            except EmptyResultSet:
                self.compiled[source.kind] = None
            else:
                pk_type = visible.model._meta.pk.rel_db_type(connection)
                self.compiled[source.kind] = Rule(sql, tuple(params), pk_type)
        return self.compiled[source.kind]


@dataclass(frozen=True)
class Rule:
    """A kind's visibility rule as SQL: ``SELECT <record id> AS rule_pk FROM ...`` (one column) and
    its parameters; ``pk_type`` the database type of the record's id."""

    sql: str
    params: tuple[Any, ...]
    pk_type: str

    def ids(self) -> RawSQL:
        """The ids of the records it lets through, for ``field__in=``."""
        return RawSQL(self.sql, self.params)  # noqa: S611 - compiled by Django, values as parameters

    def among(self, ids: list[int]) -> RawSQL:
        """The ids among ``ids`` that it lets through, for ``field__in=``: the rule is tested on those
        records alone (the database pushes the condition on the id into the rule's own table)."""
        condition, params = ids_condition("r.rule_pk", ids, self.pk_type, connection)
        sql = f"SELECT r.rule_pk FROM ({self.sql}) AS r WHERE {condition}"  # noqa: S608 - compiled by Django
        return RawSQL(sql, (*self.params, *params))  # noqa: S611


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
