"""The dashboard's own figures (bodies, plans, exchange), built on ``tandem.core.figures``.

Each figure is a number per bucket AND the list of records behind each bucket, both from the same
queryset, built on the apps' access rules and narrowed to the reader's scope (the subtree of their
grants, or a jurisdiction inside it): a figure never counts a record its reader could not open,
and its link lists exactly the records it counted. Each figure's numbers are one aggregate query,
whatever the number of jurisdictions and records. The newer apps add theirs through the registry
(``dashboard_figure``); ``figures()`` lists them all.
"""

from __future__ import annotations

import datetime as dt
import operator
from collections.abc import Callable
from functools import reduce
from typing import Any

from django.core.exceptions import EmptyResultSet
from django.db import connections
from django.db.models import (
    Count,
    Exists,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    Window,
)
from django.db.models.functions import Coalesce, Lead
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from tandem.bodies import access as bodies_access
from tandem.bodies.models import CLOSED_STATUSES, MeetingStatus
from tandem.core import access as core_access
from tandem.core import registry
from tandem.core.figures import (
    Bucket,
    Figure,
    Scope,
    age_q,
    as_scope,
    conditional_counts,
    counts_by_place,
    counts_together,
    now,
    quarter_buckets,
    quarter_q,
    quarters,
    quarters_q,
    simple,
    table,
    today,
    unit_of,
)
from tandem.core.models import JurisdictionKind
from tandem.exchange import access as exchange_access
from tandem.exchange.models import OPEN_STATUSES, Direction, Kind
from tandem.plans import access as plans_access
from tandem.plans.models import PeriodState, PlanLevel, RoadmapStage

__all__ = ["Bucket", "Figure", "Scope", "as_scope", "figure_table", "figures"]

AGES = (("0-7", 0, 7), ("8-30", 8, 30), ("31+", 31, None))
AGE_LABELS = {"0-7": _("up to 7 days"), "8-30": _("8 to 30 days"), "31+": _("more than 30 days")}
AWAITING = (PeriodState.SUBMITTED, PeriodState.REVIEWED)
SIX_MONTHS = dt.timedelta(days=183)
WEEK = dt.timedelta(days=7)
# The levels below the country, in the order of the tree.
LEVELS = [k for k in JurisdictionKind if k not in (JurisdictionKind.NETWORK, JurisdictionKind.COUNTRY)]
REACHED = (RoadmapStage.ADOPTED, RoadmapStage.IMPLEMENTING, RoadmapStage.EVALUATED)


def _age_buckets(_scope: Any = None) -> list[Bucket]:
    return [Bucket(k, AGE_LABELS[k]) for k, _l, _h in AGES]


def _age_q(field: str, key: str) -> Q:
    """Rows whose ``field`` (a date-time) is ``key`` days old (``0-7``, ``8-30``, ``31+``)."""
    for name, low, high in AGES:
        if name == key:
            return age_q(field, low, high)
    return Q(pk__in=[])


def _pair(bucket: str) -> tuple[str, str]:
    row, _sep, column = bucket.partition(":")
    return row, column


def _stages() -> list[Bucket]:
    return [Bucket(v, label) for v, label in RoadmapStage.choices]


def _roadmap_link(j: Any) -> str:
    return reverse("plan_roadmap") + f"?depth={j.depth}"


# --- Localisation coverage: jurisdictions at each roadmap stage, per level ----------------------


def _latest_stage(scope: Scope, before: dt.date | None = None) -> Subquery:
    changes = plans_access.visible_roadmap_changes(scope.actor).filter(jurisdiction=OuterRef("pk"))
    if before is not None:
        changes = changes.filter(date__lt=before)
    return Subquery(changes.order_by("-date", "-id").values("stage")[:1])


def _units(scope: Scope) -> QuerySet:
    """The jurisdictions below the country in the scope (current ones), as the roadmap lists them."""
    return plans_access.roadmap_jurisdictions(scope.actor).filter(scope.q("path"), depth__gte=2, valid_to__isnull=True)


