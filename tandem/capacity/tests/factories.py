"""Capacity records of the test world, in Cebu City (see tandem/conftest.py).

``cebu_training(w)`` adds: a course owned by Cebu City, visible to its subtree (and to
those above it); a three-day session hosted there that started an hour ago (its
registration closes in an hour); Maria Santos (civil society, the youth forum) accepted
on it, with full attendance and a certificate; the ``member`` persona's own person
record (Ana Cruz), who requested a place and was accepted.
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from tandem.core import services as core_services
from tandem.core.models import GovernmentLevel

from .. import services
from ..models import Competency, CourseDelivery, CourseVisibility, PlaceStatus


def member_person(w):
    if not hasattr(w, "member_person"):
        person = core_services.person_create(
            actor=w.admin, jurisdiction=w.cebu_city, full_name="Ana Cruz", email="ana@example.org"
        )
        core_services.affiliation_create(actor=w.admin, person=person, organisation=w.cso_org, title="Volunteer")
        person.user = w.member
        person.save(update_fields=["user"])
        w.member_person = person
    return w.member_person


def cebu_course(w, **overrides):
    values = {
        "jurisdiction": w.cebu_city,
        "title": "Prevention basics for city officials",
        "summary": "What prevention means at city level.",
        "level": GovernmentLevel.LOCAL,
        "delivery": CourseDelivery.IN_PERSON,
        "visibility": CourseVisibility.SUBTREE,
        "languages": "en, ceb",
        "duration_hours": 16,
        "objectives": ["Explain the prevention framework", "Map local partners"],
        "competencies": [Competency.COORDINATION, Competency.TRUST],
        "sectors": ["local_government", "youth"],
    }
    values.update(overrides)
    return services.course_create(actor=w.local, **values)


def cebu_session(w, course, *, places=10, start=None, days=3, deadline=None):
    # By default the session started at midnight UTC of the day an hour ago: under way now, and its
    # ``days`` calendar days do not depend on the time of day the test runs (started an hour ago, a
    # three-day session ran into a fourth day whenever the tests ran after 16:00 UTC).
    if start is None:
        an_hour_ago = timezone.now() - dt.timedelta(hours=1)
        start = dt.datetime.combine(an_hour_ago.date(), dt.time(0, 0), tzinfo=dt.UTC)
    return services.session_create(
        actor=w.local,
        course=course,
        host=w.cebu_city,
        starts_at=start,
        ends_at=start + dt.timedelta(days=days - 1, hours=8),
        time_zone="UTC",
        venue="Cebu City Hall, session room",
        places=places,
        registration_deadline=deadline or timezone.now() + dt.timedelta(hours=1),
    )


def cebu_need(w):
    """Cebu City's coordinator asks for trust-building training for 12 people (answered by nobody yet)."""
    if not hasattr(w, "need"):
        cebu_training(w)
        w.need = services.need_create(
            actor=w.local,
            jurisdiction=w.cebu_city,
            competency=Competency.TRUST,
            sector="youth",
            people_count=12,
            urgency="high",
            description="Youth workers ask for trust-building with the police.",
        )
    return w.need


def cebu_training(w):
    if hasattr(w, "course"):
        return w
    w.course = cebu_course(w)
    w.session = cebu_session(w, w.course)
    w.maria = services.participation_nominate(actor=w.local, session=w.session, person=w.person_cebu)
    w.maria = services.participation_decide(actor=w.local, participation=w.maria, status=PlaceStatus.ACCEPTED)
    for day in services.session_days(w.session):
        services.attendance_record(actor=w.local, session=w.session, day=day, present=[w.maria])
    (w.certificate,) = services.certificates_issue(actor=w.local, session=w.session)
    member_person(w)
    w.ana = services.participation_request(actor=w.member, session=w.session)
    w.ana = services.participation_decide(actor=w.local, participation=w.ana, status=PlaceStatus.ACCEPTED)
    return w
