"""The dashboard's figures: each one a count per bucket AND the list of records behind each bucket.

Both come from the same queryset (``Figure.records``), built on the apps' access rules and narrowed
to the actor's scope (the subtree of their grants, or a jurisdiction inside it), so a figure never counts a record its reader
could not open, and its link lists exactly the records it counted. Each figure's counts are one
aggregate query, whatever the number of jurisdictions and records.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tandem.bodies import access as bodies_access
from tandem.bodies.models import CLOSED_STATUSES, MeetingStatus
from tandem.core import access as core_access
from tandem.exchange import access as exchange_access
from tandem.exchange.models import OPEN_STATUSES, Direction, Kind
from tandem.plans import access as plans_access
from tandem.plans.models import PeriodState, RoadmapStage

AGES = (("0-7", 0, 7), ("8-30", 8, 30), ("31+", 31, None))
AGE_LABELS = {"0-7": _("up to 7 days"), "8-30": _("8 to 30 days"), "31+": _("more than 30 days")}
AWAITING = (PeriodState.SUBMITTED, PeriodState.REVIEWED)
SIX_MONTHS = dt.timedelta(days=183)
WEEK = dt.timedelta(days=7)


@dataclass(frozen=True)
class Scope:
    """Whose dashboard (``actor``), narrowed to a jurisdiction's subtree inside their scope (``within``)."""

    actor: Any
    within: str = ""

    def q(self, field: str) -> Q:
        q = core_access.scope_q(self.actor, field)
        if self.within:
            q &= Q(**{f"{field}__startswith": self.within})
        return q


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
    buckets: Callable[[], list[Bucket]]
    records: Callable[[Any, str], QuerySet]  # (scope, bucket) -> the records behind it
    counts: Callable[[Any], dict[str, int]]  # scope -> {bucket: count}, one query
    describe: Callable[[Any, str], tuple[str, str]]  # (record, bucket) -> (text, link)


def _today() -> dt.date:
    return timezone.localdate()


def _age_q(field: str, key: str, *, now: dt.datetime | None = None) -> Q:
    """Rows whose ``field`` (a date-time) is ``key`` days old (``0-7``, ``8-30``, ``31+``)."""
    now = now or timezone.now()
    for name, low, high in AGES:
        if name == key:
            q = Q(**{f"{field}__lte": now - dt.timedelta(days=low)})
            if high is not None:
                q &= Q(**{f"{field}__gt": now - dt.timedelta(days=high + 1)})
            return q
    return Q(pk__in=[])


def _conditional_counts(qs: QuerySet, conditions: dict[str, Q]) -> dict[str, int]:
    if not conditions:
        return {}
    result = qs.order_by().aggregate(**{f"c{i}": Count("pk", filter=q) for i, q in enumerate(conditions.values())})
    return {key: int(result[f"c{i}"] or 0) for i, key in enumerate(conditions)}


# --- Localisation coverage: jurisdictions at each roadmap stage --------------------------------


def _jurisdictions_with_stage(scope: Any) -> QuerySet:
    scope = as_scope(scope)
    latest = (
        plans_access.visible_roadmap_changes(scope.actor)
        .filter(jurisdiction=OuterRef("pk"))
        .order_by("-date", "-id")
        .values("stage")[:1]
    )
    return (
        plans_access.roadmap_jurisdictions(scope.actor)
        .filter(scope.q("path"), depth__gte=2, valid_to__isnull=True)
        .annotate(current_stage=Coalesce(Subquery(latest), Value(RoadmapStage.NOT_STARTED)))
    )


def _coverage_records(scope: Any, bucket: str) -> QuerySet:
    return _jurisdictions_with_stage(scope).filter(current_stage=bucket).order_by("path")


def _coverage_counts(scope: Any) -> dict[str, int]:
    rows = _jurisdictions_with_stage(scope).order_by().values("current_stage").annotate(n=Count("pk"))
    counts = dict.fromkeys(RoadmapStage.values, 0)
    for row in rows:
        counts[row["current_stage"]] = row["n"]
    return counts


COVERAGE = Figure(
    key="coverage",
    title=_("Localisation coverage: jurisdictions at each roadmap stage"),
    buckets=lambda: [Bucket(v, label) for v, label in RoadmapStage.choices],
    records=_coverage_records,
    counts=_coverage_counts,
    describe=lambda j, _b: (f"{j.name} ({j.get_kind_display()})", reverse("plan_roadmap")),
)


def _stage_changes(scope: Any) -> QuerySet:
    scope = as_scope(scope)
    return plans_access.visible_roadmap_changes(scope.actor).filter(scope.q("jurisdiction__path"))


def _change_quarter_q(bucket: str) -> Q:
    for key, start, end in _quarters():
        if key == bucket:
            return Q(date__gte=start, date__lt=end)
    return Q(pk__in=[])


