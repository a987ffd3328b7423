"""Services and access rules of action plans: who writes, validation, the period workflow."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from tandem.core.versioning import VersionConflict
from tandem.plans import access, selectors, services
from tandem.plans.models import IndicatorValue, PeriodEvent, PeriodState, PlanLevel


def _save(w, value, *, who=None, submit=False, status="on_track"):
    period = w.period.__class__.objects.get(pk=w.period.pk)
    return services.progress_save(
        actor=who or w.local,
        period=period,
        expected_version=period.version,
        values={w.cebu_indicator: (value, "note")},
        statuses={w.activity: (status, "")},
        submit=submit,
    )


def test_visibility_follows_scope_and_partner_flag(plans):
    w = plans
    for persona in ("national", "regional", "local", "member", "cso", "viewer", "facilitator"):
        assert access.visible_plans(w.personas[persona]).filter(pk=w.cebu_plan.pk).exists(), persona
    assert not access.visible_plans(w.outsider).filter(pk=w.cebu_plan.pk).exists()
    assert not access.visible_plans(w.outsider).filter(pk=w.national_plan.pk).exists()
    # Not marked visible: only coordinators of the jurisdiction and above.
    services.plan_update(
        actor=w.local, plan=w.cebu_plan, expected_version=w.cebu_plan.version, visible_to_partners=False
    )
    assert not access.visible_plans(w.member).filter(pk=w.cebu_plan.pk).exists()
    assert not access.visible_plans(w.facilitator).filter(pk=w.cebu_plan.pk).exists()
    assert access.visible_plans(w.regional).filter(pk=w.cebu_plan.pk).exists()
    # Coordinators below read the national plan they align to.
    assert access.visible_plans(w.local).filter(pk=w.national_plan.pk).exists()


def test_local_coordinator_cannot_create_a_national_plan_or_a_foreign_plan(plans):
    w = plans
    with pytest.raises(PermissionDenied):
        services.plan_create(
            actor=w.local,
            level=PlanLevel.NATIONAL,
            jurisdiction=w.ph,
            title="x",
            period_start=dt.date(2026, 1, 1),
            period_end=dt.date(2026, 12, 31),
        )
    with pytest.raises(PermissionDenied):
        services.plan_create(
            actor=w.outsider,
            level=PlanLevel.LOCAL,
            jurisdiction=w.manila,
            national_plan=w.national_plan,
            title="x",
            period_start=dt.date(2026, 1, 1),
            period_end=dt.date(2026, 12, 31),
        )
    with pytest.raises(ValidationError) as exc:
        services.plan_create(
            actor=w.admin,
            level=PlanLevel.LOCAL,
            jurisdiction=w.manila,
            national_plan=None,
            title="x",
            period_start=dt.date(2026, 1, 1),
            period_end=dt.date(2026, 12, 31),
        )
    assert "national_plan" in exc.value.message_dict


def test_inherited_indicator_copies_and_locks_the_definition(plans):
    w = plans
    ind = w.cebu_indicator
    assert (ind.name, ind.unit, ind.additive) == ("Young people reached", "people", True)
    with pytest.raises(ValidationError) as exc:
        services.indicator_update(actor=w.local, indicator=ind, expected_version=ind.version, name="Other")
    assert "name" in exc.value.message_dict
    updated = services.indicator_update(actor=w.local, indicator=ind, expected_version=ind.version, target=Decimal(900))
    assert updated.target == Decimal(900)


def test_negative_count_is_refused_and_nothing_written(plans):
    w = plans
    with pytest.raises(ValidationError) as exc:
        _save(w, Decimal(-3))
    assert "cannot be negative" in str(exc.value)
    assert not IndicatorValue.objects.exists()


def test_value_for_a_period_outside_the_plan_is_refused(plans):
    w = plans
    with pytest.raises(ValidationError) as exc:
        services.period_create(
            actor=w.local, plan=w.cebu_plan, label="2030-Q1", start=dt.date(2030, 1, 1), end=dt.date(2030, 3, 31)
        )
    assert "within the plan" in str(exc.value)


def test_workflow_locks_and_only_the_reviewer_reopens(plans):
    w = plans
    period = _save(w, Decimal(40), submit=True)
    assert period.state == PeriodState.SUBMITTED
    with pytest.raises(ValidationError) as exc:
        _save(w, Decimal(50))
    assert "locked" in str(exc.value)
    # The local coordinator cannot accept their own submission.
    with pytest.raises(PermissionDenied):
        services.period_accept(actor=w.local, period=period, expected_version=period.version)
    period = services.period_accept(actor=w.regional, period=period, expected_version=period.version)
    assert period.state == PeriodState.ACCEPTED
    with pytest.raises(PermissionDenied):
        services.period_reopen(actor=w.local, period=period, expected_version=period.version, reason="typo")
    with pytest.raises(ValidationError):
        services.period_reopen(actor=w.national, period=period, expected_version=period.version, reason=" ")
    period = services.period_reopen(actor=w.national, period=period, expected_version=period.version, reason="typo")
    assert period.state == PeriodState.DRAFT
    assert list(PeriodEvent.objects.filter(period=period).values_list("to_state", flat=True)) == [
        "submitted",
        "accepted",
        "draft",
    ]
    assert IndicatorValue.objects.get().value == Decimal(40)


def test_stale_progress_is_refused(plans):
    w = plans
    period = w.period
    services.progress_save(
        actor=w.local,
        period=period,
        expected_version=period.version,
        values={w.cebu_indicator: (Decimal(1), "")},
        statuses={},
    )
    with pytest.raises(VersionConflict):
        services.progress_save(
            actor=w.local,
            period=period,
            expected_version=period.version,
            values={w.cebu_indicator: (Decimal(2), "")},
            statuses={},
        )


def test_alignment_needs_a_national_objective_or_the_innovation_flag(plans):
    w = plans
    act = services.activity_create(actor=w.local, plan=w.cebu_plan, title="Radio show")
    with pytest.raises(ValidationError):
        services.alignment_set(actor=w.local, plan=w.cebu_plan, activity=act, national_objectives=[])
    with pytest.raises(ValidationError):
        services.alignment_set(actor=w.local, plan=w.cebu_plan, activity=act, national_objectives=[w.l1])
    rows = services.alignment_set(actor=w.local, plan=w.cebu_plan, activity=act, local_innovation=True)
    assert rows[0].local_innovation


def test_rollup_sums_submitted_values_up_the_tree(plans):
    w = plans
    _save(w, Decimal(40), submit=True)
    manila_plan = services.plan_create(
        actor=w.national,
        level=PlanLevel.LOCAL,
        jurisdiction=w.manila,
        national_plan=w.national_plan,
        title="Manila plan",
        period_start=dt.date(2026, 1, 1),
        period_end=dt.date(2026, 12, 31),
    )
    ind = services.indicator_create(actor=w.national, plan=manila_plan, inherited_from=w.nat_indicator)
    period = services.period_create(
        actor=w.national, plan=manila_plan, label="2026-Q1", start=dt.date(2026, 1, 1), end=dt.date(2026, 3, 31)
    )
    services.progress_save(
        actor=w.national, period=period, expected_version=1, values={ind: (Decimal(60), "")}, statuses={}, submit=True
    )
    result = selectors.rollup(w.national, w.nat_indicator, "2026-Q1")
    assert result.total == Decimal(100)
    assert {r["name"]: r["total"] for r in result.regions} == {
        "Central Visayas": Decimal(40),
        "National Capital Region": Decimal(60),
    }
    assert {r["name"]: r["region"] for r in result.localities} == {
        "Cebu City": "Central Visayas",
        "Manila": "National Capital Region",
    }
    # The regional coordinator of Central Visayas sees only what is below them.
    assert selectors.rollup(w.regional, w.nat_indicator, "2026-Q1").total == Decimal(40)


def test_matrix_counts_and_gaps(plans):
    w = plans
    m = selectors.matrix(w.national, w.national_plan, w.ph, w.ph.depth + 1)
    rows = {r["objective"].code: r for r in m.rows()}
    visayas = [c for c in rows["1.1"]["cells"] if c["column"].pk == w.visayas.pk][0]
    assert visayas["total"] == 1
    assert {o.code for o in m.gap_objectives} == {"1.2", "1.3"}
    assert m.without_plan == 1  # National Capital Region
    services.activity_create(actor=w.local, plan=w.cebu_plan, title="Unaligned thing")
    m = selectors.matrix(w.national, w.national_plan, w.ph, w.ph.depth + 1)
    assert [a.title for a in m.unaligned] == ["Unaligned thing"]


def test_roadmap_current_stage(plans):
    w = plans
    services.roadmap_record(actor=w.national, jurisdiction=w.visayas, stage="consultation", date=dt.date(2025, 3, 1))
    services.roadmap_record(actor=w.national, jurisdiction=w.visayas, stage="drafted", date=dt.date(2025, 9, 1))
    with pytest.raises(PermissionDenied):
        services.roadmap_record(actor=w.local, jurisdiction=w.visayas, stage="adopted", date=dt.date(2025, 10, 1))
    units = {u.name: u for u in selectors.roadmap(w.national, w.ph, w.ph.depth + 1)}
    assert units["Central Visayas"].current_stage == "drafted"
    assert units["Central Visayas"].reached_consultation == dt.date(2025, 3, 1)
    assert units["National Capital Region"].current_stage is None


def test_matrix_starts_at_the_users_own_unit(plans):
    w = plans
    assert selectors.default_root(w.national, w.national_plan) == w.ph
    assert selectors.default_root(w.regional, w.national_plan) == w.visayas
    assert selectors.default_root(w.outsider, w.national_plan) is None
    m = selectors.matrix(w.regional, w.national_plan, w.visayas, w.visayas.depth + 1)
    assert [c.name for c in m.columns] == ["Cebu"]
    assert [(r["objective"].code, r["cells"][0]["total"]) for r in m.rows()] == [("1.1", 1), ("1.2", 0), ("1.3", 0)]
