"""Funding of the national-scale dataset (``manage.py generate_scale``): funding sources at the
country and its regions, calls for proposals on them (serving national plan objectives) with
organisations' applications, the awards made to one in five (each paid in two tranches, the
second not always yet), and organisations' offers of support (see ``tandem.core.scale``)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

from tandem.core.scale import World

from .models import (
    Application,
    ApplicationStatus,
    Award,
    Call,
    FundingSource,
    Offer,
    OfferKind,
    Payment,
    SourceKind,
    Tranche,
)

BASE = {"sources": 500, "calls": 100, "applications_per_call": 20, "offers": 2000}
DECIDED = (ApplicationStatus.AWARDED, ApplicationStatus.DECLINED)
APPLICATION_STATUSES = [
    ApplicationStatus.SUBMITTED,
    ApplicationStatus.SUBMITTED,
    ApplicationStatus.AWARDED,
    ApplicationStatus.DECLINED,
    ApplicationStatus.DRAFT,
]
OFFER_KINDS = [value for value, _label in OfferKind.choices]


def build(world: World) -> None:
    units = world.units[1] + world.units[2]
    total = world.count(BASE["sources"])
    sources = world.bulk(
        "funding sources",
        FundingSource,
        (
            {
                "name": f"Prevention fund {i + 1}",
                "kind": SourceKind.DONOR if i % 3 else SourceKind.NATIONAL_BUDGET,
                "jurisdiction_id": units[i % len(units)][0],
                "amount": Decimal(100000 + 1000 * i),
                "currency": "USD",
                "period_start": dt.date(2025, 1, 1),
                "period_end": dt.date(2026, 12, 31),
            }
            for i in range(total)
        ),
        total,
    )
    source_places = [units[i % len(units)][0] for i in range(total)]
    _calls(world, units, list(zip(sources, source_places, strict=True)))
    total = world.count(BASE["offers"])
    orgs = world.organisations
    world.bulk(
        "offers",
        Offer,
        (
            {
                "organisation_id": orgs[(i * 11) % len(orgs)][0],
                "jurisdiction_id": orgs[(i * 11) % len(orgs)][1],
                "kind": OFFER_KINDS[i % len(OFFER_KINDS)],
                "title": f"Offer {i + 1}",
            }
            for i in range(total)
        ),
        total,
        keep=False,
    )
    world.audit_trail(FundingSource, most=3, label="r.name")
    world.audit_trail(Offer, most=2)


def _calls(world: World, units: list[tuple[int, str]], sources: list[tuple[int, int]]) -> None:
    """Calls at the country and its regions, each on a funding source of its unit, serving three
    national objectives, with applications from organisations inside its unit."""
    total = world.count(BASE["calls"])
    places = [units[i % len(units)] for i in range(total)]
    manager = world.personas["scale.national"].pk
    opens = [world.moment(days=1200) for _ in range(total)]
    calls = world.bulk(
        "funding calls",
        Call,
        (
            {
                "title": f"Call for proposals {i + 1}",
                "purpose": "Local prevention projects with a community partner.",
                "jurisdiction_id": place_id,
                "budget": Decimal(500000),
                "min_grant": Decimal(5000),
                "max_grant": Decimal(50000),
                "currency": "USD",
                "opens_at": start,
                "closes_at": start + dt.timedelta(days=60),
                "manager_id": manager,
                "eligible_sectors": [],
            }
            for i, ((place_id, _path), start) in enumerate(zip(places, opens, strict=True))
        ),
        total,
    )
    by_unit: dict[int, list[int]] = {}
    for source_id, unit_id in sources:
        by_unit.setdefault(unit_id, []).append(source_id)
    world.bulk(
        "funding call sources",
        Call.sources.through,
        (
            {"call_id": call_id, "fundingsource_id": by_unit[place_id][i % len(by_unit[place_id])]}
            for i, (call_id, (place_id, _path)) in enumerate(zip(calls, places, strict=True))
            if by_unit.get(place_id)
        ),
        total,
        keep=False,
    )
    objectives = world.shared.get("national_objectives", [])
    if objectives:
        world.bulk(
            "funding call objectives",
            Call.plan_objectives.through,
            (
                {"call_id": call_id, "objective_id": objectives[(i + k) % len(objectives)]}
                for i, call_id in enumerate(calls)
                for k in range(3)
            ),
            total * 3,
            keep=False,
        )
    # Applicants: organisations inside the call's unit (a region's, or the whole country's).
    paths = dict(world.all_units())
    orgs_under: dict[str, list[tuple[int, int]]] = {}
    for _place_id, path in places:
        if path not in orgs_under:
            orgs_under[path] = [(o, j) for o, j in world.organisations if paths[j].startswith(path)]
    submitters = [user for user, _person, _jur in world.user_places] or [manager]
    per = BASE["applications_per_call"]
    call_source = {
        call_id: by_unit[place_id][i % len(by_unit[place_id])]
        for i, (call_id, (place_id, _path)) in enumerate(zip(calls, places, strict=True))
        if by_unit.get(place_id)
    }
    # Of each application in order: (call, source, jurisdiction, amount, when) if awarded, else None.
    awarded: list[tuple[int, int, int, Decimal, dt.datetime] | None] = []

    def applications() -> Iterator[dict[str, Any]]:
        for i, (call_id, (_place_id, path), start) in enumerate(zip(calls, places, opens, strict=True)):
            candidates = orgs_under[path]
            for k in range(min(per, len(candidates))):
                org_id, jur_id = candidates[(i * 31 + k * 97) % len(candidates)]
                status = APPLICATION_STATUSES[k % len(APPLICATION_STATUSES)]
                amount = Decimal(10000 + 1000 * (k % 30))
                decided = start + dt.timedelta(days=90)
                won = status == ApplicationStatus.AWARDED and call_id in call_source
                awarded.append((call_id, call_source[call_id], jur_id, amount, decided) if won else None)
                yield {
                    "call_id": call_id,
                    "organisation_id": org_id,
                    "submitted_by_id": submitters[(i + k) % len(submitters)],
                    "title": f"Project {i + 1}.{k + 1}",
                    "summary": "Youth mentoring and a referral desk at the municipal hall.",
                    "jurisdiction_id": jur_id,
                    "amount_requested": amount,
                    "status": status,
                    "submitted_at": None if status == ApplicationStatus.DRAFT else start + dt.timedelta(days=20),
                    "decided_at": decided if status in DECIDED else None,
                }

    made = world.bulk("funding applications", Application, applications(), total * per)
    _awards(world, [(pk, won) for pk, won in zip(made, awarded, strict=True) if won is not None], manager)
    world.audit_trail(Call, most=4)
    world.audit_trail(Application, most=3)


def _awards(world: World, winners: list[tuple[int, tuple[int, int, int, Decimal, dt.datetime]]], manager: int) -> None:
    """An award per awarded application, from its call's source, in two tranches: the first paid a
    month after the award, the second (three months later) paid for two awards in three."""
    paid_both = [i % 3 != 2 for i in range(len(winners))]
    awards = world.bulk(
        "funding awards",
        Award,
        (
            {
                "application_id": application_id,
                "source_id": source_id,
                "call_id": call_id,
                "jurisdiction_id": jur_id,
                "amount": amount,
                "currency": "USD",
                "conditions": "A spending report every six months.",
                "awarded_at": when,
                "paid": amount if both else amount / 2,
                "version": 2 if both else 1,
            }
            for (application_id, (call_id, source_id, jur_id, amount, when)), both in zip(
                winners, paid_both, strict=True
            )
        ),
        len(winners),
    )
    terms = [
        (award_id, amount, when) for award_id, (_a, (_c, _s, _j, amount, when)) in zip(awards, winners, strict=True)
    ]
    tranches = world.bulk(
        "funding tranches",
        Tranche,
        (
            {
                "award_id": award_id,
                "amount": amount / 2,
                "due_date": (when + dt.timedelta(days=30 + 90 * t)).date(),
                "condition": "" if t == 0 else "The first report accepted.",
            }
            for award_id, amount, when in terms
            for t in range(2)
        ),
        len(terms) * 2,
    )
    world.bulk(
        "funding payments",
        Payment,
        (
            {
                "award_id": award_id,
                "tranche_id": tranches[2 * i + t],
                "amount": amount / 2,
                "paid_on": (when + dt.timedelta(days=30 + 90 * t)).date(),
                "recorded_by_id": manager,
            }
            for i, ((award_id, amount, when), both) in enumerate(zip(terms, paid_both, strict=True))
            for t in range(2 if both else 1)
        ),
        len(terms) * 2,
        keep=False,
    )
    world.audit_trail(
        Award,
        most=3,
        label="a.title || ' (' || r.amount || ' ' || r.currency || ')'",
        joins="JOIN funding_application a ON a.id = r.application_id",
    )
