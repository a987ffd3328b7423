"""The API runs an assessment end to end, with the same rules and refusals as the pages."""

from __future__ import annotations

import json

import pytest

from tandem.assessment.models import EvidenceLink, Finding, Recommendation, Respondent, Status
from tandem.core import services as core_services
from tandem.core.models import AuditEvent

from .factories import answer_all, cebu_evidence


class Api:
    def __init__(self, client, user):
        self.client = client
        self.auth = f"Bearer {core_services.api_token_create(actor=user, name='t').secret}"

    def __call__(self, method, path, body=None):
        kwargs = {"HTTP_AUTHORIZATION": self.auth}
        if body is not None:
            kwargs.update(data=json.dumps(body), content_type="application/json")
        return getattr(self.client, method)(f"/api/v1/assessment{path}", **kwargs)


@pytest.fixture
def council(world):
    from tandem.bodies.tests.factories import cebu_body

    return cebu_body(world)


def test_the_lead_runs_an_assessment_through_the_api(world, client, a, council):
    api = Api(client, world.local)
    invited = api("post", f"/assessments/{a.uuid}/respondents", {
        "person": str(world.person_cebu.uuid), "sector": "women", "level": "local",
    })  # fmt: skip
    assert invited.status_code == 201 and invited.json()["answered"] is False
    again = api("post", f"/assessments/{a.uuid}/respondents", {
        "person": str(world.person_cebu.uuid), "sector": "women", "level": "local",
    })  # fmt: skip
    assert again.status_code == 422  # already invited
    answer_all(world.respondent, world.member, lambda i: 3)
    progress = api("get", f"/assessments/{a.uuid}/progress").json()
    assert (progress["invited"], progress["answered"], progress["next_steps"]) == (2, 1, ["validation"])

    stale = api("post", f"/assessments/{a.uuid}/steps", {"to": "validation", "version": 1})
    assert stale.status_code == 409
    wrong = api("post", f"/assessments/{a.uuid}/steps", {"to": "final", "version": a.version})
    assert wrong.status_code == 422
    step = api("post", f"/assessments/{a.uuid}/steps", {"to": "validation", "version": a.version})
    assert step.status_code == 200 and step.json()["status"] == "validation"
    version = step.json()["version"]

    unknown = api("post", f"/assessments/{a.uuid}/findings", {"text": "Late.", "competency": "zz"})
    assert unknown.status_code == 422 and not Finding.objects.exists()
    finding = api(
        "post", f"/assessments/{a.uuid}/findings", {"text": "Guidance arrives late.", "competency": "communication"}
    )
    assert finding.status_code == 201
    amended = {"outcome": "amended", "version": 1}
    assert api("patch", f"/findings/{finding.json()['uuid']}", amended).status_code == 422  # say how
    confirmed = api("patch", f"/findings/{finding.json()['uuid']}", {"outcome": "confirmed", "version": 1})
    assert confirmed.status_code == 200 and confirmed.json()["outcome"] == "confirmed"

    meeting = api(
        "put", f"/assessments/{a.uuid}/validation-meeting", {"meeting": str(world.meeting.uuid), "version": version}
    )
    assert meeting.status_code == 200
    final = api("post", f"/assessments/{a.uuid}/steps", {"to": "final", "version": meeting.json()["version"]})
    assert final.status_code == 200 and final.json()["status"] == Status.FINAL

    # A final assessment is frozen; reopening is audited.
    frozen = api("post", f"/assessments/{a.uuid}/recommendations", {"competency": "communication", "text": "Brief."})
    assert frozen.status_code == 422
    reopened = api("post", f"/assessments/{a.uuid}/steps", {"to": "validation", "version": final.json()["version"]})
    assert reopened.status_code == 200
    rec = api(
        "post", f"/assessments/{a.uuid}/recommendations", {"competency": "communication", "text": "Send a brief."}
    )
    assert rec.status_code == 201
    item = api("post", f"/recommendations/{rec.json()['uuid']}/action-item", {"body": str(council.uuid)})
    assert item.status_code == 201
    listed = api("get", f"/assessments/{a.uuid}/recommendations").json()
    assert listed[0]["action_item"] == item.json()["uuid"]
    assert AuditEvent.objects.filter(object_uuid=str(a.uuid), changes__step="reopen").exists()


def test_respondents_read_follow_up_only_once_final_and_outsiders_get_404(world, client, a):
    member = Api(client, world.member)
    assert member("get", f"/assessments/{a.uuid}/findings").status_code == 403
    assert member("get", f"/assessments/{a.uuid}/progress").status_code == 403
    from tandem.tests.access_cases import manila_coordinator

    manila = Api(client, manila_coordinator(world))
    for path in ("/findings", "/recommendations", "/progress", "/evidence"):
        assert manila("get", f"/assessments/{a.uuid}{path}").status_code == 404


