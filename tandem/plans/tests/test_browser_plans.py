"""A county coordinator and the national coordinator in a real browser (Chromium through Playwright).

The journey: the local coordinator aligns a new activity to a national objective
and submits quarterly progress; the national coordinator sees the value in the
national roll-up, accepts the period, after which the local coordinator can no
longer edit it; the matrix shows an objective with no local activity as a gap.
"""

from __future__ import annotations

import pytest

from tandem.plans.tests.factories import build_plans
from tandem.tests.test_browser import sign_in

pytestmark = pytest.mark.browser


def signed_in(browser, live_server, username):
    """A fresh browser context (its own cookies) signed in as ``username``."""
    context = browser.new_context(locale="en-GB")
    page = context.new_page()
    page.set_default_timeout(15000)
    sign_in(page, live_server, username)
    return page


def test_county_reports_national_accepts_and_the_period_locks(transactional_db, world, live_server, browser):
    w = build_plans(world)
    base = live_server.url

    # The local coordinator adds an activity aligned to national objective 1.2.
    local = signed_in(browser, live_server, "local")
    local.goto(f"{base}/plans/{w.cebu_plan.uuid}/")
    local.get_by_role("link", name="Add an activity").click()
    local.locator("#id_title").fill("Interfaith youth camp")
    local.locator("#id_budget").fill("25000")
    local.get_by_label("1.2 Interfaith dialogue").check()
    local.get_by_role("button", name="Save").click()
    local.wait_for_url(f"{base}/plans/{w.cebu_plan.uuid}/")
    row = local.get_by_role("row").filter(has_text="Interfaith youth camp")
    assert "1.2" in row.inner_text()

    # ...and submits the quarter's progress in one form.
    local.goto(f"{base}/plans/periods/{w.period.uuid}/")
    local.get_by_label("Young people reached", exact=True).fill("seventy")
    local.get_by_role("button", name="Save and submit for review").click()
    assert "Enter a number" in local.locator("main").inner_text()
    local.get_by_label("Young people reached", exact=True).fill("75")
    local.get_by_label("Interfaith youth camp", exact=True).select_option("on_track")
    local.get_by_label("Youth sports league", exact=True).select_option("at_risk")
    local.get_by_role("button", name="Save and submit for review").click()
    local.wait_for_load_state()
    assert local.locator("#period-state").inner_text() == "Submitted"

    # The national coordinator sees Cebu City's value in the national roll-up.
    national = signed_in(browser, live_server, "national")
    national.goto(f"{base}/plans/rollup/?indicator={w.nat_indicator.uuid}&period=2026-Q1")
    assert national.locator("#national-total").inner_text() == "75.00"
    assert national.get_by_role("row").filter(has_text="Cebu City").filter(has_text="Central Visayas").is_visible()

    # ...accepts the period after a confirmation page.
    national.goto(f"{base}/plans/periods/{w.period.uuid}/")
    national.get_by_role("link", name="Accept").click()
    assert "locks the period" in national.locator("main").inner_text()
    national.get_by_role("button", name="Confirm").click()
    national.wait_for_load_state()
    assert national.locator("#period-state").inner_text() == "Accepted"

    # The county can no longer edit it.
    local.goto(f"{base}/plans/periods/{w.period.uuid}/")
    assert "This period is locked" in local.locator("main").inner_text()
    assert local.get_by_role("button", name="Save and submit for review").count() == 0
    assert local.get_by_label("Young people reached", exact=True).count() == 0

    # The matrix shows objective 1.3 (no local activity) as a gap; 1.2 is now covered.
    national.goto(f"{base}/plans/matrix/?plan={w.national_plan.uuid}")
    gaps = national.locator("#gap-objectives").inner_text()
    assert "1.3" in gaps and "1.2" not in gaps
    national.context.close()
    local.context.close()


def test_the_matrix_on_a_phone_keeps_its_objective_column_in_view_and_hides_empty_rows(
    transactional_db, world, live_server, page
):
    from tandem.core import services as core_services
    from tandem.core.models import JurisdictionKind

    w = build_plans(world)
    for i in range(8):  # eight more cities: the matrix is far wider than a phone
        core_services.jurisdiction_create(
            actor=None, name=f"Municipality number {i}", kind=JurisdictionKind.CITY, parent=w.cebu, audit=False
        )
    page.set_viewport_size({"width": 390, "height": 844})
    sign_in(page, live_server, "national")
    page.goto(f"{live_server.url}/plans/matrix/?plan={w.national_plan.uuid}&within={w.cebu.uuid}")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390  # the table scrolls, not the page
    box = page.locator(".table-scroll")
    assert page.evaluate("(e) => e.scrollWidth > e.clientWidth", box.element_handle())
    first = page.locator("table.matrix tbody th[scope=row]").first
    left = first.bounding_box()["x"]
    box.evaluate("(e) => { e.scrollLeft = e.scrollWidth; }")
    assert abs(first.bounding_box()["x"] - left) < 2  # sticky: still at the left edge
    assert "1.2 Interfaith dialogue" in page.locator("table.matrix").inner_text()
    # Hiding empty rows: a checkbox in the form, no JavaScript needed, kept in the address.
    page.get_by_label("Hide objectives and units with nothing aligned").check()
    page.get_by_role("button", name="Show").click()
    page.wait_for_url("**empty=hide**")
    table = page.locator("table.matrix").inner_text()
    assert "1.1 Youth resilience" in table and "1.2 Interfaith dialogue" not in table
    assert "Municipality number 3" not in table and "Cebu City" in table
