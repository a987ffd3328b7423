"""Demo data of capacity building, built by ``manage.py load_demo`` after the directory.

Kenya's national catalogue (prevention basics for county officials, community dialogue
facilitation, safeguarding information sharing), sessions in 2025 and 2026 in several
counties with participants of every sector the counties have, attendance, feedback from
the Mombasa personas and certificates; the framework items each Kenyan course addresses;
"ready to share" (Kenya requires the safeguarding course before sending at AMBER and above);
an Indonesian course with a Bahasa Indonesia title and an English summary; upcoming sessions
with requests, nominations and a wait-list.
"""

from __future__ import annotations

import datetime as dt
import random
import zoneinfo
from typing import Any

from django.core.exceptions import ValidationError
from django.utils import timezone

from tandem.core.models import Jurisdiction, Person, User

from . import readiness, services
from .models import PlaceStatus

NAIROBI_TIME = zoneinfo.ZoneInfo("Africa/Nairobi")
JAKARTA_TIME = zoneinfo.ZoneInfo("Asia/Jakarta")

# fmt: off
COURSES: list[dict[str, Any]] = [
    {
        "key": "basics", "owner": "KE", "by": "national.ke",
        "title": "Prevention basics for county officials",
        "summary": "What preventing violent extremism asks of a county: the national strategy, the county "
                   "action plan, who does what, and how to read early signs without stigmatising communities.",
        "level": "regional", "delivery": "in_person", "visibility": "country", "languages": "en, sw",
        "duration_hours": 16,
        "objectives": ["Explain the national strategy and the county action plan",
                       "Name the county's prevention partners and their roles",
                       "Tell early signs from stereotypes"],
        "competencies": ["coordination", "capacity"],
        "sectors": ["local_government", "national_government", "police_security", "social_services"],
        "items": ["K1", "C1"],
    },
    {
        "key": "dialogue", "owner": "KE", "by": "national.ke",
        "title": "Community dialogue facilitation",
        "summary": "Running safe, inclusive dialogues between residents, leaders and officials: preparing, "
                   "agreeing ground rules, handling tension, and following up on what was said.",
        "level": "local", "delivery": "blended", "visibility": "country", "languages": "en, sw",
        "duration_hours": 12,
        "objectives": ["Prepare a dialogue with the people it concerns",
                       "Keep a tense discussion safe and fair",
                       "Turn what was said into follow-up the forum owns"],
        "competencies": ["trust", "inclusivity", "communication"],
        "sectors": ["religious", "youth", "women", "community", "local_government"],
        "items": ["T4", "I1"],
    },
    {
        "key": "safeguarding", "owner": "KE", "by": "national.ke",
        "title": "Safeguarding information sharing",
        "summary": "Sharing what partners need and nothing more: traffic-light labels, personal data, sharing "
                   "agreements, and what never belongs on the platform.",
        "level": "national", "delivery": "online", "visibility": "country", "languages": "en",
        "duration_hours": 4,
        "objectives": ["Choose the right label for a piece of information",
                       "Recognise personal data and keep it out when it is not needed",
                       "Know what a sharing agreement allows"],
        "competencies": ["trust", "communication"],
        "sectors": [],
        "items": ["T2", "M1"],
    },
    {
        "key": "guru", "owner": "ID", "by": "facilitator",
        "title": "Dasar-dasar pencegahan ekstremisme kekerasan untuk guru",
        "summary": "Prevention basics for teachers: recognising when a pupil may be drawn towards violence, "
                   "talking with families, and referring to the right service.",
        "level": "local", "delivery": "in_person", "visibility": "country", "languages": "id, en",
        "duration_hours": 8,
        "objectives": ["Recognise signs that a pupil needs support",
                       "Talk with a family without blame",
                       "Refer to the right local service"],
        "competencies": ["capacity", "trust"],
        "sectors": ["education"],
    },
]