def _coverage_base(scope: Scope) -> QuerySet:
    return _units(scope).annotate(
        current_stage=Coalesce(_latest_stage(scope, today() + dt.timedelta(days=1)), Value(RoadmapStage.NOT_STARTED))
    )


def _stages_at(scope: Scope, ends: list[dt.date], units: list[Any] | None = None) -> dict[tuple[Any, ...], int]:
    """``{(unit below or None, kind, stage before ends[0], stage before ends[1], ...): number of units}``
    over the units of ``_units(scope)``: for each unit and day, the stage ``_latest_stage`` gives (its
    latest visible change before that day, in the order ``date, id``; NOT_STARTED without one).

    ONE pass over the visible changes where the correlated subquery looked up each unit's latest
    change once per day (5,000 units x 5 days at x1): each change is read with the date of the
    unit's next change (``LEAD`` in the order ``date, id``), and it is the latest before ``end``
    exactly when its date is before ``end`` and the next one's is not (or there is none); at most
    one change of a unit is, so ``MAX`` of that condition's stage per unit is the stage."""
    connection = connections[_units(scope).db]
    quote, ops = connection.ops.quote_name, connection.ops
    changes = (
        plans_access.visible_roadmap_changes(scope.actor)
        .filter(scope.q("jurisdiction__path"), date__lt=max(ends))
        .annotate(
            _next=Window(Lead("date"), partition_by=[F("jurisdiction_id")], order_by=[F("date").asc(), F("id").asc()])
        )
        .order_by()
        .values("jurisdiction_id", "stage", "date", "_next")
    )
    places = (
        _units(scope)
        .order_by()
        .annotate(_unit=unit_of("path", units) if units else Value(None, output_field=IntegerField()))
        .values("id", "kind", "_unit")
    )
    try:
        outer, outer_params = places.query.get_compiler(connection=connection).as_sql()
    except EmptyResultSet:  # no unit in the scope
        return {}
    try:
        inner, inner_params = changes.query.get_compiler(connection=connection).as_sql()
    except EmptyResultSet:  # no change visible
        inner, inner_params = "", []
    date, following = f"w.{quote('date')}", f"w.{quote('_next')}"
    latest = ", ".join(
        f"MAX(CASE WHEN {date} < %s AND ({following} IS NULL OR {following} >= %s) "
        f"THEN w.{quote('stage')} ELSE NULL END) AS {quote(f's{i}')}"
        for i in range(len(ends))
    )
    days = [ops.adapt_datefield_value(end) for end in ends for _twice in (0, 1)]
    if inner:
        stages = [f"COALESCE(c.{quote(f's{i}')}, %s)" for i in range(len(ends))]
        per_unit = f"SELECT w.{quote('jurisdiction_id')} AS j, {latest} FROM ({inner}) AS w GROUP BY 1"  # noqa: S608
        joined = f"LEFT JOIN ({per_unit}) AS c ON c.j = u.{quote('id')}"
    else:
        stages, joined, days = ["%s"] * len(ends), "", []
    columns = ", ".join([f"u.{quote('_unit')}", f"u.{quote('kind')}", *stages])
    groups = ", ".join(str(n) for n in range(1, len(ends) + 3))
    sql = f"SELECT {columns}, COUNT(*) FROM ({outer}) AS u {joined} GROUP BY {groups}"  # noqa: S608 - compiled by Django
    params = [*([RoadmapStage.NOT_STARTED] * len(ends)), *outer_params, *days, *inner_params]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return {tuple(row[:-1]): int(row[-1]) for row in cursor.fetchall()}


def _coverage_buckets(_scope: Any = None) -> list[Bucket]:
    return [
        Bucket(f"{level.value}:{stage.key}", f"{level.label}: {stage.label}") for level in LEVELS for stage in _stages()
    ]


