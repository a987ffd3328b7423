"""The audit log in the API, scoped exactly as the audit page: coordinators read the events of
their subtree about records they may open (``core.audit_scope``); administrators everything."""

import datetime as dt
from typing import Any
from uuid import UUID

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate

from . import access, audit_scope
from .api import Pagination, _actor, _within, errors
from .models import AuditAction
from .permissions import requires

router = Router(tags=["audit log"])


class AuditEventOut(Schema):
    uuid: UUID
    created_at: dt.datetime
    actor: str = Field(description="Who acted (as recorded then).")
    action: AuditAction
    object_type: str
    object_id: str
    object: str
    jurisdiction: UUID | None
    changes: dict[str, Any]

    @staticmethod
    def resolve_actor(event: Any) -> str:
        return event.actor_label

    @staticmethod
    def resolve_object_id(event: Any) -> str:
        return event.object_uuid

    @staticmethod
    def resolve_object(event: Any) -> str:
        return event.object_repr

    @staticmethod
    def resolve_jurisdiction(event: Any) -> UUID | None:
        return event.jurisdiction.uuid if event.jurisdiction_id else None


class AuditFilters(Schema):
    action: AuditAction | None = None
    object_type: str | None = Field(None, max_length=60)
    object_id: str | None = Field(None, max_length=40, description="Events about one record.")
    within: UUID | None = Field(None, description="Only events at this unit or below.")
    since: dt.date | None = None
    until: dt.date | None = None


@router.get("", response={200: list[AuditEventOut], **errors(403, 404, 422)})
@paginate(Pagination)
@requires("audit.view")
def audit_event_list(request: HttpRequest, filters: Query[AuditFilters]):
    """Newest first. Reading the log is itself not recorded; what it shows is what the page shows."""
    actor = _actor(request)
    access.require_any_rank(actor, access.COORDINATOR_RANK)
    qs = audit_scope.visible_audit_events(actor).select_related("jurisdiction")
    if filters.action:
        qs = qs.filter(action=filters.action)
    if filters.object_type:
        qs = qs.filter(object_type=filters.object_type)
    if filters.object_id:
        qs = qs.filter(object_uuid=filters.object_id)
    node = _within(actor, filters.within)
    if node is not None:
        qs = qs.filter(jurisdiction_path__startswith=node.path)
    if filters.since:
        qs = qs.filter(created_at__date__gte=filters.since)
    if filters.until:
        qs = qs.filter(created_at__date__lte=filters.until)
    return qs.order_by("-created_at", "-id")


ROUTERS = [("/audit-events", router)]
