"""Training of the national-scale dataset (``manage.py generate_scale``): courses, sessions hosted
across the country and participations (see ``tandem.core.scale``)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

from tandem.core.scale import World

from .models import Course, CourseDelivery, CourseLevel, CourseVisibility, Participation, PlaceStatus, TrainingSession

BASE = {"courses": 300, "sessions": 1500, "participants_per_session": 10}
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
                "level": CourseLevel.LOCAL,
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
                    "level": CourseLevel.LOCAL,
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
