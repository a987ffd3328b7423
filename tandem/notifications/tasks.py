"""Background work of the notifications app, through Django's Tasks API (django-tasks).

* ``send_notification_email``: one e-mail; a failure is tried again later (TANDEM_TASK_MAX_ATTEMPTS
  in all), then the notification shows "e-mail failed" to its recipient and the task ends FAILED
  in the task results (admin site), with the error: never lost silently.
* ``send_daily_digests``: one e-mail per user for the notifications they want in a digest.
* ``scan_deadlines``: the requests and action items due in 3 days or overdue (run by
  ``manage.py run_scheduled``, from cron or its ``--every`` loop, never on a page view).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import logging

from django.conf import settings
from django.utils import timezone
from django_tasks import task

from tandem.core import tasks as core_tasks
from tandem.core.events import Event
from tandem.core.models import User

from . import emails, scheduled, services
from .access import still_visible
from .models import Notification

logger = logging.getLogger(__name__)


class EmailFailed(RuntimeError):
    """Every attempt to send a notification's e-mail failed."""


def enqueue_email(notification_id: int, *, delay: dt.timedelta | None = None) -> None:
    core_tasks.enqueue(send_notification_email, notification_id, delay=delay)


def enqueue_emails(notification_ids: list[int]) -> None:
    for pk in notification_ids:
        enqueue_email(pk)


@task()
def send_notification_email(notification_id: int) -> str:
    n = Notification.objects.select_related("recipient").filter(pk=notification_id).first()
    if n is None or n.email_status != "pending":
        return "skipped"
    user = n.recipient
    if not user.is_active or not user.email or not still_visible(user, [n]):
        Notification.objects.filter(pk=n.pk).update(email_status="")
        return "not sent: the recipient can no longer open the record"
    try:
        emails.notification_email(n).send()
    except Exception as exc:
        attempts = n.email_attempts + 1
        error = f"{type(exc).__name__}: {exc}"[:300]
        if attempts < settings.TANDEM_TASK_MAX_ATTEMPTS:
            Notification.objects.filter(pk=n.pk).update(email_attempts=attempts, email_error=error)
            enqueue_email(n.pk, delay=dt.timedelta(minutes=2**attempts))
            return f"attempt {attempts} failed, retrying"
        Notification.objects.filter(pk=n.pk).update(email_attempts=attempts, email_error=error, email_status="failed")
        logger.error("notification e-mail %s failed after %d attempts: %s", n.uuid, attempts, error)
        raise EmailFailed(error) from exc
    Notification.objects.filter(pk=n.pk).update(email_status="sent", email_attempts=n.email_attempts + 1)
    return "sent"


def enqueue_event(event: Event) -> None:
    """The ``event_listener``: the notifications of an event are made by the worker, not the request."""
    create_notifications.enqueue(dataclasses.asdict(event))


@task()
def create_notifications(event: dict) -> int:
    """One notification per recipient who may open the record (``services.notify``), e-mails queued."""
    data = {**event, "recipient_ids": tuple(event["recipient_ids"])}
    return len(services.notify(Event(**data)))


@task()
def send_daily_digests() -> int:
    """One e-mail per user with their notifications waiting for the digest (still visible ones)."""
    sent = 0
    waiting = Notification.objects.filter(email_status="digest").select_related("recipient").order_by("created_at")
    by_user: dict[int, list[Notification]] = {}
    for n in waiting:
        by_user.setdefault(n.recipient_id, []).append(n)
    for notifications in by_user.values():
        user: User = notifications[0].recipient
        shown = still_visible(user, notifications) if user.is_active and user.email else []
        if shown:
            emails.digest_email(user, shown).send()
            sent += 1
        Notification.objects.filter(pk__in=[n.pk for n in notifications]).update(email_status="sent" if shown else "")
        Notification.objects.filter(pk__in=[n.pk for n in notifications if n not in shown]).update(email_status="")
    return sent


@task()
def scan_deadlines(today: str | None = None) -> int:
    """Announce the requests and action items due in 3 days or overdue (each once per due date)."""
    day = dt.date.fromisoformat(today) if today else timezone.localdate()
    return scheduled.scan(day)
