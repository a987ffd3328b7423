"""Permission-matrix rows of tandem.exchange (collected by tandem/tests/matrix.py).

The items named here are sent by the local coordinator of Cebu City (acting for
Cebu City Hall) to the Visayas Youth Forum (the ``cso`` and ``member``
personas' organisation). Their readers follow the TLP rule of the label:

* AMBER (``_amber``): exactly the recipients the sender chose: the sender and the
  forum's users (the coordinators covering Cebu City, national and regional, no
  longer read it: issue 10, defect 5). Everyone else: 404, like a missing item.
* GREEN (``_green``): every persona with a role in the Philippines.

The full label x persona x action matrix is in test_tlp_matrix.py.
"""

from __future__ import annotations

from tandem.tests.matrix import Expect, Op, Row

_page = Expect(anon=302)
_api = Expect(anon=401)

AMBER_READERS = {"local", "cso", "member"}
PH = {"national", "regional", "local", "member", "cso", "company", "facilitator", "viewer"}


def _send(w, tlp="AMBER", kind="request", attachment=False):
    from tandem.exchange.services import Upload
    from tandem.exchange.tests.conftest import PDF, send_item

    uploads = [Upload(name="note.pdf", data=PDF)] if attachment else []
    return send_item(
        w,
        sender=w.local,
        tlp=tlp,
        kind=kind,
        title=f"Matrix {tlp}",
        organisations=[w.cso_org],
        uploads=uploads,
        direction="lateral",
    )


def _amber(w):
    return {"uuid": _send(w).uuid}


def _green(w):
    return {"uuid": _send(w, "GREEN").uuid}


def _attachment(w):
    return {"uuid": _send(w, attachment=True).attachments.get().uuid}


def _draft(w):
    from tandem.exchange import services

    draft = services.draft_save(
        actor=w.local,
        jurisdiction=w.cebu_city,
        sender_organisation=w.city_hall,
        kind="alert",
        direction="lateral",
        tlp="AMBER",
        title="Draft",
        body="Draft text",
        addressees=services.Addressees(organisations=[w.cso_org]),
    )
    return {"uuid": draft.uuid}


def _agreement(w):
    import datetime as dt

    from tandem.exchange import services

    agreement = services.agreement_save(
        actor=w.admin,
        agreement=None,
        values={
            "title": "Cebu data sharing",
            "jurisdiction": w.cebu_city,
            "legal_basis": "Ordinance 1",
            "categories": "Reports",
            "retention": "2 years",
            "contact": "dpo@cebu.example",
            "valid_from": dt.date(2024, 1, 1),
            "valid_to": None,
        },
        organisations=[w.city_hall, w.cso_org],
        jurisdictions=[],
    )
    return {"uuid": agreement.uuid}


def only(ok: int, who: set[str], other: int = 404, anon: int | None = None, e: Expect = _page) -> dict[str, int]:
    result = e.statuses(other, anon=anon)
    result.update(dict.fromkeys(who, ok))
    return result


SENDERS = PH - {"viewer"}
FORWARDERS = AMBER_READERS - {"local"}
COORDS_PH = {"national", "regional", "local"}

