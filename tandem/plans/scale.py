"""The plans of the national-scale dataset (``manage.py generate_scale``): the national plan, a
regional plan in each region (its objectives aligned to national ones) and local plans, with
objectives, inherited indicators, activities, reporting periods with indicator values and activity
progress, and roadmap stages (see ``tandem.core.scale``).

Activities are aligned as the product lets a plan align them (``services.alignment_set``): a
regional plan's to national objectives; a local plan's to national objectives, or, for the local
plans that align to their region's plan (every other one), every other activity to an objective of
that regional plan; and one local activity in twenty to nothing (the matrix's "unaligned")."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

from tandem.core.scale import World, hashed

from .models import (
    ActionPlan,
    Activity,
    ActivityProgress,
    ActivityStatus,
    Alignment,
    Frequency,
    Indicator,
    IndicatorUnit,
    IndicatorValue,
    Objective,
    PeriodState,
    PlanLevel,
    ProgressStatus,
    ReportingPeriod,
    RoadmapStage,
    RoadmapStageChange,
)

BASE = {"plans": 3000, "activities": 100000}
NATIONAL_OBJECTIVES = 20
NATIONAL_INDICATORS = 20
LOCAL_OBJECTIVES = 5  # per regional or local plan
UNALIGNED = 20  # one local activity in UNALIGNED is aligned to nothing
QUARTERS = [(year, q) for year in (2022, 2023, 2024, 2025) for q in (1, 2, 3, 4)]  # 16 periods
PERIOD_START = dt.date(2022, 1, 1)
PERIOD_END = dt.date(2026, 12, 31)


def _quarter(year: int, q: int) -> tuple[str, dt.date, dt.date]:
    start = dt.date(year, 3 * q - 2, 1)
    end = dt.date(year + (q == 4), 1 if q == 4 else 3 * q + 1, 1) - dt.timedelta(days=1)
    return f"{year}-Q{q}", start, end


def build(world: World) -> None:
    assert world.country is not None
    national = ActionPlan.objects.create(
        uuid=world.uuid(),
        level=PlanLevel.NATIONAL,
        jurisdiction=world.country,
        title="National prevention plan",
        period_start=PERIOD_START,
        period_end=PERIOD_END,
    )
    world.rows += 1
    nat_objectives = world.bulk(
        "national objectives",
        Objective,
        (
            {"plan_id": national.pk, "code": f"N{k + 1}", "text": f"National objective {k + 1}"}
            for k in range(NATIONAL_OBJECTIVES)
        ),
        NATIONAL_OBJECTIVES,
    )
    nat_indicators = world.bulk(
        "national indicators",
        Indicator,
        (
            {
                "plan_id": national.pk,
                "objective_id": nat_objectives[k],
                "name": f"Indicator {k + 1}",
                "unit": IndicatorUnit.COUNT,
                "frequency": Frequency.QUARTERLY,
                "additive": True,
                "target": Decimal(1000),
            }
            for k in range(NATIONAL_INDICATORS)
        ),
        NATIONAL_INDICATORS,
    )
    regions = [unit_id for unit_id, _path in world.units[2]]
    regional = world.bulk(
        "regional plans",
        ActionPlan,
        (
            {
                "level": PlanLevel.REGIONAL,
                "jurisdiction_id": unit_id,
                "national_plan_id": national.pk,
                "title": f"Regional plan {i + 1}",
                "period_start": PERIOD_START,
                "period_end": PERIOD_END,
            }
            for i, unit_id in enumerate(regions)
        ),
        len(regions),
    )
    regional_of = dict(zip(regions, regional, strict=True))  # region -> its plan
    localities = [unit_id for unit_id, _path in world.localities()]
    total = min(max(1, world.count(BASE["plans"]) - 1 - len(regional)), len(localities))
    chosen = localities[:total]
    for name in ("scale.local", "scale.member"):
        if world.persona_places[name] not in chosen:
            chosen[-1] = world.persona_places[name]
    # Every other local plan aligns to the plan of its region (the unit two levels above a locality).
    above = [
        regional_of[world.parent_of[world.parent_of[unit_id]]] if i % 2 == 0 else None
        for i, unit_id in enumerate(chosen)
    ]
    local = world.bulk(
        "local plans",
        ActionPlan,
        (
            {
                "level": PlanLevel.LOCAL,
                "jurisdiction_id": unit_id,
                "national_plan_id": national.pk,
                "regional_plan_id": above[i],
                "title": f"Local plan {i + 1}",
                "period_start": PERIOD_START,
                "period_end": PERIOD_END,
            }
            for i, unit_id in enumerate(chosen)
        ),
        len(chosen),
    )
    plans = regional + local  # the plans below the national one: regional first
    plan_jur = dict(zip(plans, regions + chosen, strict=True))
    regional_plan_of = dict(zip(local, above, strict=True))
    world.shared["national_plan"] = national.pk
    world.shared["national_objectives"] = nat_objectives
    world.shared["regional_plans"] = list(zip(regional, regions, strict=True))
    world.shared["local_plans"] = list(zip(local, chosen, strict=True))
    objectives = world.bulk(
        "regional and local objectives",
        Objective,
        (
            {"plan_id": plan_id, "code": f"{word[0]}{k + 1}", "text": f"{word} objective {k + 1}"}
            for p, plan_id in enumerate(plans)
            for word in ["Regional" if p < len(regional) else "Local"]
            for k in range(LOCAL_OBJECTIVES)
        ),
        len(plans) * LOCAL_OBJECTIVES,
    )
    # A regional plan's objectives localise national ones: region r's k-th objective aligns to the
    # national objective 5r + k (mod 20), so the regions together cover every national objective.
    objectives_of = {
        plan_id: objectives[p * LOCAL_OBJECTIVES : (p + 1) * LOCAL_OBJECTIVES] for p, plan_id in enumerate(plans)
    }
    world.bulk(
        "regional objective alignments",
        Alignment,
        (
            {
                "plan_id": plan_id,
                "local_objective_id": objectives_of[plan_id][k],
                "national_objective_id": nat_objectives[(r * LOCAL_OBJECTIVES + k) % len(nat_objectives)],
            }
            for r, plan_id in enumerate(regional)
            for k in range(LOCAL_OBJECTIVES)
        ),
        len(regional) * LOCAL_OBJECTIVES,
        keep=False,
    )
    indicators = world.bulk(
        "inherited indicators",
        Indicator,
        (
            {
                "plan_id": plan_id,
                "name": f"Indicator {k + 1}",
                "unit": IndicatorUnit.COUNT,
                "frequency": Frequency.QUARTERLY,
                "additive": True,
                "inherited_from_id": ind_id,
            }
            for plan_id in plans
            for k, ind_id in enumerate(nat_indicators)
        ),
        len(plans) * len(nat_indicators),
    )
    total = world.count(BASE["activities"])
    per_plan = max(1, total // len(plans))
    statuses = [ActivityStatus.PLANNED, ActivityStatus.ONGOING, ActivityStatus.ONGOING, ActivityStatus.COMPLETED]
    act_plans = [plan_id for plan_id in plans for _k in range(per_plan)]

    def activities() -> Iterator[dict[str, Any]]:
        for p, plan_id in enumerate(plans):
            orgs = world.orgs_in(plan_jur[plan_id])
            for k in range(per_plan):
                yield {
                    "plan_id": plan_id,
                    "objective_id": objectives[p * LOCAL_OBJECTIVES + k % LOCAL_OBJECTIVES],
                    "title": f"Activity {k + 1}",
                    "responsible_org_id": orgs[k % len(orgs)] if orgs else None,
                    "budget": Decimal(1000 * (1 + k % 20)),
                    "currency": "XXX",  # ISO 4217 "no currency": Scaleland is fictional
                    "status": statuses[k % len(statuses)],
                }

    acts = world.bulk("activities", Activity, activities(), len(act_plans))
    world.shared["activities"] = list(zip(acts, act_plans, strict=True))

    def alignments() -> Iterator[dict[str, Any]]:
        for n, (act_id, plan_id) in enumerate(world.shared["activities"]):
            if plan_id in regional_plan_of and n % UNALIGNED == UNALIGNED - 1:
                continue  # a local activity aligned to nothing yet
            up = regional_plan_of.get(plan_id)  # the regional plan a local plan aligns to, if any
            if up is not None and n % 2 == 0:
                target = objectives_of[up][(n // 2) % LOCAL_OBJECTIVES]
            else:
                target = nat_objectives[(n * 7) % len(nat_objectives)]
            yield {"plan_id": plan_id, "activity_id": act_id, "national_objective_id": target}

    world.bulk("activity alignments", Alignment, alignments(), len(acts), keep=False)
    now = world.now()
    period_plans = [plan_id for plan_id in plans for _quarter_ in QUARTERS]
    periods = world.bulk(
        "reporting periods",
        ReportingPeriod,
        (
            {
                "plan_id": plan_id,
                "label": label,
                "start": start,
                "end": end,
                "state": PeriodState.ACCEPTED if (year, q) < (2025, 3) else PeriodState.SUBMITTED,
                "submitted_at": now,
            }
            for plan_id in plans
            for year, q in QUARTERS
            for label, start, end in [_quarter(year, q)]
        ),
        len(period_plans),
    )
    by_plan: dict[int, list[int]] = {}
    for n, ind_id in enumerate(indicators):
        by_plan.setdefault(plans[n // len(nat_indicators)], []).append(ind_id)
    _indicator_values(world, periods, period_plans, by_plan)
    last = dict(zip(period_plans, periods, strict=True))  # each plan's latest period
    progress = [ProgressStatus.ON_TRACK, ProgressStatus.ON_TRACK, ProgressStatus.AT_RISK, ProgressStatus.OFF_TRACK]
    world.bulk(
        "activity progress",
        ActivityProgress,
        (
            {"period_id": last[plan_id], "activity_id": act_id, "status": progress[n % len(progress)]}
            for n, (act_id, plan_id) in enumerate(world.shared["activities"])
        ),
        len(acts),
        keep=False,
    )
    stages = [value for value, _label in RoadmapStage.choices]
    world.bulk(
        "roadmap stages",
        RoadmapStageChange,
        (
            {"jurisdiction_id": unit_id, "stage": stages[k], "date": PERIOD_START + dt.timedelta(days=200 * k)}
            for i, unit_id in enumerate(localities)
            for k in range(1 + i % 4)
        ),
        len(localities) * 2,
        keep=False,
    )
    on_plan = "JOIN plans_actionplan p ON p.id = r.plan_id"
    world.audit_trail(ActionPlan, most=4)
    world.audit_trail(Activity, most=3, jurisdiction="p.jurisdiction_id", joins=on_plan)
    world.audit_trail(ReportingPeriod, most=2, label="r.label", jurisdiction="p.jurisdiction_id", joins=on_plan)


# Every (period, indicator) of a plan, with a value in 0..199 hashed from the seed and the pair.
_VALUES_SQL = """
INSERT INTO {table} (created_at, updated_at, period_id, indicator_id, value, note)
SELECT %s, %s, p.period_id, i.indicator_id,
       ('x' || substr(md5(%s || ':' || p.period_id || ':' || i.indicator_id), 1, 8))::bit(32)::bigint %% 200, ''
