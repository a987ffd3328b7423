"""Demo data of funding, built by ``manage.py load_demo`` after the directory and the plans.

Kenya: a national CVE fund and a donor programme fund a national call for county youth-dialogue
initiatives, tied to the national strategy's youth-participation objective. Twelve applications
come from organisations of Mombasa, Nairobi, Garissa and Kisumu; two reviewers score them (one
declares a conflict of interest with one applicant); the call closes; six are awarded with two
tranches each, the first paid, spend reports filed, one report overdue and one award closed.
A second call, for Mombasa's youth mentoring, is open for applications. Bandari Logistics
records a venue as a contribution in kind.
"""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal
from typing import Any

from django.utils import timezone

from tandem.core import services as core_services
from tandem.core.models import Jurisdiction, Organisation, Role, User

from . import selectors, services
from .models import ApplicationStatus

# (organisation, county code, project title, amount requested)
APPLICANTS: list[tuple[str, str, str, int]] = [
    ("Coast Youth Peace Network", "KE-28", "Kisauni youth barazas", 900_000),
    ("Pwani Community Dialogue Trust", "KE-28", "Likoni intergenerational dialogues", 750_000),
    ("Mombasa Women for Peace Forum", "KE-28", "Young women's safety circles", 600_000),
    ("Sauti ya Pwani Community Radio", "KE-28", "Youth voices radio call-ins", 450_000),
    ("Coast Youth Peace Network", "KE-28", "Football for dialogue league", 1_200_000),
    ("Eastleigh Youth Empowerment Centre", "KE-30", "Eastleigh youth and police dialogues", 1_000_000),
    ("Mtaa Media Collective", "KE-30", "Young journalists against hate speech", 500_000),
    ("Eastleigh Youth Empowerment Centre", "KE-30", "Mentoring circles for school leavers", 650_000),
    ("Garissa Interfaith Peace Committee", "KE-07", "Interfaith youth camps", 800_000),
    ("North Eastern Women's Network", "KE-07", "Mothers and sons dialogue evenings", 400_000),
    ("Lake Region Business Association", "KE-17", "Apprenticeship dialogues with employers", 700_000),
    ("Garissa Interfaith Peace Committee", "KE-07", "Madrasa and school exchange visits", 350_000),
]
PERSONA_FOR = {"Coast Youth Peace Network": "member.mombasa", "Pwani Community Dialogue Trust": "partner.cso"}
DECISIONS = ["awarded"] * 6 + ["declined"] * 2 + ["waitlisted"] * 2  # the last two stay submitted


def _applicant(org: Organisation, admin: User) -> User:
    """The persona acting for the organisation, or a demo account (no password) acting for it."""
    username = PERSONA_FOR.get(org.name) or "grants." + "".join(c for c in org.name.lower() if c.isalnum())[:20]
    user = User.objects.filter(username=username).first()
    if user is None:
        user = User.objects.create_user(username=username, password=None, first_name=org.name[:30])
        core_services.role_grant(
            actor=admin, user=user, role=Role.PARTNER, jurisdiction=org.jurisdiction, organisation=org
        )
    return user


def _reviewer(username: str, name: str, kenya: Jurisdiction, admin: User) -> User:
    user = User.objects.create_user(username=username, password=None, first_name=name)
    core_services.role_grant(actor=admin, user=user, role=Role.VIEWER, jurisdiction=kenya)
    return user