def _coverage_q(bucket: str) -> Q:
    level, stage = _pair(bucket)
    if level not in JurisdictionKind.values or stage not in RoadmapStage.values:
        return Q(pk__in=[])
    return Q(kind=level, current_stage=stage)


def _coverage_counts(scope: Any) -> dict[str, Any]:
    return _coverage_by_unit(scope, [])[0]


def _coverage_by_unit(scope: Any, units: list[Any]) -> tuple[dict[str, Any], dict[int, Any]]:
    """The coverage counts and, per unit below, its units at "adopted" or beyond: one grouped query
    (``_coverage_base``'s current stages, read in one pass: ``_stages_at``). The same query reads the
    stages at the last four quarters' ends: the trend's numbers, kept on the scope for it
    (``COVERAGE_TREND`` counted after this figure reads the changes no second time)."""
    scope = as_scope(scope)
    counts: dict[str, Any] = dict.fromkeys((b.key for b in _coverage_buckets()), 0)
    per_unit: dict[int, Any] = {}
    ends = [end for _k, _s, end in quarters()]
    found = _stages_at(scope, [today() + dt.timedelta(days=1), *ends], units)
    scope.counted["coverage_trend"] = _trend_numbers({(u, k, *rest): n for (u, k, _now, *rest), n in found.items()})
    for (unit, kind, stage, *_rest), n in found.items():
        if f"{kind}:{stage}" in counts:
            counts[f"{kind}:{stage}"] += n
        if unit is not None and stage in REACHED:
            per_unit[int(unit)] = per_unit.get(int(unit), 0) + n
    return counts, per_unit


COVERAGE = simple(
    "coverage",
    _("Localisation coverage: jurisdictions at each roadmap stage, per level"),
    buckets=_coverage_buckets,
    base=_coverage_base,
    bucket_q=_coverage_q,
    describe=lambda j, _b: (f"{j.name} ({j.get_kind_display()})", _roadmap_link(j)),
    ordering=("path",),
    region_field="path",
    headline=tuple(f"{level.value}:{stage}" for level in LEVELS for stage in REACHED),
    headline_q=Q(current_stage__in=REACHED),
    counts=_coverage_counts,
    counts_by_unit=_coverage_by_unit,
    matrix=(lambda: [Bucket(k.value, k.label) for k in LEVELS], _stages),
    column=_("Adopted a plan or beyond"),
    order=10,
)


def _trend_base(scope: Scope) -> QuerySet:
    """Each unit with its stage at the end of each of the last four quarters (``stage_0``..``stage_3``)."""
    return _units(scope).annotate(
        **{
            f"stage_{i}": Coalesce(_latest_stage(scope, end), Value(RoadmapStage.NOT_STARTED))
            for i, (_k, _s, end) in enumerate(quarters())
        }
    )


def _trend_buckets(_scope: Any = None) -> list[Bucket]:
    return [Bucket(f"{q}:{stage.key}", f"{q}: {stage.label}") for q, _s, _e in quarters() for stage in _stages()]


def _trend_q(bucket: str) -> Q:
    quarter, stage = _pair(bucket)
    keys = [k for k, _s, _e in quarters()]
    if quarter not in keys or stage not in RoadmapStage.values:
        return Q(pk__in=[])
    return Q(**{f"stage_{keys.index(quarter)}": stage})


def _trend_numbers(found: dict[tuple[Any, ...], int]) -> dict[str, Any]:
    """The trend's counts from ``_stages_at``'s rows at the four quarters' ends."""
    keys = [k for k, _s, _e in quarters()]
    counts = dict.fromkeys((b.key for b in _trend_buckets()), 0)
    for (_unit, _kind, *stages), n in found.items():
        for key, stage in zip(keys, stages, strict=True):
            counts[f"{key}:{stage}"] = counts.get(f"{key}:{stage}", 0) + n
    return counts


