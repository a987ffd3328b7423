"""Plans for the test world (Philippines national plan, Cebu City and Manila local plans).

``build_plans(world)`` is idempotent: the permission matrices call it from their
row lambdas, the tests through the ``plans`` fixture.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from tandem.plans import services
from tandem.plans.models import PlanLevel


def build_plans(w: Any) -> Any:
    if hasattr(w, "national_plan"):
        return w
    s = services
    w.national_plan = s.plan_create(
        actor=w.national,
        level=PlanLevel.NATIONAL,
        jurisdiction=w.ph,
        title="National Action Plan on P/CVE",
        legal_instrument="Executive Order 70",
        period_start=dt.date(2025, 1, 1),
        period_end=dt.date(2028, 12, 31),
        visible_to_partners=True,
    )
    w.pillar = s.pillar_create(actor=w.national, plan=w.national_plan, code="P1", title="Prevention", position=1)
    w.n1 = s.objective_create(
        actor=w.national, plan=w.national_plan, code="1.1", text="Youth resilience", pillar=w.pillar
    )
    w.n2 = s.objective_create(
        actor=w.national, plan=w.national_plan, code="1.2", text="Interfaith dialogue", pillar=w.pillar
    )
    w.n3 = s.objective_create(actor=w.national, plan=w.national_plan, code="1.3", text="Online counter-narratives")
    w.nat_indicator = s.indicator_create(
        actor=w.national, plan=w.national_plan, name="Young people reached", unit="people", additive=True
    )
    w.cebu_plan = s.plan_create(
        actor=w.local,
        level=PlanLevel.LOCAL,
        jurisdiction=w.cebu_city,
        national_plan=w.national_plan,
        title="Cebu City Local Action Plan",
        period_start=dt.date(2026, 1, 1),
        period_end=dt.date(2027, 12, 31),
        visible_to_partners=True,
    )
    w.l1 = s.objective_create(actor=w.local, plan=w.cebu_plan, code="C1", text="Youth centres in every barangay")
    s.alignment_set(actor=w.local, plan=w.cebu_plan, local_objective=w.l1, national_objectives=[w.n1])
    w.activity = s.activity_create(
        actor=w.local,
        plan=w.cebu_plan,
        title="Youth sports league",
        objective=w.l1,
        responsible_org=w.city_hall,
        budget=Decimal("150000"),
        budget_source="City budget",
        status="ongoing",
    )
    w.activity.partner_orgs.set([w.cso_org])
    s.alignment_set(actor=w.local, plan=w.cebu_plan, activity=w.activity, national_objectives=[w.n1])
    w.cebu_indicator = s.indicator_create(
        actor=w.local, plan=w.cebu_plan, inherited_from=w.nat_indicator, target=Decimal(500)
    )
    w.period = s.period_create(
        actor=w.local, plan=w.cebu_plan, label="2026-Q1", start=dt.date(2026, 1, 1), end=dt.date(2026, 3, 31)
    )
    return w


def build_regional(w: Any) -> Any:
    """The test world's plans plus Central Visayas' regional plan (not shared with partners): objective
    R1 localises national 1.2; Cebu City's plan aligns to the regional plan and its activity to R1.

    Idempotent, like ``build_plans``."""
    build_plans(w)
    if hasattr(w, "regional_plan"):
        return w
    s = services
    w.regional_plan = s.plan_create(
        actor=w.regional,
        level=PlanLevel.REGIONAL,
        jurisdiction=w.visayas,
        national_plan=w.national_plan,
        title="Central Visayas Regional Action Plan",
        period_start=dt.date(2025, 1, 1),
        period_end=dt.date(2028, 12, 31),
    )
    w.r1 = s.objective_create(actor=w.regional, plan=w.regional_plan, code="R1", text="Interfaith councils")
    s.alignment_set(actor=w.regional, plan=w.regional_plan, local_objective=w.r1, national_objectives=[w.n2])
    w.cebu_plan = s.plan_update(
        actor=w.local, plan=w.cebu_plan, expected_version=w.cebu_plan.version, regional_plan=w.regional_plan
    )
    s.alignment_set(actor=w.local, plan=w.cebu_plan, activity=w.activity, national_objectives=[w.n1, w.r1])
    return w


def local_plan(w: Any, jurisdiction: Any, title: str) -> Any:
    """A local plan of ``jurisdiction`` implementing the national plan, made by the national coordinator."""
    return services.plan_create(
        actor=w.national,
        level=PlanLevel.LOCAL,
        jurisdiction=jurisdiction,
        national_plan=w.national_plan,
        title=title,
        period_start=dt.date(2026, 1, 1),
        period_end=dt.date(2026, 12, 31),
    )
