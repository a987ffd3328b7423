"""What a dashboard figure is, so that any app can add one (registry hook ``dashboard_figure``).

A figure is a set of buckets (groups), each with a number (a count of records, or a sum of an
amount field) AND the list of records behind it. Both come from the same queryset, built on the
app's own access rules and narrowed to the reader's ``Scope`` (the subtree of their grants, or a
jurisdiction inside it), so a figure never counts a record its reader could not open and its
link lists exactly what it counted. Each figure's numbers are one aggregate query, whatever the
number of jurisdictions and records.

Most figures are ``simple(...)``: a scoped ``base`` queryset and a ``Q`` per bucket. Those with a
``region_field`` (the path of the record's jurisdiction) also fill the table of the units below
(one query per figure for all the units). The report period (``as_of``) moves "today" for every
figure that depends on dates (ages, quarters), so a quarterly report shows that quarter.
"""

from __future__ import annotations

import contextlib
import contextvars
import dataclasses
import datetime as dt
import operator
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from decimal import Decimal
from functools import reduce
from typing import Any

from django.core.exceptions import EmptyResultSet, FieldDoesNotExist
from django.db import connection, connections
from django.db.models import Case, CharField, Count, F, Func, IntegerField, Q, QuerySet, Sum, Value, When
from django.db.models.functions import Cast
from django.db.models.lookups import In
from django.utils import timezone

from . import access as core_access

_as_of: contextvars.ContextVar[dt.date | None] = contextvars.ContextVar("tandem_figures_as_of", default=None)


@contextlib.contextmanager
def as_of(day: dt.date | None) -> Iterator[None]:
    """Figures computed inside see ``day`` as today (the last day of a report's quarter)."""
    token = _as_of.set(day)
    try:
        yield
    finally:
        _as_of.reset(token)


def fixed_day() -> dt.date | None:
    """The day set by ``as_of`` (a report's quarter end), or None: figures count as of now."""
    return _as_of.get()


def today() -> dt.date:
    day = _as_of.get()
    return day if day is not None else timezone.localdate()


def now() -> dt.datetime:
    day = _as_of.get()
    if day is None:
        return timezone.now()
    end = dt.datetime.combine(day + dt.timedelta(days=1), dt.time.min)
    return min(timezone.make_aware(end), timezone.now())


def quarter_of(day: dt.date) -> tuple[str, dt.date, dt.date]:
    """``("2026-Q3", first day, first day of the next quarter)``."""
    q = (day.month - 1) // 3
    start = dt.date(day.year, q * 3 + 1, 1)
    end = dt.date(day.year + 1, 1, 1) if q == 3 else dt.date(day.year, q * 3 + 4, 1)
    return f"{day.year}-Q{q + 1}", start, end


def quarters(count: int = 4, day: dt.date | None = None) -> list[tuple[str, dt.date, dt.date]]:
    """The last ``count`` quarters up to the one of ``day`` (default: today), oldest first."""
    result = [quarter_of(day or today())]
    while len(result) < count:
        result.append(quarter_of(result[-1][1] - dt.timedelta(days=1)))
    return list(reversed(result))


def parse_quarter(text: str) -> tuple[str, dt.date, dt.date] | None:
    """``"2026-Q3"`` -> that quarter; anything else -> None."""
    year, sep, q = (text or "").partition("-Q")
    if not sep or not year.isdigit() or q not in {"1", "2", "3", "4"} or not 2000 <= int(year) <= 2100:
        return None
    return quarter_of(dt.date(int(year), (int(q) - 1) * 3 + 1, 1))


@dataclass(frozen=True)
class Scope:
    """Whose dashboard (``actor``), narrowed to a jurisdiction's subtree inside their scope (``within``).

    ``counted``: numbers one figure counted along with its own, for another figure of the same
    page to take instead of counting them again (a scope lives for one request)."""

    actor: Any
    within: str = ""
    counted: dict[str, Any] = dataclasses.field(default_factory=dict, compare=False, hash=False, repr=False)

    def q(self, field: str) -> Q:
        q = core_access.scope_q(self.actor, field)
        if self.within:
            q &= Q(**{f"{field}__startswith": self.within})
        return q

    def paths(self) -> list[str] | None:
        """The roots of the scope (None: everything, for an administrator)."""
        if self.within:
            return [self.within]
        return core_access.scope_paths(self.actor)


