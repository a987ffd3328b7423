"""The plans API: validation answers, the workflow and the roll-up, as a client sees them."""

from __future__ import annotations

import json
from decimal import Decimal

from tandem.core import services as core_services


def _client(client, user):
    token = core_services.api_token_create(actor=user, name="test").secret
    headers = {"HTTP_AUTHORIZATION": f"Bearer {token}"}

    def call(method, path, body=None):
        kwargs = {"content_type": "application/json", "data": json.dumps(body)} if body is not None else {}
        return getattr(client, method)(f"/api/v1/plans{path}", **kwargs, **headers)

    return call


def _progress(w, value, version=1, submit=False):
    return {"version": version, "values": [{"indicator": str(w.cebu_indicator.uuid), "value": value}], "submit": submit}


def test_bad_numbers_are_422_and_nothing_is_written(plans, client):
    w = plans
    api = _client(client, w.local)
    path = f"/periods/{w.period.uuid}/progress"
    response = api("put", path, _progress(w, "forty"))
    assert response.status_code == 422
    response = api("put", path, _progress(w, "-4"))
    assert response.status_code == 422
    assert "cannot be negative" in json.dumps(response.json())
    assert api("get", f"/periods/{w.period.uuid}").json()["values"] == []


def test_submit_accept_lock_and_stale_version(plans, client):
    w = plans
    local = _client(client, w.local)
    path = f"/periods/{w.period.uuid}"
    assert local("put", f"{path}/progress", _progress(w, "12.5", submit=True)).status_code == 200
    detail = local("get", path).json()
    assert detail["state"] == "submitted" and detail["values"][0]["value"] == "12.50"
    stale = local("put", f"{path}/progress", _progress(w, "13", version=1))
    assert stale.status_code == 422  # locked first: a submitted period refuses edits
    national = _client(client, w.national)
    assert national("post", f"{path}/accept", {"version": 1}).status_code == 409
    accepted = national("post", f"{path}/accept", {"version": detail["version"]})
    assert accepted.status_code == 200 and accepted.json()["state"] == "accepted"
    locked = local("put", f"{path}/progress", _progress(w, "13", version=accepted.json()["version"]))
    assert locked.status_code == 422 and "locked" in locked.json()["errors"]["__all__"][0]
    rollup = national("get", f"/rollup?indicator={w.nat_indicator.uuid}&period=2026-Q1").json()
    assert Decimal(rollup["total"]) == Decimal("12.5")
    assert [r["name"] for r in rollup["localities"]] == ["Cebu City"]


def test_matrix_reports_gaps(plans, client):
    w = plans
    body = _client(client, w.national)("get", "/matrix").json()
    gaps = {row["objective"]["code"] for row in body["rows"] if row["gap"]}
    assert gaps == {"1.2", "1.3"}
    assert body["localities_without_plan"] == 1
