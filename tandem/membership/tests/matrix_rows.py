"""Permission-matrix rows of tandem.membership (collected by tandem/tests/matrix.py).

The membership named here is Cebu City's application (by its local coordinator, for Cebu City
Hall): every role at or above Cebu City sees it, the Kenyan outsider gets 404. The facilitator of
Central Visayas (and the administrator) decide on it. The public list of members needs no sign-in.
"""

from __future__ import annotations

from tandem.tests.matrix import Expect, Op, Row

_page = Expect(anon=302)
_api = Expect(anon=401)

PH = {"national", "regional", "local", "member", "cso", "company", "facilitator", "viewer"}
REVIEWERS = {"admin", "facilitator"}
COORDS_HERE = {"admin", "national", "regional", "local"}


def _membership(w):
    if not hasattr(w, "membership"):
        from tandem.membership import services

        w.membership = services.membership_apply(
            actor=w.local,
            jurisdiction=w.cebu_city,
            organisation=w.city_hall,
            focal_point=w.person_cebu,
            commitments="Hold a quarterly coordination meeting and share lessons with the network.",
        )
    return w.membership


def only(ok: int, who: set[str], other: int = 404, e: Expect = _page) -> dict[str, int]:
    result = e.statuses(other)
    result.update(dict.fromkeys(who, ok))
    return result


def _decide(ok: int, e: Expect = _page) -> dict[str, int]:
    """Reviewers decide; the rest of the Philippine cast 403 (viewer: below the permission); outsider 404."""
    return {**only(403, PH | {"admin"}, e=e), **dict.fromkeys(REVIEWERS, ok)}


PAGE_ROWS: list[Row] = [
    Row("membership_public", get=_page.statuses(200, anon=200)),
    Row("membership_list", get=_page.read()),
    Row("membership_apply", get=_page.coordinators_only(), post=_page.coordinators_only()),
    Row("membership_lookup_jurisdictions", get=_page.coordinators_only()),
    Row("membership_detail", lambda w: {"uuid": _membership(w).uuid}, get=only(200, PH | {"admin"})),
    Row("membership_decide", lambda w: {"uuid": _membership(w).uuid}, post=_decide(200)),
    # The applicant's coordinators (over Cebu City) answer; an empty form is shown again (200).
    Row(
        "membership_respond",
        lambda w: {"uuid": _membership(w).uuid},
        post={**only(403, PH | {"admin"}), **dict.fromkeys(COORDS_HERE, 200)},
    ),
]

BASE = "/api/v1/membership"

API_OPS: list[Op] = [
    Op("get", f"{BASE}/applications", _api.read()),
    Op("get", f"{BASE}/applications/{{uuid}}", only(200, PH | {"admin"}, e=_api), uuid=lambda w: _membership(w).uuid),
    # Manila has not applied: coordinators over it may (201); the local coordinator of Cebu City and the
    # outsider cannot name it (422).
    Op(
        "post",
        f"{BASE}/applications",
        {**_api.statuses(403), "admin": 201, "national": 201, "regional": 422, "local": 422, "outsider": 422},
        body=lambda w: {
            "jurisdiction": str(w.manila.uuid),
            "organisation": str(w.manila_org.uuid),
            "focal_point": str(w.person_manila.uuid),
            "commitments": "Join the regional exchange.",
        },
    ),
    Op(
        "post",
        f"{BASE}/applications/{{uuid}}/decision",
        _decide(200, _api),
        uuid=lambda w: _membership(w).uuid,
        body=lambda w: {"decision": "accept", "version": _membership(w).version},
    ),
    # No information was requested: the applicant's coordinators get 422, nothing is written.
    Op(
        "post",
        f"{BASE}/applications/{{uuid}}/response",
        {**only(403, PH | {"admin"}, e=_api), **dict.fromkeys(COORDS_HERE, 422)},
        uuid=lambda w: _membership(w).uuid,
        body=lambda w: {"commitments": "Revised.", "version": _membership(w).version},
    ),
]
