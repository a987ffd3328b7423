"""Demo records of the assessment toolkit: four Kenyan counties, rounds 2025 and 2026.

Mombasa and three more counties (Nairobi, Garissa, Kisumu) are assessed in 2025 and 2026 by
10 respondents each, from several sectors, half national and half local. In Mombasa's 2026
round national and local respondents disagree on communication (national 3–4, local 0–1). Mombasa
2025 is final: validated at a meeting of the county forum, with findings and recommendations, one
turned into an action item of the forum. The facilitator (granted on Indonesia) leads Surabaya's
2026 assessment and maps Indonesia with a local expert (validated at a meeting of a body there).
Everything goes through the services; the people are invented and have no account (their paper
questionnaires are entered by the lead).
"""

from __future__ import annotations

import random
from typing import Any

from tandem.core import services as core_services
from tandem.core.models import Jurisdiction, Person, Sector, User

from . import selectors, services
from .models import Level, Status

COUNTIES = [("KE-28", "local.mombasa"), ("KE-30", "national.ke"), ("KE-07", "national.ke"), ("KE-17", "national.ke")]
# Sector and level of the ten respondents of each county.
PANEL = [
    (Sector.NATIONAL_GOVERNMENT, Level.NATIONAL),
    (Sector.POLICE_SECURITY, Level.NATIONAL),
    (Sector.JUSTICE, Level.NATIONAL),
    (Sector.NATIONAL_GOVERNMENT, Level.NATIONAL),
    (Sector.EDUCATION, Level.NATIONAL),
    (Sector.LOCAL_GOVERNMENT, Level.LOCAL),
    (Sector.YOUTH, Level.LOCAL),
    (Sector.WOMEN, Level.LOCAL),
    (Sector.RELIGIOUS, Level.LOCAL),
    (Sector.POLICE_SECURITY, Level.LOCAL),
]
FIRST = ("Amina", "Baraka", "Wanjiru", "Salim", "Achieng", "Kiprono", "Halima", "Juma", "Njeri", "Omari")
LAST = ("Mwakio", "Otieno", "Said", "Kamau", "Barasa", "Hassan", "Ochieng", "Wekesa", "Chege", "Abdi")


def _user(username: str) -> User | None:
    return User.objects.filter(username=username).first()


def _panel(admin: Any, county: Jurisdiction, country: Jurisdiction, slug: str) -> list[tuple[Person, str, str]]:
    people = []
    for i, (sector, level) in enumerate(PANEL):
        name = f"{FIRST[i]} {LAST[(i + len(slug)) % len(LAST)]}"
        place = country if level == Level.NATIONAL else county
        person = core_services.person_create(actor=admin, jurisdiction=place, full_name=name)
        people.append((person, sector, level))
    return people


def _score(rng: random.Random, code: str, level: str, base: float, disagree: bool) -> int | None:
    if rng.random() < 0.05:
        return None  # don't know
    if disagree and code == "communication":
        return rng.choice((3, 4)) if level == Level.NATIONAL else rng.choice((0, 1))
    return max(0, min(4, round(base + rng.uniform(-1, 1))))


def _run(
    admin: Any,
    lead: Any,
    place: Jurisdiction,
    round_label: str,
    panel: list[tuple[Person, str, str]],
    rng: random.Random,
    base: dict[str, float],
    *,
    disagree: bool = False,
) -> Any:
    framework = services.tandem_framework()
    a = services.assessment_create(actor=lead, jurisdiction=place, round_label=round_label, framework=framework)
    a = services.assessment_transition(actor=lead, assessment=a, to=Status.COLLECTING, expected_version=a.version)
    items = selectors.items(framework)
    for person, sector, level in panel:
        r = services.respondent_invite(actor=lead, assessment=a, person=person, sector=sector, level=level)
        scores = {i.pk: _score(rng, i.competency.code, level, base[i.competency.code], disagree) for i in items}
        services.answers_submit(  # paper questionnaires from the county workshop, entered by the lead
            actor=lead,
            from_paper=True,
            respondent=r,
            expected_version=r.version,
            scores=scores,
            strengths=rng.choice(("The county forum meets every quarter.", "Youth groups are heard.", "")),
            obstacles=rng.choice(("Guidance from the national level arrives late.", "No budget line.", "")),
        )
    return a


