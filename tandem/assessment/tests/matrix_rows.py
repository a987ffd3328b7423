"""Permission-matrix rows of tandem.assessment (collected by tandem/tests/matrix.py).

The records live in Cebu City (see factories.cebu_assessment): an assessment led by the local
coordinator, collecting answers, to which the ``member`` persona is invited. Coordinators over
Cebu City and the facilitator granted on Central Visayas run it; the member sees it as a
respondent; the cso, company and viewer personas (not invited) and the Kenyan outsider get 404.
Individual answers: the respondent and the lead only.
"""

from __future__ import annotations

from tandem.tests.matrix import ANON, COORDINATORS_HERE, Expect, Op, Row

from .factories import cebu_assessment, cebu_evidence, cebu_in_validation, visayas_mapping

_page = Expect(anon=302)
_api = Expect(anon=401)
RUNNERS = (*COORDINATORS_HERE, "facilitator")
COMPARERS = ("admin", "national", "regional")


def run(expect: Expect, ok: int = 200) -> dict[str, int]:
    """Pages that run the assessment: runners ok; the respondent 403; the viewer 403 (rank); others 404."""
    return {**expect.statuses(404), "member": 403, "viewer": 403, **dict.fromkeys(RUNNERS, ok)}


def see(expect: Expect, ok: int = 200) -> dict[str, int]:
    """Read the assessment: runners and the invited respondent; everyone else 404."""
    return {**expect.statuses(404), **dict.fromkeys((*RUNNERS, "member"), ok)}


def own(expect: Expect, ok: int = 200) -> dict[str, int]:
    """The respondent's own sheet: only the member persona; everyone else 404."""
    return {**expect.statuses(404), "member": ok}


def _a(w):
    return {"uuid": cebu_assessment(w).uuid}


def _respondent(w):
    cebu_assessment(w)
    return {"uuid": w.respondent.uuid}


def _finding(w):
    from tandem.assessment import services

    a = cebu_assessment(w)
    return {"uuid": services.finding_add(actor=w.local, assessment=a, text="Reports go up, little comes down.").uuid}


def _recommendation(w):
    from tandem.assessment import selectors, services
    from tandem.bodies.tests.factories import cebu_body

    a = cebu_assessment(w)
    cebu_body(w)
    comp = selectors.competencies(a.framework)[3]
    rec = services.recommendation_add(actor=w.local, assessment=a, competency=comp, text="Send a monthly brief down.")
    return {"uuid": rec.uuid}


def _recommendation_with_plan(w):
    from tandem.plans.tests.factories import build_plans

    build_plans(w)
    return _recommendation(w)


def _all_answers(w):
    from tandem.assessment import framework_data

    return {
        "version": 1,
        "answers": [{"item": code, "score": 2} for c in framework_data.COMPETENCIES for code, _en, _fr in c[5]],
        "strengths": "We meet.",
    }


def _compare(ok: int = 200) -> dict[str, int]:
    return {**_page.statuses(403), **dict.fromkeys(COMPARERS, ok)}


