"""Who sees which notification: only its recipient, only while it is shown in the app, and only
while the recipient may still open the record it is about (checked against the record's app)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from tandem.core import access as core_access

from .kinds import RECORD_RULES, visible_uuids
from .models import Notification, Preference


def _user_id(actor: Any) -> int | None:
    return core_access.get_access(actor).pk


def notification_q(actor: Any) -> Q:
    """Addressed to the actor, shown in the app, and due (a daily-digest one from the next day)."""
    user_id = _user_id(actor)
    if user_id is None:
        return Q(pk__in=[])
    return Q(recipient_id=user_id, in_app=True) & (Q(show_after__isnull=True) | Q(show_after__lte=timezone.now()))


def record_q(actor: Any, object_types: Iterable[str] | None = None) -> Q:
    """Notifications about records the actor may open now (each type by its own app's rule);
    ``object_types``: only those types' rules (the others' notifications are left out).

    Tested per notification (``EXISTS`` on the record's uuid), not as ``uuid IN (every record the
    actor may open)``: a national coordinator may open about 300,000 exchange items at national
    scale, and the ``IN`` form built that whole set to check a few hundred notifications (7.7 s for
    the centre's page; the ``EXISTS`` reads each named record by its uuid index)."""
    wanted = None if object_types is None else set(object_types)
    q = Q(pk__in=[])
    for object_type, rule in RECORD_RULES.items():
        if wanted is None or object_type in wanted:
            q |= Q(object_type=object_type) & Q(Exists(rule(actor).order_by().filter(uuid=OuterRef("object_uuid"))))
    return q


def visible_notifications(actor: Any) -> QuerySet[Notification]:
    """The actor's notifications shown in the centre: due, and about a record they may still open.

    Read in two steps. First the actor's due notifications, as (id, record type, record uuid): rows of
    the recipient index. Then each type's rule (its own app's) is asked which of the records those
    name the actor may open, by uuid (the records' index), one query per type the actor has
    notifications of; the rules of other types are never built. The result is those notifications,
    by id. As one condition over every notification (``record_q``: a type's rule ``EXISTS`` per
    notification) PostgreSQL chose to hash the whole set a rule allows first: a national
    coordinator's 50,000 meetings, read to check a few hundred notifications.
    """
    due = Notification.objects.filter(notification_q(actor))
    rows = list(due.order_by().values_list("pk", "object_type", "object_uuid"))
    if not rows:
        return Notification.objects.none()
    allowed = _allowed(actor, ((object_type, record) for _pk, object_type, record in rows))
    return due.filter(pk__in_array=[pk for pk, object_type, record in rows if str(record) in allowed[object_type]])


def visible_preferences(actor: Any) -> QuerySet[Preference]:
    user_id = _user_id(actor)
    return Preference.objects.filter(user_id=user_id) if user_id is not None else Preference.objects.none()


def _allowed(actor: Any, named: Iterable[tuple[str, Any]]) -> dict[str, set[str]]:
    """For each record type among ``named`` (type, uuid) pairs, the uuids the actor may open (one query per type)."""
    by_type: dict[str, set[str]] = {}
    for object_type, record in named:
        by_type.setdefault(object_type, set()).add(str(record))
    return {t: visible_uuids(actor, t, sorted(uuids)) for t, uuids in by_type.items()}


def still_visible(actor: Any, notifications: list[Notification]) -> list[Notification]:
    """Those of ``notifications`` whose record the actor may still open (one query per record type)."""
    allowed = _allowed(actor, ((n.object_type, n.object_uuid) for n in notifications))
    return [n for n in notifications if str(n.object_uuid) in allowed[n.object_type]]