# (course key, host ISO code, first day (None: upcoming, set from today), days, places, venue)
SESSIONS: list[tuple[str, str, dt.date | None, int, int, str]] = [
    ("basics", "KE-28", dt.date(2025, 3, 11), 2, 24, "Mombasa County Hall, conference room"),
    ("basics", "KE-30", dt.date(2025, 6, 17), 2, 20, "Nairobi City Hall annex"),
    ("dialogue", "KE-28", dt.date(2025, 9, 23), 3, 20, "Kisauni social hall"),
    ("basics", "KE-17", dt.date(2025, 11, 4), 2, 16, "Kisumu County offices"),
    ("safeguarding", "KE-28", dt.date(2026, 2, 10), 1, 30, ""),
    ("dialogue", "KE-07", dt.date(2026, 5, 19), 3, 18, "Garissa peace centre"),
    ("basics", "KE-21", dt.date(2026, 8, 25), 2, 16, "Lamu county assembly hall"),
    ("guru", "ID-JI", dt.date(2026, 4, 14), 1, 25, "Dinas Pendidikan Kota Surabaya"),
    # Upcoming (two and eleven weeks from the day the demo is built): requests, nominations, a wait-list.
    ("dialogue", "KE-28", None, 3, 3, "Likoni youth centre"),
    ("basics", "KE-30", None, 2, 20, "Nairobi City Hall annex"),
]
# fmt: on

FEEDBACK_COMMENTS = [
    "The role plays on tense meetings were the most useful part.",
    "More time on the county action plan, please.",
    "Good mix of officials and community leaders in the room.",
    "",
]


def _unit(code: str) -> Jurisdiction:
    return Jurisdiction.objects.get(iso_code=code)  # access-ok: demo builder


def _user(username: str) -> User:
    return User.objects.get(username=username)


def build(*, admin: User, seed: int) -> dict[str, int]:
    rng = random.Random(seed + 13)
    counts = {"courses": 0, "training_sessions": 0, "participations": 0, "certificates": 0, "feedback": 0}
    courses = {}
    for spec in COURSES:
        values = {k: v for k, v in spec.items() if k not in ("key", "owner", "by", "items")}
        actor = _user(spec["by"])
        items = services.choosable_items(actor).filter(
            competency__framework__slug="tandem-nlc", code__in=spec.get("items", [])
        )
        courses[spec["key"]] = services.course_create(
            actor=actor, jurisdiction=_unit(spec["owner"]), framework_items=list(items), **values
        )
        counts["courses"] += 1
    now = timezone.now()
    names = ["local.mombasa", "member.mombasa", "partner.cso", "partner.company"]
    personas = list(Person.objects.filter(user__username__in=names).order_by("id"))  # access-ok: demo builder
    upcoming_days = iter((14, 77))
    for index, (key, code, fixed_day, days, places, venue) in enumerate(SESSIONS):
        first_day = fixed_day or timezone.localdate() + dt.timedelta(days=next(upcoming_days))
        course = courses[key]
        host = _unit(code)
        zone = JAKARTA_TIME if code.startswith("ID") else NAIROBI_TIME
        organiser = _user("facilitator" if code.startswith("ID") else "national.ke")
        starts = dt.datetime.combine(first_day, dt.time(9, 0), tzinfo=zone)
        ends = dt.datetime.combine(first_day + dt.timedelta(days=days - 1), dt.time(16, 30), tzinfo=zone)
        session = services.session_create(
            actor=organiser,
            course=course,
            host=host,
            starts_at=starts,
            ends_at=ends,
            time_zone=str(zone),
            venue=venue,
            online_link="" if venue else "https://meet.example.org/safeguarding",
            places=places,
            registration_deadline=starts - dt.timedelta(days=7),
            external_trainers="Amina Yusuf (Coast Interfaith Council)" if key == "dialogue" else "",
        )
        counts["training_sessions"] += 1
        local = list(
            Person.objects.filter(
                jurisdiction__path__startswith=host.path, archived_at__isnull=True
            )  # access-ok: demo builder
            .exclude(user__isnull=False)
            .order_by("id")
        )
        if starts > now:
            _upcoming(session, local, rng, counts)
            continue
        chosen = rng.sample(local, min(len(local), places - (4 if code == "KE-28" else 0)))
        if code == "KE-28" and index == 0:
            chosen = personas + chosen  # the Mombasa personas took the first course
        if key == "safeguarding":  # ready to share: the county coordinator and the CSO partner completed it
            chosen = [p for p in personas if p.user.username in READY] + chosen
        accepted = []
        for person in chosen[:places]:
            accepted.append(services.participation_add(actor=organiser, session=session, person=person))
        counts["participations"] += len(accepted)
        for day in services.session_days(session):
            present = [p for p in accepted if rng.random() < 0.88 or _ready(p, key)]
            services.attendance_record(actor=organiser, session=session, day=day, present=present)
        counts["certificates"] += len(services.certificates_issue(actor=organiser, session=session))
        objectives = list(course.learning_objectives.all())
        for participation in accepted:
            user = participation.person.user
            if user is None:
                continue
            ratings = {o.pk: (rng.randint(3, 5), rng.randint(1, 3), rng.randint(3, 5)) for o in objectives}
            services.feedback_submit(
                actor=user, participation=participation, ratings=ratings, comment=rng.choice(FEEDBACK_COMMENTS)
            )
            counts["feedback"] += 1
    need = services.need_create(
        actor=_user("local.mombasa"),
        jurisdiction=_unit("KE-28"),
        competency="trust",
        sector="youth",
        people_count=25,
        urgency="high",
        description="Youth workers and ward administrators ask for training in running community dialogues "
        "after the tensions around the by-election.",
    )
    services.need_answer(
        actor=_user("national.ke"),
        need=need,
        answer="The Centre reserves places for Mombasa in the December session of Community dialogue "
        "facilitation and will run a second one in Likoni in the first quarter.",
        expected_version=need.version,
    )
    counts["training_needs"] = 1
    counts.update(_ready_to_share(courses["safeguarding"]))
    return counts