FROM unnest(%s::bigint[], %s::bigint[]) WITH ORDINALITY AS p(period_id, plan_id, pn)
JOIN unnest(%s::bigint[], %s::bigint[]) WITH ORDINALITY AS i(plan_id, indicator_id, n) USING (plan_id)
ORDER BY p.pn, i.n
"""


def _indicator_values(world: World, periods: list[int], period_plans: list[int], by_plan: dict[int, list[int]]) -> None:
    """The largest table (a million rows at x1): generated by PostgreSQL in one statement, from
    the ids alone (no row crosses the connection); elsewhere row by row, with the same values."""
    total = sum(len(by_plan.get(plan_id, [])) for plan_id in period_plans)
    pairs = [(plan_id, ind_id) for plan_id, inds in by_plan.items() for ind_id in inds]
    seed, now = str(world.seed), world.now()
    if world.insert_select(
        "indicator values",
        IndicatorValue,
        _VALUES_SQL,
        [now, now, seed, periods, period_plans, [p for p, _i in pairs], [i for _p, i in pairs]],
        total,
    ):
        return
    world.bulk(
        "indicator values",
        IndicatorValue,
        (
            {
                "period_id": period_id,
                "indicator_id": ind_id,
                "value": Decimal(hashed(f"{seed}:{period_id}:{ind_id}") % 200),
            }
            for period_id, plan_id in zip(periods, period_plans, strict=True)
            for ind_id in by_plan.get(plan_id, [])
        ),
        total,
        keep=False,
    )
