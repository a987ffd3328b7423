"""Permission-matrix rows of tandem.library (collected by tandem/tests/matrix.py).

The item named here is owned by Cebu City, published, visible to the country (the Philippines):
every Philippine persona reads it, the Kenyan outsider gets 404 like a missing item. It was proposed
by the facilitator (Central Visayas); its curators are the administrator, the national coordinator
and the facilitator. Checklist records of Cebu City are read by every role at or above it and ticked
by coordinators (local and above).
"""

from __future__ import annotations

from tandem.tests.matrix import Expect, Op, Row

_page = Expect(anon=302)
_api = Expect(anon=401)

PH = {"national", "regional", "local", "member", "cso", "company", "facilitator", "viewer"}
CURATORS = {"admin", "national", "facilitator"}
PROPOSERS = {"admin", "national", "regional", "local", "facilitator", "outsider"}
COORDS_HERE = {"admin", "national", "regional", "local"}


def _item(w):
    if not hasattr(w, "library_item"):
        from tandem.library.tests.factories import make_item

        w.library_item = make_item(w, visibility="country")
    return w.library_item


def _uuid(w):
    return {"uuid": _item(w).uuid}


def _attachment(w):
    from tandem.library import services

    item = _item(w)
    return {"uuid": services.attachment_add(actor=w.admin, item=item, name="notes.txt", data=b"Plain notes.\n").uuid}


def _run(w):
    from tandem.library import services

    return {"uuid": services.checklist_start(actor=w.local, code="body-setup", jurisdiction=w.cebu_city).uuid}


def only(ok: int, who: set[str], other: int = 404, e: Expect = _page) -> dict[str, int]:
    result = e.statuses(other)
    result.update(dict.fromkeys(who, ok))
    return result


def _edit(ok: int, e: Expect = _page) -> dict[str, int]:
    """Curators edit; other Philippine roles 403 (viewer: no propose permission at all); outsider 404."""
    return {**only(403, PH | {"admin"}, e=e), **dict.fromkeys(CURATORS, ok)}


PAGE_ROWS: list[Row] = [
    Row("library_search", get=_page.read()),
    Row(
        "library_item_create",
        get={**_page.statuses(403), **dict.fromkeys(PROPOSERS, 200)},
        post={**_page.statuses(403), **dict.fromkeys(PROPOSERS, 200)},
    ),
    Row("library_lookup_jurisdictions", get={**_page.statuses(403), **dict.fromkeys(PROPOSERS, 200)}),
    Row("library_lookup_countries", get={**_page.statuses(403), **dict.fromkeys(PROPOSERS, 200)}),
    Row("library_lookup_items", get={**_page.statuses(403), **dict.fromkeys(PROPOSERS, 200)}),
    Row("library_review", get={**_page.statuses(200), "viewer": 403}),
    Row("library_item_detail", _uuid, get=only(200, PH | {"admin"})),
    Row("library_item_edit", _uuid, get=_edit(200), post=_edit(200)),
    Row("library_item_versions", _uuid, get=only(200, PH | {"admin"})),
    Row("library_attachment_add", _uuid, post=_edit(200)),
    Row(
        "library_item_step",
        lambda w: {"uuid": _item(w).uuid, "step": "return"},
        post=_edit(302),
        post_data=lambda w: {"version": _item(w).version},
    ),
    Row("library_attachment", _attachment, get=only(200, PH | {"admin"})),
    Row("checklist_list", get=_page.read()),
    Row("checklist_detail", lambda w: {"code": "body-setup"}, get=_page.read()),
    Row("checklist_start", lambda w: {"code": "body-setup"}, post=_page.coordinators_only()),
    Row(
        "checklist_run",
        _run,
        get=only(200, PH | {"admin"}),
        post={**only(403, PH | {"admin"}), **dict.fromkeys(COORDS_HERE, 200)},
    ),
]

BASE = "/api/v1/library"


def _item_body(w):
    return {
        "jurisdiction": str(w.cebu_city.uuid),
        "kind": "guidance",
        "title": "Matrix guidance",
        "summary": "A short summary.",
        "body": "<p>Text</p>",
        "language": "en",
        "visibility": "green",
    }


def _patch_body(w):
    body = _item_body(w)
    del body["jurisdiction"]
    return {**body, "version": _item(w).version}


API_OPS: list[Op] = [
    Op("get", f"{BASE}/items", _api.read()),
    Op("get", f"{BASE}/facets", _api.read()),
    Op("get", f"{BASE}/items/{{uuid}}", only(200, PH | {"admin"}, e=_api), uuid=lambda w: _item(w).uuid),
    # The outsider proposes nowhere in Cebu City: 422 (the jurisdiction is not among theirs).
    Op(
        "post",
        f"{BASE}/items",
        {**_api.statuses(403), **dict.fromkeys(PROPOSERS - {"outsider"}, 201), "outsider": 422},
        body=_item_body,
    ),
    Op("patch", f"{BASE}/items/{{uuid}}", _edit(200, _api), uuid=lambda w: _item(w).uuid, body=_patch_body),
    # A published item cannot be submitted again (422) by its curators.
    Op(
        "post",
        f"{BASE}/items/{{uuid}}/submit",
        _edit(422, _api),
        uuid=lambda w: _item(w).uuid,
        body=lambda w: {"version": _item(w).version},
    ),
    Op(
        "post",
        f"{BASE}/items/{{uuid}}/publish",
        _edit(422, _api),
        uuid=lambda w: _item(w).uuid,
        body=lambda w: {"version": _item(w).version},
    ),
    Op(
        "post",
        f"{BASE}/items/{{uuid}}/return",
        _edit(200, _api),
        uuid=lambda w: _item(w).uuid,
        body=lambda w: {"version": _item(w).version},
    ),
    Op("get", f"{BASE}/items/{{uuid}}/versions", only(200, PH | {"admin"}, e=_api), uuid=lambda w: _item(w).uuid),
    Op("get", f"{BASE}/attachments/{{uuid}}", only(200, PH | {"admin"}, e=_api), uuid=lambda w: _attachment(w)["uuid"]),
    Op("get", f"{BASE}/checklists", _api.read()),
    # Coordinators of Cebu City start a record there; the outsider cannot name it (422).
    Op(
        "post",
        f"{BASE}/checklist-records",
        {**_api.statuses(403), **dict.fromkeys(COORDS_HERE, 201), "outsider": 422},
        body=lambda w: {"checklist": "body-setup", "jurisdiction": str(w.cebu_city.uuid)},
    ),
    Op(
        "get",
        f"{BASE}/checklist-records/{{uuid}}",
        only(200, PH | {"admin"}, e=_api),
        uuid=lambda w: _run(w)["uuid"],
    ),
    Op(
        "post",
        f"{BASE}/checklist-records/{{uuid}}/ticks",
        {**only(403, PH | {"admin"}, e=_api), **dict.fromkeys(COORDS_HERE, 200)},
        uuid=lambda w: _run(w)["uuid"],
        body=lambda w: {"step": "fit", "done": True, "note": "Agreed by the council", "version": 1},
    ),
]
