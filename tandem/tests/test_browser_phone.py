"""Tandem on a phone (390 px wide, Chromium): no page scrolls sideways (wide tables scroll inside
themselves), and the header folds into a menu that unfolds with the keyboard (issue 17)."""

from __future__ import annotations

import pytest

from tandem.tests.test_browser import MAIN_PAGES, sign_in

pytestmark = pytest.mark.browser

PAGES = [*MAIN_PAGES, "/exchange/agreements/"]  # and the sharing agreements, the widest table


def test_no_page_scrolls_sideways_on_a_phone(transactional_db, world, live_server, page):
    from tandem.bodies.tests.factories import cebu_body
    from tandem.core import services

    cebu_body(world)
    services.organisation_create(
        actor=world.admin, jurisdiction=world.cebu_city, name="A" * 200, sector="community"
    )  # one 200-character word must wrap, not stretch the page
    page.set_viewport_size({"width": 390, "height": 844})
    sign_in(page, live_server, "local")
    wide = {}
    for path in PAGES:
        response = page.goto(f"{live_server.url}{path}")
        assert response.status == 200, path
        width = page.evaluate("document.documentElement.scrollWidth")
        if width > 390:
            culprit = page.evaluate(
                "[...document.querySelectorAll('body *')].filter(e => e.getBoundingClientRect().right > 391 && !e.closest('table'))"
                ".map(e => e.tagName + '.' + e.className + ' ' + Math.round(e.getBoundingClientRect().right) + ' ' + getComputedStyle(e).display + '/' + getComputedStyle(e).overflowX).slice(0, 4).join(', ')"
            )
            wide[path] = f"{width}px ({culprit})"
    assert wide == {}, f"pages wider than the phone: {wide}"


def test_the_header_folds_into_a_menu_on_a_phone(transactional_db, world, live_server, page):
    page.set_viewport_size({"width": 390, "height": 844})
    sign_in(page, live_server, "local")
    people = page.locator(".main-nav").get_by_role("link", name="People")
    assert not people.is_visible()
    page.locator("summary", has_text="Menu").focus()
    page.keyboard.press("Enter")
    assert people.is_visible()
