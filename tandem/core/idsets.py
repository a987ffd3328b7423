"""``column IN (subquery)`` read as one set of ids first, for a short set beside a long table.

PostgreSQL turns ``IN (subquery)`` into a join, and a list query with its display joins (six for
an action item) is past ``join_collapse_limit``: the planner then keeps the written order, joins
every visible row first and tests the few ids last (1.4 s for the 85 action items a national
coordinator owns among 250,000). ``column = ANY(ARRAY(subquery))`` is evaluated once, before the
scan, and is a condition the column's index answers (85 primary-key lookups, 1 ms). Other
databases get the plain ``IN (subquery)``. Either way, one query: the set is never loaded in Python.
"""

from __future__ import annotations

import functools
from typing import Any

from django.core.exceptions import EmptyResultSet
from django.db import connections
from django.db.models import BooleanField, F, Field, Func, QuerySet, Subquery
from django.db.models.expressions import RawSQL
from django.db.models.lookups import In


class _Ids(Subquery):
    # An empty set (``.none()``) matches nothing: the condition is dropped as false, never "IN NULL".
    empty_result_set_value = NotImplemented


class InIdSet(Func):
    """A condition for ``.filter()``: ``field`` is one of the values of ``ids`` (a one-column queryset)."""

    arity = 2
    conditional = True
    output_field = BooleanField()

    template = "%(expressions)s"
    arg_joiner = " IN "  # column IN (SELECT ...)

    def __init__(self, field: str, ids: QuerySet | RawSQL, **extra: Any) -> None:
        super().__init__(F(field), ids if isinstance(ids, RawSQL) else _Ids(ids), **extra)

    def as_postgresql(self, compiler: Any, connection: Any, **extra_context: Any) -> Any:
        # column = ANY(ARRAY(SELECT ...))
        return self.as_sql(
            compiler, connection, template="%(expressions)s)", arg_joiner=" = ANY(ARRAY", **extra_context
        )


LISTED = 100  # up to this many values, a plain IN list; more: one array parameter (PostgreSQL)


class InArray(In):
    """``field__in_array=[values]``: ``field IN (values)``; on PostgreSQL, past ``LISTED`` values,
    ``field = ANY(ARRAY(SELECT unnest(%s::type[])))`` with the values as ONE array parameter.

    The one way Tandem sends a long list of ids to PostgreSQL (the audit page's window of events, the
    global search's candidates), because a long ``IN`` list costs twice:
    - Django's psycopg backend binds parameters on the client, and psycopg scans the whole SQL text
      for placeholders on every run of a query longer than its cache takes: the audit page's window
      of 1,250 events put 2,500 placeholders in 80 KB of SQL, about 165 ms of CPU per page at
      national scale;
    - the planner estimates every element of a literal list: a thousand ids cost it 5 to 12 ms per
      query, and a search has one such list per kind.
    Behind ``ARRAY(SELECT unnest(...))`` the values are one parameter, read once before the scan (an
    InitPlan), and the column's index answers ``= ANY`` as it answers ``IN``. As ``IN (SELECT
    unnest(...))`` the planner would instead hash the other side (a national coordinator's 250,000
    action items to meet 1,001 ids: 370 ms). Up to ``LISTED`` values the plain list stays: the
    planner then knows how few they are and starts from them (a rare word's one action item: 3 ms,
    where the array's default estimate hashed the rule first: 23 ms). A value list only; a subquery
    is left to ``__in``. Other databases: the plain ``IN``.
    """

    lookup_name = "in_array"

    def as_postgresql(self, compiler: Any, connection: Any) -> Any:
        if not isinstance(self.rhs, (list, tuple, set, frozenset)) or len(self.rhs) <= LISTED:
            return self.as_sql(compiler, connection)
        values = [v for v in self.rhs if v is not None]
        field = self.lhs.output_field
        lhs, lhs_params = self.process_lhs(compiler, connection)
        prepared = [field.get_db_prep_value(v, connection, prepared=True) for v in values]
        return f"{lhs} {_ARRAY % field.db_type(connection)}", (*lhs_params, prepared)


_ARRAY = "= ANY(ARRAY(SELECT unnest(%%s::%s[])))"


def ids_condition(column: str, ids: list[int], db_type: str, connection: Any) -> tuple[str, list[Any]]:
    """SQL for "``column`` is one of ``ids``" (integers), written as ``field__in_array`` writes it
    (:class:`InArray`): a plain list up to ``LISTED`` values, one array parameter past that on
    PostgreSQL. For SQL assembled by hand: the values are not prepared one by one as a lookup's are
    (about 1.5 ms of CPU for a thousand ids, per query)."""
    values = [int(v) for v in ids if v is not None]
    if not values:
        return "1 = 0", []  # matches nothing
    if connection.vendor == "postgresql" and len(values) > LISTED:
        return f"{column} {_ARRAY % db_type}", [values]
    return f"{column} IN ({', '.join(['%s'] * len(values))})", values


Field.register_lookup(InArray)


def compiled(ids: QuerySet, output_field: Field | None = None) -> Any:
    """``ids`` (a one-column queryset) as SQL compiled once, here, for ``column__in=``: the same
    subquery, but a query that holds it no longer clones, renames and compiles every alias of its
    nested rules each time (a rule used five times in a page, or a dozen rules in one query).
    The rows are read when the query that holds it runs. An empty rule (``__in=[]``, ``none()``)
    is the empty list: nothing matches."""
    try:
        sql, params = ids.query.get_compiler(using=ids.db).as_sql()
    except EmptyResultSet:
        return []
    field = output_field if output_field is not None else ids.query.output_field
    return RawSQL(sql, params, output_field=field)  # noqa: S611 - compiled by Django, values as parameters