COVERAGE_CHANGE = Figure(
    key="coverage_change",
    title=_("Localisation coverage: roadmap steps recorded in each of the last four quarters"),
    buckets=lambda: [Bucket(k, k) for k, _s, _e in _quarters()],
    records=lambda scope, b: _stage_changes(scope).filter(_change_quarter_q(b)).order_by("date", "id"),
    counts=lambda scope: _conditional_counts(
        _stage_changes(scope), {k: _change_quarter_q(k) for k, _s, _e in _quarters()}
    ),
    describe=lambda c, _b: (
        f"{c.jurisdiction.name}: {c.get_stage_display()} ({c.date.isoformat()})",
        reverse("plan_roadmap"),
    ),
)


# --- Progress awaiting review ------------------------------------------------------------------


def _awaiting(scope: Any) -> QuerySet:
    scope = as_scope(scope)
    return plans_access.visible_periods(scope.actor).filter(
        scope.q("plan__jurisdiction__path"), state__in=AWAITING, submitted_at__isnull=False
    )


REVIEWS = Figure(
    key="reviews",
    title=_("Progress reports awaiting review, by time waiting"),
    buckets=lambda: [Bucket(k, AGE_LABELS[k]) for k, _l, _h in AGES],
    records=lambda scope, b: _awaiting(scope).filter(_age_q("submitted_at", b)).order_by("submitted_at"),
    counts=lambda scope: _conditional_counts(_awaiting(scope), {k: _age_q("submitted_at", k) for k, _l, _h in AGES}),
    describe=lambda p, _b: (f"{p.plan.title}: {p.label}", reverse("period_progress", args=[p.uuid])),
)


# --- Open requests by age and direction ----------------------------------------------------------


def _open_requests(scope: Any) -> QuerySet:
    scope = as_scope(scope)
    qs = exchange_access.visible_sent_items(scope.actor).filter(kind=Kind.REQUEST, status__in=OPEN_STATUSES)
    if scope.within:  # sent from inside the chosen jurisdiction
        qs = qs.filter(jurisdiction__path__startswith=scope.within)
    return qs


def _request_buckets() -> list[Bucket]:
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
    age, _sep, direction = bucket.partition(":")
    if direction not in Direction.values:
        return Q(pk__in=[])
    return _age_q("sent_at", age) & Q(direction=direction)


REQUESTS = Figure(
    key="requests",
    title=_("Open requests by age and direction"),
    buckets=_request_buckets,
    records=lambda scope, b: _open_requests(scope).filter(_request_q(b)).order_by("sent_at"),
    counts=lambda scope: _conditional_counts(
        _open_requests(scope), {b.key: _request_q(b.key) for b in _request_buckets()}
    ),
    describe=lambda i, _b: (i.title, reverse("exchange_detail", args=[i.uuid])),
)


# --- Meetings per quarter (the last four) ----------------------------------------------------------


def _quarters(today: dt.date | None = None) -> list[tuple[str, dt.date, dt.date]]:
    today = today or _today()
    year, q = today.year, (today.month - 1) // 3
    result = []
    for _i in range(4):
        start = dt.date(year, q * 3 + 1, 1)
        end = dt.date(year + 1, 1, 1) if q == 3 else dt.date(year, q * 3 + 4, 1)
        result.append((f"{year}-Q{q + 1}", start, end))
        q -= 1
        if q < 0:
            q, year = 3, year - 1
    return list(reversed(result))


def _meetings(scope: Any) -> QuerySet:
    scope = as_scope(scope)
    return (
        bodies_access.visible_meetings(scope.actor)
        .filter(scope.q("body__jurisdiction__path"))
        .exclude(status=MeetingStatus.CANCELLED)
    )


def _quarter_q(bucket: str) -> Q:
    for key, start, end in _quarters():
        if key == bucket:
            return Q(starts_at__date__gte=start, starts_at__date__lt=end)
    return Q(pk__in=[])


MEETINGS = Figure(
    key="meetings",
    title=_("Meetings per quarter"),
    buckets=lambda: [Bucket(k, k) for k, _s, _e in _quarters()],
    records=lambda scope, b: _meetings(scope).filter(_quarter_q(b)).order_by("starts_at"),
    counts=lambda scope: _conditional_counts(_meetings(scope), {k: _quarter_q(k) for k, _s, _e in _quarters()}),
    describe=lambda m, _b: (f"{m.body.name}: {m.title}", reverse("meeting_detail", args=[m.uuid])),
)


# --- Bodies without a meeting in six months ----------------------------------------------------------


def _quiet_bodies(scope: Any) -> QuerySet:
    scope = as_scope(scope)
    now = timezone.now()
    recent = bodies_access.visible_meetings(scope.actor).filter(starts_at__gte=now - SIX_MONTHS, starts_at__lte=now)
    return (
        bodies_access.internal_bodies(scope.actor)
        .filter(scope.q("jurisdiction__path"), archived_at__isnull=True)
        .exclude(pk__in=recent.exclude(status=MeetingStatus.CANCELLED).values("body_id"))
    )


