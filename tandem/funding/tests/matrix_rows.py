"""Permission-matrix rows of tandem.funding (collected by tandem/tests/matrix.py).

The records live in Cebu City (see factories): a call managed by the Cebu City coordinator,
an application of the Visayas Youth Forum (the ``cso`` and ``member`` personas act for it),
reviewed by the ``facilitator``. Coordinators covering Cebu City manage the call; the
applicant's people see their application and award; the reviewer sees only the assignment;
everyone else gets 404 like a missing record.
"""

from __future__ import annotations

from tandem.tests.matrix import COORDINATORS_HERE, Expect, Op, Row

from . import factories as f

_page = Expect(anon=302)
_api = Expect(anon=401)
APPLICANTS = ("cso", "member")
LOW = ("member", "cso", "company", "facilitator", "viewer")  # below the coordinator rank


def _call(w):
    return {"uuid": f.call(w).uuid}


def _draft(w):
    return {"uuid": f.draft_app(w).uuid}


def _app(w):
    return {"uuid": f.submitted(w).uuid}


def _assignment(w):
    return {"uuid": f.assignment(w).uuid}


def _declared(w):
    return {"uuid": f.assignment(w, declared=True).uuid}


def _award(w):
    return {"uuid": f.award(w).uuid}


def _report(w):
    return {"uuid": f.report(w).uuid}


def _document(w):
    return {"uuid": f.document(w).uuid}


def _receipt(w):
    return {"uuid": f.receipt(w).uuid}


def _offer(w):
    return {"uuid": f.offer(w).uuid}


def _match(w):
    return {"uuid": f.match(w).uuid}


def call_readers(expect: Expect, ok: int = 200) -> dict[str, int]:
    """Everyone working in Cebu City and the coordinators above it; the facilitator (region) and the outsider: 404."""
    return expect.statuses(ok, facilitator=404, outsider=404)


def applicants_and_managers(expect: Expect, ok: int = 200) -> dict[str, int]:
    return {**expect.statuses(404), **dict.fromkeys((*APPLICANTS, *COORDINATORS_HERE), ok)}


def applicant_acts(expect: Expect, ok: int, managers: int = 403) -> dict[str, int]:
    """Only the applicant's people act; the managers see it but may not (403); the viewer has too little rank."""
    return {
        **expect.statuses(404),
        **dict.fromkeys(COORDINATORS_HERE, managers),
        "admin": 403,
        "viewer": 403,
        **dict.fromkeys(APPLICANTS, ok),
    }


def on_draft(expect: Expect, ok: int) -> dict[str, int]:
    """A draft is the applicant's own: the call's managers do not see it yet (404), the administrator 403."""
    return applicant_acts(expect, ok, managers=404)


def manager_acts(expect: Expect, ok: int) -> dict[str, int]:
    return {**expect.statuses(403, outsider=404), **dict.fromkeys(COORDINATORS_HERE, ok)}


def reviewer_acts(expect: Expect, ok: int = 200) -> dict[str, int]:
    """Only the assigned reviewer; the managers see the assignment but may not act (403)."""
    return {**expect.statuses(404), **dict.fromkeys(COORDINATORS_HERE, 403), "facilitator": ok}


coordinators_only = _page.coordinators_only
# A GET on a POST-only page: 405, after the declaration's rank check (403 below the rank).
GET_APPLY = _page.statuses(405, anon=302, viewer=403)
GET_MANAGE = {**_page.statuses(405, anon=302), **dict.fromkeys(LOW, 403)}

