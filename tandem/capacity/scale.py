"""Training of the national-scale dataset (``manage.py generate_scale``): courses, sessions hosted
across the country, participations, and the training needs localities raised (see
``tandem.core.scale``)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

from tandem.core.models import GovernmentLevel
from tandem.core.scale import World

from .models import (
    Competency,
    Course,
    CourseDelivery,
    CourseVisibility,
    Participation,
    PlaceStatus,
    TrainingNeed,
    TrainingSession,
    Urgency,
)

BASE = {"courses": 300, "sessions": 1500, "participants_per_session": 10, "needs": 500}
COMPETENCIES = [value for value, _label in Competency.choices]
URGENCIES = [value for value, _label in Urgency.choices]
STATUSES = [PlaceStatus.ACCEPTED, PlaceStatus.ACCEPTED, PlaceStatus.NOMINATED, PlaceStatus.WAITLISTED]


def build(world: World) -> None:
    assert world.country is not None
    courses = world.bulk(
        "courses",
        Course,
        (
            {
                "title": f"Course {i + 1}",
                "jurisdiction_id": world.country.pk,
                "level": GovernmentLevel.LOCAL,
                "delivery": CourseDelivery.IN_PERSON,
                "visibility": CourseVisibility.COUNTRY,
            }
            for i in range(world.count(BASE["courses"]))
        ),
        world.count(BASE["courses"]),
    )
    total = world.count(BASE["sessions"])
    localities = world.localities()
    hosts = [localities[(i * 13) % len(localities)] for i in range(total)]
    starts = [world.moment() for _ in range(total)]
    sessions = world.bulk(
        "training sessions",
        TrainingSession,
        (
            {
                "course_id": courses[i % len(courses)],
                "host_id": host[0],
                "starts_at": start,
                "ends_at": start + dt.timedelta(hours=6),
                "places": 30,
                "registration_deadline": start - dt.timedelta(days=7),
            }
            for i, (host, start) in enumerate(zip(hosts, starts, strict=True))
        ),
        total,
    )

    def participations() -> Iterator[dict[str, Any]]:
        for session_id, (host_id, host_path) in zip(sessions, hosts, strict=True):
            people = world.people_in(host_id)[: BASE["participants_per_session"]]
            for k, person_id in enumerate(people):
                yield {
                    "session_id": session_id,
                    "person_id": person_id,
                    "status": STATUSES[k % len(STATUSES)],
                    "jurisdiction_id": host_id,
                    "jurisdiction_path": host_path,
                    "level": GovernmentLevel.LOCAL,
                }

    world.bulk("participations", Participation, participations(), total * BASE["participants_per_session"], keep=False)
    world.audit_trail(Course, most=3)
    world.audit_trail(
        TrainingSession,
        most=2,
        label="c.title",
        jurisdiction="r.host_id",
        joins="JOIN capacity_course c ON c.id = r.course_id",
    )
    world.audit_trail(Participation, most=2, label="p.full_name", joins="JOIN core_person p ON p.id = r.person_id")
    _needs(world)


def _needs(world: World) -> None:
    """One locality in ten raised a training need to the level above (a third of them answered)."""
    localities = world.localities()
    total = min(world.count(BASE["needs"]), len(localities))
    raisers = {jur: user for user, _person, jur in world.user_places}
    answerer = world.personas["scale.regional"].pk
    world.bulk(
        "training needs",
        TrainingNeed,
        (
            {
                "jurisdiction_id": unit_id,
                "competency": COMPETENCIES[i % len(COMPETENCIES)],
                "people_count": 5 + i % 40,
                "urgency": URGENCIES[i % len(URGENCIES)],
                "description": "Frontline staff asked for it after the last quarterly review.",
                "raised_by_id": raisers.get(unit_id, answerer),
                "answer": "A session is planned next quarter." if i % 3 == 0 else "",
                "answered_by_id": answerer if i % 3 == 0 else None,
                "answered_at": world.moment() if i % 3 == 0 else None,
            }
            for i, (unit_id, _path) in enumerate(localities[(k * 10) % len(localities)] for k in range(total))
        ),
        total,
        keep=False,
    )
    world.audit_trail(TrainingNeed, most=2, label="r.competency || ' · ' || j.name")