PAGE_ROWS: list[Row] = [
    Row("exchange_inbox", get=_page.read()),
    Row("exchange_outbox", get=_page.read()),
    Row("exchange_export", lambda w: {"fmt": "csv"}, get=_page.read()),
    Row("exchange_open_requests", get=_page.coordinators_only()),
    Row("exchange_open_requests_export", lambda w: {"fmt": "csv"}, get=_page.coordinators_only()),
    Row("exchange_compose", get=only(200, SENDERS | {"outsider"}, 403), post=only(200, SENDERS | {"outsider"}, 403)),
    Row("exchange_lookup_organisations", get=only(200, SENDERS | {"outsider", "admin"}, 403)),
    Row("exchange_lookup_people", get=only(200, SENDERS | {"outsider", "admin"}, 403)),
    Row("exchange_lookup_bodies", get=only(200, SENDERS | {"outsider", "admin"}, 403)),
    Row("exchange_lookup_jurisdictions", get=only(200, SENDERS | {"outsider", "admin"}, 403)),
    Row("exchange_lookup_forward_organisations", get=_page.read()),
    Row("exchange_lookup_forward_people", get=_page.read()),
    Row("exchange_draft_edit", _draft, get=only(200, {"local"}), post=only(200, {"local"})),
    Row("exchange_preview", _draft, get=only(200, {"local"}), post=only(200, {"local"})),
    Row("exchange_draft_discard", _draft, get=only(200, {"local"}), post=only(302, {"local"})),
    Row("exchange_detail", _amber, get=only(200, AMBER_READERS)),
    Row("exchange_reply", _amber, post=only(200, AMBER_READERS)),
    Row("exchange_acknowledge", _amber, post=only(302, AMBER_READERS)),
    Row("exchange_status", _amber, post=only(302, AMBER_READERS)),
    Row("exchange_label", _green, get={**only(403, PH), "local": 200}, post={**only(403, PH), "local": 200}),
    Row("exchange_attachment", _attachment, get=only(200, AMBER_READERS)),
    # Forwarding: the forum's users (direct recipients) may; the sender reads but may not (403).
    Row(
        "exchange_forward",
        _amber,
        get={**only(200, FORWARDERS), "local": 403},
        post={**only(200, FORWARDERS), "local": 403},
    ),
    Row("agreement_list", get=_page.read()),
    Row("agreement_export", lambda w: {"fmt": "xlsx"}, get=_page.read()),
    Row("agreement_create", get=_page.coordinators_only(), post=_page.coordinators_only()),
    Row("agreement_detail", _agreement, get=only(200, PH | {"admin"})),
    Row(
        "agreement_edit",
        _agreement,
        get={**only(403, PH | {"admin"}), **dict.fromkeys(COORDS_PH | {"admin"}, 200)},
        post={**only(403, PH | {"admin"}), **dict.fromkeys(COORDS_PH | {"admin"}, 200)},
    ),
]


def _draft_body(w):
    body = _item_body(w)
    del body["no_agreement_reason"]
    return body


def _item_body(w):
    return {
        "kind": "alert",
        "direction": "lateral",
        "tlp": "AMBER",
        "title": "Matrix alert",
        "body": "Rumours of a gathering near the market.",
        "to_organisations": [str(w.cso_org.uuid)],
        "no_agreement_reason": "Urgent public safety information",
    }


API_SENDERS = PH - {"viewer"}
FORWARDERS = AMBER_READERS - {"local"}
READERS_401 = {"anon": 401, "e": _api}
BASE = "/api/v1/exchange"