PAGE_ROWS: list[Row] = [
    Row("funding_calls", get=_page.read()),
    Row("funding_sources", get=coordinators_only()),
    Row("funding_source_create", get=coordinators_only(), post=coordinators_only()),
    Row(
        "funding_source_edit",
        lambda w: {"uuid": f.cebu_source(w).uuid},
        get=manager_acts(_page, 200),
        post=manager_acts(_page, 200),
    ),
    Row("funding_call_create", get=coordinators_only(), post=coordinators_only()),
    Row("funding_lookup_objectives", get=coordinators_only()),
    Row("funding_lookup_unfunded_activities", get=coordinators_only()),
    Row("funding_lookup_exchange_needs", get=coordinators_only()),
    Row("funding_call_edit", _call, get=manager_acts(_page, 200), post=manager_acts(_page, 200)),
    Row("funding_call_detail", _call, get=call_readers(_page)),
    Row(
        "funding_apply",
        _call,
        get={**call_readers(_page), "viewer": 403},
        post={**call_readers(_page), "viewer": 403},
    ),
    Row("funding_lookup_call_places", _call, get={**call_readers(_page), "viewer": 403}),
    Row("funding_lookup_call_activities", _call, get={**call_readers(_page), "viewer": 403}),
    Row("funding_ranking", _call, get=manager_acts(_page, 200)),
    Row(
        "funding_call_close",
        _call,
        post=manager_acts(_page, 302),
        post_data=lambda w: {"version": f.call(w).version},
        get=manager_acts(_page, 200),
    ),
    Row(
        "funding_call_release",
        _call,
        post=manager_acts(_page, 302),
        post_data=lambda w: {"version": f.call(w).version},
        get=GET_MANAGE,
    ),
    Row("funding_application_detail", _app, get=applicants_and_managers(_page)),
    Row("funding_application_edit", _draft, get=on_draft(_page, 200), post=on_draft(_page, 200)),
    Row(
        "funding_application_submit",
        _draft,
        post_data=lambda w: {"version": f.draft_app(w).version},
        post=on_draft(_page, 302),
        get=GET_APPLY,
    ),
    Row(
        "funding_application_withdraw",
        _app,
        post_data=lambda w: {"version": f.submitted(w).version},
        post=applicant_acts(_page, 302),
        get=GET_APPLY,
    ),
    Row("funding_document_add", _draft, get=on_draft(_page, 200), post=on_draft(_page, 200)),
    Row("funding_document_download", _document, get=applicants_and_managers(_page)),
    Row("funding_receipt_download", _receipt, get=applicants_and_managers(_page)),
    Row("funding_assign", _app, post=manager_acts(_page, 302), get=GET_MANAGE),
    Row("funding_decide", _app, get=manager_acts(_page, 200), post=manager_acts(_page, 200)),
    Row("funding_declare", _assignment, get=reviewer_acts(_page), post=reviewer_acts(_page)),
    Row("funding_score", _declared, get=reviewer_acts(_page), post=reviewer_acts(_page)),
    Row("funding_awards", get=_page.read()),
    Row("funding_award_detail", _award, get=applicants_and_managers(_page)),
    Row(
        "funding_award_close",
        _award,
        post=manager_acts(_page, 302),
        post_data=lambda w: {"version": f.award(w).version},
        get=manager_acts(_page, 200),
    ),
    Row("funding_tranche_add", _award, post=manager_acts(_page, 302), get=GET_MANAGE),
    Row("funding_payment_add", _award, post=manager_acts(_page, 302), get=GET_MANAGE),
    Row("funding_report_schedule", _award, post=manager_acts(_page, 302), get=GET_MANAGE),
    Row("funding_report_submit", _report, get=applicant_acts(_page, 200), post=applicant_acts(_page, 200)),
    Row("funding_totals", get=coordinators_only()),
    Row("funding_totals_export", lambda w: {"fmt": "csv"}, get=coordinators_only()),
    Row("funding_giving", lambda w: {"fmt": "json"}, get=_page.read()),
    Row("funding_giving", lambda w: {"fmt": "csv"}, get=_page.read()),
    # Resource partners: offers are listed in their country; a match concerns the coordinators of
    # the need's place and the offering company (Cebu Shipping Co, the ``company`` persona).
    Row("funding_offers", get=_page.read()),
    Row(
        "funding_offer_create",
        get=_page.statuses(200, viewer=403),
        post=_page.statuses(200, viewer=403),
    ),
    Row("funding_offer_detail", _offer, get=_page.read_cebu()),
    Row("funding_match_propose", _offer, post=manager_acts(_page, 302), get=GET_MANAGE),
    Row(
        "funding_match_respond",
        _match,
        post={**_page.statuses(404), **dict.fromkeys(COORDINATORS_HERE, 403), "viewer": 403, "company": 302},
        post_data=lambda w: {"version": f.match(w).version, "answer": "accept"},
        get=GET_APPLY,
    ),
    Row(
        "funding_match_deliver",
        _match,
        post=manager_acts(_page, 302),
        post_data=lambda w: {"version": f.match(w).version},
        get=GET_MANAGE,
    ),
]


def _uuid(builder):
    return lambda w: builder(w)["uuid"]


def _application_body(w):
    f.call(w)
    return {
        "organisation": str(w.cso_org.uuid),
        "title": "API draft",
        "summary": "Dialogues.",
        "jurisdiction": str(w.cebu_city.uuid),
        "amount_requested": "50000.00",
        "budget_lines": [{"category": "Venue", "amount": "50000.00"}],
    }


