"""Funding of the national-scale dataset (``manage.py generate_scale``): funding sources at the
country and its regions, and organisations' offers of support (see ``tandem.core.scale``)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from tandem.core.scale import World

from .models import FundingSource, Offer, OfferKind, SourceKind

BASE = {"sources": 500, "offers": 2000}
OFFER_KINDS = [value for value, _label in OfferKind.choices]


def build(world: World) -> None:
    units = world.units[1] + world.units[2]
    total = world.count(BASE["sources"])
    world.bulk(
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
        keep=False,
    )
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
