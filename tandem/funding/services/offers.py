"""Private-sector partners: offers, and matches of offers to local needs."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from tandem.core import versioning
from tandem.core.access import COORDINATOR_RANK, get_access
from tandem.core.auditlog import audit_record
from tandem.core.models import AuditAction, Jurisdiction, Organisation, Sector, User

from .. import access
from ..models import Match, MatchStatus, Offer, OfferKind


@transaction.atomic
def offer_create(
    *,
    actor: User,
    organisation: Organisation,
    kind: str,
    title: str,
    description: str = "",
    served_places: Sequence[Jurisdiction] = (),
    sectors: Sequence[str] = (),
) -> Offer:
    """An offer of an organisation the actor acts for, serving places of its own country."""
    if not access.acts_for(actor, organisation.pk):
        raise PermissionDenied
    if kind not in OfferKind.values:
        raise ValidationError({"kind": _("Choose a kind of offer.")})
    if any(s not in Sector.values for s in sectors):
        raise ValidationError({"sectors": _("Unknown sector.")})
    country = organisation.jurisdiction.country_path or organisation.jurisdiction.path
    if any(not j.path.startswith(country) for j in served_places):
        raise ValidationError({"served_places": _("An offer serves places of its own country only.")})
    offer = Offer.objects.create(
        organisation=organisation,
        jurisdiction=organisation.jurisdiction,
        kind=kind,
        title=title.strip(),
        description=description,
        sectors=list(sectors),
    )
    offer.served_places.set(served_places)
    audit_record(actor=actor, action=AuditAction.CREATE, obj=offer)
    return offer


def serves(offer: Offer, jurisdiction: Jurisdiction) -> bool:
    places = list(
        Offer.served_places.through.objects.filter(offer_id=offer.pk).values_list("jurisdiction__path", flat=True)
    )
    if not places:  # no place given: the offering organisation's own jurisdiction and below
        places = [offer.jurisdiction.path]
    return any(jurisdiction.path.startswith(p) for p in places)


def _check_request(actor: User, offer: Offer, request: Any) -> None:
    """An exchange request as the need: one the coordinator reads, asking for support or
    resources, still open, and one the offering organisation's people may read too (the
    partner never gets a match on something the exchange does not let it read)."""
    from tandem.exchange import access as exchange_access
    from tandem.exchange.models import OPEN_STATUSES, Kind, Subkind

    if not exchange_access.visible_sent_items(actor).filter(pk=request.pk).exists():
        raise ValidationError({"request": _("Not found.")})
    if request.kind != Kind.REQUEST or request.subkind not in (Subkind.SUPPORT, Subkind.RESOURCES):
        raise ValidationError({"request": _("Only a request for support or resources is a need an offer meets.")})
    if request.status not in OPEN_STATUSES:
        raise ValidationError({"request": _("This request is no longer open.")})
    if not access.partner_may_read(offer.organisation_id, request):
        raise ValidationError(
            {
                "request": _(
                    "The partner may not read this request under its label and audience: share it with them "
                    "in the exchange first, or describe the need in your own words."
                )
            }
        )


@transaction.atomic
def match_propose(
    *,
    actor: User,
    offer: Offer,
    jurisdiction: Jurisdiction,
    need: str = "",
    activity: Any = None,
    request: Any = None,
    note: str = "",
) -> Match:
    """A coordinator of the need's place proposes the offer for it: a need in words, a plan
    activity without funding, or a request for support of the exchange."""
    if get_access(actor).rank_at(jurisdiction) < COORDINATOR_RANK:
        raise PermissionDenied
    if not offer.active:
        raise ValidationError(_("This offer is no longer active."))
    if not serves(offer, jurisdiction):
        raise ValidationError({"jurisdiction": _("The offer does not serve this place.")})
    if not need.strip() and activity is None and request is None:
        raise ValidationError({"need": _("Describe the local need.")})
    if request is not None:
        _check_request(actor, offer, request)
    match = Match.objects.create(
        offer=offer,
        activity=activity,
        request=request,
        need=(need.strip() or (str(activity) if activity is not None else ""))[:300],
        jurisdiction=jurisdiction,
        proposed_by=actor,
        note=note[:500],
    )
    audit_record(actor=actor, action=AuditAction.CREATE, obj=match)
    return match


@transaction.atomic
def match_respond(*, actor: User, match: Match, expected_version: int, accept: bool) -> Match:
    """The offering organisation accepts or declines a proposed match."""
    if not access.acts_for(actor, match.offer.organisation_id):
        raise PermissionDenied
    locked = versioning.lock(match, expected_version=expected_version, actor=actor, fields=["status"])
    if locked.status != MatchStatus.PROPOSED:
        raise ValidationError(_("This match was already answered."))
    status = MatchStatus.ACCEPTED if accept else MatchStatus.DECLINED
    return versioning.save(locked, {"status": status}, actor=actor)


@transaction.atomic
def match_deliver(*, actor: User, match: Match, expected_version: int) -> Match:
    """A coordinator of the need's place records that the accepted offer was delivered."""
    if get_access(actor).rank_at(match.jurisdiction) < COORDINATOR_RANK:
        raise PermissionDenied
    locked = versioning.lock(match, expected_version=expected_version, actor=actor, fields=["status"])
    if locked.status != MatchStatus.ACCEPTED:
        raise ValidationError(_("Only an accepted match can be delivered."))
    return versioning.save(locked, {"status": MatchStatus.DELIVERED}, actor=actor)
