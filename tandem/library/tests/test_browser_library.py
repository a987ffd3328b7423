"""A facilitator publishes a French guide that a local coordinator finds by a French word; a city
applies to join the network and appears on the public list once a facilitator accepts it.
In a real browser (Chromium via Playwright)."""

from __future__ import annotations

import pytest

from tandem.tests.lookup_helpers import choose
from tandem.tests.test_browser import sign_in

pytestmark = pytest.mark.browser


def test_library_and_membership_journey(transactional_db, world, live_server, page):
    sign_in(page, live_server, "facilitator")
    page.goto(f"{live_server.url}/library/")
    page.get_by_role("link", name="Propose an item").click()
    choose(page, "Owning jurisdiction", "Central Visayas", "Central Visayas (Region")
    page.get_by_label("Kind").select_option("guidance")
    page.get_by_label("Title").fill("Organiser des réunions de quartier")
    page.get_by_label("Summary").fill("Comment préparer et animer les réunions avec les habitants.")
    page.get_by_label("Text").fill("<p>Les réunions mensuelles <script>alert(1)</script>renforcent la confiance.</p>")
    page.get_by_label("Language").select_option("fr")
    page.get_by_label("Who may read it once published").select_option("country")
    page.get_by_role("button", name="Save").click()
    page.wait_for_load_state()
    assert page.locator("#item-status").inner_text() == "Draft"
    page.get_by_role("button", name="Publish").click()
    page.wait_for_load_state()
    assert page.locator("#item-status").inner_text() == "Published"

    sign_in(page, live_server, "local")
    page.goto(f"{live_server.url}/library/")
    page.get_by_label("Search").fill("réunion")
    page.get_by_role("button", name="Search").click()
    page.wait_for_load_state()
    results = page.locator("ol.library-results")
    assert "Organiser des réunions de quartier" in results.inner_text()
    assert results.locator("mark").count() >= 1

    # The city applies to join the network.
    page.goto(f"{live_server.url}/membership/apply/")
    choose(page, "Jurisdiction", "Cebu City")
    choose(page, "Authority (organisation)", world.city_hall.name)
    choose(page, "Focal point", world.person_cebu.full_name)
    page.get_by_label("Commitments").fill("Meet every quarter and share one lesson a year.")
    page.get_by_role("button", name="Send the application").click()
    page.wait_for_load_state()
    assert page.locator("#membership-status").inner_text() == "Applied"
    application = page.url

    page.goto(f"{live_server.url}/network/members/")
    assert "Cebu City Hall" not in page.content()

    sign_in(page, live_server, "facilitator")
    page.goto(application)
    page.get_by_label("Decision").select_option("accept")
    page.get_by_role("button", name="Record the decision").click()
    page.wait_for_load_state()
    assert page.locator("#membership-status").inner_text() == "Member"

    page.context.clear_cookies()
    page.goto(f"{live_server.url}/network/members/")
    assert "Cebu City Hall" in page.locator("main").inner_text()
    assert "Maria Santos" not in page.content()
