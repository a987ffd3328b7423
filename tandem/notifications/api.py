"""API of the notifications under ``/api/v1/notifications/``: the token's user's own notifications
(the same selector as the centre: only those about records they may still open) and settings."""

import datetime as dt
from typing import Literal
from uuid import UUID

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate

from tandem.core import access as core_access
from tandem.core.api import InSchema, Pagination, _actor, errors

from . import selectors, services
from .kinds import KINDS
from .permissions import requires

router = Router(tags=["notifications"])

FrequencyValue = Literal["immediately", "daily", "never"]


class NotificationOut(Schema):
    uuid: UUID
    kind: str
    object_type: str
    object_uuid: UUID
    title: str
    label: str
    url: str
    created_at: dt.datetime
    read_at: dt.datetime | None
    email_status: str


class NotificationFilters(Schema):
    unread: bool = Field(False, description="Only the unread ones.")
    kind: str | None = Field(None, max_length=40, description="One kind (see /notifications/preferences).")


class CountOut(Schema):
    unread: int


class ReadIn(InSchema):
    read: bool = True


class ReadAllOut(Schema):
    marked: int


class PreferenceOut(Schema):
    kind: str
    label: str
    in_app: FrequencyValue
    email: FrequencyValue


class PreferenceIn(InSchema):
    kind: str = Field(max_length=40, description="A kind listed by GET /notifications/preferences.")
    in_app: FrequencyValue
    email: FrequencyValue


@router.get("/", response={200: list[NotificationOut], **errors(422)})
@paginate(Pagination)
@requires("signed_in")
def notification_list(request: HttpRequest, filters: Query[NotificationFilters]):
    """Your notifications, newest first."""
    return selectors.notifications(
        _actor(request), selectors.Filters.clean(unread="1" if filters.unread else "", kind=filters.kind)
    )


@router.get("/unread-count", response={200: CountOut, **errors()})
@requires("signed_in")
def notification_unread_count(request: HttpRequest):
    """How many unread notifications you have (what the header shows)."""
    return {"unread": selectors.unread_count(_actor(request))}


@router.post("/read-all", response={200: ReadAllOut, **errors()})
@requires("signed_in")
def notification_read_all(request: HttpRequest):
    """Mark all your notifications read."""
    actor = _actor(request)
    return {"marked": services.notifications_mark_all_read(actor=actor, queryset=selectors.notifications(actor))}


@router.get("/preferences", response={200: list[PreferenceOut], **errors()})
@requires("signed_in")
def preference_list(request: HttpRequest):
    """For every kind: in Tandem and by e-mail, immediately, in a daily digest or never."""
    current = {p.kind: p for p in selectors.preferences(_actor(request))}
    return [
        {
            "kind": k.code,
            "label": str(k.label),
            "in_app": current[k.code].in_app if k.code in current else "immediately",
            "email": current[k.code].email if k.code in current else "immediately",
        }
        for k in KINDS.values()
    ]


@router.put("/preferences", response={200: PreferenceOut, **errors(422)})
@requires("signed_in")
def preference_update(request: HttpRequest, payload: PreferenceIn):
    """Set your choice for one kind."""
    from django.core.exceptions import ValidationError

    if payload.kind not in KINDS:
        raise ValidationError({"kind": "Unknown kind."})
    kind = payload.kind
    pref = services.preference_set(actor=_actor(request), kind=kind, in_app=payload.in_app, email=payload.email)
    return {"kind": kind, "label": str(KINDS[kind].label), "in_app": pref.in_app, "email": pref.email}


@router.get("/{uuid}", response={200: NotificationOut, **errors(404)})
@requires("signed_in")
def notification_detail(request: HttpRequest, uuid: UUID):
    """One of your notifications."""
    return core_access.get_visible_or_404(selectors.notifications(_actor(request)), uuid=uuid)


@router.post("/{uuid}/read", response={200: NotificationOut, **errors(404, 422)})
@requires("signed_in")
def notification_mark_read(request: HttpRequest, uuid: UUID, payload: ReadIn):
    """Mark one of your notifications read (or unread with ``read: false``)."""
    actor = _actor(request)
    notification = core_access.get_visible_or_404(selectors.notifications(actor), uuid=uuid)
    return services.notification_mark_read(actor=actor, notification=notification, read=payload.read)


ROUTERS = [("/notifications", router)]