def build(*, admin: Any, seed: int) -> dict[str, int]:
    """Create this app's demo records; return counts to print (name -> number)."""
    kenya = Jurisdiction.objects.filter(iso_code="KE").first()
    national = User.objects.filter(username="national.ke").first()
    if kenya is None or national is None:
        return {}
    rng = random.Random(seed)
    now = timezone.now()
    today = timezone.localdate()
    orgs = {o.name: o for o in Organisation.objects.filter(jurisdiction__path__startswith=kenya.path)}
    fund = services.source_create(
        actor=national,
        name="National CVE Fund 2026 (demo)",
        kind="national_budget",
        jurisdiction=kenya,
        amount="50000000",
        currency_code="KES",
        period_start=dt.date(2026, 1, 1),
        period_end=dt.date(2026, 12, 31),
        conditions="County initiatives aligned with the national strategy; quarterly spend reports.",
        organisation=orgs.get("National Counter Terrorism Centre"),
    )
    donor = services.source_create(
        actor=national,
        name="Kenya Inclusive Communities Programme grant",
        kind="donor",
        jurisdiction=kenya,
        amount="20000000",
        currency_code="KES",
        period_start=dt.date(2026, 1, 1),
        period_end=dt.date(2027, 6, 30),
        conditions="Youth-led initiatives only; no equipment above 10% of a grant.",
        organisation=orgs.get("Kenya Inclusive Communities Programme"),
    )
    mombasa = Jurisdiction.objects.filter(iso_code="KE-28").first()
    sources = 2
    if mombasa is not None and "Bandari Logistics Ltd" in orgs:
        services.source_create(
            actor=national,
            name="Bandari Logistics: training hall at the port (in kind)",
            kind="company",
            jurisdiction=mombasa,
            amount="300000",
            currency_code="KES",
            in_kind=True,
            in_kind_type="facilities",
            in_kind_description="A training hall for 60 people, two days a month.",
            period_start=dt.date(2026, 1, 1),
            period_end=dt.date(2026, 12, 31),
            organisation=orgs["Bandari Logistics Ltd"],
        )
        sources += 1
    from tandem.plans import access as plans_access

    objective = (
        plans_access.visible_objectives(national)
        .filter(plan__jurisdiction=kenya, text__icontains="youth participation")
        .first()
    )
    call = services.call_create(
        actor=national,
        jurisdiction=kenya,
        title="County youth-dialogue initiatives 2026",
        purpose="Grants for locally led dialogue between young people, their communities and county institutions.",
        sources=[fund, donor],
        budget="10000000",
        min_grant="100000",
        max_grant="1500000",
        currency_code="KES",
        opens_at=now - dt.timedelta(days=120),
        closes_at=now + dt.timedelta(days=10),
        criteria=[
            ("Relevance to the county plan", "3", 5),
            ("Youth leadership", "2", 5),
            ("Feasibility", "2", 5),
            ("Value for money", "1", 5),
        ],
        objectives=[objective] if objective else [],
        required_documents="Budget, workplan, registration certificate.",
        publishable=True,
    )
    applications = []
    for org_name, _code, title, amount in APPLICANTS:
        org = orgs.get(org_name)
        if org is None:
            continue
        user = _applicant(org, admin)
        half = Decimal(amount) / 2
        draft = services.application_save(
            actor=user,
            call=call,
            organisation=org,
            title=title,
            summary=f"{title}: monthly sessions over six months, led by young people, with county officers invited.",
            jurisdiction=org.jurisdiction,
            amount_requested=str(amount),
            budget_lines=[("Venues and refreshments", str(half)), ("Facilitation and transport", str(half))],
            co_funding=str(amount // 10),
            co_funding_note="Own contribution (volunteer time valued)",
            objectives=[objective] if objective else [],
        )
        applications.append(
            (services.application_submit(actor=user, application=draft, expected_version=draft.version), user)
        )
    reviewers = [
        _reviewer("reviewer.amina", "Amina Otieno", kenya, admin),
        _reviewer("reviewer.kiprono", "Kiprono Kiplagat", kenya, admin),
    ]
    for index, (app, _user) in enumerate(applications):
        for r_index, reviewer in enumerate(reviewers):
            assignment = services.reviewer_assign(actor=national, application=app, reviewer=reviewer)
            conflict = r_index == 1 and index == 1  # Kiprono sits on the Pwani trust's board
            services.conflict_declare(
                actor=reviewer,
                assignment=assignment,
                has_conflict=conflict,
                note="I sit on the applicant's board." if conflict else "",
            )
            if conflict:
                continue
            base = 5 - index // 3
            scores = {
                c.pk: (max(0, min(c.max_score, base + rng.choice((-1, 0, 0, 1)))), "Clear plan; budget realistic.")
                for c in selectors.criteria_of(call)
            }
            services.scores_save(actor=reviewer, assignment=assignment, scores=scores)
    call = services.call_close(actor=national, call=call, expected_version=call.version)
    ranked = list(selectors.ranking(national, call))
    awards = []
    for decision, app in zip(DECISIONS, ranked, strict=False):
        app.refresh_from_db()
        decided = services.application_decide(
            actor=national,
            application=app,
            expected_version=app.version,
            decision=decision,
            amount=str(app.amount_requested) if decision == ApplicationStatus.AWARDED else None,
            source=fund if len(awards) % 2 == 0 else donor,
            conditions="Two tranches; the second after an accepted spend report." if decision == "awarded" else "",
            reason="Below the funding line this round." if decision == "declined" else "",
        )
        if decision == ApplicationStatus.AWARDED:
            awards.append(decided.award)
    users = {app.pk: user for app, user in applications}
    for index, award in enumerate(awards):
        half = (award.amount / 2).quantize(Decimal("0.01"))
        first = services.tranche_add(
            actor=national,
            award=award,
            amount=str(half),
            due_date=today - dt.timedelta(days=45),
            condition="On signature",
        )
        services.tranche_add(
            actor=national,
            award=award,
            amount=str(award.amount - half),
            due_date=today + dt.timedelta(days=45),
            condition="After an accepted spend report",
        )
        services.payment_record(
            actor=national, award=award, amount=str(half), paid_on=today - dt.timedelta(days=40), tranche=first
        )
        report = services.report_schedule(
            actor=national, award=award, due_date=today - dt.timedelta(days=10 if index == 1 else 5)
        )
        if index == 1:
            continue  # this grantee's report is overdue
        lines = list(selectors.budget_lines(award.application))
        services.report_submit(
            actor=users[award.application_id],
            report=report,
            narrative="Three sessions held; 140 young people took part; county officers attended two.",
            lines={line.pk: str((line.amount * Decimal("0.4")).quantize(Decimal("0.01"))) for line in lines},
        )
        if index == len(awards) - 1:
            award.refresh_from_db()
            services.award_close(actor=national, award=award, expected_version=award.version)
    if mombasa is not None:
        local = User.objects.filter(username="local.mombasa").first()
        if local is not None:
            services.call_create(
                actor=local,
                jurisdiction=mombasa,
                title="Mombasa youth mentoring small grants",
                purpose="Small grants for mentoring schemes pairing young people with professionals.",
                sources=[donor],
                budget="2000000",
                min_grant="50000",
                max_grant="300000",
                currency_code="KES",
                opens_at=now - dt.timedelta(days=3),
                closes_at=now + dt.timedelta(days=40),
                criteria=[("Relevance", "2", 5), ("Mentor quality", "1", 5)],
                publishable=False,
            )
    offers = _bandari(admin, orgs, mombasa)
    return {
        "funding sources": sources,
        "funding applications": len(applications),
        "awards": len(awards),
        "partner offers": offers,
    }


def _bandari(admin: User, orgs: dict[str, Organisation], mombasa: Jurisdiction | None) -> int:
    """Bandari Logistics offers apprenticeships and a venue; the county matches them to a need."""
    from tandem.plans import access as plans_access

    from .services import offers as offer_services

    company = User.objects.filter(username="partner.company").first()
    local = User.objects.filter(username="local.mombasa").first()
    bandari = orgs.get("Bandari Logistics Ltd")
    if company is None or local is None or bandari is None or mombasa is None:
        return 0
    apprenticeships = offer_services.offer_create(
        actor=company,
        organisation=bandari,
        kind="jobs",
        title="Apprenticeships in port logistics",
        description="Twelve paid six-month apprenticeships a year for young people of the county.",
        sectors=["youth"],
    )
    venue = offer_services.offer_create(
        actor=company,
        organisation=bandari,
        kind="venue",
        title="Training hall at the port",
        description="A hall for 60 people, two days a month, with projector and refreshments.",
    )
    need = (
        plans_access.visible_activities(local)
        .filter(plan__jurisdiction=mombasa, budget__isnull=True)
        .exclude(status="cancelled")
        .first()
    )
    first = offer_services.match_propose(
        actor=local,
        offer=apprenticeships,
        jurisdiction=mombasa,
        need="Jobs for graduates of the Kisauni youth mentoring scheme",
        activity=need,
    )
    offer_services.match_respond(actor=company, match=first, expected_version=first.version, accept=True)
    offer_services.match_propose(
        actor=local, offer=venue, jurisdiction=mombasa, need="A venue for the county youth barazas"
    )
    return 2