def as_scope(value: Any) -> Scope:
    return value if isinstance(value, Scope) else Scope(value)


@dataclass(frozen=True)
class Bucket:
    key: str
    label: Any


@dataclass(frozen=True)
class Figure:
    key: str
    title: Any
    buckets: Callable[[Any], list[Bucket]]  # scope -> the groups, in order
    records: Callable[[Any, str], QuerySet]  # (scope, bucket) -> the records behind it
    counts: Callable[[Any], dict[str, Any]]  # scope -> {bucket: number}, one query
    describe: Callable[[Any, str], tuple[str, str]]  # (record, bucket) -> (text, link)
    order: int = 100
    amount: str = ""  # the field summed ("" = the records are counted)
    base: Callable[[Any], QuerySet] | None = None  # for the table of the units below
    bucket_q: Callable[[str], Q] | None = None
    region_field: str = ""  # the path of the record's jurisdiction
    headline: tuple[str, ...] = ()  # the buckets summed in the units' table (() = all)
    # the same as one condition (when the OR of the buckets' would be slow), or a function giving it
    headline_q: Q | Callable[[], Q] | None = None
    matrix: tuple[Callable[[], list[Bucket]], Callable[[], list[Bucket]]] | None = None  # (rows, columns)
    personal: bool = False  # about the reader themself ("needs me"): not in the units' table
    column: Any = ""  # the heading of its column in the units' table
    group_by: str = ""  # buckets are this field's values (e.g. currencies): one grouped query
    # (scope, units) -> (counts, {unit pk: headline number}) in one query, for a figure with its own counts
    counts_by_unit: Callable[[Any, list[Any]], tuple[dict[str, Any], dict[int, Any]]] | None = None
    plain_counts: bool = False  # ``counts`` is one conditional count per bucket over ``base`` (``simple``)
    withheld: Any = ""  # shown instead of a number its ``counts`` withholds (``None``): e.g. too few answers


def _measure(amount: str, q: Q) -> Any:
    return Sum(amount, filter=q) if amount else Count("pk", filter=q)


def _number(value: Any, amount: str) -> Any:
    return Decimal(value or 0).quantize(Decimal("0.01")) if amount else int(value or 0)


def conditional_counts(qs: QuerySet, conditions: dict[str, Q], amount: str = "") -> dict[str, Any]:
    """``{key: number of rows (or sum of amount) matching conditions[key]}``: one query."""
    if not conditions:
        return {}
    result = qs.order_by().aggregate(**{f"c{i}": _measure(amount, q) for i, q in enumerate(conditions.values())})
    return {key: _number(result[f"c{i}"], amount) for i, key in enumerate(conditions)}


def counted_rows(qs: QuerySet, conditions: list[Q]) -> QuerySet:
    """``qs`` narrowed to the rows one of ``conditions`` (the buckets', the headline's) counts: the
    other rows add nothing to any number, and need not be read, joined nor grouped (the meetings
    of the last four quarters: 4,000 of 50,000 at x1). ``qs`` itself when a condition takes every row."""
    if not conditions or any(not q for q in conditions):
        return qs
    return qs.filter(reduce(operator.or_, conditions))


def simple(
    key: str,
    title: Any,
    *,
    buckets: Callable[[Any], list[Bucket]],
    base: Callable[[Any], QuerySet],
    bucket_q: Callable[[str], Q],
    describe: Callable[[Any, str], tuple[str, str]],
    ordering: tuple[str, ...] = ("pk",),
    **options: Any,
) -> Figure:
    """A figure whose records are ``base(scope)`` filtered by ``bucket_q(bucket)``."""

    def records(scope: Any, bucket: str) -> QuerySet:
        known = {b.key for b in buckets(scope)}
        qs = base(as_scope(scope))
        return qs.filter(bucket_q(bucket)).order_by(*ordering) if bucket in known else qs.none()

    def counts(scope: Any) -> dict[str, Any]:
        scope = as_scope(scope)
        conditions = {b.key: bucket_q(b.key) for b in buckets(scope)}
        return conditional_counts(
            counted_rows(base(scope), list(conditions.values())), conditions, options.get("amount", "")
        )

    plain = "counts" not in options
    counts = options.pop("counts", counts)
    return Figure(
        plain_counts=plain,
        key=key,
        title=title,
        buckets=buckets,
        records=records,
        counts=counts,
        describe=describe,
        base=lambda scope: base(as_scope(scope)),
        bucket_q=bucket_q,
        **options,
    )