def build(*, admin: Any, seed: int) -> dict[str, int]:
    from tandem.bodies import access as bodies_access
    from tandem.bodies.models import MeetingStatus

    rng = random.Random(seed + 12)
    counts = {"assessments": 0, "assessment respondents": 0}
    kenya = Jurisdiction.objects.filter(iso_code="KE").first()
    if kenya is None:
        return counts
    for index, (code, lead_name) in enumerate(COUNTIES):
        county = Jurisdiction.objects.filter(iso_code=code).first()
        lead = _user(lead_name) or admin
        if county is None:
            continue
        panel = _panel(admin, county, kenya, code.lower())
        base = {
            c: 1.5 + rng.uniform(-0.5, 1.0)
            for c in ("trust", "inclusivity", "coordination", "communication", "capacity", "sustainability")
        }
        old = _run(admin, lead, county, "2025", panel, rng, base)
        newer = {k: min(4.0, v + 0.4) for k, v in base.items()}
        new = _run(admin, lead, county, "2026", panel, rng, newer, disagree=index == 0)
        counts["assessments"] += 2
        counts["assessment respondents"] += 2 * len(panel)
        old = services.assessment_transition(
            actor=lead, assessment=old, to=Status.VALIDATION, expected_version=old.version
        )
        if index == 0:
            member = _user("member.mombasa")
            person = Person.objects.filter(user=member).first() if member else None
            if person is not None:
                services.respondent_invite(
                    actor=lead, assessment=new, person=person, sector=Sector.YOUTH, level=Level.LOCAL
                )
            meeting = (
                bodies_access.visible_meetings(lead)
                .filter(body__jurisdiction=county, status=MeetingStatus.HELD)
                .order_by("-starts_at")
                .first()
            )
            if meeting is not None:
                old = services.validation_meeting_set(
                    actor=lead, assessment=old, meeting=meeting, expected_version=old.version
                )
                comps = {c.code: c for c in selectors.competencies(old.framework)}
                finding = services.finding_add(
                    actor=lead,
                    assessment=old,
                    competency=comps["communication"],
                    text="Reports travel up to the national level, little guidance travels back down.",
                )
                services.finding_record(
                    actor=lead, finding=finding, outcome="confirmed", note="", expected_version=finding.version
                )
                services.recommendation_add(
                    actor=lead,
                    assessment=old,
                    competency=comps["communication"],
                    text="Agree a monthly brief from the county commissioner to the forum.",
                )
                rec = services.recommendation_add(
                    actor=lead,
                    assessment=old,
                    competency=comps["sustainability"],
                    text="Ask the county assembly for a budget line for the forum's secretariat.",
                )
                services.recommendation_to_action_item(actor=lead, recommendation=rec, body=meeting.body)
                services.assessment_transition(
                    actor=lead, assessment=old, to=Status.FINAL, expected_version=old.version
                )
    surabaya = Jurisdiction.objects.filter(name="Surabaya").first()
    facilitator = _user("facilitator")
    indonesia = Jurisdiction.objects.filter(iso_code="ID").first()
    if surabaya is not None and facilitator is not None and indonesia is not None:
        panel = _panel(admin, surabaya, indonesia, "surabaya")[:8]
        base = dict.fromkeys(
            ("trust", "inclusivity", "coordination", "communication", "capacity", "sustainability"), 2.0
        )
        _run(admin, facilitator, surabaya, "2026", panel, rng, base)
        counts["assessments"] += 1
        counts["assessment respondents"] += len(panel)
    if facilitator is not None and indonesia is not None:
        counts["mapping exercises"] = 1
        _indonesia_mapping(admin, facilitator, indonesia, surabaya)
    return counts


def _indonesia_mapping(admin: Any, facilitator: Any, indonesia: Jurisdiction, surabaya: Jurisdiction | None) -> None:
    """The facilitator maps Indonesia with a local expert; validated at a meeting of a body there."""
    from tandem.bodies import access as bodies_access
    from tandem.bodies.models import MeetingStatus

    mapping = services.mapping_create(
        actor=facilitator, jurisdiction=indonesia, title="Mapping of national–local cooperation in Indonesia"
    )
    expert = core_services.person_create(actor=admin, jurisdiction=indonesia, full_name="Dewi Rahmawati")
    comps = {c.code: c for c in selectors.competencies(services.tandem_framework())}
    places = [surabaya] if surabaya is not None else []
    entries = [
        ("strength", "coordination", "City prevention teams meet monthly with the provincial office.", places),
        ("strength", "inclusivity", "Women's groups and pesantren take part in city planning.", places),
        ("obstacle", "communication", "National guidance reaches districts late and only in Jakarta's format.", []),
        ("obstacle", "sustainability", "Most local work depends on one donor project.", places),
    ]
    for kind, code, text, where in entries:
        services.mapping_entry_add(
            actor=facilitator,
            exercise=mapping,
            kind=kind,
            competency=comps[code],
            text=text,
            evidence="Desk review and interviews with local experts.",
            places=where,
        )
    meeting = (
        bodies_access.visible_meetings(admin)
        .filter(body__jurisdiction__path__startswith=indonesia.path, status=MeetingStatus.HELD)
        .order_by("-starts_at")
        .first()
    )
    services.mapping_update(
        actor=admin,
        exercise=mapping,
        expected_version=mapping.version,
        values={
            "expert": expert,
            "desk_review": "A review of national and provincial plans, laws and programme reports.",
            "validation_meeting": meeting,
            "report": "Four findings were validated with national and local stakeholders.",
        },
    )
