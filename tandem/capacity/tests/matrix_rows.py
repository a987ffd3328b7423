"""Permission-matrix rows of tandem.capacity (collected by tandem/tests/matrix.py).

The records are those of ``factories.cebu_training``, in Cebu City: the course is visible to
Cebu City's subtree and those above it (the Kenyan outsider gets 404). Organisers are the
coordinators over Cebu City and the network facilitator of Central Visayas; Ana Cruz's place
belongs to the ``member`` persona; Maria Santos (no account) holds the certificate.
"""

from __future__ import annotations

from tandem.tests.matrix import COORDINATORS_HERE, Expect, Op, Row

from .factories import cebu_need, cebu_training

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


def _need(w):
    return {"uuid": cebu_need(w).uuid}


def _material(w):
    """A handout of the Cebu course, added by its organiser."""
    if not hasattr(w, "material"):
        from django.core.files.uploadedfile import SimpleUploadedFile

        from tandem.capacity import materials

        cebu_training(w)
        pdf = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
        w.material = materials.material_add(actor=w.local, course=w.course, file=SimpleUploadedFile("handout.pdf", pdf))
    return {"uuid": w.material.uuid}


def _feed(w):
    from tandem.capacity import services

    cebu_training(w)
    return {"token": services.calendar_feed_rotate(actor=w.member).token}


s = _page.statuses
POST_ONLY = s(405, anon=302)

PAGE_ROWS: list[Row] = [
    Row("course_list", get=_page.read()),
    Row("course_create", get=publish_anywhere(_page), post=publish_anywhere(_page)),
    Row("capacity_lookup_hosts", get=publish_anywhere(_page)),
    Row("course_detail", _course, get=_page.read_cebu()),
    Row("course_edit", _course, get=organisers(_page), post=organisers(_page)),
    # An empty POST is the form again with its error (200): nothing is stored or removed.
    Row("material_add", _course, get=organisers(_page), post=organisers(_page)),
    Row("material_download", _material, get=_page.read_cebu()),
    Row("material_remove", _material, get=organisers(_page), post=organisers(_page)),
    Row("session_create", _course, get=organisers(_page), post=organisers(_page)),
    Row("session_detail", _session, get=_page.read_cebu()),
    # An empty POST is the form again with its errors (200); nothing is cancelled or archived.
    Row("session_edit", _session, get=organisers(_page), post=organisers(_page)),
    Row("session_cancel", _session, get=organisers(_page), post=organisers(_page)),
    Row("session_archive", _session, get=organisers(_page), post=organisers(_page)),
    Row("session_request", _session, get=_page.read_cebu(), post=s(302, outsider=404)),
    Row("session_nominate", _session, get=_page.manage_cebu(), post=_page.manage_cebu()),
    Row("capacity_lookup_nominees", get=_page.coordinators_only()),
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
    Row("need_list", get=_page.coordinators_only()),
    Row("need_create", get=_page.coordinators_only(), post=_page.coordinators_only()),
    # The level above answers (a form); the city's own coordinator reads it only (a POST is refused).
    Row("need_detail", _need, get=_page.manage_cebu(), post={**_page.manage_cebu(), "local": 403}),
    # Only the need's own coordinator (who sends from Cebu City) raises it; the level above answers it.
    Row(
        "need_exchange",
        _need,
        get={**_page.manage_cebu(403), "local": 200},
        post={**_page.manage_cebu(403), "local": 200},
    ),
    # Every role reads its standing; only national coordinators (and the administrator) set requirements.
    Row("sharing_readiness", get=_page.read(), post={**s(403), "admin": 200, "national": 200}),
    Row("reach", get=_page.coordinators_only()),
    Row("reach_export", lambda w: {"fmt": "csv"}, get=_page.coordinators_only()),
]


def _new_cebu_person(w):
    from tandem.core import services as core_services

    cebu_training(w)
    person = core_services.person_create(actor=w.admin, jurisdiction=w.cebu_city, full_name="Ramon Dela Cruz")
    return {"person": str(person.uuid)}


def _new_session(w):
    import datetime as dt

    from django.utils import timezone

    cebu_training(w)
    start = timezone.now() + dt.timedelta(days=20)
    return {
        "host": str(w.cebu_city.uuid),
        "starts_at": start.isoformat(),
        "ends_at": (start + dt.timedelta(hours=8)).isoformat(),
        "registration_deadline": (start - dt.timedelta(days=5)).isoformat(),
        "places": 20,
        "venue": "Cebu City Hall",
    }


def _session_version(w, **extra):
    from tandem.capacity.models import TrainingSession

    return {"version": TrainingSession.objects.get(pk=cebu_training(w).session.pk).version, **extra}


def _first_day(w):
    from tandem.capacity import services

    return services.session_days(cebu_training(w).session)[0].isoformat()


a = _api.statuses
_organise_api = {**a(404, viewer=403, member=403), **dict.fromkeys(ORGANISERS, 200)}