def numbers(scope: Any, figure: Figure) -> list[tuple[str, Any]]:
    """The figure's numbers: (bucket, number) in order (one query). No labels: they may be cached."""
    scope = as_scope(scope)
    if figure.group_by and figure.base is not None:
        field = figure.group_by
        grouped = (
            figure.base(scope)
            .order_by(field)
            .values(field)
            .annotate(n=_measure(figure.amount, Q()))
            .values_list(field, "n")
        )
        return [(k, _number(n, figure.amount)) for k, n in grouped]
    counts = figure.counts(scope)
    return [(b.key, counts.get(b.key, 0)) for b in figure.buckets(scope)]


def labelled(scope: Any, figure: Figure, numbers: list[tuple[str, Any]]) -> list[dict[str, Any]]:
    """The rows of ``numbers``: bucket, label (in the active language), number."""
    labels = {} if figure.group_by else {b.key: b.label for b in figure.buckets(as_scope(scope))}
    return [{"key": k, "label": labels.get(k, k), "count": n} for k, n in numbers]


def table(scope: Any, figure: Figure) -> list[dict[str, Any]]:
    """The figure's rows: bucket, label, number (one query)."""
    return labelled(scope, figure, numbers(scope, figure))


def in_units_table(figure: Figure) -> bool:
    """Counted figures with a region field (sums of money in several currencies do not add up)."""
    return bool(figure.base and figure.bucket_q and figure.region_field and not figure.amount and not figure.personal)


def _headline(scope: Scope, figure: Figure) -> Q:
    """The records of the figure's headline buckets (what the units' table counts), as one condition."""
    if figure.headline_q is not None:
        return figure.headline_q if isinstance(figure.headline_q, Q) else figure.headline_q()
    assert figure.bucket_q is not None
    chosen = Q(pk__in=[])
    for key in figure.headline or tuple(b.key for b in figure.buckets(scope)):
        condition = figure.bucket_q(key)
        if not condition:  # Q(): every record (an OR with it would drop it, not widen)
            return Q()
        chosen |= condition
    return chosen


def _path_segment_unit(field: str, units: list[Any]) -> Case | None:
    """On PostgreSQL, for units of one depth whose paths end with their own id (as every path is
    built: the parent's path, then the id), the unit is the path's segment at that depth when it is
    one of theirs: one ``split_part`` and a hashed list test per record, where the ``LIKE`` branches
    cost a test per unit (and a condition per unit to build in Python)."""
    depths = {u.depth for u in units}
    if connection.vendor != "postgresql" or len(depths) != 1:
        return None
    depth = depths.pop()
    if any(not u.path.endswith(f"/{u.pk}/") or u.path.count("/") != depth + 2 for u in units):
        return None
    segment = Func(F(field), Value("/"), Value(depth + 2), function="split_part", output_field=CharField())
    return Case(
        When(In(segment, [str(u.pk) for u in units]), then=Cast(segment, IntegerField())),
        default=None,
        output_field=IntegerField(),
    )


def unit_of(field: str, units: list[Any]) -> Case:
    """The unit (pk) each record lies in, from its jurisdiction's path ``field`` (NULL: in none of them)."""
    fast = _path_segment_unit(field, units)
    if fast is not None:
        return fast
    return Case(
        *[When(**{f"{field}__startswith": u.path}, then=Value(u.pk)) for u in units],
        default=None,
        output_field=IntegerField(),
    )


def by_unit(scope: Any, figure: Figure, units: list[Any]) -> dict[int, Any]:
    """``{unit.pk: the figure's headline number inside that unit}`` for each unit: one grouped query
    (each record is given the unit it lies in, then counted per unit)."""
    base = figure.base
    if not in_units_table(figure) or not units or base is None:
        return {}
    scope = as_scope(scope)
    rows = (
        base(scope)
        .filter(_headline(scope, figure))
        .annotate(_unit=unit_of(figure.region_field, units))
        .order_by()
        .values("_unit")
        .annotate(n=_measure(figure.amount, Q()))
        .values_list("_unit", "n")
    )
    return {int(u): _number(n, figure.amount) for u, n in rows if u is not None}


