"""Role assignments, and ``/me``: who the caller is and the roles they hold."""

import datetime as dt
from typing import Literal
from uuid import UUID

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate
from ninja.responses import Status

from .. import access, selectors, services
from ..models import Role, User
from ..permissions import requires
from .common import InSchema, JurisdictionRef, OrganisationRef, Pagination, UserRef, _actor, _reference, _within, errors

roles = Router(tags=["role assignments"])


class RoleAssignmentOut(Schema):
    uuid: UUID
    user: UserRef
    role: Role
    jurisdiction: JurisdictionRef
    organisation: OrganisationRef | None
    granted_by: UserRef | None
    created_at: dt.datetime
    revoked_at: dt.datetime | None


class RoleAssignmentFilters(Schema):
    status: Literal["active", "revoked", "all"] = "active"
    within: UUID | None = Field(None, description="Only grants at this unit or below.")


class RoleGrantIn(InSchema):
    username: str = Field(min_length=1, max_length=150)
    role: Role
    jurisdiction: UUID
    organisation: UUID | None = Field(None, description="The organisation the person acts for, if any.")


def _role_assignments(actor: User) -> QuerySet:
    return access.visible_role_assignments(actor)


@roles.get("", response={200: list[RoleAssignmentOut], **errors(404, 422)})
@paginate(Pagination)
@requires("signed_in")
def role_assignment_list(request: HttpRequest, filters: Query[RoleAssignmentFilters]):
    """Coordinators see the grants in their subtree; everyone sees their own."""
    actor = _actor(request)
    qs = _role_assignments(actor)
    if filters.status == "active":
        qs = qs.filter(revoked_at__isnull=True)
    elif filters.status == "revoked":
        qs = qs.filter(revoked_at__isnull=False)
    node = _within(actor, filters.within)
    if node is not None:
        qs = qs.filter(jurisdiction__path__startswith=node.path)
    return qs.order_by("jurisdiction__path", "role", "id")


@roles.post("", response={201: RoleAssignmentOut, **errors(400, 403, 422)})
@requires("roles.manage")
def role_assignment_grant(request: HttpRequest, payload: RoleGrantIn):
    """Grant a role at a unit. You may grant only roles below your own there."""
    actor = _actor(request)
    jurisdiction = _reference(access.visible_jurisdictions(actor), payload.jurisdiction, "jurisdiction")
    if payload.role not in access.assignable_roles(actor, jurisdiction):
        raise PermissionDenied
    # Looked up only after the permission check, so the API tells nobody else which accounts exist.
    user = selectors.active_user_by_username(payload.username)
    if user is None:
        raise ValidationError({"username": _("There is no active account with this username.")})
    organisation = _reference(access.visible_organisations(actor), payload.organisation, "organisation")
    assignment = services.role_grant(
        actor=actor, user=user, role=payload.role, jurisdiction=jurisdiction, organisation=organisation
    )
    return Status(201, access.get_visible_or_404(_role_assignments(actor), pk=assignment.pk))


@roles.post("/{uuid}/revoke", response={200: RoleAssignmentOut, **errors(403, 404, 422)})
@requires("signed_in")
def role_assignment_revoke(request: HttpRequest, uuid: UUID):
    actor = _actor(request)
    assignment = access.get_visible_or_404(_role_assignments(actor), uuid=uuid)
    if assignment.role not in access.assignable_roles(actor, assignment.jurisdiction):
        raise PermissionDenied
    services.role_revoke(actor=actor, assignment=assignment)
    return access.get_visible_or_404(_role_assignments(actor), pk=assignment.pk)


me = Router(tags=["me"])


class GrantOut(Schema):
    role: Role
    jurisdiction: JurisdictionRef


class MeOut(Schema):
    uuid: UUID
    username: str
    full_name: str
    email: str
    language: str
    is_administrator: bool
    grants: list[GrantOut]


@me.get("/me", response={200: MeOut, **errors()})
@requires("signed_in")
def me_detail(request: HttpRequest):
    """The account behind the token, with its active role grants."""
    actor = _actor(request)
    my_grants = access.grants(actor)
    return {
        "uuid": actor.uuid,
        "username": actor.get_username(),
        "full_name": actor.get_full_name(),
        "email": actor.email,
        "language": actor.language,
        "is_administrator": access.is_admin(actor),
        "grants": [
            {"role": g.role, "jurisdiction": {"uuid": g.jurisdiction_uuid, "name": g.jurisdiction_name}}
            for g in my_grants
        ],
    }