def _trend_counts(scope: Any) -> dict[str, Any]:
    """One query, or none when the coverage was counted first on this scope (it reads these too)."""
    scope = as_scope(scope)
    if "coverage_trend" in scope.counted:
        return scope.counted["coverage_trend"]
    return _trend_numbers(_stages_at(scope, [end for _k, _s, end in quarters()]))


COVERAGE_TREND = simple(
    "coverage_trend",
    _("Localisation coverage at the end of each of the last four quarters"),
    buckets=_trend_buckets,
    base=_trend_base,
    bucket_q=_trend_q,
    describe=lambda j, _b: (f"{j.name} ({j.get_kind_display()})", _roadmap_link(j)),
    ordering=("path",),
    matrix=(quarter_buckets, _stages),
    counts=_trend_counts,
    order=11,
)


# --- Alignment gaps -------------------------------------------------------------------------------------


def _national_objectives(scope: Scope) -> QuerySet:
    """National objectives of the plans at or above the scope, none of whose aligned activities is in it."""
    qs = plans_access.visible_objectives(scope.actor).filter(plan__level=PlanLevel.NATIONAL)
    roots = scope.paths()
    if roots is not None:
        above = sorted({a for p in roots for a in plans_access.ancestor_paths(p)})
        qs = qs.filter(plan__jurisdiction__path__in=above)
    local = plans_access.visible_alignments(scope.actor).filter(
        scope.q("plan__jurisdiction__path"), activity__isnull=False, national_objective=OuterRef("pk")
    )
    return qs.exclude(Exists(local))


NO_ACTIVITY = simple(
    "objectives_without_activity",
    _("Alignment gaps: national objectives without local activity"),
    buckets=lambda _s: [Bucket("all", _("national objectives"))],
    base=_national_objectives,
    bucket_q=lambda b: Q() if b == "all" else Q(pk__in=[]),
    describe=lambda o, _b: (f"{o.code} {o.text}", reverse("plan_detail", args=[o.plan.uuid])),
    ordering=("plan__title", "code", "pk"),
    order=20,
)


def _without_plan(scope: Scope) -> QuerySet:
    plans = plans_access.visible_plans(scope.actor).filter(
        level__in=[PlanLevel.REGIONAL, PlanLevel.LOCAL], jurisdiction=OuterRef("pk")
    )
    return _units(scope).exclude(Exists(plans))


NO_PLAN = simple(
    "localities_without_plan",
    _("Alignment gaps: localities without a plan, per level"),
    buckets=lambda _s: [Bucket(k.value, k.label) for k in LEVELS],
    base=_without_plan,
    bucket_q=lambda b: Q(kind=b) if b in JurisdictionKind.values else Q(pk__in=[]),
    describe=lambda j, _b: (f"{j.name} ({j.get_kind_display()})", reverse("jurisdiction_detail", args=[j.uuid])),
    ordering=("path",),
    region_field="path",
    column=_("Without a plan"),
    order=21,
)


# --- Progress awaiting review ------------------------------------------------------------------


def _awaiting(scope: Scope) -> QuerySet:
    return plans_access.visible_periods(scope.actor).filter(
        scope.q("plan__jurisdiction__path"), state__in=AWAITING, submitted_at__isnull=False
    )


REVIEWS = simple(
    "reviews",
    _("Progress reports awaiting review, by time waiting"),
    buckets=_age_buckets,
    base=_awaiting,
    bucket_q=lambda b: _age_q("submitted_at", b),
    describe=lambda p, _b: (f"{p.plan.title}: {p.label}", reverse("period_progress", args=[p.uuid])),
    ordering=("submitted_at", "pk"),
    region_field="plan__jurisdiction__path",
    column=_("Reports awaiting review"),
    order=30,
)


# --- Open requests by age and direction ----------------------------------------------------------


