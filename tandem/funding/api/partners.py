"""API of private-sector partners: offers, and matches of offers to local needs.

Offers are listed to every role of the offer's country. A match concerns the coordinators of the
need's place and the offering organisation's people; a match on an exchange request shows only
to those the exchange lets read that request (:func:`tandem.funding.access.match_q`).
"""

from typing import Any
from uuid import UUID

from django.http import HttpRequest
from ninja import Field, Router, Schema
from ninja.pagination import paginate
from ninja.responses import Status

from tandem.core import access as core_access
from tandem.core.api import InSchema, JurisdictionRef, OrganisationRef, Pagination, _actor, _reference, errors
from tandem.funding.permissions import requires

from .. import access, selectors
from ..services import offers as offer_services

router = Router(tags=["funding"])


class OfferOut(Schema):
    uuid: UUID
    organisation: OrganisationRef
    jurisdiction: JurisdictionRef
    kind: str
    title: str
    description: str
    sectors: list[str]
    active: bool
    version: int


class OfferIn(InSchema):
    organisation: UUID = Field(description="An organisation you act for.")
    kind: str
    title: str = Field(min_length=1, max_length=200)
    description: str = Field("", max_length=3000)
    served_places: list[UUID] = Field([], description="Jurisdictions of its country; none: its own and below.")
    sectors: list[str] = []


class RequestRef(Schema):
    uuid: UUID
    title: str


class MatchOut(Schema):
    uuid: UUID
    offer: UUID
    organisation: OrganisationRef
    need: str
    request: RequestRef | None
    activity: UUID | None
    jurisdiction: JurisdictionRef
    status: str
    note: str
    version: int

    @staticmethod
    def resolve_offer(obj: Any) -> UUID:
        return obj.offer.uuid

    @staticmethod
    def resolve_organisation(obj: Any) -> Any:
        return obj.offer.organisation

    @staticmethod
    def resolve_activity(obj: Any) -> UUID | None:
        return obj.activity.uuid if obj.activity_id else None


class MatchIn(InSchema):
    jurisdiction: UUID = Field(description="Where the need is (a jurisdiction you coordinate).")
    need: str = Field("", max_length=300)
    activity: UUID | None = Field(None, description="A plan activity without funding.")
    request: UUID | None = Field(
        None, description="An open request for support or resources of the exchange that the partner may read too."
    )
    note: str = Field("", max_length=500)


class MatchAnswerIn(InSchema):
    version: int = Field(ge=1)
    accept: bool


class MatchVersionIn(InSchema):
    version: int = Field(ge=1)


@router.get("/offers", response={200: list[OfferOut], **errors(422)})
@paginate(Pagination)
@requires("funding.view")
def offer_list(request: HttpRequest):
    """Active offers of resource partners in your country."""
    return selectors.offers_for(_actor(request))


@router.get("/offers/{uuid}", response={200: OfferOut, **errors(404)})
@requires("funding.view")
def offer_detail(request: HttpRequest, uuid: UUID):
    return core_access.get_visible_or_404(access.visible_offers(_actor(request)), uuid=uuid)


@router.post("/offers", response={201: OfferOut, **errors(403, 422)})
@requires("funding.apply")
def offer_create(request: HttpRequest, payload: OfferIn):
    """Publish an offer of an organisation you act for."""
    actor = _actor(request)
    mine = core_access.visible_organisations(actor).filter(id__in=core_access.get_access(actor).organisation_ids())
    organisation = _reference(mine, payload.organisation, "organisation")
    places = core_access.visible_jurisdictions(actor)
    offer = offer_services.offer_create(
        actor=actor,
        organisation=organisation,
        kind=payload.kind,
        title=payload.title,
        description=payload.description,
        served_places=[_reference(places, u, "served_places") for u in payload.served_places],
        sectors=payload.sectors,
    )
    return Status(201, offer)


@router.get("/matches", response={200: list[MatchOut], **errors(422)})
@paginate(Pagination)
@requires("funding.view")
def match_list(request: HttpRequest):
    """The matches that concern you: your organisation's offers, or needs of the places you coordinate."""
    return selectors.matches_for(_actor(request)).select_related("activity")


@router.get("/matches/{uuid}", response={200: MatchOut, **errors(404)})
@requires("funding.view")
def match_detail(request: HttpRequest, uuid: UUID):
    return core_access.get_visible_or_404(access.visible_matches(_actor(request)).select_related("activity"), uuid=uuid)


@router.post("/offers/{uuid}/matches", response={201: MatchOut, **errors(403, 404, 422)})
@requires("funding.manage")
def match_propose(request: HttpRequest, uuid: UUID, payload: MatchIn):
    """Propose the offer for a need of a place you coordinate: in words, a plan activity without
    funding, or an exchange request the partner may read (a request it may not read is a 422)."""
    actor = _actor(request)
    offer = core_access.get_visible_or_404(access.visible_offers(actor), uuid=uuid)
    match = offer_services.match_propose(
        actor=actor,
        offer=offer,
        jurisdiction=_reference(core_access.managed_jurisdictions(actor), payload.jurisdiction, "jurisdiction"),
        need=payload.need,
        activity=_reference(selectors.unfunded_activities(actor), payload.activity, "activity"),
        request=_reference(selectors.exchange_needs(actor), payload.request, "request"),
        note=payload.note,
    )
    return Status(201, match)


@router.post("/matches/{uuid}/answer", response={200: MatchOut, **errors(403, 404, 409, 422)})
@requires("funding.apply")
def match_answer(request: HttpRequest, uuid: UUID, payload: MatchAnswerIn):
    """The offering organisation accepts or declines a proposed match."""
    actor = _actor(request)
    match = core_access.get_visible_or_404(access.visible_matches(actor), uuid=uuid)
    return offer_services.match_respond(
        actor=actor, match=match, expected_version=payload.version, accept=payload.accept
    )


@router.post("/matches/{uuid}/delivered", response={200: MatchOut, **errors(403, 404, 409, 422)})
@requires("funding.manage")
def match_delivered(request: HttpRequest, uuid: UUID, payload: MatchVersionIn):
    """A coordinator of the need's place records that the accepted offer was delivered."""
    actor = _actor(request)
    match = core_access.get_visible_or_404(access.visible_matches(actor), uuid=uuid)
    return offer_services.match_deliver(actor=actor, match=match, expected_version=payload.version)
