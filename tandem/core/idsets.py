"""``column IN (subquery)`` read as one set of ids first, for a short set beside a long table.

PostgreSQL turns ``IN (subquery)`` into a join, and a list query with its display joins (six for
an action item) is past ``join_collapse_limit``: the planner then keeps the written order, joins
every visible row first and tests the few ids last (1.4 s for the 85 action items a national
coordinator owns among 250,000). ``column = ANY(ARRAY(subquery))`` is evaluated once, before the
scan, and is a condition the column's index answers (85 primary-key lookups, 1 ms). Other
databases get the plain ``IN (subquery)``. Either way, one query: the set is never loaded in Python.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import EmptyResultSet
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

    def __init__(self, field: str, ids: QuerySet, **extra: Any) -> None:
        super().__init__(F(field), _Ids(ids), **extra)

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
