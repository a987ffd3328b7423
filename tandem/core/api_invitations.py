"""Invitations in the API: list, invite, revoke (the invitee's sign-up page is for people only)."""

import datetime as dt
from uuid import UUID

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from ninja import Field, Router, Schema
from ninja.pagination import paginate
from ninja.responses import Status

from . import access, invitations
from .api import InSchema, JurisdictionRef, OrganisationRef, Pagination, UserRef, _actor, _reference, errors
from .models import Role
from .permissions import requires

router = Router(tags=["invitations"])


class InvitationOut(Schema):
    uuid: UUID
    email: str
    full_name: str
    role: Role
    jurisdiction: JurisdictionRef
    organisation: OrganisationRef | None
    invited_by: UserRef
    state: str = Field(description="pending, accepted, expired or revoked")
    expires_at: dt.datetime
    accepted_at: dt.datetime | None
    revoked_at: dt.datetime | None
    created_at: dt.datetime


class InvitationCreatedOut(InvitationOut):
    link: str = Field(description="The sign-up link (also e-mailed). Shown only in this answer.")


class InvitationIn(InSchema):
    email: str = Field(min_length=3, max_length=254, pattern=r"^[^@\s]+@[^@\s]+$")
    full_name: str = Field(min_length=1, max_length=200)
    role: Role
    jurisdiction: UUID
    organisation: UUID | None = None
    days: int = Field(invitations.DEFAULT_DAYS, ge=1, le=invitations.MAX_DAYS)


@router.get("", response={200: list[InvitationOut], **errors(403, 422)})
@paginate(Pagination)
@requires("roles.manage")
def invitation_list(request: HttpRequest):
    """Invitations into the units you coordinate, newest first."""
    return access.visible_invitations(_actor(request)).order_by("-created_at", "-id")


@router.post("", response={201: InvitationCreatedOut, **errors(400, 403, 422)})
@requires("roles.manage")
def invitation_create(request: HttpRequest, payload: InvitationIn):
    """Invite someone to hold a role below yours at a unit you coordinate; the link is e-mailed."""
    actor = _actor(request)
    jurisdiction = _reference(access.visible_jurisdictions(actor), payload.jurisdiction, "jurisdiction")
    organisation = _reference(access.visible_organisations(actor), payload.organisation, "organisation")
    issued = invitations.invitation_create(
        actor=actor,
        email=payload.email,
        full_name=payload.full_name,
        role=payload.role,
        jurisdiction=jurisdiction,
        organisation=organisation,
        days=payload.days,
        base_url=request.build_absolute_uri("/"),
    )
    invitation = access.get_visible_or_404(access.visible_invitations(actor), pk=issued.invitation.pk)
    invitation.link = request.build_absolute_uri(issued.path)
    return Status(201, invitation)


@router.post("/{uuid}/revoke", response={200: InvitationOut, **errors(403, 404, 422)})
@requires("roles.manage")
def invitation_revoke(request: HttpRequest, uuid: UUID):
    actor = _actor(request)
    invitation = access.get_visible_or_404(access.visible_invitations(actor), uuid=uuid)
    if invitation.role not in access.assignable_roles(actor, invitation.jurisdiction):
        raise PermissionDenied
    invitations.invitation_revoke(actor=actor, invitation=invitation)
    return access.get_visible_or_404(access.visible_invitations(actor), pk=invitation.pk)


ROUTERS = [("/invitations", router)]
