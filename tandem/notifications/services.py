"""Every write of the notifications app: creating notifications from events, reading, preferences."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.utils import timezone

from tandem.core.auditlog import audit_record
from tandem.core.events import Event
from tandem.core.models import AuditAction, User

from .kinds import KINDS, visible_uuids
from .models import Frequency, Notification, Preference


def preferences_for(user_ids: list[int]) -> dict[tuple[int, str], Preference]:
    return {(p.user_id, p.kind): p for p in Preference.objects.filter(user_id__in=user_ids)}


def _next_day(now: dt.datetime) -> dt.datetime:
    return (now + dt.timedelta(days=1)).replace(hour=0, minute=0, second=0, microsecond=0)


def notify(event: Event) -> list[Notification]:
    """The ``event_listener``: one notification per recipient who may open the record, once per event.

    Called after the change committed (``tandem.core.events``). Recipients who cannot open the
    record, inactive accounts and those who chose "never" on both channels get nothing. E-mails
    due now are queued as a background task.
    """
    if event.kind not in KINDS:
        return []
    users = list(User.objects.filter(pk__in=event.recipient_ids, is_active=True))
    prefs = preferences_for([u.pk for u in users])
    now = timezone.now()
    created: list[Notification] = []
    for user in users:
        if event.object_uuid not in visible_uuids(user, event.object_type, [event.object_uuid]):
            continue
        pref = prefs.get((user.pk, event.kind))
        in_app = pref.in_app if pref else Frequency.IMMEDIATELY
        email = pref.email if pref else Frequency.IMMEDIATELY
        if in_app == Frequency.NEVER and email == Frequency.NEVER:
            continue
        email_status = ""
        if user.email and email == Frequency.IMMEDIATELY:
            email_status = "pending"
        elif user.email and email == Frequency.DAILY:
            email_status = "digest"
        try:
            with transaction.atomic():
                notification = Notification.objects.create(
                    recipient=user,
                    kind=event.kind,
                    event_key=event.key[:200],
                    object_type=event.object_type,
                    object_uuid=event.object_uuid,
                    title=event.title[:300],
                    url=event.url[:300],
                    label=event.label[:20],
                    restricted=event.restricted,
                    in_app=in_app != Frequency.NEVER,
                    show_after=_next_day(now) if in_app == Frequency.DAILY else None,
                    email_status=email_status,
                )
        except IntegrityError:
            continue  # this recipient already has this event's notification
        created.append(notification)
    pending = [n.pk for n in created if n.email_status == "pending"]
    if pending:
        from .tasks import enqueue_emails

        transaction.on_commit(lambda: enqueue_emails(pending))
    return created


@transaction.atomic
def notification_mark_read(*, actor: User, notification: Notification, read: bool = True) -> Notification:
    """Mark the actor's own notification read (or unread again). Personal state: not audited."""
    if notification.recipient_id != actor.pk:
        raise PermissionDenied
    notification.read_at = timezone.now() if read else None
    Notification.objects.filter(pk=notification.pk).update(read_at=notification.read_at)
    return notification


@transaction.atomic
def notifications_mark_all_read(*, actor: User, queryset: Any) -> int:
    """Mark every unread notification of ``queryset`` (the actor's own, filtered) read."""
    return int(queryset.filter(recipient_id=actor.pk, read_at__isnull=True).update(read_at=timezone.now()))


@transaction.atomic
def preference_set(*, actor: User, kind: str, in_app: str, email: str) -> Preference:
    """The actor's choice for one kind of notification (audited: who changed what they receive)."""
    if kind not in KINDS:
        raise ValueError(kind)
    valid = set(Frequency.values)
    if in_app not in valid or email not in valid:
        raise ValueError("frequency")
    pref, _created = Preference.objects.update_or_create(
        user=actor, kind=kind, defaults={"in_app": in_app, "email": email}
    )
    audit_record(
        actor=actor,
        action=AuditAction.UPDATE,
        obj=pref,
        changes={"kind": kind, "in_app": in_app, "email": email},
    )
    return pref