PAGE_ROWS: list[Row] = [
    Row("assessment_list", get=_page.read()),
    Row("framework_list", get=_page.read()),
    Row("framework_detail", lambda w: {"slug": "tandem-nlc", "version": "1.0"}, get=_page.read()),
    Row("framework_export", lambda w: {"slug": "tandem-nlc", "version": "1.0"}, get=_page.read()),
    Row("framework_workbook", lambda w: {"slug": "tandem-nlc", "version": "1.0"}, get=_page.read()),
    Row("framework_import", get={**_page.statuses(403), "admin": 200}, post={**_page.statuses(403), "admin": 200}),
    Row(
        "assessment_create",
        get={**_page.coordinators_only(), "facilitator": 200},
        post={**_page.coordinators_only(), "facilitator": 200},
    ),
    Row("assessment_lookup_jurisdictions", get={**_page.coordinators_only(), "facilitator": 200}),
    Row("assessment_lookup_bodies", get={**_page.coordinators_only(), "facilitator": 200}),
    Row("assessment_comparison", get=_compare()),
    Row("assessment_comparison_export", lambda w: {"fmt": "csv"}, get=_compare()),
    Row("assessment_detail", _a, get=see(_page)),
    Row("assessment_transition", _a, get=run(_page), post=run(_page, 302)),
    Row("respondent_invite", _a, get=run(_page), post=run(_page)),
    Row("validation_meeting", _a, get=run(_page), post=run(_page)),
    Row("finding_create", _a, get=run(_page), post=run(_page)),
    Row("recommendation_create", _a, get=run(_page), post=run(_page)),
    Row("finding_record", _finding, get=run(_page), post=run(_page)),
    # Only those who run a body in Cebu City (coordinators) may turn it into an action item there.
    Row(
        "recommendation_action",
        _recommendation,
        get={**run(_page), "facilitator": 403},
        post={**run(_page), "facilitator": 403},
    ),
    # Its body lookup answers those who may open the page, over the same bodies.
    Row("recommendation_lookup_bodies", _recommendation, get={**run(_page), "facilitator": 403}),
    # The report: runners; the respondent only once final (403 before).
    Row("assessment_pdf", _a, get=see(_page) | {"member": 403}),
    # Only those who may edit Cebu City's plan (its coordinators) may add an activity to it.
    Row(
        "recommendation_activity",
        _recommendation_with_plan,
        get={**run(_page), "facilitator": 403},
        post={**run(_page), "facilitator": 403},
    ),
    # Responses without names: the lead only.
    Row("assessment_export", _a, get={**run(_page, 403), "local": 200}),
    Row("assessment_answer", _a, get=own(_page), post=own(_page)),
    Row("evidence_add", _a, get=own(_page), post=own(_page)),
    # Remove a respondent (runners; the respondent sees their own row: 403); remove one's own evidence link.
    Row("respondent_remove", _respondent, get=run(_page), post=run(_page, 302)),
    Row("evidence_remove", lambda w: {"uuid": cebu_evidence(w).uuid}, get=own(_page), post=own(_page, 302)),
    # One respondent's answers: the respondent and the lead.
    Row("respondent_answers", _respondent, get={**own(_page), "local": 200}),
]


def _mapping(w):
    return {"uuid": visayas_mapping(w).uuid}


# Mappings of Central Visayas: seen by its coordinators and above and the facilitator (lead); run by the
# national coordinator and the facilitator (the regional coordinator sees it: 403); others 404.
MAP_SEE = {**_page.statuses(404), **dict.fromkeys(("admin", "national", "regional", "facilitator"), 200)}


def map_run(ok: int = 200) -> dict[str, int]:
    return {**MAP_SEE, "regional": 403, "viewer": 403, "admin": ok, "national": ok, "facilitator": ok}


MAPPERS = ("admin", "national", "facilitator")
PAGE_ROWS += [
    Row("mapping_list", get=_page.read()),
    Row(
        "mapping_create",
        get={**_page.statuses(403), **dict.fromkeys(MAPPERS, 200)},
        post={**_page.statuses(403), **dict.fromkeys(MAPPERS, 200)},
    ),
    Row("mapping_detail", _mapping, get=MAP_SEE),
    Row("mapping_pdf", _mapping, get=MAP_SEE),
    Row("mapping_edit", _mapping, get=map_run(), post=map_run()),
    Row("mapping_entry_add", _mapping, get=map_run(), post=map_run()),
    Row("mapping_lookup_places", _mapping, get=map_run()),
]


def _a_with_body(w):
    from tandem.bodies.tests.factories import cebu_body

    cebu_body(w)
    return _a(w)


def _a_uuid(w):
    return cebu_assessment(w).uuid


