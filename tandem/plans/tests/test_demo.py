"""The demo: Kenya's nine-pillar strategy and county plans, Indonesia, the Philippine roadmap."""

from __future__ import annotations

import pytest

from tandem.core.models import Jurisdiction, User
from tandem.plans import access, selectors
from tandem.plans.models import ActionPlan, PeriodState, RoadmapStageChange


@pytest.fixture
def demo(demo_world):
    """The demo, built once per session (see ``demo_world`` in tandem/conftest.py)."""
    return demo_world


def test_demo_personas_see_meaningful_plans(demo, client):
    national = User.objects.get(username="national.ke")
    strategy = access.visible_national_plans(national).get(jurisdiction__iso_code="KE")
    assert strategy.pillars.count() == 9
    county_plans = access.visible_plans(national).filter(national_plan=strategy)
    assert county_plans.count() == 4
    local = User.objects.get(username="local.mombasa")
    mine = access.visible_plans(local).get(jurisdiction__iso_code="KE-28")
    assert access.can_edit_plan(local, mine) and not access.can_review(local, mine)
    states = set(mine.periods.values_list("state", flat=True))
    assert {PeriodState.ACCEPTED, PeriodState.SUBMITTED, PeriodState.DRAFT} <= states
    assert mine.periods.filter(events__to_state=PeriodState.DRAFT).exists()  # a reopening on record
    # Partners of Mombasa read the plan; the Kwale plan is not theirs.
    partner = User.objects.get(username="partner.cso")
    assert access.visible_plans(partner).filter(pk=mine.pk).exists()
    assert not access.visible_plans(partner).filter(jurisdiction__iso_code="KE-19").exists()
    client.force_login(local)
    assert client.get(f"/plans/{mine.uuid}/").status_code == 200
    client.force_login(national)
    assert client.get("/plans/matrix/").status_code == 200


def test_demo_rollup_matrix_and_roadmap(demo):
    national = User.objects.get(username="national.ke")
    kenya = Jurisdiction.objects.get(iso_code="KE")
    strategy = ActionPlan.objects.get(jurisdiction=kenya)
    indicator = strategy.indicators.get(name="People reached by P/CVE awareness activities")
    result = selectors.rollup(national, indicator, "2025-Q2")
    assert result.total and result.reporting == 3  # Mombasa, Kwale, Kilifi; Lamu has no Q2 report
    matrix = selectors.matrix(national, strategy, kenya, kenya.depth + 1)
    assert matrix.locality_count == 47 and matrix.without_plan == 43
    assert matrix.gap_objectives and matrix.unaligned_count == 3
    units = {u.iso_code: u.current_stage for u in selectors.roadmap(national, kenya, kenya.depth + 1)}
    assert units["KE-28"] == "implementing" and units["KE-21"] == "drafted" and units["KE-01"] is None
    assert RoadmapStageChange.objects.filter(jurisdiction__parent__iso_code="PH").count() > 17


def test_local_objectives_keep_the_national_wording_as_written(demo):
    from tandem.plans.models import Objective

    local = Objective.objects.filter(code="L1").select_related("plan__jurisdiction").first()
    alignment_target = local.alignments.get().national_objective
    assert local.text == f"{local.plan.jurisdiction.name}: {alignment_target.text}"  # not lower-cased


def test_rollup_and_roadmap_download_as_shown(demo, client):
    import csv
    import io

    client.force_login(User.objects.get(username="national.ke"))
    rollup = client.get("/plans/rollup/", {"export": "csv"})
    rows = list(csv.reader(io.StringIO(b"".join(rollup.streaming_content).decode("utf-8-sig"))))
    assert rows[0][:4] == ["Locality", "Region", "Plan", "Value"] and len(rows) > 1
    page = client.get("/plans/rollup/").content.decode()
    assert all(row[0] in page for row in rows[1:])  # the localities the page lists
    roadmap = client.get("/plans/roadmap/", {"export": "xlsx"})
    assert roadmap.status_code == 200 and roadmap["Content-Disposition"].startswith("attachment;")


def test_the_alignment_matrix_downloads_with_its_counts(demo, client):
    import io

    from openpyxl import load_workbook

    client.force_login(User.objects.get(username="national.ke"))
    sheet = load_workbook(io.BytesIO(client.get("/plans/matrix/", {"export": "xlsx"}).content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:2] == ("Code", "National objective") and rows[0][-2:] == ("All", "Aligned objectives")
    assert all(isinstance(r[-1], int) and isinstance(r[-2], int) for r in rows[1:])  # counts are numbers
    assert sum(r[-2] for r in rows[1:]) > 0 and sum(r[-1] for r in rows[1:]) > 0


def test_the_viewer_persona_reads_plans_of_their_own_country(demo, client):
    viewer = User.objects.get(username="viewer.skopje")
    titles = set(access.visible_plans(viewer).values_list("title", flat=True))
    assert titles == {"National Strategy for Countering Violent Extremism", "Centar Municipality Local Prevention Plan"}
    centar = access.visible_plans(viewer).get(jurisdiction__iso_code="MK-814")
    assert centar.activities.filter(currency="MKD").exists()  # budgets in denars
    client.force_login(viewer)
    page = client.get(f"/plans/{centar.uuid}/").content.decode()
    assert "Centar Municipality Local Prevention Plan" in page and "MKD" in page
    assert "Edit the plan" not in page  # a viewer reads, never edits


def test_the_demo_has_a_regional_tier(demo):
    surabaya = ActionPlan.objects.get(title="Surabaya City Action Plan")
    assert surabaya.regional_plan is not None and surabaya.regional_plan.jurisdiction.iso_code == "ID-JI"
    assert surabaya.alignments.filter(national_objective__plan=surabaya.regional_plan).exists()
    assert ActionPlan.objects.get(title="Central Visayas Regional Action Plan").level == "regional"
    admin = User.objects.get(username="admin")
    indonesia = surabaya.national_plan
    east_java = surabaya.regional_plan.jurisdiction
    matrix = selectors.matrix(admin, indonesia, east_java, east_java.depth + 1)
    city = next(c for c in matrix.columns if c.name == "Surabaya")
    # Surabaya's activities count under national objectives, through East Java's regional objectives.
    assert sum(sum(cell.values()) for (_o, c), cell in matrix.cells.items() if c == city.pk) >= 6
