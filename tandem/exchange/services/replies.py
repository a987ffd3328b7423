"""Replies, acknowledgements, request status and label changes on sent items."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from tandem.core import events, versioning
from tandem.core.models import AuditAction, User
from tandem.core.services import audit_record

from .. import access
from ..models import (
    TLP_LEVEL,
    Acknowledgement,
    ExchangeItem,
    LabelChange,
    Reply,
    Status,
    Tlp,
)
from .attachments import Upload, _store_attachment

# --- Replies, acknowledgement, status, label ---------------------------------------------


def _require_visible(actor: User, item: ExchangeItem) -> None:
    if item.sent_at is None or not access.can_see(actor, item):
        from django.http import Http404

        raise Http404


@transaction.atomic
def reply_create(*, actor: User, item: ExchangeItem, body: str, uploads: list[Upload] | None = None) -> Reply:
    """A reply has exactly the item's label and audience (it is read through the item)."""
    _require_visible(actor, item)
    text = (body or "").strip()
    if not text:
        raise ValidationError({"body": _("Write a reply.")})
    reply = Reply(item=item, author=actor, body=text)
    reply.full_clean()
    reply.save()
    for upload in uploads or []:
        _store_attachment(actor=actor, item=item, upload=upload, reply=reply)
    if item.is_request and actor.pk != item.sender_id and item.status in (Status.OPEN, Status.ACKNOWLEDGED):
        versioning.update_where(ExchangeItem.objects.filter(pk=item.pk), {"status": Status.ANSWERED})
        _announce_answered(item, actor, key=f"{item.uuid}:reply:{reply.uuid}")
    audit_record(actor=actor, action=AuditAction.UPDATE, obj=item, changes={"reply": str(reply.uuid)})
    return reply


@transaction.atomic
def item_acknowledge(*, actor: User, item: ExchangeItem) -> bool:
    """Acknowledge receipt (once per user); an open request becomes acknowledged. False if already done."""
    _require_visible(actor, item)
    if actor.pk == item.sender_id:
        raise ValidationError({"__all__": _("You sent this item; only recipients acknowledge it.")})
    _ack, created = Acknowledgement.objects.get_or_create(item=item, user=actor)
    if created:
        if item.is_request and item.status == Status.OPEN:
            open_request = ExchangeItem.objects.filter(pk=item.pk, status=Status.OPEN)
            versioning.update_where(open_request, {"status": Status.ACKNOWLEDGED})
        audit_record(actor=actor, action=AuditAction.UPDATE, obj=item, changes={"acknowledged": True})
    return created


SENDER_STATUSES = {Status.CLOSED, Status.OPEN}
RECIPIENT_STATUSES = {Status.ACKNOWLEDGED, Status.ANSWERED, Status.DECLINED}


@transaction.atomic
def request_set_status(
    *, actor: User, item: ExchangeItem, status: str, reason: str = "", expected_version: int | None = None
) -> ExchangeItem:
    """Recipients acknowledge, answer or decline (with a reason); the sender closes or reopens."""
    _require_visible(actor, item)
    if not item.is_request:
        raise ValidationError({"status": _("Only requests have a status.")})
    allowed = SENDER_STATUSES if actor.pk == item.sender_id else RECIPIENT_STATUSES
    if status not in allowed:
        raise ValidationError({"status": _("You cannot set this status on this request.")})
    reason = (reason or "").strip()
    if status == Status.DECLINED and not reason:
        raise ValidationError({"reason": _("Give the reason for declining.")})
    locked = ExchangeItem.objects.select_for_update().get(pk=item.pk)
    if expected_version is not None:
        versioning.check(locked, expected_version, seen=item, fields=["status"], actor=actor)
    values = {"status": status, "decline_reason": reason if status == Status.DECLINED else locked.decline_reason}
    # The reason is free text: the audit records only that one was given.
    changes = {"status": [locked.status, status], "reason_given": bool(reason)}
    saved = versioning.save(locked, values, actor=actor, changes=changes)
    if status == Status.ANSWERED:
        _announce_answered(saved, actor, key=f"{saved.uuid}:answered:{saved.version}")
    return saved


def _announce_answered(item: ExchangeItem, actor: User, *, key: str) -> None:
    """Tell the sender their request was answered (through tandem.core.events, after commit)."""
    events.emit(
        "exchange.request_answered",
        item,
        recipient_ids=[item.sender_id],
        key=key,
        title=item.title,
        url=reverse("exchange_detail", args=[item.uuid]),
        label=str(Tlp(item.tlp).label),
        restricted=item.tlp not in (Tlp.GREEN, Tlp.CLEAR),
        actor_id=actor.pk,
    )


@transaction.atomic
def item_change_label(*, actor: User, item: ExchangeItem, tlp: str, reason: str) -> ExchangeItem:
    """Only the sender, and only lowering: a label is never raised once sent (earlier readers did read it).

    To restrict information further, send a new item at the stricter label.
    """
    if item.sender_id != actor.pk:
        raise PermissionDenied
    if tlp not in Tlp.values:
        raise ValidationError({"tlp": _("Choose a label.")})
    locked = ExchangeItem.objects.select_for_update().get(pk=item.pk)
    if TLP_LEVEL[Tlp(tlp)] >= TLP_LEVEL[Tlp(locked.tlp)]:
        raise ValidationError(
            {
                "tlp": _(
                    "A label can only be lowered. Raising it would pretend that the people who could already "
                    "read this item did not; send a new item with the stricter label instead."
                )
            }
        )
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Give the reason for lowering the label.")})
    LabelChange.objects.create(item=locked, from_tlp=locked.tlp, to_tlp=tlp, by=actor, reason=reason)
    return versioning.save(locked, {"tlp": tlp}, actor=actor)
