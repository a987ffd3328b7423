"""API of membership under ``/api/v1/membership/`` (the public list is a page, not an API operation:
API operations are never public)."""

import datetime as dt
from typing import Literal
from uuid import UUID

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate
from ninja.responses import Status

from tandem.core import access as core_access
from tandem.core.api import InSchema, JurisdictionRef, OrganisationRef, Pagination, _actor, _reference, errors
from tandem.membership.permissions import requires

from . import access, selectors, services

router = Router(tags=["membership"])

StatusValue = Literal["applied", "info_requested", "member", "declined", "lapsed", "left"]


class HistoryOut(Schema):
    status: str
    reason: str
    changed_at: dt.datetime


class NetworkMembershipOut(Schema):
    uuid: UUID
    jurisdiction: JurisdictionRef
    organisation: OrganisationRef
    status: str
    applied_on: dt.date
    joined_on: dt.date | None
    version: int


class MembershipDetailOut(NetworkMembershipOut):
    commitments: str
    reason: str
    focal_point: str
    history: list[HistoryOut]


class MembershipFilters(Schema):
    status: StatusValue | None = None


class MembershipApplicationIn(InSchema):
    jurisdiction: UUID
    organisation: UUID
    focal_point: UUID
    commitments: str = Field(min_length=1, max_length=5000)


class MembershipDecisionIn(InSchema):
    decision: Literal["accept", "request_info", "decline", "lapse", "leave"]
    reason: str = Field("", max_length=5000)
    version: int = Field(ge=1)


def _detail(membership) -> dict:
    out = NetworkMembershipOut.model_validate(membership, from_attributes=True).model_dump()
    return {
        **out,
        "commitments": membership.commitments,
        "reason": membership.reason,
        "focal_point": membership.focal_point.full_name,
        "history": list(selectors.history(membership)),
    }


@router.get("/applications", response={200: list[NetworkMembershipOut], **errors(422)})
@paginate(Pagination)
@requires("membership.read")
def membership_list(request: HttpRequest, filters: Query[MembershipFilters]):
    """Applications and members of the jurisdictions you hold a role in (or above)."""
    return selectors.memberships(_actor(request), filters.status or "")


@router.get("/applications/{uuid}", response={200: MembershipDetailOut, **errors(404)})
@requires("membership.read")
def membership_detail(request: HttpRequest, uuid: UUID):
    membership = core_access.get_visible_or_404(access.visible_memberships(_actor(request)), uuid=uuid)
    return _detail(membership)


@router.post("/applications", response={201: MembershipDetailOut, **errors(403, 422)})
@requires("membership.apply")
def membership_apply(request: HttpRequest, payload: MembershipApplicationIn):
    """Apply for a local authority (free; a jurisdiction already a member or under review: 422)."""
    actor = _actor(request)
    jurisdiction = _reference(access.applicable_jurisdictions(actor), payload.jurisdiction, "jurisdiction")
    organisation = _reference(core_access.visible_organisations(actor), payload.organisation, "organisation")
    focal_point = _reference(core_access.visible_people(actor), payload.focal_point, "focal_point")
    membership = services.membership_apply(
        actor=actor,
        jurisdiction=jurisdiction,
        organisation=organisation,
        focal_point=focal_point,
        commitments=payload.commitments,
    )
    return Status(201, _detail(membership))


@router.post("/applications/{uuid}/decision", response={200: MembershipDetailOut, **errors(403, 404, 409, 422)})
@requires("membership.review")
def membership_decide(request: HttpRequest, uuid: UUID, payload: MembershipDecisionIn):
    """Accept, request information, decline (with a reason), or record a lapse or a departure."""
    actor = _actor(request)
    membership = core_access.get_visible_or_404(access.visible_memberships(actor), uuid=uuid)
    access.require_review(actor, membership.jurisdiction)
    membership = services.membership_decide(
        actor=actor,
        membership=membership,
        decision=payload.decision,
        reason=payload.reason,
        expected_version=payload.version,
    )
    return _detail(membership)


class ResponseIn(InSchema):
    commitments: str = Field(min_length=1, max_length=5000)
    version: int = Field(ge=1)


@router.post("/applications/{uuid}/response", response={200: MembershipDetailOut, **errors(403, 404, 409, 422)})
@requires("membership.apply")
def membership_respond(request: HttpRequest, uuid: UUID, payload: ResponseIn):
    """Answer a request for information (the applicant's coordinators): back to the facilitators."""
    actor = _actor(request)
    membership = core_access.get_visible_or_404(access.visible_memberships(actor), uuid=uuid)
    access.require_apply(actor, membership.jurisdiction)
    membership = services.membership_respond(
        actor=actor, membership=membership, commitments=payload.commitments, expected_version=payload.version
    )
    return _detail(membership)


ROUTERS: list[tuple[str, Router]] = [("/membership", router)]