QUIET = Figure(
    key="quiet_bodies",
    title=_("Bodies without a meeting in six months"),
    buckets=lambda: [Bucket("all", _("bodies"))],
    records=lambda scope, b: _quiet_bodies(scope).order_by("name") if b == "all" else _quiet_bodies(scope).none(),
    counts=lambda scope: {"all": _quiet_bodies(scope).order_by().count()},
    describe=lambda b, _b: (b.name, reverse("body_detail", args=[b.uuid])),
)


# --- Overdue action items ------------------------------------------------------------------------------


def _overdue_actions(scope: Any) -> QuerySet:
    scope = as_scope(scope)
    return (
        bodies_access.visible_action_items(scope.actor)
        .filter(scope.q("body__jurisdiction__path"), due_date__lt=_today())
        .exclude(status__in=CLOSED_STATUSES)
    )


def _overdue_q(bucket: str) -> Q:
    today = _today()
    for name, low, high in AGES:
        if name == bucket:
            q = Q(due_date__lte=today - dt.timedelta(days=max(low, 1)))
            if high is not None:
                q &= Q(due_date__gt=today - dt.timedelta(days=high + 1))
            return q
    return Q(pk__in=[])


OVERDUE = Figure(
    key="overdue_actions",
    title=_("Overdue action items, by days overdue"),
    buckets=lambda: [Bucket(k, AGE_LABELS[k]) for k, _l, _h in AGES],
    records=lambda scope, b: _overdue_actions(scope).filter(_overdue_q(b)).order_by("due_date", "id"),
    counts=lambda scope: _conditional_counts(_overdue_actions(scope), {k: _overdue_q(k) for k, _l, _h in AGES}),
    describe=lambda a, _b: (f"{a.body.name}: {a.title}", reverse("action_item_list") + "?overdue=1"),
)


# --- What needs me this week ------------------------------------------------------------------------------


def _my_reviews(scope: Any) -> QuerySet:
    scope = as_scope(scope)
    paths = core_access.get_access(scope.actor).scope_paths(core_access.COORDINATOR_RANK)
    return plans_access.visible_periods(scope.actor).filter(
        core_access.path_q(paths, "plan__jurisdiction__parent__path"), state__in=AWAITING
    )


def _requests_to_answer(scope: Any) -> QuerySet:
    scope = as_scope(scope)
    mine = core_access.get_access(scope.actor).pk
    return _open_requests(scope).exclude(sender_id=mine).filter(due_date__lte=_today() + WEEK)


def _my_actions(scope: Any) -> QuerySet:
    scope = as_scope(scope)
    return (
        bodies_access.my_action_items(scope.actor)
        .exclude(status__in=CLOSED_STATUSES)
        .filter(due_date__lte=_today() + WEEK)
    )


def _meetings_to_prepare(scope: Any) -> QuerySet:
    scope = as_scope(scope)
    now = timezone.now()
    managed = core_access.get_access(scope.actor).scope_paths(core_access.COORDINATOR_RANK)
    return bodies_access.visible_meetings(scope.actor).filter(
        core_access.path_q(managed, "body__jurisdiction__path"),
        starts_at__gte=now,
        starts_at__lt=now + WEEK,
        status=MeetingStatus.SCHEDULED,
    )


NEEDS_ME: dict[str, tuple[Any, Callable[[Any], QuerySet], Figure | None]] = {
    "my_reviews": (_("Progress reports for me to review"), _my_reviews, REVIEWS),
    "requests_to_answer": (_("Requests to answer (due within a week or overdue)"), _requests_to_answer, REQUESTS),
    "my_actions": (_("My action items due within a week or overdue"), _my_actions, None),
    "meetings_to_prepare": (_("Meetings to prepare in the next seven days"), _meetings_to_prepare, MEETINGS),
}


def _needs_records(scope: Any, bucket: str) -> QuerySet:
    entry = NEEDS_ME.get(bucket)
    if entry is None:
        return _my_reviews(scope).none()
    return entry[1](scope).order_by("pk")


def _needs_counts(scope: Any) -> dict[str, int]:
    return {key: int(fn(scope).order_by().count()) for key, (_t, fn, _d) in NEEDS_ME.items()}


def _needs_describe(record: Any, bucket: str) -> tuple[str, str]:
    figure = NEEDS_ME[bucket][2]
    if figure is None:  # my action items
        return (f"{record.body.name}: {record.title}", reverse("action_item_mine"))
    return figure.describe(record, bucket)


NEEDS = Figure(
    key="needs_me",
    title=_("What needs me this week"),
    buckets=lambda: [Bucket(k, t) for k, (t, _f, _d) in NEEDS_ME.items()],
    records=_needs_records,
    counts=_needs_counts,
    describe=_needs_describe,
)

FIGURES: dict[str, Figure] = {
    f.key: f for f in (NEEDS, COVERAGE, COVERAGE_CHANGE, REVIEWS, REQUESTS, MEETINGS, QUIET, OVERDUE)
}


def figure_table(scope: Any, figure: Figure) -> list[dict[str, Any]]:
    """The figure's rows: bucket, label, count (one query)."""
    counts = figure.counts(scope)
    return [{"key": b.key, "label": b.label, "count": counts.get(b.key, 0)} for b in figure.buckets()]