API_OPS: list[Op] = [
    Op("get", "/api/v1/capacity/courses", _api.read()),
    Op(
        "post",
        "/api/v1/capacity/courses",
        {**a(403), **dict.fromkeys(ORGANISERS, 201), "outsider": 422},
        body=lambda w: {
            "title": "Community dialogue facilitation",
            "jurisdiction": str(w.cebu_city.uuid),
            "level": "local",
            "delivery": "in_person",
            "visibility": "country",
            "objectives": ["Run a safe dialogue"],
            "competencies": ["trust"],
        },
    ),
    Op("get", "/api/v1/capacity/courses/{uuid}", _api.read_cebu(), uuid=lambda w: _course(w)["uuid"]),
    Op(
        "post",
        "/api/v1/capacity/courses/{uuid}/sessions",
        organisers(_api, 201),
        uuid=lambda w: _course(w)["uuid"],
        body=_new_session,
    ),
    Op("get", "/api/v1/capacity/sessions", _api.read()),
    Op("get", "/api/v1/capacity/sessions/{uuid}", _api.read_cebu(), uuid=lambda w: _session(w)["uuid"]),
    Op(
        "patch",
        "/api/v1/capacity/sessions/{uuid}",
        organisers(_api),
        uuid=lambda w: _session(w)["uuid"],
        body=lambda w: _session_version(w, places=25),
    ),
    Op(
        "post",
        "/api/v1/capacity/sessions/{uuid}/cancel",
        organisers(_api),
        uuid=lambda w: _session(w)["uuid"],
        body=lambda w: _session_version(w, reason="The venue is flooded."),
    ),
    # The session is under way: an organiser is told it cannot be archived yet (422).
    Op(
        "post",
        "/api/v1/capacity/sessions/{uuid}/archive",
        organisers(_api, 422),
        uuid=lambda w: _session(w)["uuid"],
        body=_session_version,
    ),
    Op(
        "get",
        "/api/v1/capacity/sessions/{uuid}/participations",
        _api.read_cebu(),
        uuid=lambda w: _session(w)["uuid"],
    ),
    # Ana (member) already holds a place; nobody else has a directory record: 422 with the reason.
    Op("post", "/api/v1/capacity/sessions/{uuid}/requests", a(422, outsider=404), uuid=lambda w: _session(w)["uuid"]),
    Op(
        "post",
        "/api/v1/capacity/sessions/{uuid}/nominations",
        _api.manage_cebu(201),
        uuid=lambda w: _session(w)["uuid"],
        body=_new_cebu_person,
    ),
    Op(
        "post",
        "/api/v1/capacity/participations/{uuid}/decision",
        _organise_api,
        uuid=lambda w: _ana(w)["uuid"],
        body=lambda w: {"status": "waitlisted"},
    ),
    Op(
        "post",
        "/api/v1/capacity/participations/{uuid}/withdraw",
        {**a(404), **dict.fromkeys((*ORGANISERS, "member"), 200)},
        uuid=lambda w: _ana(w)["uuid"],
    ),
    Op("get", "/api/v1/capacity/sessions/{uuid}/attendance", organisers(_api), uuid=lambda w: _session(w)["uuid"]),
    Op(
        "post",
        "/api/v1/capacity/sessions/{uuid}/attendance",
        organisers(_api),
        uuid=lambda w: _session(w)["uuid"],
        body=lambda w: {"day": _first_day(w), "present": [str(cebu_training(w).ana.uuid)]},
    ),
    Op("get", "/api/v1/capacity/sessions/{uuid}/feedback", organisers(_api), uuid=lambda w: _session(w)["uuid"]),
    Op("get", "/api/v1/capacity/courses/{uuid}/materials", _api.read_cebu(), uuid=lambda w: _course(w)["uuid"]),
    # Without a file: 422 for those who may add one (nothing stored); 403 below; 404 outside.
    Op("post", "/api/v1/capacity/courses/{uuid}/materials", organisers(_api, 422), uuid=lambda w: _course(w)["uuid"]),
    Op("get", "/api/v1/capacity/materials/{uuid}/file", _api.read_cebu(), uuid=lambda w: _material(w)["uuid"]),
    Op("post", "/api/v1/capacity/materials/{uuid}/remove", organisers(_api, 204), uuid=lambda w: _material(w)["uuid"]),
    Op("get", "/api/v1/capacity/certificates", _api.read()),
    # Maria's certificate (no account): the organisers read it; nobody else sees it (404).
    Op(
        "get",
        "/api/v1/capacity/certificates/{uuid}/pdf",
        {**a(404), **dict.fromkeys(ORGANISERS, 200)},
        uuid=lambda w: _certificate(w)["uuid"],
    ),
    Op("get", "/api/v1/capacity/reach", _api.coordinators_only()),
    Op("get", "/api/v1/capacity/needs", _api.coordinators_only()),
]

__all__ = ["API_OPS", "PAGE_ROWS"]
