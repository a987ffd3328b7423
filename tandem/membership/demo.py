"""Demo data of tandem.membership: member authorities in the four demo countries (joined in
different years) and one application waiting for a facilitator."""

from __future__ import annotations

import datetime as dt
from typing import Any

from tandem.core.models import Jurisdiction, Organisation, Person, Sector

from . import services

COUNTRIES = ("PH", "KE", "ID", "MK")


def _candidates(country: Jurisdiction) -> list[tuple[Jurisdiction, Organisation, Person]]:
    """Local governments below the country with a person of their unit to act as focal point."""
    found = []
    orgs = (
        Organisation.objects.filter(
            jurisdiction__path__startswith=country.path,
            jurisdiction__depth__gte=2,
            sector=Sector.LOCAL_GOVERNMENT,
            archived_at__isnull=True,
        )
        .select_related("jurisdiction")
        .order_by("jurisdiction__path", "name")
    )
    seen: set[int] = set()
    for org in orgs:
        if org.jurisdiction_id in seen:
            continue
        person = (
            Person.objects.filter(jurisdiction__path__startswith=org.jurisdiction.path, archived_at__isnull=True)
            .order_by("id")
            .first()
        )
        if person is None:
            continue
        seen.add(org.jurisdiction_id)
        found.append((org.jurisdiction, org, person))
    return found


def build(*, admin: Any, seed: int) -> dict[str, int]:
    """Create this app's demo records; return counts to print (name -> number)."""
    members = pending = 0
    today = dt.date.today()
    for index, code in enumerate(COUNTRIES):
        country = Jurisdiction.objects.filter(iso_code=code).first()
        if country is None:
            continue
        candidates = _candidates(country)
        for n, (unit, org, person) in enumerate(candidates[:2]):
            membership = services.membership_apply(
                actor=admin,
                jurisdiction=unit,
                organisation=org,
                focal_point=person,
                commitments=(
                    "Keep a local coordination body meeting at least every quarter, share one lesson a year with "
                    "the network and take part in regional exchanges."
                ),
                applied_on=today - dt.timedelta(days=400 * (index + 1) + 30 * n),
            )
            if code == "MK" and n == 1:
                pending += 1  # left waiting for a facilitator's review
                continue
            services.membership_decide(
                actor=admin,
                membership=membership,
                decision="accept",
                expected_version=membership.version,
                on=today - dt.timedelta(days=365 * (index + 1) + 30 * n),
            )
            members += 1
    return {"network members": members, "pending applications": pending}
