"""The home page's "open requests by age" panel for coordinators."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse
from django.utils import timezone
from freezegun import freeze_time

from tandem.exchange.tests.conftest import named_person, send_item


def test_national_coordinator_sees_open_requests_by_age(world, client):
    with freeze_time(timezone.now() - dt.timedelta(days=40)):
        send_item(
            world,
            sender=world.local,
            kind="request",
            tlp="GREEN",
            direction="up",
            title="Old ask",
            jurisdictions=[world.ph],
            due_date=timezone.localdate() + dt.timedelta(days=5),
        )
    send_item(
        world,
        sender=world.local,
        kind="request",
        tlp="GREEN",
        direction="up",
        title="New ask",
        jurisdictions=[world.ph],
    )
    client.force_login(world.national)
    page = client.get(reverse("home")).content.decode()
    assert "Open requests by age" in page
    assert '<th scope="row">less than a week</th><td>1</td>' in page
    assert '<th scope="row">more than a month</th><td>1</td>' in page
    assert "1 past its due date" in page
    assert reverse("exchange_open_requests") in page
    # The titles are not on the dashboard: only counts.
    assert "Old ask" not in page


def test_requests_outside_the_audience_are_not_counted(world, client):
    """A RED request to a named partner is not counted for the national coordinator, who is not named."""
    partner = named_person(world, world.company)
    send_item(
        world, sender=world.local, kind="request", tlp="RED", direction="lateral", title="Named only", people=[partner]
    )
    for coordinator in (world.national, world.outsider):
        client.force_login(coordinator)
        assert "No open requests in your jurisdictions." in client.get(reverse("home")).content.decode()


def test_no_panel_for_roles_below_coordinator(world, client):
    client.force_login(world.member)
    assert "Open requests by age" not in client.get(reverse("home")).content.decode()


def test_the_panel_is_counted_once_per_reader_and_a_new_request_shows_at_once(world, client, settings):
    """With the dashboard's cache on (production): the second visit reads no exchange item, a request
    sent since shows at the next visit, and a coordinator of another country keeps their own count."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tandem.dashboards import cache

    settings.TANDEM_DASHBOARD_CACHE_SECONDS = 300
    cache.forget_all()
    ask = {"sender": world.local, "kind": "request", "tlp": "GREEN", "direction": "up", "jurisdictions": [world.ph]}
    send_item(world, title="First ask", **ask)
    client.force_login(world.national)
    assert '<th scope="row">less than a week</th><td>1</td>' in client.get(reverse("home")).content.decode()
    with CaptureQueriesContext(connection) as again:
        client.get(reverse("home"))
    assert not [q for q in again.captured_queries if q["sql"].startswith('SELECT COUNT("exchange_exchangeitem"')]
    send_item(world, title="Second ask", **ask)
    assert '<th scope="row">less than a week</th><td>2</td>' in client.get(reverse("home")).content.decode()
    client.force_login(world.outsider)  # Kenya's coordinator: none of these
    assert "No open requests in your jurisdictions." in client.get(reverse("home")).content.decode()
    cache.forget_all()
