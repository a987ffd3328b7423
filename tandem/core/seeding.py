"""Seed the jurisdiction tree from ISO 3166 data shipped with ``pycountry``.

``load_countries(["KE", "PH"])`` makes sure the network root exists, then adds
each country (ISO 3166-1) and its subdivisions (ISO 3166-2) with their parent
links. It is idempotent: a unit whose ISO code is already in the tree is left
alone, so running it twice creates nothing the second time. Everything runs in
one transaction and writes through :func:`services.jurisdiction_create`.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

import pycountry
from django.core.exceptions import ValidationError
from django.db import transaction

from . import services
from .models import AuditAction, Jurisdiction, JurisdictionKind

NETWORK_NAME = "Tandem network"
DEFAULT_COUNTRIES: tuple[str, ...] = ("KE", "PH", "ID", "MK")

# ISO 3166-2 subdivision types (as pycountry spells them) -> our kind.
# Province-level special units (capital districts, special regions) are provinces.
KIND_BY_TYPE: dict[str, str] = {
    "county": JurisdictionKind.COUNTY,
    "region": JurisdictionKind.REGION,
    "administrative region": JurisdictionKind.REGION,
    "autonomous region": JurisdictionKind.REGION,
    "geographical unit": JurisdictionKind.REGION,
    "geographical region": JurisdictionKind.REGION,
    "state": JurisdictionKind.REGION,
    "department": JurisdictionKind.REGION,
    "province": JurisdictionKind.PROVINCE,
    "autonomous province": JurisdictionKind.PROVINCE,
    "capital district": JurisdictionKind.PROVINCE,
    "special region": JurisdictionKind.PROVINCE,
    "municipality": JurisdictionKind.MUNICIPALITY,
    "urban municipality": JurisdictionKind.MUNICIPALITY,
    "city": JurisdictionKind.CITY,
    "capital city": JurisdictionKind.CITY,
    "city municipality": JurisdictionKind.CITY,
    "district": JurisdictionKind.DISTRICT,
}

# Fallback for the many other type names ("Metropolitan department", "London borough", ...).
_KIND_KEYWORDS: tuple[tuple[str, str], ...] = (
    ("province", JurisdictionKind.PROVINCE),
    ("county", JurisdictionKind.COUNTY),
    ("municipal", JurisdictionKind.MUNICIPALITY),
    ("city", JurisdictionKind.CITY),
    ("borough", JurisdictionKind.DISTRICT),
    ("district", JurisdictionKind.DISTRICT),
    ("region", JurisdictionKind.REGION),
    ("state", JurisdictionKind.REGION),
    ("department", JurisdictionKind.REGION),
    ("community", JurisdictionKind.REGION),
    ("territor", JurisdictionKind.REGION),
)

# pycountry marks some ISO names with footnote signs (e.g. the municipalities that
# form the City of Skopje carry " †"); they are not part of the name.
_FOOTNOTE_MARKS = "†‡*"


class UnknownCountry(ValueError):
    """A code that is not an ISO 3166-1 alpha-2 country code."""

    def __init__(self, codes: Sequence[str]):
        self.codes = list(codes)
        super().__init__(", ".join(self.codes))


@dataclass
class CountryResult:
    code: str
    name: str
    created: int = 0
    existing: int = 0
    by_level: dict[str, int] = field(default_factory=dict)


@dataclass
class LoadResult:
    network_created: bool = False
    countries: list[CountryResult] = field(default_factory=list)

    @property
    def created(self) -> int:
        return int(self.network_created) + sum(c.created for c in self.countries)


def clean_name(name: str) -> str:
    return name.strip().rstrip(_FOOTNOTE_MARKS).strip()


def kind_for(subdivision_type: str, *, has_children: bool) -> str:
    """Our jurisdiction kind for a pycountry subdivision type."""
    name = subdivision_type.strip().lower()
    kind = KIND_BY_TYPE.get(name)
    if kind is not None:
        return kind
    for keyword, keyword_kind in _KIND_KEYWORDS:
        if keyword in name:
            return keyword_kind
    # Unknown types: a unit that groups others behaves like a region; a leaf is "other".
    return JurisdictionKind.REGION if has_children else JurisdictionKind.OTHER


def resolve_countries(codes: Iterable[str]) -> list[str]:
    """Upper-cased, de-duplicated alpha-2 codes; raises UnknownCountry for any bad one."""
    result: list[str] = []
    unknown: list[str] = []
    for raw in codes:
        code = raw.strip().upper()
        if len(code) != 2 or not code.isalpha() or pycountry.countries.get(alpha_2=code) is None:
            unknown.append(raw)
        elif code not in result:
            result.append(code)
    if unknown:
        raise UnknownCountry(unknown)
    return result


def ensure_network() -> tuple[Jurisdiction, bool]:
    """The root of the tree (created on first use)."""
    root = Jurisdiction.objects.filter(parent__isnull=True, kind=JurisdictionKind.NETWORK).order_by("pk").first()
    if root is not None:
        return root, False
    root = services.jurisdiction_create(
        actor=None, name=NETWORK_NAME, kind=JurisdictionKind.NETWORK, parent=None, audit=False
    )
    return root, True


def _subdivisions_in_order(country_code: str) -> list:
    """Subdivisions of a country, parents before children."""
    subs = list(pycountry.subdivisions.get(country_code=country_code) or [])
    by_code = {s.code: s for s in subs}

    def depth(sub, seen: frozenset = frozenset()) -> int:
        parent = getattr(sub, "parent_code", None)
        if not parent or parent not in by_code or parent in seen:
            return 0
        return 1 + depth(by_code[parent], seen | {sub.code})

    return sorted(subs, key=lambda s: (depth(s), s.code))


def _create(*, name: str, kind: str, parent: Jurisdiction, iso_code: str, level_name: str) -> Jurisdiction:
    try:
        return services.jurisdiction_create(
            actor=None, name=name, kind=kind, parent=parent, iso_code=iso_code, level_name=level_name, audit=False
        )
    except ValidationError as exc:
        messages = "; ".join(exc.messages)
        raise ValidationError(f"Cannot add {name} ({iso_code}) under {parent}: {messages}") from exc


def _load_country(code: str, network: Jurisdiction, existing: dict[str, Jurisdiction]) -> CountryResult:
    country = pycountry.countries.get(alpha_2=code)
    result = CountryResult(code=code, name=country.name)
    node = existing.get(code)
    if node is None:
        node = _create(
            name=country.name, kind=JurisdictionKind.COUNTRY, parent=network, iso_code=code, level_name="Country"
        )
        existing[code] = node
        result.created += 1
    else:
        result.existing += 1

    subs = _subdivisions_in_order(code)
    parents_with_children = {s.parent_code for s in subs if getattr(s, "parent_code", None)}
    for sub in subs:
        if sub.code in existing:
            result.existing += 1
            continue
        parent_code = getattr(sub, "parent_code", None)
        parent = existing.get(parent_code) if parent_code else node
        if parent is None:  # a dangling parent code in the data: hang it under the country
            parent = node
        level_name = sub.type.strip()
        existing[sub.code] = _create(
            name=clean_name(sub.name),
            kind=kind_for(level_name, has_children=sub.code in parents_with_children),
            parent=parent,
            iso_code=sub.code,
            level_name=level_name,
        )
        result.created += 1
        result.by_level[level_name] = result.by_level.get(level_name, 0) + 1
    return result


@transaction.atomic
def load_countries(codes: Iterable[str] = DEFAULT_COUNTRIES) -> LoadResult:
    """Load countries and their subdivisions. All or nothing; safe to re-run."""
    country_codes = resolve_countries(codes)
    result = LoadResult()
    network, result.network_created = ensure_network()
    prefixes = [*country_codes, *(f"{c}-" for c in country_codes)]
    existing: dict[str, Jurisdiction] = {}
    for j in Jurisdiction.objects.filter(iso_code__isnull=False):
        if j.iso_code in country_codes or j.iso_code[:3] in prefixes:
            existing[j.iso_code] = j
    for code in country_codes:
        result.countries.append(_load_country(code, network, existing))
    if result.created:
        services.audit_record(
            actor=None,
            action=AuditAction.IMPORT,
            jurisdiction=network,
            label="load_jurisdictions",
            changes={
                "countries": country_codes,
                "created": result.created,
                **{c.code: c.created for c in result.countries},
            },
        )
    return result
