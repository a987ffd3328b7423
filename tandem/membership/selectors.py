"""Reads of membership, built on :mod:`tandem.membership.access`."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet

from tandem.core.models import Jurisdiction

from . import access
from .models import NetworkMembership, StatusChange


@dataclass(frozen=True)
class PublicMember:
    """What the public page shows of a member, and nothing more."""

    name: str
    year: int


def public_list() -> list[tuple[str, list[PublicMember]]]:
    """Members by country (country name, members sorted by name): two queries."""
    rows = list(access.public_members().values_list("organisation__name", "joined_on", "jurisdiction__path"))
    country_ids = {int(path.strip("/").split("/")[1]) for _n, _d, path in rows if path.count("/") >= 3}
    names = dict(Jurisdiction.objects.filter(pk__in=country_ids).values_list("pk", "name"))
    grouped: dict[str, list[PublicMember]] = defaultdict(list)
    for name, joined_on, path in rows:
        parts = path.strip("/").split("/")
        country = names.get(int(parts[1]), "") if len(parts) > 1 else ""
        grouped[country].append(PublicMember(name=name, year=joined_on.year if joined_on else 0))
    return [(country, sorted(members, key=lambda m: m.name)) for country, members in sorted(grouped.items())]


def memberships(actor: Any, status: str = "") -> QuerySet[NetworkMembership]:
    qs = access.visible_memberships(actor).order_by("status", "-applied_on", "id")
    return qs.filter(status=status) if status else qs


def events_attended(actor: Any, membership: NetworkMembership) -> QuerySet:
    """Events the member authority's people attended that ``actor`` may read (the events app)."""
    from tandem.events import selectors as events_selectors

    return events_selectors.events_attended(actor, membership.organisation_id)


def contributions(actor: Any, membership: NetworkMembership) -> QuerySet:
    """Library items the member authority wrote that ``actor`` may read (its participation so far:
    assessments are not in Tandem yet)."""
    from tandem.library import access as library_access

    return (
        library_access.visible_published_items(actor)
        .filter(author_organisation_id=membership.organisation_id)
        .order_by("-publication_date", "title")
    )


def history(membership: NetworkMembership) -> QuerySet[StatusChange]:
    """The membership's status history (part of the membership, read with it)."""
    return StatusChange.objects.filter(membership=membership).select_related("changed_by")