def numbers_and_units(scope: Any, figure: Figure, units: list[Any]) -> tuple[list[tuple[str, Any]], dict[int, Any]]:
    """``numbers(scope, figure)`` and ``by_unit(scope, figure, units)`` together; for a plain counted
    figure in the units' table, in ONE query grouped by unit (each bucket's total is the sum over
    the groups, the records in no unit below included), so the access rule is built and run once."""
    if units and in_units_table(figure) and figure.counts_by_unit is not None:
        scope = as_scope(scope)
        found, per_unit = figure.counts_by_unit(scope, units)
        return [(b.key, found.get(b.key, 0)) for b in figure.buckets(scope)], per_unit
    if not units or not in_units_table(figure) or not figure.plain_counts or figure.base is None:
        return numbers(scope, figure), by_unit(scope, figure, units)
    scope = as_scope(scope)
    assert figure.bucket_q is not None
    buckets = figure.buckets(scope)
    counts = {f"c{i}": Count("pk", filter=figure.bucket_q(b.key)) for i, b in enumerate(buckets)}
    headline = _headline(scope, figure)
    base = counted_rows(figure.base(scope), [*(figure.bucket_q(b.key) for b in buckets), headline])
    rows: Any = counts_by_place(base, figure.region_field, headline, counts, units)
    if rows is None:
        rows = (
            base.annotate(_unit=unit_of(figure.region_field, units))
            .order_by()
            .values("_unit")
            .annotate(_headline=Count("pk", filter=_headline(scope, figure)), **counts)
        )
    totals = [0] * len(buckets)
    per_unit: dict[int, Any] = {}
    for row in rows:
        for i in range(len(buckets)):
            totals[i] += int(row[f"c{i}"] or 0)
        if row["_unit"] is not None:
            per_unit[int(row["_unit"])] = per_unit.get(int(row["_unit"]), 0) + int(row["_headline"] or 0)
    return [(b.key, totals[i]) for i, b in enumerate(buckets)], per_unit


def counts_by_place(
    qs: QuerySet, region_field: str, headline: Q, counts: dict[str, Count], units: list[Any]
) -> list[dict[str, Any]] | None:
    """The counts per unit (``[{"_unit", "_headline", "c0"...}]``, ``_unit`` None for the records in
    none of the units), grouped first by the record's own place key (``jurisdiction_id``,
    ``body_id``: the first step of ``region_field``), then by the unit that place's path lies in
    (one query).

    Grouping on the key needs no join per record (grouping on the unit read the place's path, and
    computed the unit, for each of tens of thousands of records); the paths are joined to the few
    thousand groups afterwards. None when ``region_field`` is not reached through a foreign key.
    """
    first, sep, rest = region_field.partition("__")
    if not sep:
        return None
    try:
        key_field = qs.model._meta.get_field(first)
    except FieldDoesNotExist:
        return None
    if not key_field.many_to_one or key_field.related_model is None:
        return None
    grouped = (
        qs.annotate(_key=F(key_field.attname))
        .order_by()
        .values("_key")
        .annotate(_headline=Count("pk", filter=headline), **counts)
    )
    # The path of each place of the records counted through their rule (joined to their groups): no
    # place is listed nor counted from it.
    manager = key_field.related_model._base_manager  # access-ok: paths of places already counted
    places = manager.order_by().annotate(_id=F("pk"), _path=F(rest))
    using = qs.db
    try:
        inner, inner_params = grouped.query.get_compiler(using=using).as_sql()
    except EmptyResultSet:  # a rule that matches nothing
        return []
    paths, path_params = places.values("_id", "_path").query.get_compiler(using=using).as_sql()
    quote = connections[using].ops.quote_name
    # The unit whose path begins the place's (a prefix test, as ``unit_of``), on the groups only.
    branches = " ".join(f"WHEN substr(p.{quote('_path')}, 1, %s) = %s THEN %s" for _u in units)
    unit = f"CASE {branches} ELSE NULL END" if units else "NULL"
    unit_params = [v for u in units for v in (len(u.path), u.path, u.pk)]
    columns = ["_headline", *counts]
    sums = ", ".join(f"SUM(g.{quote(c)})" for c in columns)
    sql = (
        f"SELECT {unit} AS {quote('_unit')}, {sums} FROM ({inner}) AS g "  # noqa: S608 - compiled by Django
        f"LEFT JOIN ({paths}) AS p ON p.{quote('_id')} = g.{quote('_key')} GROUP BY 1"
    )
    with connections[using].cursor() as cursor:
        cursor.execute(sql, [*unit_params, *inner_params, *path_params])
        return [dict(zip(["_unit", *columns], row, strict=True)) for row in cursor.fetchall()]


