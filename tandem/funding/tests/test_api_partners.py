"""The API of offers, matches and edits: same rules as the pages, versions, bad input."""

from __future__ import annotations

import json

from tandem.funding.models import Call, Match, MatchStatus

from . import factories as f


def _send(client, method, path, user, body=None):
    call = getattr(client, method)
    return call(path, data=json.dumps(body or {}), content_type="application/json", **f.bearer(user))


def test_a_company_offers_a_coordinator_proposes_the_company_accepts_and_delivery_is_recorded(world, client):
    offer = _send(
        client,
        "post",
        "/api/v1/funding/offers",
        world.company,
        {"organisation": str(world.company_org.uuid), "kind": "venue", "title": "Meeting room at the port"},
    )
    assert offer.status_code == 201, offer.content
    uuid = offer.json()["uuid"]
    proposed = _send(
        client,
        "post",
        f"/api/v1/funding/offers/{uuid}/matches",
        world.local,
        {"jurisdiction": str(world.cebu_city.uuid), "need": "A room for the youth forum's meetings"},
    )
    assert proposed.status_code == 201, proposed.content
    match = proposed.json()
    assert match["status"] == "proposed" and match["request"] is None
    answer = _send(
        client,
        "post",
        f"/api/v1/funding/matches/{match['uuid']}/answer",
        world.company,
        {"version": match["version"], "accept": True},
    )
    assert answer.status_code == 200 and answer.json()["status"] == "accepted"
    stale = _send(
        client,
        "post",
        f"/api/v1/funding/matches/{match['uuid']}/answer",
        world.company,
        {"version": match["version"], "accept": False},
    )
    assert stale.status_code == 409
    delivered = _send(
        client,
        "post",
        f"/api/v1/funding/matches/{match['uuid']}/delivered",
        world.local,
        {"version": answer.json()["version"]},
    )
    assert delivered.status_code == 200
    assert Match.objects.get(uuid=match["uuid"]).status == MatchStatus.DELIVERED


def test_a_request_the_partner_may_not_read_is_a_422_and_its_title_never_shows(world, client):
    item = f.exchange_request(world, tlp="AMBER", title="Confidential need", organisations=[world.national_org])
    before = Match.objects.count()
    response = _send(
        client,
        "post",
        f"/api/v1/funding/offers/{f.offer(world).uuid}/matches",
        world.local,
        {"jurisdiction": str(world.cebu_city.uuid), "request": str(item.uuid)},
    )
    assert response.status_code == 422
    assert "request" in response.content.decode()
    assert Match.objects.count() == before
    f.request_match(world)  # an AMBER request addressed to the company
    for user, shown in ((world.company, True), (world.regional, False), (world.cso, False)):
        listing = client.get("/api/v1/funding/matches", **f.bearer(user)).content.decode()
        assert ("Apprentices wanted" in listing) is shown, user
        assert "Confidential need" not in listing


def test_offers_are_listed_in_their_country_only(world, client):
    f.offer(world)
    assert client.get("/api/v1/funding/offers", **f.bearer(world.cso)).json()["count"] == 1
    assert client.get("/api/v1/funding/offers", **f.bearer(world.outsider)).json()["count"] == 0


def test_a_call_patch_follows_the_stage_rules_and_versions(world, client):
    call = f.call(world)
    path = f"/api/v1/funding/calls/{call.uuid}"
    refused = _send(client, "patch", path, world.local, {"version": call.version, "max_grant": "90000"})
    assert refused.status_code == 422 and "max_grant" in refused.content.decode()
    ok = _send(client, "patch", path, world.local, {"version": call.version, "title": "Renamed"})
    assert ok.status_code == 200 and ok.json()["version"] == call.version + 1
    stale = _send(client, "patch", path, world.regional, {"version": call.version, "title": "Other"})
    assert stale.status_code == 409
    unknown = _send(client, "patch", path, world.local, {"version": call.version + 1, "colour": "red"})
    assert unknown.status_code == 422
    assert Call.objects.get(pk=call.pk).title == "Renamed"


def test_a_source_patch_refuses_a_bad_amount_and_writes_nothing(world, client):
    source = f.cebu_source(world)
    path = f"/api/v1/funding/sources/{source.uuid}"
    for amount in ("-5", "10.001", "abc"):
        response = _send(client, "patch", path, world.local, {"version": source.version, "amount": amount})
        assert response.status_code == 422, amount
    ok = _send(client, "patch", path, world.local, {"version": source.version, "amount": "150000.50"})
    assert ok.status_code == 200 and ok.json()["amount"] == "150000.50"
