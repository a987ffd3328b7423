"""A county coordinator's journey through a coordination body, in a real browser (Chromium via Playwright)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from tandem.tests.lookup_helpers import choose
from tandem.tests.test_browser import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.slow]  # slow: scheduled first among the browser tests


def save(page):
    page.get_by_role("button", name="Save").click()
    page.wait_for_load_state()


def test_coordinator_runs_a_forum_and_the_member_finds_the_action_item(transactional_db, world, live_server, page):
    sign_in(page, live_server, "local")
    page.goto(f"{live_server.url}/bodies/")
    page.get_by_role("link", name="Add a coordination body").click()
    page.get_by_label("Name").fill("Cebu City Engagement Forum")
    page.get_by_label("Type").select_option("engagement_forum")
    choose(page, "Jurisdiction", "Cebu City")
    page.get_by_label("Objectives").fill("Meet monthly\nMap concerns")
    save(page)
    assert page.get_by_role("heading", level=1).inner_text() == "Cebu City Engagement Forum"
    detail_url = page.url

    for title in ("Co-chair (city mayor)", "Co-chair (national government)"):
        page.get_by_role("link", name="Add a seat").click()
        page.get_by_label("Title").fill(title)
        page.get_by_label("Kind").select_option("co_chair")
        save(page)
    assert page.get_by_role("row", name="Co-chair (city mayor)").is_visible()

    # Five sectors, no youth organisation.
    for org in (world.city_hall, world.company_org, world.police, world.national_org, world.manila_org):
        page.get_by_role("link", name="Add a member").click()
        choose(page, "Organisation", org.name)
        page.get_by_label("Start date").fill((timezone.localdate() - dt.timedelta(days=365)).isoformat())
        save(page)
        assert page.url == detail_url
    panel = page.locator("section[aria-labelledby=inclusivity-heading]")
    assert "Youth" in panel.locator(".missing-sectors").inner_text()
    assert "missing" in panel.locator("dt:has-text('Youth') + dd").inner_text()

    # Schedule an upcoming meeting, then record last week's meeting.
    page.get_by_role("link", name="Schedule a meeting").click()
    page.get_by_label("Title").fill("Monthly forum")
    page.get_by_label("Starts").fill((timezone.now() + dt.timedelta(days=7)).strftime("%Y-%m-%dT10:00"))
    page.get_by_label("Agenda").fill("Welcome\nCommunity concerns")
    save(page)
    assert page.get_by_role("heading", level=1).inner_text() == "Monthly forum"
    assert page.get_by_role("link", name="Add to calendar (.ics)").is_visible()

    page.goto(detail_url)
    page.get_by_role("link", name="Schedule a meeting").click()
    page.get_by_label("Title").fill("Launch meeting")
    page.get_by_label("Starts").fill((timezone.now() - dt.timedelta(days=7)).strftime("%Y-%m-%dT10:00"))
    page.get_by_label("Status").select_option("held")
    save(page)
    page.get_by_role("link", name="Record attendance").click()
    page.get_by_label("Cebu City Hall").check()
    page.get_by_label("Cebu Shipping Co").check()
    save(page)
    assert page.get_by_role("row", name="Cebu Shipping Co").inner_text().count("yes") == 2

    page.get_by_label("Decision").fill("Run a port-area dialogue.")
    page.get_by_role("button", name="Record the decision").click()
    page.wait_for_load_state()
    page.get_by_role("link", name="Add an action item").click()
    page.get_by_label("Title").fill("Host the port-area dialogue")
    page.get_by_label("From decision").select_option(index=1)
    choose(page, "Owner organisation", world.company_org.name[:6], world.company_org.name)
    page.get_by_label("Due date").fill((timezone.localdate() - dt.timedelta(days=1)).isoformat())
    save(page)
    assert page.get_by_role("link", name="Host the port-area dialogue").is_visible()
    meeting_url = page.url

    # The member organisation's partner signs in and finds it, overdue.
    page.get_by_role("button", name="Sign out").click()
    sign_in(page, live_server, "company")
    page.goto(f"{live_server.url}/bodies/")
    page.get_by_role("link", name="My action items").click()
    row = page.get_by_role("row", name="Host the port-area dialogue")
    assert "Overdue" in row.inner_text()

    # A coordinator of another county's forum cannot open these minutes.
    page.get_by_role("button", name="Sign out").click()
    sign_in(page, live_server, "outsider")
    response = page.goto(meeting_url)
    assert response.status == 404
