"""Sharing agreements: the agreement covering a channel, creating and editing agreements."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from tandem.core import access as core_access
from tandem.core import versioning
from tandem.core.models import AuditAction, Jurisdiction, Organisation, User
from tandem.core.services import audit_record

from ..models import (
    SharingAgreement,
)
from .addressing import Addressees

# --- Sharing agreements ------------------------------------------------------------------


def covering_agreement(
    *, sender_org: Organisation | None, jurisdiction: Jurisdiction, addressees: Addressees, on: dt.date | None = None
) -> tuple[SharingAgreement | None, bool]:
    """(the agreement covering this channel, whether one is needed at all).

    None is needed when every addressee is the sender's own organisation. An
    agreement covers the channel when it is valid today and its parties include
    the sender (their organisation, or a unit at or above their jurisdiction)
    and every other addressee (an organisation, or a unit at or above it).
    """
    on = on or timezone.localdate()
    external_orgs, external_paths = _externals(sender_org, addressees)
    if not external_orgs and not external_paths:
        return None, False
    from django.db.models import Q

    candidates = (
        SharingAgreement.objects.filter(jurisdiction__path__startswith=jurisdiction.country_path, valid_from__lte=on)
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=on))
        .prefetch_related("party_organisations", "party_jurisdictions")
        .order_by("-valid_from", "id")
    )
    found = _first_covering(candidates, sender_org, jurisdiction, external_orgs, external_paths)
    return found, True


def lapsed_agreement(
    *, sender_org: Organisation | None, jurisdiction: Jurisdiction, addressees: Addressees, on: dt.date | None = None
) -> SharingAgreement | None:
    """The most recent agreement that would cover this channel but has expired (to say so before
    sharing without one), or None."""
    on = on or timezone.localdate()
    external_orgs, external_paths = _externals(sender_org, addressees)
    if not external_orgs and not external_paths:
        return None
    candidates = (
        SharingAgreement.objects.filter(jurisdiction__path__startswith=jurisdiction.country_path, valid_to__lt=on)
        .prefetch_related("party_organisations", "party_jurisdictions")
        .order_by("-valid_to", "id")
    )
    return _first_covering(candidates, sender_org, jurisdiction, external_orgs, external_paths)


def _externals(sender_org: Organisation | None, addressees: Addressees) -> tuple[list[Organisation], list[str]]:
    """The addressees outside the sender's organisation: organisations, and the paths of units."""
    orgs = [o for o in addressees.organisations if sender_org is None or o.pk != sender_org.pk]
    paths = [
        *(j.path for j in addressees.jurisdictions),
        *(b.jurisdiction.path for b in addressees.bodies),
        *(p.jurisdiction.path for p in addressees.people),
    ]
    return orgs, paths


def _first_covering(candidates, sender_org, jurisdiction, external_orgs, external_paths) -> SharingAgreement | None:
    for agreement in candidates:
        org_ids = {o.pk for o in agreement.party_organisations.all()}
        party_paths = [j.path for j in agreement.party_jurisdictions.all()]

        def covers_path(path: str, party_paths: list[str] = party_paths) -> bool:
            return any(path.startswith(p) for p in party_paths)

        sender_ok = (sender_org is not None and sender_org.pk in org_ids) or covers_path(jurisdiction.path)
        others_ok = all(o.pk in org_ids or covers_path(o.jurisdiction.path) for o in external_orgs) and all(
            covers_path(p) for p in external_paths
        )
        if sender_ok and others_ok:
            return agreement
    return None


# The values of an agreement a coordinator writes (besides where it is registered and its parties).
AGREEMENT_VALUE_FIELDS = [
    "title",
    "legal_basis",
    "categories",
    "retention",
    "contact",
    "valid_from",
    "valid_to",
    "purpose",
    "main_users",
    "standard_formats",
    "review_date",
]


@transaction.atomic
def agreement_save(
    *,
    actor: User,
    agreement: SharingAgreement | None,
    values: dict[str, Any],
    organisations: list[Organisation],
    jurisdictions: list[Jurisdiction],
    expected_version: int | None = None,
) -> SharingAgreement:
    """Create (``agreement`` None) or edit an agreement. Coordinators of its jurisdiction only."""
    where = values.get("jurisdiction") or (agreement.jurisdiction if agreement else None)
    if where is None or not core_access.can_manage(actor, where):
        raise PermissionDenied
    created = agreement is None
    if agreement is None:
        agreement = SharingAgreement(**values)
        agreement.full_clean()
        agreement.save()
        audit_record(
            actor=actor,
            action=AuditAction.CREATE,
            obj=agreement,
            changes={
                "title": agreement.title,
                "party_organisations": sorted(str(o) for o in organisations),
                "party_jurisdictions": sorted(str(j) for j in jurisdictions),
            },
        )
    else:
        if not core_access.can_manage(actor, agreement.jurisdiction):
            raise PermissionDenied
        agreement = versioning.update(
            actor=actor, model=SharingAgreement, obj=agreement, expected_version=expected_version or 0, values=values
        )
    before = (
        sorted(str(o) for o in agreement.party_organisations.all()),
        sorted(str(j) for j in agreement.party_jurisdictions.all()),
    )
    agreement.party_organisations.set(organisations)
    agreement.party_jurisdictions.set(jurisdictions)
    after = (sorted(str(o) for o in organisations), sorted(str(j) for j in jurisdictions))
    if before != after and not created:
        audit_record(
            actor=actor,
            action=AuditAction.UPDATE,
            obj=agreement,
            changes={"party_organisations": [before[0], after[0]], "party_jurisdictions": [before[1], after[1]]},
        )
    return agreement
