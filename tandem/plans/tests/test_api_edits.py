"""Editing objectives, indicators and activities through the API, and a plan's owning body."""

from __future__ import annotations

import uuid

from django.urls import reverse

from tandem.bodies import services as body_services
from tandem.plans import services
from tandem.plans.models import ActionPlan, Activity, Indicator, Objective, PeriodState, ReportingPeriod
from tandem.plans.tests.matrix_rows import _submitted
from tandem.plans.tests.test_api import _client


def test_objective_edit_then_stale_version_is_409_with_what_changed(plans, client):
    w = plans
    api = _client(client, w.local)
    version = Objective.objects.get(pk=w.l1.pk).version
    ok = api("patch", f"/objectives/{w.l1.uuid}", {"version": version, "text": "Youth centres, all barangays"})
    assert ok.status_code == 200, ok.content
    assert ok.json()["text"] == "Youth centres, all barangays" and ok.json()["version"] == version + 1
    stale = api("patch", f"/objectives/{w.l1.uuid}", {"version": version, "code": "C7"})
    assert stale.status_code == 409
    body = stale.json()
    assert body["current_version"] == version + 1 and "text" in body["changed_fields"]
    assert Objective.objects.get(pk=w.l1.pk).code == "C1"  # nothing written


def test_inherited_indicator_definition_is_locked_but_target_edits(plans, client):
    w = plans
    api = _client(client, w.local)
    path = f"/indicators/{w.cebu_indicator.uuid}"
    version = Indicator.objects.get(pk=w.cebu_indicator.pk).version
    locked = api("patch", path, {"version": version, "name": "Youth reached", "target": "600"})
    assert locked.status_code == 422
    assert "national definition" in locked.json()["errors"]["name"][0]
    assert Indicator.objects.get(pk=w.cebu_indicator.pk).target == 500  # all or nothing
    ok = api("patch", path, {"version": version, "target": "600", "objective": str(w.l1.uuid)})
    assert ok.status_code == 200, ok.content
    assert ok.json()["target"] == "600.00" and ok.json()["objective"]["code"] == "C1"
    # The national coordinator renames the definition; the inheritor follows.
    national = _client(client, w.national)
    renamed = national("patch", f"/indicators/{w.nat_indicator.uuid}", {"version": 1, "name": "Youth reached"})
    assert renamed.status_code == 200
    assert Indicator.objects.get(pk=w.cebu_indicator.pk).name == "Youth reached"


def test_activity_edit_access_404_403_and_validation(plans, client):
    w = plans
    path = f"/activities/{w.activity.uuid}"
    body = {"version": Activity.objects.get(pk=w.activity.pk).version, "status": "completed"}
    foreign = _client(client, w.outsider)("patch", path, body)
    missing = _client(client, w.outsider)("patch", f"/activities/{uuid.uuid4()}", body)
    assert foreign.status_code == missing.status_code == 404
    assert foreign.content == missing.content
    assert _client(client, w.member)("patch", path, body).status_code == 403
    api = _client(client, w.local)
    assert api("patch", path, {**body, "colour": "red"}).status_code == 422  # unknown field
    bad = api("patch", path, {**body, "start_date": "2026-06-01", "end_date": "2026-01-01"})
    assert bad.status_code == 422 and "end_date" in bad.json()["errors"]
    ok = api("patch", path, {**body, "budget": "175000", "partner_orgs": [], "description": None})
    assert ok.status_code == 200, ok.content
    data = ok.json()
    assert data["status"] == "completed" and data["budget"] == "175000.00" and data["partner_orgs"] == []
    assert data["alignments"][0]["national_objective"]["code"] == "1.1"  # alignment untouched


def test_accepted_period_is_unaffected_by_edits(plans, client):
    w = plans
    period = _submitted(w)
    services.period_accept(actor=w.national, period=period, expected_version=period.version)
    api = _client(client, w.local)
    indicator = Indicator.objects.get(pk=w.cebu_indicator.pk)
    assert (
        api("patch", f"/indicators/{indicator.uuid}", {"version": indicator.version, "target": "900"}).status_code
        == 200
    )
    activity = Activity.objects.get(pk=w.activity.pk)
    assert (
        api("patch", f"/activities/{activity.uuid}", {"version": activity.version, "status": "cancelled"}).status_code
        == 200
    )
    detail = api("get", f"/periods/{w.period.uuid}").json()
    assert detail["state"] == PeriodState.ACCEPTED and detail["values"][0]["value"] == "12.00"
    assert ReportingPeriod.objects.get(pk=w.period.pk).version == detail["version"]


def _body(w, name, jurisdiction):
    return body_services.body_create(
        actor=w.national, name=name, kind="coordination_committee", jurisdiction=jurisdiction
    )


def _new_plan(w, **extra):
    return {
        "level": "local",
        "jurisdiction": str(w.cebu_city.uuid),
        "national_plan": str(w.national_plan.uuid),
        "title": "Cebu City plan 2027",
        "period_start": "2027-01-01",
        "period_end": "2027-12-31",
        **extra,
    }


def test_plan_create_with_owning_body(plans, client):
    w = plans
    cebu_body = _body(w, "Cebu City Peace Council", w.cebu_city)
    manila_body = _body(w, "Manila Peace Council", w.manila)
    api = _client(client, w.national)
    wrong = api("post", "", _new_plan(w, owner_body=str(manila_body.uuid)))
    assert wrong.status_code == 422 and "same jurisdiction" in wrong.json()["errors"]["owner_body"][0]
    assert api("post", "", _new_plan(w, owner_body=str(uuid.uuid4()))).status_code == 422
    created = api("post", "", _new_plan(w, owner_body=str(cebu_body.uuid)))
    assert created.status_code == 201, created.content
    assert created.json()["owner_body"] == {"uuid": str(cebu_body.uuid), "name": "Cebu City Peace Council"}


def test_plan_create_page_sets_owning_body(plans, as_user):
    w = plans
    cebu_body = _body(w, "Cebu City Peace Council", w.cebu_city)
    page = as_user(w.local)
    form = page.get(reverse("plan_create")).content.decode()
    assert "Cebu City Peace Council (Cebu City)" in form
    data = _new_plan(w, owner_body=str(cebu_body.uuid))
    response = page.post(reverse("plan_create"), data)
    assert response.status_code == 302, response.content.decode()[:2000]
    assert ActionPlan.objects.get(title="Cebu City plan 2027").owner_body == cebu_body
