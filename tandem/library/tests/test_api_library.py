"""The library and membership API: search with snippets and facets through the access layer,
bad input (422, nothing written), conflicts (409), the demo data."""

from __future__ import annotations

import json

import pytest

from tandem.core import services as core_services
from tandem.library.models import LibraryItem
from tandem.library.tests.factories import make_item
from tandem.membership.models import NetworkMembership

pytestmark = pytest.mark.django_db


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


def test_search_answers_snippets_and_facets_only_for_readable_items(world, client):
    make_item(world, title="Réunions de quartier", language="fr", body="<p>Les réunions se tiennent le soir.</p>")
    make_item(world, title="Cebu only réunions", visibility="subtree")
    api = Api(client, world.outsider)
    found = api.get("/api/v1/library/items", q="réunion").json()
    assert [i["title"] for i in found["items"]] == ["Réunions de quartier"] and found["count"] == 1
    assert "<mark>" in found["items"][0]["snippet"]
    facets = api.get("/api/v1/library/facets", q="réunion").json()
    assert facets["count"] == 1 and facets["language"] == [{"value": "fr", "count": 1, "label": ""}]
    local = Api(client, world.local).get("/api/v1/library/facets", q="réunion").json()
    assert local["count"] == 2


def test_propose_sanitises_and_refuses_bad_input(world, client):
    api = Api(client, world.local)
    body = {
        "jurisdiction": str(world.cebu_city.uuid),
        "kind": "guidance",
        "title": "Safe meetings",
        "summary": "How to run them.",
        "body": "<p>Hello<script>alert(1)</script></p>",
        "language": "en",
        "visibility": "green",
    }
    created = api.send("post", "/api/v1/library/items", body)
    assert created.status_code == 201 and created.json()["body"] == "<p>Hello</p>"
    assert created.json()["status"] == "draft"
    for bad in ({"competencies": ["bravery"]}, {"kind": "poem"}, {"unknown": 1}, {"countries": [str(world.cebu.uuid)]}):
        response = api.send("post", "/api/v1/library/items", {**body, **bad})
        assert response.status_code == 422, bad
    assert LibraryItem.objects.count() == 1
    uuid = created.json()["uuid"]
    stale = api.send("patch", f"/api/v1/library/items/{uuid}", {**body, "version": 99} | {"jurisdiction": None})
    assert stale.status_code == 422  # jurisdiction is not a field of an edit
    del body["jurisdiction"]
    assert api.send("patch", f"/api/v1/library/items/{uuid}", {**body, "version": 99}).status_code == 409
    assert api.send("patch", f"/api/v1/library/items/{uuid}", {**body, "title": "New", "version": 1}).status_code == 200


def test_membership_api_refuses_a_second_application(world, client):
    api = Api(client, world.local)
    body = {
        "jurisdiction": str(world.cebu_city.uuid),
        "organisation": str(world.city_hall.uuid),
        "focal_point": str(world.person_cebu.uuid),
        "commitments": "Meet quarterly.",
    }
    assert api.send("post", "/api/v1/membership/applications", body).status_code == 201
    again = api.send("post", "/api/v1/membership/applications", body)
    assert again.status_code == 422 and "jurisdiction" in again.json()["errors"]
    assert NetworkMembership.objects.count() == 1