def counts_together(querysets: dict[str, QuerySet]) -> dict[str, int]:
    """``{key: number of rows of querysets[key]}`` in ONE query (a scalar subquery per key, each
    with its own rule): one round trip where ``count()`` each would make one per key."""
    if not querysets:
        return {}
    pieces, params, using = [], [], ""
    for n, qs in enumerate(querysets.values()):
        using = using or qs.db
        try:
            sql, part = qs.order_by().values("pk").query.get_compiler(using=qs.db).as_sql()
        except EmptyResultSet:  # a rule that matches nothing (``none()``, an empty scope)
            pieces.append("0")
            continue
        pieces.append(f"(SELECT COUNT(*) FROM ({sql}) AS counted{n})")  # noqa: S608 - compiled by Django
        params.extend(part)
    with connections[using].cursor() as cursor:
        cursor.execute("SELECT " + ", ".join(pieces), params)
        row = cursor.fetchone()
    return {key: int(n or 0) for key, n in zip(querysets, row, strict=True)}


def grouped_counts(qs: QuerySet, fields: tuple[str, ...]) -> dict[tuple[Any, ...], int]:
    """``{(value of each field): number of rows}``: one ``GROUP BY`` (an annotation grouped on is
    computed once per row, where a conditional count per bucket would repeat it per bucket)."""
    return {
        tuple(row[:-1]): int(row[-1])
        for row in qs.order_by().values(*fields).annotate(n=Count("pk")).values_list(*fields, "n")
    }


def age_q(field: str, low: int, high: int | None) -> Q:
    """Rows whose date-time ``field`` is between ``low`` and ``high`` days old (``None``: no upper limit)."""
    moment = now()
    q = Q(**{f"{field}__lte": moment - dt.timedelta(days=low)})
    if high is not None:
        q &= Q(**{f"{field}__gt": moment - dt.timedelta(days=high + 1)})
    return q


def _between(field: str, start: dt.date, end: dt.date) -> Q:
    """Rows whose date ``field`` is in ``[start, end)``. For the date of a date-time
    (``starts_at__date``), the date-time itself is compared with midnight of each day in the
    current time zone (the same rows: the date is taken in that zone), so PostgreSQL compares
    timestamps instead of converting each row's time to a date once per bucket."""
    if field.endswith("__date"):
        moment = field.removesuffix("__date")
        zone = timezone.get_current_timezone()
        low = timezone.make_aware(dt.datetime.combine(start, dt.time.min), zone)
        high = timezone.make_aware(dt.datetime.combine(end, dt.time.min), zone)
        return Q(**{f"{moment}__gte": low, f"{moment}__lt": high})
    return Q(**{f"{field}__gte": start, f"{field}__lt": end})


def quarter_q(field: str, bucket: str) -> Q:
    """Rows whose date ``field`` falls in the quarter ``bucket`` (one of the last four)."""
    for key, start, end in quarters():
        if key == bucket:
            return _between(field, start, end)
    return Q(pk__in=[])


def quarters_q(field: str) -> Q:
    """Rows whose date ``field`` falls in one of the last four quarters (the OR of their
    ``quarter_q``, as one range: the quarters follow each other)."""
    keys = quarters()
    return _between(field, keys[0][1], keys[-1][2])


def quarter_buckets(_scope: Any = None) -> list[Bucket]:
    return [Bucket(k, k) for k, _s, _e in quarters()]
