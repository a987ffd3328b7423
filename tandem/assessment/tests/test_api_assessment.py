"""The API: answers all-or-nothing, stale versions, results visibility."""

from __future__ import annotations

import json

from tandem.assessment import framework_data, services
from tandem.assessment.models import Answer, Status
from tandem.core import services as core_services


def _codes():
    return [code for c in framework_data.COMPETENCIES for code, _en, _fr in c[5]]


def _put(client, user, a, body):
    secret = core_services.api_token_create(actor=user, name="t").secret
    return client.put(
        f"/api/v1/assessment/assessments/{a.uuid}/answers",
        data=json.dumps(body),
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {secret}",
    )


def test_put_answers_refuses_bad_scores_and_stale_versions(world, client, a):
    body = {"version": 1, "answers": [{"item": code, "score": 2} for code in _codes()]}
    body["answers"][0]["score"] = 9
    response = _put(client, world.member, a, body)
    assert response.status_code == 422 and "T1" in response.json()["errors"]
    assert not Answer.objects.exists()
    body["answers"][0]["score"] = None  # don't know
    ok = _put(client, world.member, a, body)
    assert ok.status_code == 200 and ok.json()["version"] == 2
    assert ok.json()["answers"][0] == {"item": "T1", "score": None, "dont_know": True, "evidence": ""}
    stale = _put(client, world.member, a, body)
    assert stale.status_code == 409
    unknown = _put(client, world.member, a, {"version": 2, "answers": [{"item": "ZZ9", "score": 1}]})
    assert unknown.status_code == 422


def test_put_answers_after_collecting_is_refused(world, client, a):
    services.assessment_transition(actor=world.local, assessment=a, to=Status.VALIDATION, expected_version=a.version)
    body = {"version": 1, "answers": [{"item": code, "score": 2} for code in _codes()]}
    assert _put(client, world.member, a, body).status_code == 422
    assert not Answer.objects.exists()


def test_results_through_the_api(world, client, a):
    from .factories import answer_all

    answer_all(world.respondent, world.member, lambda i: 3)
    secret = core_services.api_token_create(actor=world.regional, name="t").secret
    data = client.get(f"/api/v1/assessment/assessments/{a.uuid}/results", HTTP_AUTHORIZATION=f"Bearer {secret}").json()
    assert data["answered"] == 1
    trust = data["competencies"][0]
    assert trust["code"] == "trust" and trust["stat"]["median"] == 3 and trust["groups"] == {}
