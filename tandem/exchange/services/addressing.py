"""Addressing: who an item is addressed to, checks of the addressees, the audience specification."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from tandem.core.models import Jurisdiction, JurisdictionKind, Organisation, Person, User

from .. import access
from ..models import (
    Direction,
    ExchangeItem,
    RecipientKind,
)

# --- Addressing --------------------------------------------------------------------------


@dataclass
class Addressees:
    jurisdictions: list[Jurisdiction] = field(default_factory=list)
    organisations: list[Organisation] = field(default_factory=list)
    people: list[Person] = field(default_factory=list)
    bodies: list[Any] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return not (self.jurisdictions or self.organisations or self.people or self.bodies)


def _body_member_orgs(bodies: list[Any]) -> list[tuple[Any, int]]:
    """(body, organisation id) for the current members of ``bodies`` (end date none or not past)."""
    if not bodies:
        return []
    from django.db.models import Q

    from tandem.bodies.models import Membership

    today = timezone.localdate()
    rows = Membership.objects.filter(
        Q(end_date__isnull=True) | Q(end_date__gte=today),
        body__in=bodies,
        organisation__archived_at__isnull=True,
    ).values_list("body_id", "organisation_id")
    by_id = {b.pk: b for b in bodies}
    return [(by_id[body_id], org_id) for body_id, org_id in rows]


def _check_addressees(*, country_path: str, addressees: Addressees) -> None:
    if addressees.empty:
        raise ValidationError({"__all__": _("Choose at least one recipient.")})
    errors = []
    for j in addressees.jurisdictions:
        if not j.path.startswith(country_path):
            errors.append(_("%(name)s is outside your country.") % {"name": j.name})
    for o in addressees.organisations:
        if not o.jurisdiction.path.startswith(country_path) or o.archived_at:
            errors.append(_("%(name)s is outside your country.") % {"name": o.name})
    for b in addressees.bodies:
        if not b.jurisdiction.path.startswith(country_path):
            errors.append(_("%(name)s is outside your country.") % {"name": b.name})
    for p in addressees.people:
        if p.user_id is None:
            errors.append(_("%(name)s has no user account and cannot read items.") % {"name": p.full_name})
        elif not p.jurisdiction.path.startswith(country_path):
            errors.append(_("%(name)s is outside your country.") % {"name": p.full_name})
    if errors:
        raise ValidationError({"recipients": errors})


def level_above(actor: User, jurisdiction: Jurisdiction) -> Jurisdiction | None:
    """The unit above the sender's (its coordinators are an upward item's natural recipients), if the
    sender may address it; never above the country."""
    if jurisdiction.parent_id is None or jurisdiction.kind == JurisdictionKind.COUNTRY:
        return None
    return access.addressable_jurisdictions(actor).filter(pk=jurisdiction.parent_id).first()


def propose_recipients(
    *, actor: User, direction: str, jurisdiction: Jurisdiction, addressees: Addressees
) -> Addressees:
    """An upward item with no recipient chosen goes to the coordinators of the level above (the sender
    sees them in the preview and may change them); anything else is kept as chosen."""
    if direction != Direction.UP or not addressees.empty:
        return addressees
    above = level_above(actor, jurisdiction)
    return Addressees(jurisdictions=[above]) if above is not None else addressees


def _check_direction(*, direction: str, jurisdiction: Jurisdiction, addressees: Addressees) -> None:
    """Upward goes to units at or above the sender's, downward to units at or below; lateral is free."""
    if direction == Direction.LATERAL:
        return
    units = [
        *((j.name, j.path) for j in addressees.jurisdictions),
        *((o.name, o.jurisdiction.path) for o in addressees.organisations),
        *((p.full_name, p.jurisdiction.path) for p in addressees.people),
        *((b.name, b.jurisdiction.path) for b in addressees.bodies),
    ]
    if direction == Direction.UP:
        wrong = [name for name, path in units if not jurisdiction.path.startswith(path)]
        message = _("Upward items go to your level or above; %(names)s is not. Choose 'lateral' instead.")
    else:
        wrong = [name for name, path in units if not path.startswith(jurisdiction.path)]
        message = _("Downward items go to your level or below; %(names)s is not. Choose 'lateral' instead.")
    if wrong:
        raise ValidationError({"direction": message % {"names": ", ".join(wrong)}})


def spec_for(*, actor: User, tlp: str, jurisdiction: Jurisdiction, addressees: Addressees) -> access.AudienceSpec:
    """The audience specification of a not-yet-saved item (bodies expanded to current members)."""
    spec = access.AudienceSpec(sender_id=actor.pk, tlp=tlp, country_path=jurisdiction.country_path)
    spec.jurisdiction_ids = {j.pk for j in addressees.jurisdictions}
    spec.organisation_ids = {o.pk for o in addressees.organisations}
    spec.organisation_ids |= {org_id for _b, org_id in _body_member_orgs(addressees.bodies)}
    spec.user_ids = {p.user_id for p in addressees.people if p.user_id}
    return spec


def addressees_of(item: ExchangeItem) -> Addressees:
    """Whom the sender addressed (bodies not expanded, forwards not included)."""
    result = Addressees()
    for r in item.recipients.filter(via_body__isnull=True, forwarded_by__isnull=True).select_related(
        "jurisdiction", "organisation__jurisdiction", "person__jurisdiction", "body__jurisdiction", "user"
    ):
        if r.kind == RecipientKind.JURISDICTION and r.jurisdiction is not None:
            result.jurisdictions.append(r.jurisdiction)
        elif r.kind == RecipientKind.ORGANISATION and r.organisation is not None:
            result.organisations.append(r.organisation)
        elif r.kind == RecipientKind.USER and r.person is not None:
            result.people.append(r.person)
        elif r.kind == RecipientKind.BODY:
            result.bodies.append(r.body)
    return result