def test_evidence_through_the_api_only_records_one_can_see_and_only_ones_own(world, client, a, council):
    member = Api(client, world.member)
    hidden = member("post", f"/assessments/{a.uuid}/evidence", {"kind": "meeting", "record": str(a.uuid)})
    assert hidden.status_code == 422 and not EvidenceLink.objects.exists()
    added = member("post", f"/assessments/{a.uuid}/evidence", {"kind": "meeting", "record": str(world.meeting.uuid)})
    assert added.status_code == 201 and added.json()["title"]
    assert [e["uuid"] for e in member("get", f"/assessments/{a.uuid}/evidence").json()] == [added.json()["uuid"]]
    lead = Api(client, world.local)
    assert lead("post", f"/evidence/{added.json()['uuid']}/remove").status_code == 404  # not the lead's to remove
    assert member("post", f"/evidence/{added.json()['uuid']}/remove").status_code == 204
    assert not EvidenceLink.objects.exists()
    assert AuditEvent.objects.filter(object_type="evidencelink", action="delete").count() == 1


def test_removing_a_respondent_is_versioned_refused_after_collecting_and_audited(world, client, a):
    cebu_evidence(world)
    answer_all(world.respondent, world.member, lambda i: 2)
    world.respondent.refresh_from_db()
    lead = Api(client, world.local)
    path = f"/respondents/{world.respondent.uuid}/remove"
    assert lead("post", path, {"version": 1}).status_code == 409
    assert world.member.pk and Respondent.objects.filter(pk=world.respondent.pk).exists()
    ok = lead("post", path, {"version": world.respondent.version})
    assert ok.status_code == 204
    assert not Respondent.objects.exists() and not EvidenceLink.objects.exists()
    event = AuditEvent.objects.get(object_type="respondent", action="delete")
    assert event.changes["answered"] is True and event.changes["evidence_links"] == 1


def test_no_respondent_is_removed_once_answers_closed(world, client, a):
    from tandem.assessment import services

    answer_all(world.respondent, world.member, lambda i: 2)
    services.assessment_transition(actor=world.local, assessment=a, to=Status.VALIDATION, expected_version=a.version)
    world.respondent.refresh_from_db()
    lead = Api(client, world.local)
    refused = lead("post", f"/respondents/{world.respondent.uuid}/remove", {"version": world.respondent.version})
    assert refused.status_code == 422 and Respondent.objects.count() == 1


def test_mapping_entries_through_the_api(world, client):
    from .factories import visayas_mapping

    m = visayas_mapping(world)
    api = Api(client, world.facilitator)
    bad = api("post", f"/mappings/{m.uuid}/entries", {
        "kind": "strength", "competency": "trust", "text": "Hotline.", "places": [str(world.manila.uuid)],
    })  # fmt: skip
    assert bad.status_code == 422
    ok = api("post", f"/mappings/{m.uuid}/entries", {
        "kind": "strength", "competency": "trust", "text": "Hotline.", "places": [str(world.cebu_city.uuid)],
    })  # fmt: skip
    assert ok.status_code == 201
    detail = api("get", f"/mappings/{m.uuid}").json()
    assert [e["text"] for e in detail["strengths"]] == ["Hotline."]
    assert detail["obstacles"][0]["places"][0]["name"] == "Cebu City"
    assert Recommendation.objects.count() == 0


def test_removal_pages_ask_first_and_then_remove(world, client, a):
    from django.urls import reverse

    link = cebu_evidence(world)
    client.force_login(world.member)
    page = client.get(reverse("evidence_remove", args=[link.uuid]))
    assert "Quarterly meeting" in page.content.decode() and EvidenceLink.objects.exists()
    assert (
        reverse("evidence_remove", args=[link.uuid])
        in client.get(reverse("assessment_answer", args=[a.uuid])).content.decode()
    )
    client.post(reverse("evidence_remove", args=[link.uuid]))
    assert not EvidenceLink.objects.exists()

    client.force_login(world.local)
    detail = client.get(reverse("assessment_detail", args=[a.uuid])).content.decode()
    assert reverse("respondent_remove", args=[world.respondent.uuid]) in detail
    confirm = client.get(reverse("respondent_remove", args=[world.respondent.uuid])).content.decode()
    assert "has not answered yet" in confirm
    stale = client.post(reverse("respondent_remove", args=[world.respondent.uuid]), {"version": 7}, follow=True)
    assert "changed meanwhile" in stale.content.decode() and Respondent.objects.exists()
    client.post(reverse("respondent_remove", args=[world.respondent.uuid]), {"version": world.respondent.version})
    assert not Respondent.objects.exists()


def test_the_list_searches_only_what_one_sees_and_follow_up_links_show_only_to_those_who_may(world, client, a):
    from django.urls import reverse

    from tandem.assessment import selectors, services
    from tandem.bodies.tests.factories import cebu_body
    from tandem.tests.access_cases import manila_coordinator

    cebu_body(world)
    comp = selectors.competencies(a.framework)[3]
    services.recommendation_add(actor=world.local, assessment=a, competency=comp, text="Send a brief down.")
    url = reverse("assessment_list")
    client.force_login(world.facilitator)
    assert "Cebu City" in client.get(url, {"q": "cebu"}).content.decode()
    assert "Cebu City" not in client.get(url, {"q": "Mombasa"}).content.decode()
    detail = client.get(reverse("assessment_detail", args=[a.uuid])).content.decode()
    assert "Turn into an action item" not in detail  # runs no body in Cebu City
    client.force_login(world.local)
    assert "Turn into an action item" in client.get(reverse("assessment_detail", args=[a.uuid])).content.decode()
    client.force_login(manila_coordinator(world))
    page = client.get(url, {"q": "Cebu"}).content.decode()
    assert "Cebu City" not in page and "0 assessments" in page
