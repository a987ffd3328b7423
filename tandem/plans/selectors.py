"""Reads of action plans computed in the database: roll-ups, the alignment matrix, the roadmap.

Each function runs a fixed number of queries whatever the number of
localities: sums and counts are aggregated in SQL, and a record is placed
under its region (or matrix column) by a correlated subquery matching the
jurisdiction path prefix (``StartsWith(record path, ancestor path)``), which
the ``varchar_pattern_ops`` index on ``core_jurisdiction.path`` serves.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from decimal import Decimal
from typing import Any

from django.db.models import (
    BooleanField,
    Case,
    Count,
    Exists,
    F,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.db.models.lookups import StartsWith
from django.utils.translation import get_language

from tandem.core import access as core_access
from tandem.core.models import Jurisdiction

from . import access
from .models import (
    ActionPlan,
    Activity,
    ActivityStatus,
    Alignment,
    Indicator,
    IndicatorValue,
    Objective,
    PeriodState,
    PlanLevel,
    RoadmapStage,
    RoadmapStageChange,
)

MATRIX_COLUMNS = 30


def _ancestor_at(parent_id: int | None, depth: int | None, outer_path: str) -> Subquery:
    """The id of the jurisdiction (child of ``parent_id`` or at ``depth``) whose path prefixes ``outer_path``."""
    qs = Jurisdiction.objects.filter(StartsWith(OuterRef(outer_path), F("path")))
    if parent_id is not None:
        qs = qs.filter(parent_id=parent_id)
    else:
        assert depth is not None, "give a parent or a depth"
        qs = qs.filter(depth=depth)
    return Subquery(qs.values("id")[:1])


def _path_id_at(path: str, depth: int) -> int | None:
    """The id of the jurisdiction at ``depth`` on ``path`` ("/1/7/42/" at depth 1 is 7), if the path reaches it."""
    parts = path.strip("/").split("/")
    return int(parts[depth]) if len(parts) > depth and parts[depth].isdigit() else None


def _money(value: Any) -> Decimal | None:
    """Sums come back as 75 (SQLite) or 75.00 (PostgreSQL): show both as 75.00."""
    return None if value is None else Decimal(value).quantize(Decimal("0.01"))


# --- Roll-up --------------------------------------------------------------------------------


@dataclass
class Rollup:
    indicator: Indicator
    label: str
    accepted_only: bool
    total: Decimal | None
    reporting: int
    regions: list[dict[str, Any]] = field(default_factory=list)
    localities: list[dict[str, Any]] = field(default_factory=list)
    # Every unit between the national level and the reporting plans (region, province...), in tree
    # order, each with ``level`` (1 = region) and its subtotal; ``regions`` are those at level 1.
    areas: list[dict[str, Any]] = field(default_factory=list)


def rollup_values(user: Any, indicator: Indicator, label: str, *, accepted_only: bool = False) -> QuerySet:
    """The visible local values of a national indicator for a period label (drafts never count)."""
    qs = access.visible_values(user).filter(
        indicator__inherited_from=indicator, indicator__additive=True, period__label=label
    )
    if accepted_only:
        return qs.filter(period__state=PeriodState.ACCEPTED)
    return qs.exclude(period__state=PeriodState.DRAFT)


def rollup_periods(user: Any, indicator: Indicator, label: str, *, accepted_only: bool = False) -> QuerySet:
    """The visible periods labelled ``label`` (submitted or accepted, or accepted only) of the plans that
    carry an additive local copy of ``indicator``, each with ``value_total``: the value of that copy in
    the period (None where it was left blank). These are :func:`rollup_values`, since a value's indicator
    and period belong to one plan (the progress service refuses any other).

    A plan carries at most one copy of an indicator (``plans_indicator_inherit_once``) and has one value
    per indicator and period (``plans_indicatorvalue_unique``): the copy is joined to its plan's periods
    (a few thousand rows on each side, hashed) and the value is one probe of the (indicator, period)
    index per period. Summing each period's values in two correlated subqueries (20 values read by period,
    then matched to the copy) cost twice as much; joining the values table itself made PostgreSQL read
    all of it (a million rows at national scale, 300 ms) to keep 3,000."""
    states = [PeriodState.ACCEPTED] if accepted_only else [s for s in PeriodState if s != PeriodState.DRAFT]
    periods = access.visible_periods(user).filter(
        label=label,
        state__in=states,
        plan__indicators__inherited_from=indicator,
        plan__indicators__additive=True,
    )
    value = IndicatorValue.objects.filter(period=OuterRef("pk"), indicator=OuterRef("plan__indicators")).values("value")
    return periods.annotate(value_total=Subquery(value[:1]))


def _path_ids(path: str) -> list[int]:
    return [int(p) for p in path.strip("/").split("/") if p.isdigit()]


def rollup(user: Any, indicator: Indicator, label: str, *, accepted_only: bool = False) -> Rollup:
    """National total, the subtotal of every unit in between (region, province... through any number of
    levels) and each reporting plan's value. Two queries, whatever the number of plans or levels.

    Each plan's value is placed under the units above it by reading the ids on its jurisdiction's
    path in Python (no correlated ``path LIKE`` per row); a unit's subtotal counts the plans at it and
    below. A unit is listed when it is a region, or holds a reporting plan below it."""
    periods = rollup_periods(user, indicator, label, accepted_only=accepted_only).values(
        "plan__jurisdiction__uuid",
        "plan__jurisdiction__name",
        "plan__jurisdiction__path",
        "plan__uuid",
        "plan__title",
        "state",
        "value_total",
    )
    root = indicator.plan.jurisdiction
    top = len(_path_ids(root.path))  # ids on the root's path: the units below start there
    # A plan has one period of a label: one row per reporting plan, as grouping its values gave. Each
    # path is read once: ``below`` holds the ids under the root (region, province..., the plan's unit).
    reporting = [
        (row, _path_ids(row["plan__jurisdiction__path"])[top:])
        for row in periods.order_by("plan__jurisdiction__name", "plan__title", "plan_id")
        if row["value_total"] is not None
    ]
    sums: dict[int, list[Any]] = {}  # unit id -> [total, reporting]
    listed: set[int] = set()
    for row, below in reporting:
        value = Decimal(row["value_total"])
        for unit_id in below:
            subtotal = sums.setdefault(unit_id, [Decimal(0), 0])
            subtotal[0] += value
            subtotal[1] += 1
        listed.update(below[:-1] + below[:1])  # every unit above the plan's, and its region
    units = {u["id"]: u for u in Jurisdiction.objects.filter(pk__in=listed).values("id", "uuid", "name", "path")}

    def trail(below: list[int]) -> list[str]:
        """Names of the listed units among ``below`` (ids from the region down)."""
        return [units[i]["name"] for i in below if i in units]

    # Ids as text: a cached national roll-up holds two per plan (30,000 plans at ten times the national
    # scale), and unpickling a UUID object costs 5 us: 330 ms a page where text costs nothing.
    areas = []
    for unit_id in listed:
        unit = units.get(unit_id)
        if unit is None:
            continue
        names = trail(_path_ids(unit["path"])[top:])
        order = [n.casefold() for n in names]
        areas.append(
            (
                order,
                {
                    "id": unit["id"],
                    "uuid": str(unit["uuid"]),
                    "name": unit["name"],
                    "path": unit["path"],
                    "level": len(names),
                    "within": " › ".join(names[:-1]),
                    "total": _money(sums[unit_id][0]),
                    "reporting": sums[unit_id][1],
                },
            )
        )
    area_rows = [row for _order, row in sorted(areas, key=lambda pair: pair[0])]
    locality_rows = []
    state_labels = {state.value: str(state.label) for state in PeriodState}  # translated once, not per row
    for row, below in reporting:
        names = trail(below)
        # The plan's own unit, when listed (a region), is not "above" it.
        above = names[:-1] if below and below[-1] in units else names
        locality_rows.append(
            {
                "uuid": str(row["plan__jurisdiction__uuid"]),
                "name": row["plan__jurisdiction__name"],
                "path": row["plan__jurisdiction__path"],
                "plan_uuid": str(row["plan__uuid"]),
                "plan_title": row["plan__title"],
                "state": row["state"],
                "state_label": state_labels[row["state"]],
                "region": (above or names or [""])[0],
                "within": " › ".join(above),
                "total": _money(row["value_total"]),
            }
        )
    total = sum((Decimal(row["value_total"]) for row, _below in reporting), Decimal(0)) if reporting else None
    return Rollup(
        indicator=indicator,
        label=label,
        accepted_only=accepted_only,
        total=_money(total),
        reporting=len(reporting),
        regions=sorted((a for a in area_rows if a["level"] == 1), key=lambda r: r["name"]),
        localities=locality_rows,
        areas=area_rows,
    )


def _rollup_entry(user: Any, indicator: Indicator, params: str, build: Callable[[], Any]) -> Any:
    """``build()``'s result from the reader's cache entry while it is valid (``tandem.dashboards.cache``),
    kept like the alignment matrix's: per reader and roles, for the indicator's plan's unit (the national
    level), dropped by any write of a plans record (a value, a period's state, a plan) at that unit, below
    it or above it, and by any change of who sees what. A national roll-up reads every local plan's value:
    3,000 at national scale, 30,000 at ten times that."""
    from tandem.dashboards.cache import PLANS, place_entry

    root = indicator.plan.jurisdiction
    return place_entry(user, "plan-rollup", root.path, f"{indicator.uuid}|{params}", build, topics=(PLANS,))


def cached_rollup(user: Any, indicator: Indicator, label: str, *, accepted_only: bool = False) -> Rollup:
    """:func:`rollup`, from the reader's cache entry while it is valid (:func:`_rollup_entry`)."""
    params = f"{label}|{int(accepted_only)}|{get_language()}"  # the period states' labels are translated
    found = _rollup_entry(user, indicator, params, lambda: rollup(user, indicator, label, accepted_only=accepted_only))
    return replace(found, indicator=indicator)


def cached_rollup_labels(user: Any, indicator: Indicator) -> list[str]:
    """:func:`rollup_labels`, from the reader's cache entry while it is valid (:func:`_rollup_entry`)."""
    return _rollup_entry(user, indicator, "labels", lambda: rollup_labels(user, indicator))


@dataclass
class RollupView:
    """One level of a roll-up, as the page shows it: ``area`` (None for the whole tree) with the units
    above it (``trail``), the units one level below it with their subtotals (``children``) and the
    reporting plans at it and below it (``localities``)."""

    area: dict[str, Any] | None
    trail: list[dict[str, Any]]
    children: list[dict[str, Any]]
    localities: list[dict[str, Any]]


def rollup_level(result: Rollup, area_uuid: str | None) -> RollupView:
    """Drill into ``result`` at the listed unit ``area_uuid`` (any other value: the top level, the regions).

    A national roll-up lists hundreds of units and thousands of plans; the page shows one level at a
    time, each unit linking to the level below it. Only units the roll-up already lists (from the
    values the user may read) can be chosen."""
    area = next((a for a in result.areas if str(a["uuid"]) == area_uuid), None)
    if area is None:
        return RollupView(None, [], [a for a in result.areas if a["level"] == 1], result.localities)
    path, level = area["path"], area["level"]
    return RollupView(
        area=area,
        trail=sorted(
            (a for a in result.areas if a["level"] < level and path.startswith(a["path"])), key=lambda a: a["level"]
        ),
        children=[a for a in result.areas if a["level"] == level + 1 and a["path"].startswith(path)],
        localities=[r for r in result.localities if r["path"].startswith(path)],
    )


def rollup_labels(user: Any, indicator: Indicator) -> list[str]:
    """Labels of the submitted (or accepted) periods of the visible plans that carry a local copy of the
    indicator, newest first: the periods a roll-up can gather values from (a label whose plans all left
    the value blank shows a roll-up with no locality reporting).

    Plans are matched by id (one index scan of the indicators), not through the values: joining a million
    values to keep those of the indicator cost 350 ms at national scale."""
    carrying = Indicator.objects.filter(inherited_from=indicator).values("plan_id")
    return list(
        access.visible_periods(user)
        .filter(plan_id__in=carrying)
        .exclude(state=PeriodState.DRAFT)
        .order_by("-label")
        .values_list("label", flat=True)
        .distinct()[:40]
    )


def additive_national_indicators(user: Any) -> QuerySet[Indicator]:
    return (
        access.visible_indicators(user)
        .filter(plan__level=PlanLevel.NATIONAL, additive=True)
        .order_by("plan__title", "name")
    )


# --- Alignment matrix ---------------------------------------------------------------------------


@dataclass
class Matrix:
    plan: ActionPlan
    root: Jurisdiction
    depth: int
    objectives: list[Objective]
    columns: Sequence[Jurisdiction]
    cells: dict[tuple[int, int], dict[str, int]]
    objective_totals: dict[int, int]
    gap_objectives: list[Objective]
    without_plan: int
    locality_count: int
    unaligned_count: int
    unaligned: list[Activity]
    # Objective alignments: the regional and local objectives aligned to each objective of the plan.
    objective_cells: dict[tuple[int, int], int] = field(default_factory=dict)
    objective_alignment_totals: dict[int, int] = field(default_factory=dict)

    def rows(self) -> list[dict[str, Any]]:
        """Per objective: each column's aligned activities (``total``, by status) and aligned objectives."""
        statuses = [(s.value, str(s.label)) for s in ActivityStatus]  # translated once, not per cell
        result = []
        for objective in self.objectives:
            cells = []
            for column in self.columns:
                counts = self.cells.get((objective.pk, column.pk), {})
                total = sum(counts.values())
                cells.append(
                    {
                        "column": column,
                        "total": total,
                        "objectives": self.objective_cells.get((objective.pk, column.pk), 0),
                        "breakdown": [(label, counts[value]) for value, label in statuses if counts.get(value)],
                    }
                )
            result.append(
                {
                    "objective": objective,
                    "cells": cells,
                    "total": self.objective_totals.get(objective.pk, 0),
                    "objectives": self.objective_alignment_totals.get(objective.pk, 0),
                }
            )
        return result

    def table(self, *, hide_empty: bool = False) -> tuple[list[Jurisdiction], list[dict[str, Any]]]:
        """(columns, rows) to show: with ``hide_empty``, without the objectives and the units that have
        neither an aligned activity nor an aligned objective on this page of columns."""
        columns, rows = list(self.columns), self.rows()
        if not hide_empty:
            return columns, rows

        def filled(cell: dict[str, Any]) -> bool:
            return bool(cell["total"] or cell["objectives"])

        keep = [i for i in range(len(columns)) if any(filled(row["cells"][i]) for row in rows)]
        kept_rows = [
            {**row, "cells": [row["cells"][i] for i in keep]} for row in rows if any(filled(c) for c in row["cells"])
        ]
        return [columns[i] for i in keep], kept_rows


def default_root(user: Any, plan: ActionPlan) -> Jurisdiction | None:
    """Where the matrix starts for ``user``: the plan's country if they cover it, else their highest unit in it."""
    if core_access.is_admin(user):
        return plan.jurisdiction
    inside = sorted(
        (
            g
            for g in core_access.grants(user)
            if g.path.startswith(plan.jurisdiction.path) or plan.jurisdiction.path.startswith(g.path)
        ),
        key=lambda g: len(g.path),
    )
    if not inside:
        return None
    if plan.jurisdiction.path.startswith(inside[0].path):
        return plan.jurisdiction
    return core_access.visible_jurisdictions(user).filter(pk=inside[0].jurisdiction_id).first()


def matrix_localities(user: Any, root: Jurisdiction, depth: int) -> QuerySet[Jurisdiction]:
    """The matrix's columns: units at ``depth`` under ``root`` that the user may see."""
    return core_access.visible_jurisdictions(user).filter(path__startswith=root.path, depth=depth)


def regional_plans_above(user: Any, plan: ActionPlan) -> QuerySet[ActionPlan] | None:
    """The regional plans a local plan may align to (None for a national or regional plan)."""
    if plan.level != PlanLevel.LOCAL:
        return None
    above = [p for p in access.ancestor_paths(plan.jurisdiction.path) if p != plan.jurisdiction.path]
    return (
        access.visible_plans(user)
        .filter(level=PlanLevel.REGIONAL, national_plan_id=plan.national_plan_id, jurisdiction__path__in=above)
        .order_by("title", "id")
    )


def matrix_plans(user: Any) -> QuerySet[ActionPlan]:
    """Plans a matrix can be drawn for: national plans, then regional plans (objectives x units below)."""
    return (
        access.visible_plans(user).filter(level__in=[PlanLevel.NATIONAL, PlanLevel.REGIONAL]).order_by("level", "title")
    )


def _implementing_plans(user: Any, plan: ActionPlan, root: Jurisdiction) -> QuerySet[ActionPlan]:
    """The visible plans under ``root`` that implement ``plan``: for a national plan its regional and local
    plans, for a regional plan the local plans aligned to it."""
    qs = access.visible_plans(user).filter(jurisdiction__path__startswith=root.path)
    if plan.is_regional:
        return qs.filter(level=PlanLevel.LOCAL, regional_plan=plan)
    return qs.filter(level__in=[PlanLevel.REGIONAL, PlanLevel.LOCAL], national_plan=plan)


def _column(columns: list[int], hops: int) -> Case | Value:
    """The column of a record's plan: the plan's unit, or the parent, grandparent... of that unit (up to
    ``hops`` levels), whichever is one of the page's units ``columns`` (all at one depth, so at most one
    is); None when none is."""
    whens = []
    for k in range(hops + 1) if columns else ():
        unit = "plan__jurisdiction" + "__parent" * k
        whens.append(When(**{f"{unit}__in": columns}, then=F(unit)))
    return Case(*whens, default=None, output_field=IntegerField()) if whens else Value(None, IntegerField())


def _activity_counts(
    plans: QuerySet, columns: list[int], hops: int, objective_ids: list[int], regional: list[int]
) -> QuerySet:
    """The activities of ``plans`` by ``target``, ``column``, ``status`` and ``unaligned``: as
    :func:`_alignment_counts` counts them (``target`` None for an alignment that reaches no objective
    of the plan), and, in the same pass, the activities aligned to nothing at all (``unaligned``: no
    alignment row, counted once each).

    The activities are read with their alignments joined (LEFT JOIN): the matrix's largest join
    (100,000 alignments at national scale) then also finds the unaligned activities, which cost a
    second pass over both tables (an anti-join, a third of the database time of the page) when
    counted apart. An alignment belongs to its subject's plan (``alignment_set`` refuses any other),
    so the activity's plan decides its column and whether the reader sees it."""
    whens = [When(alignments__national_objective_id__in=objective_ids, then=F("alignments__national_objective_id"))]
    if regional:
        through = "alignments__national_objective__alignments__national_objective_id"
        whens.append(
            When(
                Q(alignments__national_objective__plan_id__in=regional, **{f"{through}__in": objective_ids}),
                then=F(through),
            )
        )
    unaligned = Case(When(alignments__isnull=True, then=Value(True)), default=Value(False), output_field=BooleanField())
    return (
        Activity.objects.filter(plan_id__in=plans)
        .annotate(
            target=Case(*whens, default=None, output_field=IntegerField()),
            column=_column(columns, hops),
            unaligned=unaligned,
        )
        .values("target", "column", "status", "unaligned")
        .annotate(n=Count("pk", distinct=bool(regional)))
        .order_by()
    )


def _alignment_counts(
    plans: QuerySet, columns: list[int], hops: int, objective_ids: list[int], regional: list[int], subject: str
) -> QuerySet:
    """Counts of ``subject`` (``"activity"`` or ``"local_objective"``) of ``plans`` (ids) aligned to
    each objective of a plan (``target``, among ``objective_ids``): directly, or (for a national plan)
    through an objective of a ``regional`` plan (ids of those the user may read) that is itself aligned to
    it (counted under that national objective). Per ``column``: the unit of this page's ``columns``
    (ids of units at one depth) at or above the subject's plan's unit, found through at most ``hops``
    parent links, None for the plans under no column on this page; and, for activities, per status.

    A subject belongs to one plan and has one status, so these counts add up exactly to a unit's or
    the whole tree's. The plans are a subquery (a hashed semi-join: a list of 3,000 ids cost more to
    plan than the query took to run), the objectives and columns lists of ids, so the planner
    estimates the rows well and joins by hash; the rows are grouped by column, not by plan (a few
    hundred groups instead of 60,000 at national scale, which spilled to disk). The column is found in
    SQL from the plan's unit and its parents (small hashed joins), not from a list of every plan's id
    per column: at national scale that list (3,000 ids in the CASE) cost more in Python, compiling and
    quoting the SQL, than the query took in the database. A subject is aligned to an objective once (a
    unique constraint), so it is counted without DISTINCT (a sort of every alignment) unless a regional
    objective can lead it to the same objective a second time."""
    reach = Q(national_objective_id__in=objective_ids)
    target: Any = F("national_objective_id")
    if regional:
        reach |= Q(
            national_objective__plan_id__in=regional,
            national_objective__alignments__national_objective_id__in=objective_ids,
        )
        target = Case(
            When(national_objective_id__in=objective_ids, then=F("national_objective_id")),
            default=F("national_objective__alignments__national_objective_id"),
            output_field=IntegerField(),
        )
    column = _column(columns, hops)
    fields = ["target", "column", *(["activity__status"] if subject == "activity" else [])]
    return (
        Alignment.objects.filter(reach, plan_id__in=plans, **{f"{subject}__isnull": False})
        .annotate(target=target, column=column)
        .values(*fields)
        .annotate(n=Count(f"{subject}_id", distinct=bool(regional)))
        .order_by()
    )


def matrix(user: Any, plan: ActionPlan, root: Jurisdiction, depth: int, *, offset: int = 0) -> Matrix:
    """The plan's objectives x localities: counts of aligned activities by status and of aligned
    (regional and local) objectives, and the gaps (objectives no activity addresses).

    For a national plan, regional plans' activities count too, and a local activity aligned to a
    regional objective counts under the national objectives that regional objective is aligned to.
    Seven queries at most, whatever the number of units, plans or levels; one fewer when every activity
    is aligned (the unaligned ones are counted with the aligned ones, and listed only when there are some)."""
    objectives = list(
        plan.objectives.select_related("pillar").order_by(F("pillar__position").asc(nulls_last=True), "code", "id")
    )
    local_plans = _implementing_plans(user, plan, root)
    # The unit at ``depth`` above each plan is the id at that position of the plan's jurisdiction
    # path, read here, not matched in SQL with a correlated ``path LIKE column || '%'`` per row.
    paths = dict(local_plans.values_list("pk", "jurisdiction__path"))
    unit_of = {plan_id: _path_id_at(path, depth) for plan_id, path in paths.items()}
    planned = {unit_id for unit_id in unit_of.values() if unit_id is not None}
    localities = list(matrix_localities(user, root, depth).order_by("name", "id"))
    for unit in localities:
        unit.has_plan = unit.pk in planned  # type: ignore[attr-defined]  # as the annotation did
    counts = {"n": len(localities), "without": sum(unit.pk not in planned for unit in localities)}
    columns = localities[offset : offset + MATRIX_COLUMNS]
    on_page = {c.pk for c in columns}
    objective_ids = [o.pk for o in objectives]
    regional = (
        list(
            access.visible_plans(user).filter(level=PlanLevel.REGIONAL, national_plan=plan).values_list("pk", flat=True)
        )
        if plan.is_national
        else []
    )
    # Parent links from the deepest plan's unit up to ``depth``: fixed by the tree's height, not the data.
    hops = max((len(_path_ids(path)) - 1 - depth for path in paths.values()), default=0)
    page = sorted(on_page)
    cells: dict[tuple[int, int], dict[str, int]] = {}
    totals: dict[int, int] = {}
    unaligned_count = 0
    for row in _activity_counts(local_plans.values("pk"), page, hops, objective_ids, regional):
        if row["unaligned"]:
            unaligned_count += row["n"]
        if row["target"] is None:
            continue
        totals[row["target"]] = totals.get(row["target"], 0) + row["n"]
        if row["column"] is not None:
            by_status = cells.setdefault((row["target"], row["column"]), {})
            by_status[row["status"]] = by_status.get(row["status"], 0) + row["n"]
    objective_cells: dict[tuple[int, int], int] = {}
    objective_totals: dict[int, int] = {}
    for row in _alignment_counts(local_plans.values("pk"), page, hops, objective_ids, regional, "local_objective"):
        objective_totals[row["target"]] = objective_totals.get(row["target"], 0) + row["n"]
        if row["column"] is not None:
            key = (row["target"], row["column"])
            objective_cells[key] = objective_cells.get(key, 0) + row["n"]
    unaligned_qs = (
        access.visible_activities(user)
        .filter(plan__in=local_plans)
        .exclude(Exists(Alignment.objects.filter(activity=OuterRef("pk"))))
        .order_by("plan__jurisdiction__name", "title")
    )
    unaligned = list(unaligned_qs[:20]) if unaligned_count else []  # the first 20, only when there are some
    return Matrix(
        plan=plan,
        root=root,
        depth=depth,
        objectives=objectives,
        columns=columns,
        cells=cells,
        objective_totals=totals,
        gap_objectives=[o for o in objectives if not totals.get(o.pk)],
        without_plan=counts["without"],
        locality_count=counts["n"],
        unaligned_count=unaligned_count,
        unaligned=unaligned,
        objective_cells=objective_cells,
        objective_alignment_totals=objective_totals,
    )


def cached_matrix(user: Any, plan: ActionPlan, root: Jurisdiction, depth: int, *, offset: int = 0) -> Matrix:
    """:func:`matrix`, from the reader's cache entry when it is still valid (``tandem.dashboards.cache``).

    The entry is the reader's own (their user id and roles are in its key) for this plan, unit, depth,
    page of columns and language; it is dropped by any write of a record of the plans app (plans,
    pillars, objectives, activities, alignments, periods) at the unit, below it or at a place above it,
    and by any change of who sees what (places, roles, organisations, people); not by the other apps'
    records, which it does not read. ``plan`` and ``root`` are the caller's, resolved for this request."""
    from tandem.dashboards.cache import PLANS, place_entry

    params = f"{plan.uuid}|{depth}|{offset}|{get_language()}"
    found = place_entry(
        user, "plan-matrix", root.path, params, lambda: matrix(user, plan, root, depth, offset=offset), topics=(PLANS,)
    )
    return replace(found, plan=plan, root=root)


# --- Localisation roadmap ------------------------------------------------------------------------


def roadmap(user: Any, country: Jurisdiction, depth: int) -> QuerySet[Jurisdiction]:
    """Units at ``depth`` under ``country`` with their current stage and the date each stage was reached."""
    changes = RoadmapStageChange.objects.filter(jurisdiction=OuterRef("pk"))
    latest = changes.order_by("-date", "-id")
    annotations: dict[str, Any] = {
        "current_stage": Subquery(latest.values("stage")[:1]),
        "current_since": Subquery(latest.values("date")[:1]),
    }
    for stage in RoadmapStage:
        annotations[f"reached_{stage.value}"] = Subquery(
            changes.filter(stage=stage.value).order_by("date", "id").values("date")[:1]
        )
    return (
        access.roadmap_jurisdictions(user)
        .filter(path__startswith=country.path, depth=depth)
        .annotate(**annotations)
        .order_by("name", "id")
    )


def roadmap_summary(units: QuerySet[Any]) -> list[tuple[str, str, int]]:
    """(stage, label, number of units currently at it), 'not started' for units with no record."""
    counts = dict(units.order_by().values_list("current_stage").annotate(n=Count("id")))
    result = []
    for stage in RoadmapStage:
        n = counts.get(stage.value, 0) + (counts.get(None, 0) if stage == RoadmapStage.NOT_STARTED else 0)
        result.append((stage.value, str(stage.label), n))
    return result


def roadmap_timeline(user: Any, country: Jurisdiction, depth: int) -> QuerySet[RoadmapStageChange]:
    return (
        access.visible_roadmap_changes(user)
        .filter(jurisdiction__path__startswith=country.path, jurisdiction__depth=depth)
        .select_related("jurisdiction")
        .order_by("-date", "-id")
    )


def roadmap_countries(user: Any) -> QuerySet[Jurisdiction]:
    return access.roadmap_jurisdictions(user).filter(kind="country").order_by("name")


def current_stage(jurisdiction: Jurisdiction) -> RoadmapStageChange | None:
    return RoadmapStageChange.objects.filter(jurisdiction=jurisdiction).order_by("-date", "-id").first()


def alignment_prefetch(user: Any) -> Prefetch:
    """Prefetch of a subject's alignments that ``user`` may see, with their target objective (used inside
    a visible plan): local innovations and alignments to objectives of plans ``user`` may read, nothing
    of the others."""
    return Prefetch(
        "alignments",
        queryset=Alignment.objects.filter(access.readable_target_q(user))
        .select_related("national_objective__plan")
        .order_by("id"),
    )


def with_is_aligned(subjects: QuerySet, field: str) -> QuerySet:
    """``subjects`` (objectives or activities) with ``is_aligned``: whether any alignment exists, shown or
    not (a subject aligned only to objectives the reader may not see is not "not aligned")."""
    return subjects.annotate(is_aligned=Exists(Alignment.objects.filter(**{field: OuterRef("pk")})))


def filter_plans(actor: Any, *, term: str = "", level: str = "", within: Jurisdiction | None = None) -> QuerySet:
    """The plans list of the page and of ``GET /api/v1/plans``: national first, then by place and title.

    Plans ``actor`` may read; ``term`` in the title or the jurisdiction's name; of
    ``level``; of ``within`` or below.
    """
    qs = access.visible_plans(actor)
    term = term.strip()
    if term:
        qs = qs.filter(Q(title__icontains=term) | Q(jurisdiction__name__icontains=term))
    if level:
        qs = qs.filter(level=level)
    if within is not None:
        qs = qs.filter(jurisdiction__path__startswith=within.path)
    return qs.order_by("level", "jurisdiction__name", "title", "id")


def _count_in_plan(model: Any) -> Coalesce:
    """The number of ``model`` rows of the outer plan, as a correlated subquery (0 when none)."""
    rows = model.objects.filter(plan=OuterRef("pk")).order_by().values("plan").annotate(n=Count("pk")).values("n")
    return Coalesce(Subquery(rows, output_field=IntegerField()), 0)


def with_content_counts(plans: QuerySet[ActionPlan]) -> QuerySet[ActionPlan]:
    """``plans`` with ``objective_count`` and ``activity_count``: everything in a plan is read by its readers,
    so the counts need no rule of their own.

    Correlated subqueries, not ``Count`` over joins: PostgreSQL evaluates them for the rows of the page
    only (after ORDER BY ... LIMIT), and the paginator's ``COUNT(*)`` leaves them out. Joining both
    tables multiplied every plan's rows (objectives x activities, 495,000 rows for 3,000 plans) before a
    ``COUNT(DISTINCT)`` per plan: 1.7 s for a page of 25."""
    return plans.annotate(objective_count=_count_in_plan(Objective), activity_count=_count_in_plan(Activity))