API_OPS: list[Op] = [
    Op("get", "/api/v1/assessment/frameworks", _api.read()),
    Op("get", "/api/v1/assessment/assessments", _api.read()),
    Op("get", "/api/v1/assessment/assessments/{uuid}", see(_api), uuid=_a_uuid),
    # Aggregates: runners at any step; the respondent only once final (403 before).
    Op("get", "/api/v1/assessment/assessments/{uuid}/results", see(_api) | {"member": 403}, uuid=_a_uuid),
    Op("get", "/api/v1/assessment/assessments/{uuid}/answers", own(_api), uuid=_a_uuid),
    Op("put", "/api/v1/assessment/assessments/{uuid}/answers", own(_api), uuid=_a_uuid, body=_all_answers),
    # Running it: progress, invitations, steps.
    Op("get", "/api/v1/assessment/assessments/{uuid}/progress", run(_api), uuid=_a_uuid),
    Op(
        "post",
        "/api/v1/assessment/assessments/{uuid}/respondents",
        run(_api, 201),
        uuid=_a_uuid,
        body=lambda w: {"person": str(w.person_cebu.uuid), "sector": "women", "level": "local"},
    ),
    Op(
        "post",
        "/api/v1/assessment/respondents/{uuid}/remove",
        run(_api, 204),
        uuid=lambda w: _respondent(w)["uuid"],
        body=lambda w: {"version": w.respondent.version},
    ),
    Op(
        "post",
        "/api/v1/assessment/assessments/{uuid}/steps",
        run(_api),
        uuid=_a_uuid,
        body=lambda w: {"to": "validation", "version": w.assessment.version},
    ),
    # Validation: the meeting (a facilitator sees no body's meetings: 422), findings and their outcomes.
    Op(
        "put",
        "/api/v1/assessment/assessments/{uuid}/validation-meeting",
        {**run(_api), "facilitator": 422},
        uuid=lambda w: cebu_in_validation(w).uuid,
        body=lambda w: {"meeting": str(w.meeting.uuid), "version": w.assessment.version},
    ),
    Op("get", "/api/v1/assessment/assessments/{uuid}/findings", see(_api) | {"member": 403}, uuid=_a_uuid),
    Op(
        "post",
        "/api/v1/assessment/assessments/{uuid}/findings",
        run(_api, 201),
        uuid=_a_uuid,
        body=lambda w: {"text": "Reports go up, little comes down.", "competency": "communication"},
    ),
    Op(
        "patch",
        "/api/v1/assessment/findings/{uuid}",
        run(_api),
        uuid=lambda w: (cebu_in_validation(w), w.finding)[1].uuid,
        body=lambda w: {"outcome": "confirmed", "version": w.finding.version},
    ),
    Op("get", "/api/v1/assessment/assessments/{uuid}/recommendations", see(_api) | {"member": 403}, uuid=_a_uuid),
    Op(
        "post",
        "/api/v1/assessment/assessments/{uuid}/recommendations",
        run(_api, 201),
        uuid=_a_uuid,
        body=lambda w: {"competency": "communication", "text": "Send a monthly brief down."},
    ),
    # Only those who run a body (or may edit the plan) in Cebu City: the facilitator 403.
    Op(
        "post",
        "/api/v1/assessment/recommendations/{uuid}/action-item",
        {**run(_api, 201), "facilitator": 403},
        uuid=lambda w: _recommendation(w)["uuid"],
        body=lambda w: {"body": str(w.body.uuid)},
    ),
    Op(
        "post",
        "/api/v1/assessment/recommendations/{uuid}/activity",
        {**run(_api, 201), "facilitator": 403},
        uuid=lambda w: _recommendation_with_plan(w)["uuid"],
        body=lambda w: {"plan": str(w.cebu_plan.uuid)},
    ),
    # Evidence links: the respondent's own.
    Op("get", "/api/v1/assessment/assessments/{uuid}/evidence", own(_api), uuid=_a_uuid),
    Op(
        "post",
        "/api/v1/assessment/assessments/{uuid}/evidence",
        own(_api, 201),
        uuid=lambda w: _a_with_body(w)["uuid"],
        body=lambda w: {"kind": "meeting", "record": str(w.meeting.uuid), "competency": "coordination"},
    ),
    Op("post", "/api/v1/assessment/evidence/{uuid}/remove", own(_api, 204), uuid=lambda w: cebu_evidence(w).uuid),
    # Mapping exercises of Central Visayas.
    Op("get", "/api/v1/assessment/mappings", _api.read()),
    Op(
        "post",
        "/api/v1/assessment/mappings",
        {**_api.statuses(403), **dict.fromkeys(MAPPERS, 201)},
        body=lambda w: {"jurisdiction": str(w.visayas.uuid), "title": "Visayas mapping 2026"},
    ),
    Op("get", "/api/v1/assessment/mappings/{uuid}", {**MAP_SEE, ANON: 401}, uuid=lambda w: _mapping(w)["uuid"]),
    Op(
        "post",
        "/api/v1/assessment/mappings/{uuid}/entries",
        {**map_run(201), ANON: 401},
        uuid=lambda w: _mapping(w)["uuid"],
        body=lambda w: {
            "kind": "strength",
            "competency": "trust",
            "text": "The province and the city share a hotline.",
            "places": [str(w.cebu_city.uuid)],
        },
    ),
]

__all__ = ["API_OPS", "PAGE_ROWS"]
