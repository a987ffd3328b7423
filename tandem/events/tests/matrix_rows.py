"""Permission-matrix rows of tandem.events (collected by tandem/tests/matrix.py).

The event named here is owned by Cebu City and visible to its country (the Philippines): every
Philippine persona reads it, the Kenyan outsider gets 404 like a missing event. Its organisers are
the administrator, the coordinators over Cebu City and the facilitator (Central Visayas); members,
partners and the viewer read it but organise nothing (403). Its report is published.
"""

from __future__ import annotations

from tandem.tests.matrix import Expect, Op, Row

_page = Expect(anon=302)
_api = Expect(anon=401)

PH = {"national", "regional", "local", "member", "cso", "company", "facilitator", "viewer"}
ORGANISERS = {"admin", "national", "regional", "local", "facilitator"}


def _event(w):
    if not hasattr(w, "event_record"):
        from tandem.events import selectors, services
        from tandem.events.tests.factories import make_commitment, make_event

        event = make_event(w, visibility="country")
        w.event_commitment = make_commitment(w, event)
        w.event_breakout = w.event_commitment.breakout
        w.event_participant = w.event_breakout.rapporteur
        report = services.report_start(actor=w.facilitator, event=event, summary="What we learned.")
        data = selectors.report_data(w.facilitator, event, report)
        services.report_publish(
            actor=w.facilitator, report=report, expected_version=report.version, body_html=selectors.report_html(data)
        )
        w.event_record = event
    return w.event_record


def _uuid(w):
    return {"uuid": _event(w).uuid}


def _breakout(w):
    _event(w)
    return {"uuid": w.event_breakout.uuid}


def _commitment(w):
    _event(w)
    return {"uuid": w.event_commitment.uuid}


def _participant(w):
    _event(w)
    return {"uuid": w.event_participant.uuid}


def only(ok: int, who: set[str], other: int = 404, e: Expect = _page) -> dict[str, int]:
    result = e.statuses(other)
    result.update(dict.fromkeys(who, ok))
    return result


def organise(ok: int, e: Expect = _page) -> dict[str, int]:
    """Organisers ``ok``; other Philippine roles 403 (the viewer: no organise permission at all); outsider 404."""
    return {**only(403, PH | {"admin"}, e=e), **dict.fromkeys(ORGANISERS, ok)}


READERS = only(200, PH | {"admin"})
CREATORS = {**_page.statuses(403), **dict.fromkeys(ORGANISERS | {"outsider"}, 200)}

PAGE_ROWS: list[Row] = [
    Row("event_list", get=_page.read()),
    Row("event_create", get=CREATORS, post=CREATORS),
    Row("event_lookup_jurisdictions", get=CREATORS),
    Row("event_lookup_places", get=CREATORS),
    Row("event_lookup_countries", get=CREATORS),
    Row("event_detail", _uuid, get=READERS),
    Row("event_edit", _uuid, get=organise(200), post=organise(200)),
    Row("event_session_add", _uuid, post=organise(200)),
    Row("event_ics", _uuid, get=READERS),
    Row("participant_list", _uuid, get=organise(200), post=organise(200)),
    Row("participant_export", lambda w: {**_uuid(w), "fmt": "csv"}, get=organise(200)),
    # Only organisers (and the participant) see a participant: the other roles get 404, the viewer 403.
    Row(
        "participant_status",
        _participant,
        post={**only(404, PH | {"admin"}), **dict.fromkeys(ORGANISERS, 302), "viewer": 403},
    ),
    Row("breakout_create", _uuid, get=organise(200), post=organise(200)),
    Row("breakout_detail", _breakout, get=READERS),
    Row("outcome_add", _breakout, post=organise(200)),
    Row("commitment_add", _breakout, post=organise(200)),
    Row("commitment_follow_up", _commitment, get=organise(200), post=organise(200)),
    Row("commitment_exchange", _commitment, get=organise(200), post=organise(200)),
    Row("event_report", _uuid, get=READERS),
    Row("event_report_edit", _uuid, get=organise(200), post=organise(200)),
    Row("event_report_pdf", _uuid, get=READERS),
    Row("event_report_publish", _uuid, post=organise(302)),
]

BASE = "/api/v1/events"


def _event_body(w):
    return {
        "jurisdiction": str(w.cebu_city.uuid),
        "title": "Matrix workshop",
        "kind": "workshop",
        "starts_at": "2024-06-01T01:00:00+00:00",
        "ends_at": "2024-06-01T09:00:00+00:00",
        "place": str(w.cebu_city.uuid),
        "visibility": "green",
        "sessions": [
            {"title": "Opening", "starts_at": "2024-06-01T01:00:00+00:00", "ends_at": "2024-06-01T02:00:00+00:00"}
        ],
    }


API_OPS: list[Op] = [
    Op("get", BASE, _api.read()),
    # Members, partners and the viewer organise nowhere (403); the outsider cannot name Cebu City (422).
    Op(
        "post",
        BASE,
        {**_api.statuses(403), **dict.fromkeys(ORGANISERS, 201), "outsider": 422},
        body=_event_body,
    ),
    Op("get", f"{BASE}/{{uuid}}", only(200, PH | {"admin"}, e=_api), uuid=lambda w: _event(w).uuid),
    Op("get", f"{BASE}/{{uuid}}/participants", organise(200, _api), uuid=lambda w: _event(w).uuid),
    Op(
        "post",
        f"{BASE}/{{uuid}}/participants",
        organise(201, _api),
        uuid=lambda w: _event(w).uuid,
        body=lambda w: {"name": "Lito Garcia", "role": "Mayor", "country": str(w.ph.uuid), "level": "local"},
    ),
    Op(
        "post",
        f"{BASE}/participants/{{uuid}}/status",
        {**only(404, PH | {"admin"}, e=_api), **dict.fromkeys(ORGANISERS, 200), "viewer": 403},
        uuid=lambda w: _participant(w)["uuid"],
        body=lambda w: {"status": "attended"},
    ),
    Op("get", f"{BASE}/{{uuid}}/breakouts", only(200, PH | {"admin"}, e=_api), uuid=lambda w: _event(w).uuid),
    Op(
        "post",
        f"{BASE}/{{uuid}}/breakouts",
        organise(201, _api),
        uuid=lambda w: _event(w).uuid,
        body=lambda w: {"name": "Kenya and Philippines group"},
    ),
    Op(
        "post",
        f"{BASE}/breakouts/{{uuid}}/outcomes",
        organise(201, _api),
        uuid=lambda w: _breakout(w)["uuid"],
        body=lambda w: {"kind": "challenge", "text": "Too few meetings"},
    ),
    Op(
        "post",
        f"{BASE}/breakouts/{{uuid}}/commitments",
        organise(201, _api),
        uuid=lambda w: _breakout(w)["uuid"],
        body=lambda w: {"text": "Meet every quarter", "owner": "City council", "due_date": "2024-12-31"},
    ),
    Op("get", f"{BASE}/{{uuid}}/report", only(200, PH | {"admin"}, e=_api), uuid=lambda w: _event(w).uuid),
]