API_OPS: list[Op] = [
    Op("get", f"{BASE}/items", _api.read()),
    Op(
        "post",
        f"{BASE}/items/preview",
        {**only(200, API_SENDERS, 403, **READERS_401), "outsider": 422},
        body=_item_body,
    ),
    Op("post", f"{BASE}/items", {**only(201, API_SENDERS, 403, **READERS_401), "outsider": 422}, body=_item_body),
    Op("get", f"{BASE}/items/{{uuid}}", only(200, AMBER_READERS, **READERS_401), uuid=lambda w: _amber(w)["uuid"]),
    Op(
        "post",
        f"{BASE}/items/{{uuid}}/replies",
        only(201, AMBER_READERS, **READERS_401),
        uuid=lambda w: _amber(w)["uuid"],
        body=lambda w: {"body": "We are on it."},
    ),
    Op(
        "post",
        f"{BASE}/items/{{uuid}}/acknowledge",
        {**only(200, AMBER_READERS, **READERS_401), "local": 422},
        uuid=lambda w: _amber(w)["uuid"],
    ),
    Op(
        "post",
        f"{BASE}/items/{{uuid}}/status",
        {**only(200, AMBER_READERS, **READERS_401), "local": 422},
        uuid=lambda w: _amber(w)["uuid"],
        body=lambda w: {"status": "answered"},
    ),
    # Drafts: only their sender (local) sees them; everyone else 404 like a missing draft.
    Op("post", f"{BASE}/drafts", {**only(201, API_SENDERS, 403, **READERS_401), "outsider": 422}, body=_draft_body),
    Op("get", f"{BASE}/drafts/{{uuid}}", only(200, {"local"}, **READERS_401), uuid=lambda w: _draft(w)["uuid"]),
    # A JSON body carries no file: the sender gets 422 "choose a file" (uploads: test_api_uploads.py).
    Op(
        "post",
        f"{BASE}/drafts/{{uuid}}/attachments",
        only(422, {"local"}, **READERS_401),
        uuid=lambda w: _draft(w)["uuid"],
    ),
    Op(
        "post",
        f"{BASE}/drafts/{{uuid}}/send",
        only(201, {"local"}, **READERS_401),
        uuid=lambda w: _draft(w)["uuid"],
        body=lambda w: {"version": 1, "no_agreement_reason": "Urgent public safety information"},
    ),
    Op(
        "post",
        f"{BASE}/items/{{uuid}}/label",
        {**only(403, PH, **READERS_401), "local": 200},
        uuid=lambda w: _green(w)["uuid"],
        body=lambda w: {"tlp": "CLEAR", "reason": "Published by the city"},
    ),
    # An empty forward: recipients get 422 (choose someone), the sender 403, others 404.
    Op(
        "post",
        f"{BASE}/items/{{uuid}}/forward/preview",
        {**only(422, FORWARDERS, **READERS_401), "local": 403},
        uuid=lambda w: _amber(w)["uuid"],
        body=lambda w: {},
    ),
    Op(
        "post",
        f"{BASE}/items/{{uuid}}/forward",
        {**only(422, FORWARDERS, **READERS_401), "local": 403},
        uuid=lambda w: _amber(w)["uuid"],
        body=lambda w: {},
    ),
    Op(
        "get",
        f"{BASE}/attachments/{{uuid}}",
        only(200, AMBER_READERS, **READERS_401),
        uuid=lambda w: _attachment(w)["uuid"],
    ),
    # The read log: the sender (local) reads it; the other readers may not (403); everyone else 404.
    Op(
        "get",
        f"{BASE}/items/{{uuid}}/read-log",
        {**only(403, AMBER_READERS, **READERS_401), "local": 200},
        uuid=lambda w: _amber(w)["uuid"],
    ),
    Op("get", f"{BASE}/agreements", _api.read()),
    Op(
        "get",
        f"{BASE}/agreements/{{uuid}}",
        only(200, PH | {"admin"}, **READERS_401),
        uuid=lambda w: _agreement(w)["uuid"],
    ),
    # Created at Cebu City by its coordinators; the Kenyan coordinator names a unit it does not coordinate
    # and the administrator, who holds no country, parties outside its countries (422, as on the page).
    Op(
        "post",
        f"{BASE}/agreements",
        {**only(403, PH, **READERS_401), **dict.fromkeys(COORDS_PH, 201), "outsider": 422, "admin": 422},
        body=lambda w: {
            "title": "Cebu schools protocol",
            "jurisdiction": str(w.cebu_city.uuid),
            "party_organisations": [str(w.city_hall.uuid)],
            "legal_basis": "Ordinance 7",
            "categories": "Incident notes",
            "retention": "1 year",
            "contact": "dpo@cebu.example",
            "valid_from": "2026-01-01",
        },
    ),
    Op(
        "patch",
        f"{BASE}/agreements/{{uuid}}",
        {**only(403, PH | {"admin"}, **READERS_401), **dict.fromkeys(COORDS_PH | {"admin"}, 200), "outsider": 404},
        uuid=lambda w: _agreement(w)["uuid"],
        body=lambda w: {"version": 1, "retention": "3 years"},
    ),
]