READY = ("local.mombasa", "partner.cso")


def _ready(participation: Any, key: str) -> bool:
    return key == "safeguarding" and participation.person.user is not None


def _ready_to_share(course: Any) -> dict[str, int]:
    """Kenya requires "Safeguarding information sharing" before sending at AMBER and above. The Mombasa
    coordinator and the CSO partner hold a completion (February 2026, valid two years); the national
    coordinator, who delivers the course, is exempted with a reason; the body member has neither, so the
    compose page tells them what is missing and refuses AMBER."""
    national = _user("national.ke")
    requirement = readiness.requirement_set(actor=national, country=_unit("KE"), course=course, valid_days=730)
    readiness.exemption_grant(
        actor=national,
        requirement=requirement,
        user=national,
        reason="Delivers the course for the National Counter Terrorism Centre.",
    )
    return {"sharing requirements": 1, "sharing exemptions": 1}


def _upcoming(session, local: list[Person], rng: random.Random, counts: dict[str, int]) -> None:
    """Requests and nominations while registration is open; over-subscription goes to the wait-list."""
    if timezone.now() > session.registration_deadline:
        return
    coordinator = _user("local.mombasa") if session.host.iso_code == "KE-28" else _user("national.ke")
    organiser = _user("national.ke")
    try:
        services.participation_request(actor=_user("member.mombasa"), session=session)
        counts["participations"] += 1
    except ValidationError:
        pass
    for person in rng.sample(local, min(len(local), session.places + 2)):
        try:
            participation = services.participation_nominate(actor=coordinator, session=session, person=person)
        except ValidationError:
            continue
        counts["participations"] += 1
        try:
            services.participation_decide(actor=organiser, participation=participation, status=PlaceStatus.ACCEPTED)
        except ValidationError:  # full: wait-listed
            participation.refresh_from_db()
            services.participation_decide(actor=organiser, participation=participation, status=PlaceStatus.WAITLISTED)