def _open_requests(scope: Any) -> QuerySet:
    scope = as_scope(scope)
    qs = exchange_access.visible_sent_items(scope.actor, many=True).filter(kind=Kind.REQUEST, status__in=OPEN_STATUSES)
    if scope.within:  # sent from inside the chosen jurisdiction
        qs = qs.filter(jurisdiction__path__startswith=scope.within)
    return qs


def _request_buckets(_scope: Any = None) -> list[Bucket]:
    return [
        Bucket(f"{age}:{d}", f"{AGE_LABELS[age]}, {label}")
        for age, _l, _h in AGES
        for d, label in (
            (Direction.UP, _("upward")),
            (Direction.DOWN, _("downward")),
            (Direction.LATERAL, _("lateral")),
        )
    ]


def _request_q(bucket: str) -> Q:
    age, direction = _pair(bucket)
    if direction not in Direction.values:
        return Q(pk__in=[])
    return _age_q("sent_at", age) & Q(direction=direction)


def _to_answer_q(scope: Scope) -> Q:
    """Requests for the reader to answer (due within a week or overdue), as ``_requests_to_answer``."""
    return ~Q(sender_id=core_access.get_access(scope.actor).pk) & Q(due_date__lte=today() + WEEK)


def _requests_by_unit(scope: Any, units: list[Any]) -> tuple[dict[str, Any], dict[int, Any]]:
    """The open requests per bucket and per unit below, and how many of them the reader has to
    answer (kept on the scope for "needs me": the open requests are read once, not twice): one query."""
    scope = as_scope(scope)
    buckets = _request_buckets()
    counts = {f"c{i}": Count("pk", filter=_request_q(b.key)) for i, b in enumerate(buckets)}
    counts["answer"] = Count("pk", filter=_to_answer_q(scope))
    headline = reduce(operator.or_, (_request_q(b.key) for b in buckets))
    rows = counts_by_place(_open_requests(scope), "jurisdiction__path", headline, counts, units)
    assert rows is not None  # an item's jurisdiction is a foreign key
    found = {b.key: sum(int(r[f"c{i}"] or 0) for r in rows) for i, b in enumerate(buckets)}
    scope.counted["requests_to_answer"] = sum(int(r["answer"] or 0) for r in rows)
    per_unit: dict[int, Any] = {}
    for row in rows:
        if row["_unit"] is not None:
            per_unit[int(row["_unit"])] = per_unit.get(int(row["_unit"]), 0) + int(row["_headline"] or 0)
    return found, per_unit


REQUESTS = simple(
    "requests",
    _("Open requests by age and direction"),
    buckets=_request_buckets,
    base=_open_requests,
    bucket_q=_request_q,
    describe=lambda i, _b: (i.title, reverse("exchange_detail", args=[i.uuid])),
    ordering=("sent_at", "pk"),
    region_field="jurisdiction__path",
    column=_("Open requests"),
    counts=lambda scope: _requests_by_unit(scope, [])[0],
    counts_by_unit=_requests_by_unit,
    order=40,
)


# --- Body activity: meetings per quarter, bodies without a meeting in six months ------------------------


def _meetings(scope: Scope) -> QuerySet:
    return (
        bodies_access.visible_meetings(scope.actor)
        .filter(scope.q("body__jurisdiction__path"))
        .exclude(status=MeetingStatus.CANCELLED)
    )


MEETINGS = simple(
    "meetings",
    _("Meetings per quarter"),
    buckets=quarter_buckets,
    base=_meetings,
    bucket_q=lambda b: quarter_q("starts_at__date", b),
    headline_q=lambda: quarters_q("starts_at__date"),
    describe=lambda m, _b: (f"{m.body.name}: {m.title}", reverse("meeting_detail", args=[m.uuid])),
    ordering=("starts_at", "pk"),
    region_field="body__jurisdiction__path",
    column=_("Meetings, last four quarters"),
    order=50,
)