def _decision_body(w):
    return {"version": f.submitted(w).version, "decision": "waitlisted"}


API_OPS: list[Op] = [
    Op("get", "/api/v1/funding/calls", _api.read()),
    Op("get", "/api/v1/funding/calls/{uuid}", call_readers(_api), uuid=_uuid(_call)),
    Op(
        "post",
        "/api/v1/funding/calls/{uuid}/applications",
        # Only the forum's people act for it (the others: 403 from the service); viewer: too little rank.
        {**call_readers(_api, 403), "viewer": 403, **dict.fromkeys(APPLICANTS, 201)},
        uuid=_uuid(_call),
        body=_application_body,
    ),
    Op("get", "/api/v1/funding/applications", _api.read()),
    Op("get", "/api/v1/funding/applications/{uuid}", applicants_and_managers(_api), uuid=_uuid(_app)),
    Op(
        "post",
        "/api/v1/funding/applications/{uuid}/decision",
        manager_acts(_api, 200),
        uuid=_uuid(_app),
        body=_decision_body,
    ),
    Op("get", "/api/v1/funding/awards", _api.read()),
    Op("get", "/api/v1/funding/awards/{uuid}", applicants_and_managers(_api), uuid=_uuid(_award)),
    Op("get", "/api/v1/funding/totals", _api.coordinators_only()),
    Op("get", "/api/v1/funding/documents/{uuid}", applicants_and_managers(_api), uuid=_uuid(_document)),
    Op("get", "/api/v1/funding/receipts/{uuid}", applicants_and_managers(_api), uuid=_uuid(_receipt)),
    Op("get", "/api/v1/funding/360giving", _api.read()),
    # Edits (versioned): the call's managers; sources of Cebu City: its coordinators and those above.
    Op(
        "patch",
        "/api/v1/funding/calls/{uuid}",
        manager_acts(_api, 200),
        uuid=_uuid(_call),
        body=lambda w: {"version": f.call(w).version, "title": "Cebu City youth dialogue grants 2026"},
    ),
    Op("get", "/api/v1/funding/sources", _api.coordinators_only()),
    Op("get", "/api/v1/funding/sources/{uuid}", manager_acts(_api, 200), uuid=lambda w: f.cebu_source(w).uuid),
    Op(
        "patch",
        "/api/v1/funding/sources/{uuid}",
        manager_acts(_api, 200),
        uuid=lambda w: f.cebu_source(w).uuid,
        body=lambda w: {"version": f.cebu_source(w).version, "name": "Cebu City youth line"},
    ),
    # Resource partners (the company persona is Cebu Shipping Co).
    Op("get", "/api/v1/funding/offers", _api.read()),
    Op("get", "/api/v1/funding/offers/{uuid}", _api.read_cebu(), uuid=_uuid(_offer)),
    Op(
        "post",
        "/api/v1/funding/offers",
        # Only the company's people act for it: the others name an organisation not theirs (422).
        {**_api.statuses(422), "viewer": 403, "company": 201},
        body=lambda w: {"organisation": str(w.company_org.uuid), "kind": "venue", "title": "Meeting room"},
    ),
    Op("get", "/api/v1/funding/matches", _api.read()),
    Op(
        "get",
        "/api/v1/funding/matches/{uuid}",
        {**_api.statuses(404), **dict.fromkeys(COORDINATORS_HERE, 200), "company": 200},
        uuid=_uuid(_match),
    ),
    Op(
        "post",
        "/api/v1/funding/offers/{uuid}/matches",
        manager_acts(_api, 201),
        uuid=_uuid(_offer),
        body=lambda w: {"jurisdiction": str(w.cebu_city.uuid), "need": "A venue for the youth forum"},
    ),
    Op(
        "post",
        "/api/v1/funding/matches/{uuid}/answer",
        {**_api.statuses(404), **dict.fromkeys(COORDINATORS_HERE, 403), "viewer": 403, "company": 200},
        uuid=_uuid(_match),
        body=lambda w: {"version": f.match(w).version, "accept": True},
    ),
    Op(
        "post",
        "/api/v1/funding/matches/{uuid}/delivered",
        manager_acts(_api, 200),
        uuid=lambda w: f.accepted_match(w).uuid,
        body=lambda w: {"version": f.accepted_match(w).version},
    ),
]
