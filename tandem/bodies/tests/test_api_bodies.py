"""The bodies API: validation (422), conflicts (409), internals and owners."""

from __future__ import annotations

import datetime as dt
import json

from django.utils import timezone

from tandem.core import services as core_services

from .factories import cebu_body


class Api:
    def __init__(self, client, user):
        self.client = client
        secret = core_services.api_token_create(actor=user, name="t").secret
        self.headers = {"HTTP_AUTHORIZATION": f"Bearer {secret}"}

    def get(self, path, **params):
        return self.client.get(path, params, **self.headers)

    def send(self, method, path, body):
        return getattr(self.client, method)(
            path, data=json.dumps(body), content_type="application/json", **self.headers
        )


def test_meeting_in_the_past_as_scheduled_is_422(world, client):
    body = cebu_body(world)
    api = Api(client, world.local)
    past = (timezone.now() - dt.timedelta(days=2)).isoformat()
    response = api.send(
        "post", f"/api/v1/bodies/{body.uuid}/meetings", {"title": "x", "starts_at": past, "time_zone": "UTC"}
    )
    assert response.status_code == 422 and "starts_at" in response.json()["errors"]
    response = api.send(
        "post",
        f"/api/v1/bodies/{body.uuid}/meetings",
        {"title": "x", "starts_at": "2099-01-01T10:00:00", "time_zone": "UTC"},
    )
    assert response.status_code == 422  # a time without its offset is ambiguous
    response = api.send(
        "post",
        f"/api/v1/bodies/{body.uuid}/meetings",
        {"title": "x", "starts_at": "2099-01-01T10:00:00+03:00", "time_zone": "Nowhere/City"},
    )
    assert response.status_code == 422 and "time_zone" in response.json()["errors"]
    huge = {"title": "x", "starts_at": "2099-01-01T10:00:00+03:00", "time_zone": "UTC", "agenda": ["a"] * 500}
    assert api.send("post", f"/api/v1/bodies/{body.uuid}/meetings", huge).status_code == 422


def test_membership_outside_the_country_and_duplicates_are_422(world, client):
    body = cebu_body(world)
    api = Api(client, world.admin)
    url = f"/api/v1/bodies/{body.uuid}/memberships"
    response = api.send("post", url, {"organisation": str(world.nairobi_org.uuid)})
    assert response.status_code == 422 and "outside the body's country" in response.json()["errors"]["organisation"][0]
    response = api.send("post", url, {"organisation": str(world.cso_org.uuid)})
    assert response.status_code == 422 and "already a current member" in response.json()["errors"]["organisation"][0]
    response = api.send(
        "post", url, {"organisation": str(world.company_org.uuid), "start_date": "2026-02-01", "end_date": "2026-01-01"}
    )
    assert response.status_code == 422 and "end_date" in response.json()["errors"]


def test_stale_action_item_update_is_409_and_writes_nothing(world, client):
    cebu_body(world)
    member = Api(client, world.member)
    url = f"/api/v1/bodies/action-items/{world.item.uuid}"
    assert member.send("patch", url, {"version": 1, "status": "in_progress"}).status_code == 200
    response = member.send("patch", url, {"version": 1, "status": "done"})
    assert response.status_code == 409 and response.json()["current_version"] == 2
    world.item.refresh_from_db()
    assert world.item.status == "in_progress"
    assert member.send("patch", url, {"version": 2, "title": "Renamed"}).status_code == 403  # owners: status only


def test_mine_filter_and_internals_flag(world, client):
    cebu_body(world)
    member = Api(client, world.member)
    items = member.get("/api/v1/bodies/action-items", mine="true").json()
    assert [i["title"] for i in items["items"]] == ["Organise the youth dialogue"]
    assert items["items"][0]["overdue"] is False
    company = Api(client, world.company)
    assert company.get("/api/v1/bodies/action-items", mine="true").json()["count"] == 0
    detail = company.get(f"/api/v1/bodies/{world.body.uuid}").json()
    assert detail["internals_visible"] is False and detail["objectives"] == [
        "Meet every quarter",
        "Map community concerns",
    ]
    assert company.get(f"/api/v1/bodies/{world.body.uuid}/meetings").status_code == 403
    assert company.get(f"/api/v1/bodies/meetings/{world.meeting.uuid}").status_code == 404


def test_body_patch_conflict_names_the_changed_fields(world, client):
    body = cebu_body(world)
    api = Api(client, world.local)
    assert api.send("patch", f"/api/v1/bodies/{body.uuid}", {"version": 1, "mandate": "A"}).status_code == 200
    response = api.send("patch", f"/api/v1/bodies/{body.uuid}", {"version": 1, "mandate": "B"})
    assert response.status_code == 409 and "mandate" in response.json()["changed_fields"]


def test_api_lists_keep_constant_queries(world, client, django_assert_max_num_queries):
    cebu_body(world)
    api = Api(client, world.member)
    paths = ["/api/v1/bodies", "/api/v1/bodies/action-items"]
    counts = {}
    for path in paths:
        api.get(path)
        with django_assert_max_num_queries(30) as ctx:
            assert api.get(path).status_code == 200
        counts[path] = len(ctx.captured_queries)
    for i in range(5):
        cebu_body(world, name=f"Council {i}")
    for path in paths:
        with django_assert_max_num_queries(counts[path]):
            response = api.get(path)
        assert response.json()["count"] >= 6


def test_api_and_page_lists_filter_alike(world, client, as_user):
    """One selector per list: the same search finds the same records on the page and in the API.

    The API's action item search used to look in titles only, the page's also in body names.
    """
    from django.urls import reverse

    cebu_body(world)
    api = Api(client, world.member)
    found = api.get("/api/v1/bodies/action-items", q="Peace Council").json()
    assert [i["title"] for i in found["items"]] == ["Organise the youth dialogue"]
    page = as_user(world.member).get(reverse("action_item_list"), {"q": "Peace Council"}).content.decode()
    assert "Organise the youth dialogue" in page
    bodies = api.get("/api/v1/bodies", q="prevention work").json()  # in the mandate
    assert [b["name"] for b in bodies["items"]] == ["Cebu City Peace Council"]
    page = as_user(world.member).get(reverse("body_list"), {"q": "prevention work"}).content.decode()
    assert "Cebu City Peace Council" in page
    assert api.get("/api/v1/bodies", q="prevention work", archived="true").json()["count"] == 0