# --- The first rows of an ordered list, read per group ---------------------------------------------


def first_per_group(rows: QuerySet, *, group: str, groups: QuerySet) -> QuerySet:
    """``rows``, the same rows in the same order, but a slice of them (a page) is read group by group.

    ``group`` names the rows' foreign key (an action item's ``"body"``); ``groups`` is a one-column
    queryset of the key's values that holds the value of EVERY row of ``rows`` (more does no harm:
    a group with no row adds none). The rows' filters, annotations and order may change afterwards,
    as on any queryset: the page's cursor is one more filter.

    Why: a long list read in the order of an index (action items by rank and due date) is cheap
    when most rows are the reader's, but a reader of one region among twenty finds its rows late in
    that order, testing every other region's rows on the way (x1: 100,000 rows for 25). On
    PostgreSQL, ``rows[a:b]`` in an order of plain keys (fields or annotations of the row, the last
    one unique, as ``tandem.core.pagination`` requires) is then read as
    ``pk = ANY(ARRAY(SELECT pk FROM groups CROSS JOIN LATERAL (the first b rows of that group in
    the order) ORDER BY the order LIMIT b))``: the first ``b`` rows of the list are among the first
    ``b`` of their own group, so the union of each group's first ``b``, cut to ``b`` in the order,
    is exactly the list's first ``b`` rows. With an index on (group, keys) each group is read from
    its first entry, ``b`` entries at most. The rows' own conditions apply both inside (each group's
    rows) and outside, unchanged: the set can only narrow the query, never widen it.

    Unordered slices (a capped count: ``order_by()[:n].count()``), whole reads (an export) and
    other databases are the plain query.
    """
    chained = rows._chain()
    chained.__class__ = _per_group_class(type(rows))
    chained._first_per_group = (group, groups)
    return chained


class _FirstPerGroup(QuerySet):
    _first_per_group: tuple[str, QuerySet] | None = None

    def _clone(self) -> Any:
        clone = super()._clone()
        clone._first_per_group = self._first_per_group
        return clone

    def __getitem__(self, k: Any) -> Any:
        stop = k + 1 if isinstance(k, int) else k.stop if isinstance(k, slice) else None
        if isinstance(stop, int) and stop > 0 and self._result_cache is None:
            first = self._first_rows(stop)
            if first is not None:
                return first[k]
        return super().__getitem__(k)

    def _plain(self) -> QuerySet:
        plain = self._chain()
        plain._first_per_group = None
        return plain

    def _keys(self) -> list[tuple[str, bool]] | None:
        """(name, descending) of each key of the order; None if the order is not of plain keys."""
        query, opts = self.query, self.model._meta
        if not query.order_by or query.is_sliced or query.distinct or query.combinator or query.group_by:
            return None
        keys = []
        for item in query.order_by:
            if not isinstance(item, str) or "__" in item or item.lstrip("-") in ("", "?"):
                return None
            name = item.lstrip("-")
            if name != "pk" and name not in query.annotations:
                try:
                    field = opts.get_field(name)
                except Exception:  # noqa: BLE001 - not a field of the row: the plain query
                    return None
                if not field.concrete or field.model is not self.model:
                    return None
            keys.append((name, item.startswith("-")))
        return keys

    def _first_rows(self, n: int) -> QuerySet | None:
        """The plain query kept to the first ``n`` rows of each group, merged (PostgreSQL); None: as it is."""
        group, groups = self._first_per_group or (None, None)
        connection = connections[self.db]
        keys = self._keys() if group is not None and connection.vendor == "postgresql" else None
        if keys is None:
            return None
        opts, quote = self.model._meta, connection.ops.quote_name
        plain = self._plain()
        try:
            groups_sql, groups_params = groups.query.get_compiler(using=self.db).as_sql()
        except EmptyResultSet:
            return plain.none()
        key = opts.get_field(group)
        # The lateral query's group, by the alias given below (a name quoted here, no value).
        reference = f"{quote('per_group')}.{quote('value')}"
        value = RawSQL(reference, (), output_field=getattr(key, "target_field", key))  # noqa: S611
        # Each group's rows select their keys and pk under names of ours (a field's own column name
        # may differ from the name Django selects it by), ordered by the keys themselves.
        selected = {f"per_group_{i}": F(name) for i, (name, _desc) in enumerate(keys)}
        selected["per_group_pk"] = F("pk")
        per_group = plain.filter(**{key.attname: value}).annotate(**selected).values_list(*selected)[:n]
        try:
            rows_sql, rows_params = per_group.query.get_compiler(using=self.db).as_sql()
        except EmptyResultSet:
            return plain.none()
        first = quote("first")
        order = ", ".join(
            f"{first}.{quote(f'per_group_{i}')} {'DESC' if desc else 'ASC'}" for i, (_name, desc) in enumerate(keys)
        )
        # Both parts compiled by Django (values as parameters); quoted names and an integer around them.
        sql = (
            f"SELECT {first}.{quote('per_group_pk')} FROM ({groups_sql}) AS {quote('per_group')} ({quote('value')}) "  # noqa: S608
            f"CROSS JOIN LATERAL ({rows_sql}) AS {first} ORDER BY {order} LIMIT {int(n)}"
        )
        ids = RawSQL(sql, (*groups_params, *rows_params), output_field=opts.pk)  # noqa: S611
        return plain.filter(InIdSet(opts.pk.name, ids))


@functools.cache
def _per_group_class(base: type[QuerySet]) -> type[QuerySet]:
    if issubclass(base, _FirstPerGroup):
        return base
    if base is QuerySet:
        return _FirstPerGroup
    return type(f"FirstPerGroup{base.__name__}", (_FirstPerGroup, base), {})
