"""The home page's "my action items" panel; query counts that must not grow with the rows."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse
from django.utils import timezone

from tandem.bodies import services
from tandem.bodies.tests.factories import cebu_body


def test_member_sees_open_and_overdue_action_items_on_home(world, client):
    cebu_body(world)
    services.action_item_create(
        actor=world.admin,
        body=world.body,
        title="Late report",
        owner_organisation=world.cso_org,
        due_date=timezone.localdate() - dt.timedelta(days=3),
    )
    client.force_login(world.member)
    page = client.get(reverse("home")).content.decode()
    assert "2 open action items" in page and "1 overdue" in page
    assert reverse("action_item_mine") in page


def test_no_panel_without_action_items(world, client):
    client.force_login(world.viewer)
    assert "My action items" not in client.get(reverse("home")).content.decode()


def test_home_query_count_does_not_grow_with_action_items(world, client, django_assert_max_num_queries):
    cebu_body(world)
    client.force_login(world.member)
    client.get(reverse("home"))
    with django_assert_max_num_queries(14) as first:
        client.get(reverse("home"))
    for n in range(10):
        services.action_item_create(
            actor=world.admin, body=world.body, title=f"Task {n}", owner_organisation=world.cso_org
        )
    with django_assert_max_num_queries(len(first.captured_queries)):
        client.get(reverse("home"))


def test_meeting_list_queries_do_not_grow_with_meetings(world, client, django_assert_num_queries):
    """The meeting list read 6 queries at x0.1 and 9 at x1 in bench_scale: not the rows, but the
    session's last-activity stamp (once a minute) landing in the measured request. Pinned here:
    the same count for 2 meetings and for 12."""
    cebu_body(world)
    client.force_login(world.local)
    client.get(reverse("meeting_list"))
    with django_assert_num_queries(6) as first:
        client.get(reverse("meeting_list"))
    starts = timezone.now() + dt.timedelta(days=30)
    for n in range(10):
        services.meeting_create(
            actor=world.admin, body=world.body, title=f"Session {n}", starts_at=starts, time_zone="Asia/Manila"
        )
    with django_assert_num_queries(len(first.captured_queries)):
        client.get(reverse("meeting_list"))


def test_the_panel_is_counted_once_per_reader_and_a_new_item_shows_at_once(world, client, settings):
    """With the dashboard's cache on (production): a second visit does not count the items again, a
    new item shows at the next visit, and another reader gets their own numbers, not these."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tandem.dashboards import cache

    settings.TANDEM_DASHBOARD_CACHE_SECONDS = 300
    cache.forget_all()
    cebu_body(world)
    client.force_login(world.member)
    assert "1 open action item." in client.get(reverse("home")).content.decode()
    with CaptureQueriesContext(connection) as again:
        assert "1 open action item." in client.get(reverse("home")).content.decode()
    assert not [q for q in again.captured_queries if q["sql"].startswith('SELECT COUNT("bodies_actionitem"')]
    services.action_item_create(actor=world.admin, body=world.body, title="New", owner_organisation=world.cso_org)
    assert "2 open action items." in client.get(reverse("home")).content.decode()
    client.force_login(world.viewer)
    assert "My action items" not in client.get(reverse("home")).content.decode()
    cache.forget_all()