def _quiet_bodies(scope: Scope) -> QuerySet:
    moment = now()
    recent = bodies_access.visible_meetings(scope.actor).filter(
        starts_at__gte=moment - SIX_MONTHS, starts_at__lte=moment
    )
    return (
        bodies_access.internal_bodies(scope.actor)
        .filter(scope.q("jurisdiction__path"), archived_at__isnull=True)
        .exclude(pk__in=recent.exclude(status=MeetingStatus.CANCELLED).values("body_id"))
    )


QUIET = simple(
    "quiet_bodies",
    _("Bodies without a meeting in six months"),
    buckets=lambda _s: [Bucket("all", _("bodies"))],
    base=_quiet_bodies,
    bucket_q=lambda b: Q() if b == "all" else Q(pk__in=[]),
    describe=lambda b, _b: (b.name, reverse("body_detail", args=[b.uuid])),
    ordering=("name", "pk"),
    region_field="jurisdiction__path",
    column=_("Bodies without a meeting"),
    order=51,
)


# --- Overdue action items ------------------------------------------------------------------------------


def _overdue_actions(scope: Scope) -> QuerySet:
    return (
        bodies_access.visible_action_items(scope.actor)
        .filter(scope.q("body__jurisdiction__path"), due_date__lt=today())
        .exclude(status__in=CLOSED_STATUSES)
    )


def _overdue_q(bucket: str) -> Q:
    day = today()
    for name, low, high in AGES:
        if name == bucket:
            q = Q(due_date__lte=day - dt.timedelta(days=max(low, 1)))
            if high is not None:
                q &= Q(due_date__gt=day - dt.timedelta(days=high + 1))
            return q
    return Q(pk__in=[])


def _overdue_counted(scope: Scope) -> QuerySet:
    """The records of ``_overdue_actions``, for counting: the rule and the scope tested on the
    bodies once, not through each item's body and jurisdiction (``visible_action_items_at``)."""
    return (
        bodies_access.visible_action_items_at(scope.actor, scope.q("jurisdiction__path"))
        .filter(due_date__lt=today())
        .exclude(status__in=CLOSED_STATUSES)
    )


def _overdue_by_unit(scope: Any, units: list[Any]) -> tuple[dict[str, Any], dict[int, Any]]:
    """The overdue items per bucket and per unit below: one query, grouped by body first."""
    scope = as_scope(scope)
    buckets = _age_buckets()
    if not units:
        return conditional_counts(_overdue_counted(scope), {b.key: _overdue_q(b.key) for b in buckets}), {}
    counts = {f"c{i}": Count("pk", filter=_overdue_q(b.key)) for i, b in enumerate(buckets)}
    headline = reduce(operator.or_, (_overdue_q(b.key) for b in buckets))
    rows = counts_by_place(_overdue_counted(scope), "body__jurisdiction__path", headline, counts, units)
    assert rows is not None  # an item's body is a foreign key
    found = {b.key: sum(int(r[f"c{i}"] or 0) for r in rows) for i, b in enumerate(buckets)}
    per_unit = {int(r["_unit"]): int(r["_headline"] or 0) for r in rows if r["_unit"] is not None}
    return found, per_unit


OVERDUE = simple(
    "overdue_actions",
    _("Overdue action items, by days overdue"),
    buckets=_age_buckets,
    base=_overdue_actions,
    bucket_q=_overdue_q,
    describe=lambda a, _b: (f"{a.body.name}: {a.title}", reverse("action_item_detail", args=[a.uuid])),
    ordering=("due_date", "pk"),
    region_field="body__jurisdiction__path",
    column=_("Overdue action items"),
    counts=lambda scope: _overdue_by_unit(scope, [])[0],
    counts_by_unit=_overdue_by_unit,
    order=60,
)


# --- What needs me this week ------------------------------------------------------------------------------


