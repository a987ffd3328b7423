"""The notifications in the API: the same list as the centre, marking read, settings."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tandem.core import services as core_services

from .conftest import amber_request

pytestmark = pytest.mark.django_db


def _client(client, user):
    token = core_services.api_token_create(actor=user, name="test").secret
    return lambda method, path, **kw: getattr(client, method)(
        path, HTTP_AUTHORIZATION=f"Bearer {token}", content_type="application/json", **kw
    )


def test_list_count_read_and_preferences(cast, client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        item = amber_request(cast)
    api = _client(client, cast.national)
    listed = api("get", "/api/v1/notifications/").json()
    assert listed["count"] == 1
    [entry] = listed["items"]
    assert entry["kind"] == "exchange.item_received" and entry["object_uuid"] == str(item.uuid)
    assert api("get", "/api/v1/notifications/unread-count").json() == {"unread": 1}
    read = api("post", f"/api/v1/notifications/{entry['uuid']}/read", data={"read": True}).json()
    assert read["read_at"] is not None
    assert api("get", "/api/v1/notifications/unread-count").json() == {"unread": 0}
    assert api("get", "/api/v1/notifications/", data={"unread": True}).json()["count"] == 0
    # Someone else's notification: 404, like a missing one.
    other = _client(client, cast.regional)
    assert other("get", f"/api/v1/notifications/{entry['uuid']}").status_code == 404
    assert other("get", "/api/v1/notifications/").json()["count"] == 0
    # Settings.
    changed = api(
        "put",
        "/api/v1/notifications/preferences",
        data={"kind": "exchange.request_overdue", "in_app": "immediately", "email": "never"},
    )
    assert changed.status_code == 200 and changed.json()["email"] == "never"
    prefs = {p["kind"]: p for p in api("get", "/api/v1/notifications/preferences").json()}
    assert prefs["exchange.request_overdue"]["email"] == "never"
    assert prefs["exchange.item_received"]["email"] == "immediately"
    bad = api("put", "/api/v1/notifications/preferences", data={"kind": "nope", "in_app": "never", "email": "never"})
    assert bad.status_code == 422


def test_the_centre_query_count_is_pinned(cast, client, django_capture_on_commit_callbacks, django_assert_num_queries):
    for i in range(3):
        with django_capture_on_commit_callbacks(execute=True):
            amber_request(cast, title=f"Request {i}")
    client.force_login(cast.national)
    client.get(reverse("notification_list"))
    # session, user, the user's due notifications (id, record type, record), grants, which of their records
    # the user may open (one query per record type: here one), the page's count, the page, the unread count
    # (the rules of the types the user has no notification of are never built)
    with django_assert_num_queries(8) as captured:
        page = client.get(reverse("notification_list"))
    assert "3 unread notifications" in page.content.decode()
    assert not any("bodies_actionitem" in q["sql"] for q in captured.captured_queries)


def test_the_header_badge_query_count_is_pinned(
    cast, client, django_capture_on_commit_callbacks, django_assert_num_queries
):
    """The badge is fetched on every page: its queries grow with the record types of the user's
    notifications (one rule query per type), never with their number."""
    for i in range(3):
        with django_capture_on_commit_callbacks(execute=True):
            amber_request(cast, title=f"Request {i}")
    client.force_login(cast.national)
    client.get(reverse("notification_badge"))
    # session, user, the user's due notifications (id, record type, record), grants (the exchange rule),
    # which of their records the user may open (one type here), the unread count
    with django_assert_num_queries(6):
        badge = client.get(reverse("notification_badge"))
    assert "Notifications: 3 unread" in badge.content.decode()


def test_without_notifications_the_centre_builds_no_rule(cast, client, django_assert_num_queries):
    client.force_login(cast.national)
    client.get(reverse("notification_list"))
    # session, user, the record types of the user's notifications (none), grants (the navigation):
    # no count, no list
    with django_assert_num_queries(4):
        page = client.get(reverse("notification_list"))
    assert page.status_code == 200
