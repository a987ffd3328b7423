"""Permission-matrix rows of tandem.capacity (collected by tandem/tests/matrix.py).

The records are those of ``factories.cebu_training``, in Cebu City: the course is visible to
Cebu City's subtree and those above it (the Kenyan outsider gets 404). Organisers are the
coordinators over Cebu City and the network facilitator of Central Visayas; Ana Cruz's place
belongs to the ``member`` persona; Maria Santos (no account) holds the certificate.
"""

from __future__ import annotations

from tandem.tests.matrix import COORDINATORS_HERE, Expect, Op, Row

from .factories import cebu_training

_page = Expect(anon=302)
_api = Expect(anon=401)
ORGANISERS = (*COORDINATORS_HERE, "facilitator")


def organisers(expect: Expect, ok: int = 200) -> dict[str, int]:
    """Publish or organise in Cebu City: coordinators over it and the facilitator; 403 below; 404 outside."""
    return {**expect.manage_cebu(ok), "facilitator": ok}


def publish_anywhere(expect: Expect, ok: int = 200) -> dict[str, int]:
    return {**expect.coordinators_only(ok), "facilitator": ok}


def _course(w):
    return {"uuid": cebu_training(w).course.uuid}


def _session(w):
    return {"uuid": cebu_training(w).session.uuid}


def _ana(w):
    return {"uuid": cebu_training(w).ana.uuid}


def _certificate(w):
    return {"uuid": cebu_training(w).certificate.uuid}


def _feed(w):
    from tandem.capacity import services

    cebu_training(w)
    return {"token": services.calendar_feed_rotate(actor=w.member).token}


s = _page.statuses
POST_ONLY = s(405, anon=302)

PAGE_ROWS: list[Row] = [
    Row("course_list", get=_page.read()),
    Row("course_create", get=publish_anywhere(_page), post=publish_anywhere(_page)),
    Row("course_detail", _course, get=_page.read_cebu()),
    Row("course_edit", _course, get=organisers(_page), post=organisers(_page)),
    Row("session_create", _course, get=organisers(_page), post=organisers(_page)),
    Row("session_detail", _session, get=_page.read_cebu()),
    Row("session_request", _session, get=_page.read_cebu(), post=s(302, outsider=404)),
    Row("session_nominate", _session, get=_page.manage_cebu(), post=_page.manage_cebu()),
    Row("session_attendance", _session, get=organisers(_page), post=organisers(_page)),
    # Only Ana (the member) holds an accepted place: she gives feedback; the others may not (403).
    Row("feedback_give", _session, get=s(403, outsider=404, member=200), post=s(403, outsider=404, member=200)),
    Row("feedback_summary", _session, get=organisers(_page)),
    Row("certificates_issue", _session, get=organisers(_page), post=organisers(_page, 302)),
    Row("session_ics", _session, get=_page.read_cebu()),
    # Ana's place: organisers decide; Ana sees her place (403 to decide); other people do not see it (404).
    Row(
        "participation_decide",
        _ana,
        get={**s(404, viewer=403, member=403), **dict.fromkeys(ORGANISERS, 200)},
        post={**s(404, viewer=403, member=403), **dict.fromkeys(ORGANISERS, 302)},
    ),
    Row(
        "participation_withdraw",
        _ana,
        get={**s(404), **dict.fromkeys((*ORGANISERS, "member"), 200)},
        post={**s(404), **dict.fromkeys((*ORGANISERS, "member"), 302)},
    ),
    Row("certificate_pdf", _certificate, get={**s(404), **dict.fromkeys(ORGANISERS, 200)}),
    Row("certificate_verify", get=s(200, anon=200)),
    Row("my_training", get=_page.read()),
    Row("training_feed_rotate", get=POST_ONLY, post=s(302)),
    Row("training_feed", _feed, get=s(200, anon=200)),
    Row("reach", get=_page.coordinators_only()),
    Row("reach_export", lambda w: {"fmt": "csv"}, get=_page.coordinators_only()),
]

API_OPS: list[Op] = []

__all__ = ["API_OPS", "PAGE_ROWS"]
