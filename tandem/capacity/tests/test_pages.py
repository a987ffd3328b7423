"""What users see on the pages: the catalogue, places, certificates and their public check, reach, calendars."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from tandem.capacity import services
from tandem.capacity.models import Participation, PlaceStatus
from tandem.core import services as core_services
from tandem.core.models import JurisdictionKind, Sector

from .factories import cebu_course, cebu_session, cebu_training


def test_a_coordinator_of_another_country_sees_none_of_it(world, as_user):
    w = cebu_training(world)
    client = as_user(w.outsider)
    listing = client.get(reverse("course_list")).content.decode()
    assert w.course.title not in listing
    for name, kwargs in (
        ("course_detail", {"uuid": w.course.uuid}),
        ("session_detail", {"uuid": w.session.uuid}),
        ("session_ics", {"uuid": w.session.uuid}),
        ("certificate_pdf", {"uuid": w.certificate.uuid}),
    ):
        assert client.get(reverse(name, kwargs=kwargs)).status_code == 404
    reach = client.get(reverse("reach")).content.decode()
    assert "Maria" not in reach and "Cebu" not in reach
    api = client.get("/api/v1/capacity/courses")  # a session cookie is not an API token
    assert api.status_code == 401


def test_a_country_course_is_seen_across_the_country_a_subtree_course_is_not(world, as_user):
    w = world
    country = cebu_course(w, title="Safeguarding information sharing", visibility="country")
    subtree = cebu_course(w, title="City-only induction")
    from tandem.tests.access_cases import manila_coordinator

    page = as_user(manila_coordinator(w)).get(reverse("course_list")).content.decode()
    assert country.title in page and subtree.title not in page


def test_catalogue_filters_by_competency_and_sector(world, as_user):
    cebu_course(world, title="Trust building", competencies=["trust"], sectors=["religious"])
    cebu_course(world, title="Sustaining forums", competencies=["sustainability"], sectors=["youth"])
    client = as_user(world.viewer)
    page = client.get(reverse("course_list"), {"competency": "trust"}).content.decode()
    assert "Trust building" in page and "Sustaining forums" not in page
    page = client.get(reverse("course_list"), {"sector": "youth"}).content.decode()
    assert "Sustaining forums" in page and "Trust building" not in page


def test_public_verification_shows_name_course_and_date_only(world, client):
    w = cebu_training(world)
    page = client.get(reverse("certificate_verify"), {"code": w.certificate.code})
    text = page.content.decode()
    assert page.status_code == 200
    assert "Maria Santos" in text and w.course.title in text and "This certificate is valid" in text
    assert "Visayas Youth Forum" not in text and "maria@example.org" not in text and "Cebu City" not in text
    missing = client.get(reverse("certificate_verify"), {"code": "AAAAA-BBBBB-CCCCC"})
    assert missing.status_code == 404 and "Not found" in missing.content.decode()


def test_participant_downloads_the_certificate_pdf(world, as_user):
    w = cebu_training(world)
    response = as_user(w.local).get(reverse("certificate_pdf", kwargs={"uuid": w.certificate.uuid}))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")


def test_full_session_shows_a_clear_error_and_writes_nothing(world, as_user):
    course = cebu_course(world)
    session = cebu_session(world, course, places=1)
    a = services.participation_nominate(
        actor=world.local,
        session=session,
        person=core_services.person_create(actor=world.admin, jurisdiction=world.cebu_city, full_name="A"),
    )
    b = services.participation_nominate(actor=world.local, session=session, person=world.person_cebu)
    services.participation_decide(actor=world.local, participation=a, status=PlaceStatus.ACCEPTED)
    client = as_user(world.local)
    response = client.post(
        reverse("participation_decide", kwargs={"uuid": b.uuid}), {"decision": "accept"}, follow=True
    )
    assert "The session is full" in response.content.decode()
    assert Participation.objects.get(pk=b.pk).status == PlaceStatus.NOMINATED


def test_session_form_refuses_an_end_before_the_start(world, as_user):
    course = cebu_course(world)
    response = as_user(world.local).post(
        reverse("session_create", kwargs={"uuid": course.uuid}),
        {
            "host": str(world.cebu_city.uuid),
            "starts_at": "2026-03-10T09:00",
            "ends_at": "2026-03-09T17:00",
            "time_zone": "Asia/Manila",
            "registration_deadline": "2026-03-01T09:00",
            "places": 10,
            "venue": "Hall",
            "required_share": 80,
        },
    )
    assert response.status_code == 200
    assert "cannot end before it starts" in response.content.decode()


def test_ics_of_a_session_and_the_personal_feed(world, as_user, client):
    w = cebu_training(world)
    ics = as_user(w.member).get(reverse("session_ics", kwargs={"uuid": w.session.uuid}))
    assert ics.status_code == 200 and b"BEGIN:VEVENT" in ics.content and w.course.title.encode() in ics.content
    feed = services.calendar_feed_rotate(actor=w.member)
    client.logout()
    body = client.get(reverse("training_feed", kwargs={"token": feed.token})).content
    assert body.count(b"BEGIN:VEVENT") == 1
    old = feed.token
    services.calendar_feed_rotate(actor=w.member)
    assert client.get(reverse("training_feed", kwargs={"token": old})).status_code == 404


def _trained(w, where, sector, n):
    """n people of ``where`` working for an organisation of ``sector``, trained on a fresh session."""
    org = core_services.organisation_create(
        actor=w.admin, jurisdiction=where, name=f"{where.name} {sector} {n}", sector=sector
    )
    course = cebu_course(w) if not hasattr(w, "_reach_course") else w._reach_course
    w._reach_course = course
    session = services.session_create(
        actor=w.admin,
        course=course,
        host=where,
        starts_at=timezone.now() - dt.timedelta(hours=2),
        ends_at=timezone.now() - dt.timedelta(hours=1),
        places=100,
        venue="Hall",
        registration_deadline=timezone.now() - dt.timedelta(hours=3),
    )
    people = []
    for i in range(n):
        person = core_services.person_create(actor=w.admin, jurisdiction=where, full_name=f"{where.name} person {i}")
        core_services.affiliation_create(actor=w.admin, person=person, organisation=org)
        people.append(services.participation_add(actor=w.admin, session=session, person=person))
    for day in services.session_days(session):  # one day, or two when the session spans midnight
        services.attendance_record(actor=w.admin, session=session, day=day, present=people)
    services.certificates_issue(actor=w.admin, session=session)


def test_reach_rolls_up_the_tree_and_counts_by_sector(world, as_user):
    w = world
    _trained(w, w.cebu_city, Sector.HEALTH, 2)
    _trained(w, w.manila, Sector.EDUCATION, 3)
    national = as_user(w.national)
    page = national.get(reverse("reach"), {"dimension": "jurisdiction", "within": str(w.ph.uuid)}).content.decode()
    # Central Visayas counts Cebu City's two; the National Capital Region Manila's three.
    assert '<th scope="row">Central Visayas</th><td>2</td>' in page
    assert '<th scope="row">National Capital Region</th><td>3</td>' in page
    sector = national.get(reverse("reach"), {"dimension": "sector"}).content.decode()
    assert '<th scope="row">Health</th><td>2</td>' in sector and '<th scope="row">Education</th><td>3</td>' in sector
    export = national.get(reverse("reach_export", kwargs={"fmt": "csv"}), {"dimension": "sector"})
    assert b"Education,3,3" in b"".join(export.streaming_content)
    local = as_user(w.local).get(reverse("reach"), {"dimension": "sector"}).content.decode()
    assert "Health" in local and "Education" not in local  # a local coordinator sees their subtree only


# The whole page: the session, the user, the grants, the total, then the figures: one grouped query,
# or for jurisdictions the parent unit, the names of the units under it, its total and one grouped query.
REACH_QUERIES = {"sector": 5, "competency": 5, "year": 5, "jurisdiction": 8}


def _reach_queries(client, dimension) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(reverse("reach"), {"dimension": dimension})
        assert response.status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize("dimension", ["jurisdiction", "sector", "competency", "year"])
def test_reach_query_count_does_not_grow_with_jurisdictions_or_participants(world, as_user, dimension):
    w = world
    _trained(w, w.cebu_city, Sector.HEALTH, 1)
    client = as_user(w.national)
    before = _reach_queries(client, dimension)
    for i in range(4):
        unit = core_services.jurisdiction_create(
            actor=w.admin, name=f"Barangay {i}", kind=JurisdictionKind.DISTRICT, parent=w.cebu_city
        )
        _trained(w, unit, Sector.YOUTH, 3)
    after = _reach_queries(client, dimension)
    assert before == after == REACH_QUERIES[dimension]


def test_the_catalogue_speaks_french(world, as_user):
    from django.conf import settings

    w = cebu_training(world)
    client = as_user(w.viewer)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "fr"
    page = client.get(reverse("session_detail", kwargs={"uuid": w.session.uuid})).content.decode()
    assert "Formateurs" in page and "Places" in page
    listing = client.get(reverse("course_list")).content.decode()
    assert "Catalogue de formation" in listing and "Toutes les compétences" in listing


def test_too_many_code_checks_from_one_address_are_refused_without_a_lookup(world, client, settings):
    from django.core.cache import cache

    w = cebu_training(world)
    cache.clear()
    settings.CERTIFICATE_VERIFY_RATE_LIMIT = "2/minute"
    url = reverse("certificate_verify")
    assert client.get(url, {"code": "AAAAA-BBBBB-CCCCC"}).status_code == 404
    assert client.get(url, {"code": w.certificate.code}).status_code == 200
    assert client.get(url).status_code == 200  # the empty form is not a check
    refused = client.get(url, {"code": w.certificate.code})
    text = refused.content.decode()
    assert refused.status_code == 429 and int(refused["Retry-After"]) >= 1
    assert "Too many checks" in text and "Maria Santos" not in text
    other = client.get(url, {"code": w.certificate.code}, REMOTE_ADDR="203.0.113.9")
    assert other.status_code == 200 and "Maria Santos" in other.content.decode()
    cache.clear()
