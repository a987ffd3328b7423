"""A real browser journey (Debian's Chromium through Playwright): a city coordinator's AMBER request
reaches the national coordinator as a notification and an e-mail without its text; the deadline
scan announces it overdue to both; the national dashboard counts it and its link lists exactly it."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from playwright.sync_api import expect

from tandem.tests.test_browser import sign_in

pytestmark = pytest.mark.browser


def test_amber_request_notification_journey(transactional_db, world, live_server, page, settings):
    from tandem.exchange.tests.conftest import send_item
    from tandem.notifications import tasks

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    world.national.email = "national@example.org"
    world.national.save(update_fields=["email"])
    due = dt.date.today() + dt.timedelta(days=5)

    sign_in(page, live_server, "national")
    expect(page.locator("#notification-badge")).to_contain_text("0 unread")

    mail.outbox.clear()
    item = send_item(
        world,
        sender=world.local,
        tlp="AMBER",
        kind="request",
        title="Trainers for the youth dialogue",
        body="Two trainers in March",
        jurisdictions=[world.ph],
        direction="up",
        due_date=due,
    )
    [message] = [m for m in mail.outbox if m.to == ["national@example.org"]]
    assert "Trainers" not in message.body and "Two trainers" not in message.body
    assert "TLP:AMBER" in message.body

    page.goto(f"{live_server.url}/")
    expect(page.locator("#notification-badge")).to_contain_text("1 unread")
    page.locator("#notification-badge").click()
    page.wait_for_url(f"{live_server.url}/notifications/")
    page.get_by_role("link", name="Trainers for the youth dialogue").click()
    page.wait_for_url(f"{live_server.url}/exchange/**")
    assert str(item.uuid) in page.url
    assert page.get_by_role("heading", level=1).inner_text().startswith("Trainers for the youth dialogue")

    # The due date passes; the scheduled job (not a page view) finds it overdue.
    tasks.scan_deadlines.enqueue((due + dt.timedelta(days=1)).isoformat())
    page.goto(f"{live_server.url}/notifications/?kind=exchange.request_overdue")
    assert "1 notification" in page.locator("p[role=status]").inner_text()
    from tandem.notifications.models import Notification

    overdue = Notification.objects.filter(kind="exchange.request_overdue", object_uuid=item.uuid)
    assert sorted(overdue.values_list("recipient__username", flat=True)) == ["local", "national"]

    # The national dashboard counts the open request; its link lists exactly it.
    page.goto(f"{live_server.url}/dashboard/")
    link = page.locator('a[data-figure="requests"][data-bucket="0-7:up"]')
    assert link.inner_text() == "1"
    link.click()
    page.wait_for_load_state()
    assert page.locator(".figure-records li").all_inner_texts() == ["Trainers for the youth dialogue"]


def test_the_centre_and_the_dashboard_fit_a_phone(transactional_db, world, live_server, page):
    from tandem.bodies.tests.factories import cebu_body

    cebu_body(world)
    page.set_viewport_size({"width": 390, "height": 844})
    sign_in(page, live_server, "national")
    for path in ("/dashboard/", "/notifications/", "/notifications/settings/", "/dashboard/requests/"):
        response = page.goto(f"{live_server.url}{path}")
        assert response.status == 200, path
        assert page.evaluate("document.documentElement.scrollWidth") <= 390, path
