"""The exchange API beside the items: an item's read log and the sharing agreements."""

from __future__ import annotations

import json

from tandem.core import services as core_services
from tandem.exchange import services
from tandem.exchange.models import ReadAction, SharingAgreement
from tandem.exchange.tests.conftest import send_item
from tandem.exchange.tests.test_agreements import _agreement

BASE = "/api/v1/exchange"


class Api:
    def __init__(self, client, user):
        self.client = client
        self.headers = {"HTTP_AUTHORIZATION": f"Bearer {core_services.api_token_create(actor=user, name='t').secret}"}

    def get(self, path, **params):
        return self.client.get(path, params, **self.headers)

    def send(self, method, path, body):
        return getattr(self.client, method)(
            path, data=json.dumps(body), content_type="application/json", **self.headers
        )


def test_the_sender_reads_who_opened_an_amber_item_newest_first(world, client):
    item = send_item(world, tlp="AMBER", organisations=[world.cso_org])
    services.log_read(user=world.cso, item=item, action=ReadAction.DETAIL)
    services.log_read(user=world.member, item=item, action=ReadAction.DOWNLOAD, detail="plan.pdf")
    rows = Api(client, world.national).get(f"{BASE}/items/{item.uuid}/read-log").json()
    assert [(r["user"]["username"], r["action"], r["detail"]) for r in rows["items"]] == [
        ("member", "download", "plan.pdf"),
        ("cso", "detail", ""),
    ]
    assert rows["count"] == 2
    # A recipient reads the item, not its log; someone outside its audience does not learn it exists.
    assert Api(client, world.cso).get(f"{BASE}/items/{item.uuid}/read-log").status_code == 403
    assert Api(client, world.company).get(f"{BASE}/items/{item.uuid}/read-log").status_code == 404
    assert Api(client, world.regional).get(f"{BASE}/items/{item.uuid}/read-log").status_code == 404


def test_agreements_are_listed_in_their_country_with_their_parties(world, client):
    _agreement(world)
    listed = Api(client, world.company).get(f"{BASE}/agreements", q="youth").json()
    assert [a["title"] for a in listed["items"]] == ["Cebu youth protocol"]
    one = listed["items"][0]
    assert {o["name"] for o in one["party_organisations"]} == {"Cebu City Hall", "Visayas Youth Forum"}
    assert one["expired"] is False and one["purpose"].startswith("Early warning")
    assert Api(client, world.outsider).get(f"{BASE}/agreements").json()["count"] == 0


def test_a_coordinator_records_an_agreement_and_bad_input_writes_nothing(world, client):
    api = Api(client, world.local)
    payload = {
        "title": "Schools protocol",
        "jurisdiction": str(world.cebu_city.uuid),
        "party_organisations": [str(world.cso_org.uuid)],
        "legal_basis": "Ordinance 7",
        "categories": "Incident notes",
        "retention": "1 year",
        "contact": "dpo@cebu.example",
        "valid_from": "2026-01-01",
        "valid_to": "2025-01-01",
    }
    backwards = api.send("post", f"{BASE}/agreements", payload)
    assert backwards.status_code == 422 and "valid_to" in backwards.json()["errors"]
    no_party = api.send("post", f"{BASE}/agreements", {**payload, "valid_to": None, "party_organisations": []})
    assert no_party.status_code == 422 and "party_organisations" in no_party.json()["errors"]
    foreign = api.send(
        "post",
        f"{BASE}/agreements",
        {**payload, "valid_to": None, "party_organisations": [str(world.nairobi_org.uuid)]},
    )
    assert foreign.status_code == 422
    above = api.send("post", f"{BASE}/agreements", {**payload, "valid_to": None, "jurisdiction": str(world.ph.uuid)})
    assert above.status_code == 422 and "jurisdiction" in above.json()["errors"]
    assert not SharingAgreement.objects.exists()
    created = api.send("post", f"{BASE}/agreements", {**payload, "valid_to": "2027-12-31"})
    assert created.status_code == 201 and created.json()["version"] == 1


def test_an_agreement_is_edited_with_its_version_and_keeps_unnamed_parties(world, client):
    agreement = _agreement(world)
    api = Api(client, world.local)
    url = f"{BASE}/agreements/{agreement.uuid}"
    edited = api.send("patch", url, {"version": agreement.version, "retention": "3 years"})
    assert edited.status_code == 200 and edited.json()["retention"] == "3 years"
    assert len(edited.json()["party_organisations"]) == 2
    assert api.send("patch", url, {"version": agreement.version, "retention": "lost"}).status_code == 409
    cleared = api.send("patch", url, {"version": edited.json()["version"], "party_organisations": []})
    assert cleared.status_code == 422  # no party left
    assert api.send("patch", url, {"version": edited.json()["version"], "title": None}).status_code == 422
    assert Api(client, world.cso).send("patch", url, {"version": edited.json()["version"]}).status_code == 403
    agreement.refresh_from_db()
    assert agreement.retention == "3 years" and agreement.party_organisations.count() == 2