def _my_reviews(scope: Any) -> QuerySet:
    scope = as_scope(scope)
    paths = core_access.get_access(scope.actor).scope_paths(core_access.COORDINATOR_RANK)
    return plans_access.visible_periods(scope.actor).filter(
        core_access.path_q(paths, "plan__jurisdiction__parent__path"),
        scope.q("plan__jurisdiction__path"),
        state__in=AWAITING,
    )


def _requests_to_answer(scope: Any) -> QuerySet:
    scope = as_scope(scope)
    mine = core_access.get_access(scope.actor).pk
    return _open_requests(scope).exclude(sender_id=mine).filter(due_date__lte=today() + WEEK)


def _my_actions(scope: Any) -> QuerySet:
    scope = as_scope(scope)
    return (
        bodies_access.my_action_items(scope.actor, owners_first=True)
        .filter(scope.q("body__jurisdiction__path"))
        .exclude(status__in=CLOSED_STATUSES)
        .filter(due_date__lte=today() + WEEK)
    )


def _meetings_to_prepare(scope: Any) -> QuerySet:
    scope = as_scope(scope)
    moment = now()
    managed = core_access.get_access(scope.actor).scope_paths(core_access.COORDINATOR_RANK)
    return bodies_access.visible_meetings(scope.actor).filter(
        core_access.path_q(managed, "body__jurisdiction__path"),
        scope.q("body__jurisdiction__path"),
        starts_at__gte=moment,
        starts_at__lt=moment + WEEK,
        status=MeetingStatus.SCHEDULED,
    )


NEEDS_ME: dict[str, tuple[Any, Callable[[Any], QuerySet], Figure | None]] = {
    "my_reviews": (_("Progress reports for me to review"), _my_reviews, REVIEWS),
    "requests_to_answer": (_("Requests to answer (due within a week or overdue)"), _requests_to_answer, REQUESTS),
    "my_actions": (_("My action items due within a week or overdue"), _my_actions, OVERDUE),
    "meetings_to_prepare": (_("Meetings to prepare in the next seven days"), _meetings_to_prepare, MEETINGS),
}


def _needs_records(scope: Any, bucket: str) -> QuerySet:
    entry = NEEDS_ME.get(bucket)
    if entry is None:
        return _my_reviews(scope).none()
    return entry[1](scope).order_by("pk")


def _needs_counts(scope: Any) -> dict[str, Any]:
    """One query; the numbers another figure counted already on this scope are taken from it
    (the requests to answer, counted with the open requests when the page counts those first)."""
    scope = as_scope(scope)
    known = {key: scope.counted[key] for key in NEEDS_ME if key in scope.counted}
    found = counts_together({key: fn(scope) for key, (_t, fn, _d) in NEEDS_ME.items() if key not in known})
    return {**found, **known}


def _needs_describe(record: Any, bucket: str) -> tuple[str, str]:
    figure = NEEDS_ME[bucket][2]
    assert figure is not None
    return figure.describe(record, bucket)


NEEDS = Figure(
    key="needs_me",
    title=_("What needs me this week"),
    buckets=lambda _s: [Bucket(k, t) for k, (t, _f, _d) in NEEDS_ME.items()],
    records=_needs_records,
    counts=_needs_counts,
    describe=_needs_describe,
    personal=True,
    order=0,
)

OWN_FIGURES: tuple[Figure, ...] = (
    NEEDS,
    COVERAGE,
    COVERAGE_TREND,
    NO_ACTIVITY,
    NO_PLAN,
    REVIEWS,
    REQUESTS,
    MEETINGS,
    QUIET,
    OVERDUE,
)


def figures() -> dict[str, Figure]:
    """Every figure of the dashboard: these and those the apps register (``dashboard_figure``), in order."""
    return {f.key: f for f in sorted(registry.dashboard_figures(), key=lambda f: (f.order, f.key))}


def figure_table(scope: Any, figure: Figure) -> list[dict[str, Any]]:
    """The figure's rows: bucket, label, number (one query)."""
    return table(scope, figure)
