"""The national roll-up reaches local plans through every level in between.

The test world is four levels deep on one side (Philippines → Central Visayas → Cebu province →
Cebu City) and three on the other (→ National Capital Region → Manila). Here Mandaue City joins
Cebu province, and the province adopts a plan of its own: the national coordinator sees the
subtotal of the region and of the province, and each city placed under both.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tandem.core import services as core_services
from tandem.core.models import JurisdictionKind
from tandem.plans import selectors, services
from tandem.plans.tests.factories import build_plans
from tandem.plans.tests.factories import local_plan as _local_plan


def _report(w, jurisdiction, title, value, label="2026-Q1"):
    plan = _local_plan(w, jurisdiction, title)
    indicator = services.indicator_create(actor=w.national, plan=plan, inherited_from=w.nat_indicator)
    period = services.period_create(
        actor=w.national, plan=plan, label=label, start=dt.date(2026, 1, 1), end=dt.date(2026, 3, 31)
    )
    services.progress_save(
        actor=w.national, period=period, expected_version=1, values={indicator: (value, "")}, statuses={}, submit=True
    )
    return plan


def _four_levels(world):
    w = build_plans(world)
    mandaue = core_services.jurisdiction_create(
        actor=None, name="Mandaue City", kind=JurisdictionKind.CITY, parent=w.cebu, audit=False
    )
    _report(w, w.cebu_city, "Cebu City second plan", Decimal(40))
    _report(w, mandaue, "Mandaue plan", Decimal(10))
    _report(w, w.cebu, "Cebu provincial plan", Decimal(5))
    _report(w, w.manila, "Manila plan", Decimal(60))
    return w


def test_rollup_shows_every_level_between_the_country_and_the_cities(world):
    w = _four_levels(world)
    with CaptureQueriesContext(connection) as queries:
        result = selectors.rollup(w.national, w.nat_indicator, "2026-Q1")
    assert len(queries) == 2  # the reporting periods with their values, then the units above them
    assert result.total == Decimal(115) and result.reporting == 4
    areas = [(a["level"], a["within"], a["name"], a["total"], a["reporting"]) for a in result.areas]
    assert areas == [
        (1, "", "Central Visayas", Decimal("55.00"), 3),
        (2, "Central Visayas", "Cebu", Decimal("55.00"), 3),  # its own plan and the two cities below
        (1, "", "National Capital Region", Decimal("60.00"), 1),
    ]
    assert [r["name"] for r in result.regions] == ["Central Visayas", "National Capital Region"]
    placed = {r["plan_title"]: (r["region"], r["within"]) for r in result.localities}
    assert placed == {
        "Cebu City second plan": ("Central Visayas", "Central Visayas › Cebu"),
        "Mandaue plan": ("Central Visayas", "Central Visayas › Cebu"),
        "Cebu provincial plan": ("Central Visayas", "Central Visayas"),
        "Manila plan": ("National Capital Region", "National Capital Region"),
    }
    # The regional coordinator sees their region's part only.
    regional = selectors.rollup(w.regional, w.nat_indicator, "2026-Q1")
    assert regional.total == Decimal(55)
    assert [a["name"] for a in regional.areas] == ["Central Visayas", "Cebu"]


def _area_uuid(w, name):
    """The uuid of the roll-up's unit ``name`` (as the page links it)."""
    result = selectors.rollup(w.national, w.nat_indicator, "2026-Q1")
    return str(next(a["uuid"] for a in result.areas if a["name"] == name))


def test_rollup_page_api_and_export_show_the_province(world, as_user, client):
    w = _four_levels(world)
    client_national = as_user(w.national)
    page = client_national.get(reverse("plan_rollup"), {"period": "2026-Q1"})
    body = page.content.decode()
    # One level at a time: the regions, each linking to the level below it.
    assert ">Central Visayas</a></th><td>55</td><td>3</td>" in body and ">National Capital Region</a></th>" in body
    assert ">Cebu</a></th>" not in body
    assert "Central Visayas › Cebu" in body  # Mandaue's place among the localities
    central = _area_uuid(w, "Central Visayas")
    body = client_national.get(reverse("plan_rollup"), {"period": "2026-Q1", "area": central}).content.decode()
    assert ">Cebu</a></th><td>55</td><td>3</td>" in body and "Subtotal of Central Visayas" in body
    assert "Manila plan" not in body and "Mandaue plan" in body  # the localities within it only
    cebu = _area_uuid(w, "Cebu")
    body = client_national.get(reverse("plan_rollup"), {"period": "2026-Q1", "area": cebu}).content.decode()
    assert ">Central Visayas</a> › <strong>Cebu</strong>" in body and "Cebu provincial plan" in body
    export = as_user(w.national).get(reverse("plan_rollup"), {"period": "2026-Q1", "export": "csv"})
    text = b"".join(export.streaming_content).decode("utf-8-sig")
    assert "Mandaue City" in text and "Central Visayas › Cebu" in text
    token = core_services.api_token_create(actor=w.national, name="t").secret
    data = client.get("/api/v1/plans/rollup", {"period": "2026-Q1"}, HTTP_AUTHORIZATION=f"Bearer {token}").json()
    assert [(a["name"], a["level"], a["total"]) for a in data["areas"]] == [
        ("Central Visayas", 1, "55.00"),
        ("Cebu", 2, "55.00"),
        ("National Capital Region", 1, "60.00"),
    ]


def test_rollup_counts_only_the_value_of_the_local_copy_in_a_submitted_period(world):
    """A plan that left its copy blank, a draft period, and a value of another indicator of the plan
    do not report: the totals and the localities are those of the four reporting plans."""
    w = _four_levels(world)
    blank = _local_plan(w, w.manila, "Manila blank plan")
    services.indicator_create(actor=w.national, plan=blank, inherited_from=w.nat_indicator)
    own = services.indicator_create(actor=w.national, plan=blank, name="Own count", unit="people", additive=True)
    period = services.period_create(
        actor=w.national, plan=blank, label="2026-Q1", start=dt.date(2026, 1, 1), end=dt.date(2026, 3, 31)
    )
    services.progress_save(
        actor=w.national, period=period, expected_version=1, values={own: (Decimal(7), "")}, statuses={}, submit=True
    )
    draft = _report(w, w.manila, "Manila draft plan", Decimal(1000), label="2026-Q2")
    draft_period = services.period_create(  # saved with a value, not submitted
        actor=w.national, plan=draft, label="2026-Q1", start=dt.date(2026, 1, 1), end=dt.date(2026, 3, 31)
    )
    copy = draft.indicators.get(inherited_from=w.nat_indicator)
    services.progress_save(
        actor=w.national,
        period=draft_period,
        expected_version=1,
        values={copy: (Decimal(1000), "")},
        statuses={},
        submit=False,
    )
    assert draft_period.values.get().value == Decimal(1000)
    result = selectors.rollup(w.national, w.nat_indicator, "2026-Q1")
    assert result.total == Decimal(115) and result.reporting == 4
    assert "Manila blank plan" not in {r["plan_title"] for r in result.localities}
    assert "Manila draft plan" not in {r["plan_title"] for r in result.localities}
    assert [(a["name"], a["total"], a["reporting"]) for a in result.regions] == [
        ("Central Visayas", Decimal("55.00"), 3),
        ("National Capital Region", Decimal("60.00"), 1),
    ]
    assert selectors.rollup(w.national, w.nat_indicator, "2026-Q1", accepted_only=True).localities == []
