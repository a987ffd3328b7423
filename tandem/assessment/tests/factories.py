"""Records the assessment tests and matrix rows build on (through the services)."""

from __future__ import annotations

from tandem.assessment import services
from tandem.assessment.models import Level, Status
from tandem.core import services as core_services
from tandem.core.models import Sector


def person_for(w, user, jurisdiction, name):
    """A directory person linked to ``user`` (the personas have accounts but no person record)."""
    return core_services.person_create(actor=w.admin, jurisdiction=jurisdiction, full_name=name, user=user)


def answer_all(respondent, actor, score_of):
    """Submit ``score_of(item)`` for every item (``None``: don't know)."""
    from tandem.assessment import selectors

    respondent.refresh_from_db()
    items = selectors.items(respondent.assessment.framework)
    return services.answers_submit(
        actor=actor,
        respondent=respondent,
        expected_version=respondent.version,
        scores={i.pk: score_of(i) for i in items},
        strengths="The county forum meets.",
        obstacles="Reports go up but little comes back.",
    )


def agreement(actor, jurisdiction, title: str, *, organisations=(), valid_from=None):
    """A sharing agreement registered at ``jurisdiction`` (in force from ``valid_from``, 2024 by default)."""
    import datetime as dt

    from tandem.exchange import services as exchange_services

    return exchange_services.agreement_save(
        actor=actor,
        agreement=None,
        values={
            "title": title,
            "jurisdiction": jurisdiction,
            "legal_basis": "EO 70",
            "categories": "Requests",
            "retention": "2 years",
            "contact": "dpo@example.org",
            "valid_from": valid_from or dt.date(2024, 1, 1),
            "valid_to": None,
        },
        organisations=list(organisations),
        jurisdictions=[],
    )


def cebu_assessment(w, *, status: str = Status.COLLECTING, round_label: str = "2026"):
    """A Cebu City assessment led by the local coordinator; the ``member`` persona is invited (and answered
    if the assessment is past collecting); ``cso``/``company``/``viewer`` are not invited."""
    if hasattr(w, "assessment"):
        return w.assessment
    framework = services.tandem_framework()
    a = services.assessment_create(
        actor=w.local, jurisdiction=w.cebu_city, round_label=round_label, framework=framework
    )
    w.member_person = person_for(w, w.member, w.cebu_city, "Mario Member")
    w.respondent = services.respondent_invite(
        actor=w.local, assessment=a, person=w.member_person, sector=Sector.YOUTH, level=Level.LOCAL
    )
    if status != Status.DRAFT:
        a = services.assessment_transition(
            actor=w.local, assessment=a, to=Status.COLLECTING, expected_version=a.version
        )
    w.assessment = a
    w.framework = framework
    return a


def visayas_mapping(w):
    """A mapping of Central Visayas led by the facilitator (granted there), with one obstacle in Cebu City."""
    if hasattr(w, "mapping"):
        return w.mapping
    from tandem.assessment import selectors

    framework = services.tandem_framework()
    w.mapping = services.mapping_create(actor=w.facilitator, jurisdiction=w.visayas, title="Central Visayas mapping")
    comp = selectors.competencies(framework)[3]
    w.mapping_entry = services.mapping_entry_add(
        actor=w.facilitator,
        exercise=w.mapping,
        kind="obstacle",
        competency=comp,
        text="City offices hear of national guidance late.",
        places=[w.cebu_city],
    )
    return w.mapping


def cebu_in_validation(w):
    """The Cebu City assessment in validation: the member answered, one pending finding (``w.finding``);
    the city's peace council (``w.body``) held ``w.meeting``."""
    from tandem.bodies.tests.factories import cebu_body

    a = cebu_assessment(w)
    if not hasattr(w, "body"):
        cebu_body(w)
    if a.status == Status.COLLECTING:
        answer_all(w.respondent, w.member, lambda i: 2)
        a = services.assessment_transition(
            actor=w.local, assessment=a, to=Status.VALIDATION, expected_version=a.version
        )
        w.assessment = a
        w.finding = services.finding_add(actor=w.local, assessment=a, text="Guidance reaches the city late.")
    return a


def cebu_evidence(w):
    """The member's evidence link to the peace council's held meeting (the assessment collects answers)."""
    from tandem.bodies.tests.factories import cebu_body

    cebu_assessment(w)
    if not hasattr(w, "body"):
        cebu_body(w)
    if not hasattr(w, "evidence"):
        w.evidence = services.evidence_link_add(
            actor=w.member, respondent=w.respondent, kind="meeting", target_uuid=w.meeting.uuid
        )
    return w.evidence
