"""Background work through a real worker pass over the database queue (django-tasks-db)."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone
from freezegun import freeze_time

from tandem.notifications.models import Notification

from .conftest import amber_request

pytestmark = pytest.mark.django_db

DB_QUEUE = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}


@pytest.fixture
def db_queue(settings, monkeypatch):
    from django_tasks_db.management.commands import db_worker

    settings.TASKS = DB_QUEUE
    # The worker recycles stale connections between tasks; inside a test's transaction that would
    # drop the test's own connection (nothing else of the worker is replaced).
    monkeypatch.setattr(db_worker, "close_old_connections", lambda: None)


@pytest.fixture
def work(django_capture_on_commit_callbacks):
    """Worker passes until nothing is ready. The worker runs inside the test's transaction, so what
    a task defers to its commit (queueing the next task) happens after the pass: hence the loop."""
    from django_tasks_db.models import DBTaskResult

    def run() -> None:
        for _ in range(5):
            if not DBTaskResult.objects.ready().exists():
                return
            with django_capture_on_commit_callbacks(execute=True):
                call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)

    return run


def test_the_email_waits_in_the_queue_until_the_worker_sends_it(
    cast, db_queue, work, django_capture_on_commit_callbacks
):
    from django_tasks_db.models import DBTaskResult

    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        amber_request(cast)
    assert not [m for m in mail.outbox if m.to == ["national@example.org"]]  # not sent in the request
    assert DBTaskResult.objects.filter(status="READY").exists()
    assert not Notification.objects.exists()  # the worker makes them, not the request
    work()
    assert [m for m in mail.outbox if m.to == ["national@example.org"]]
    assert Notification.objects.get(recipient=cast.national).email_status == "sent"
    assert set(DBTaskResult.objects.values_list("status", flat=True)) == {"SUCCESSFUL"}


def test_a_failing_email_is_retried_later_then_recorded_as_failed(
    cast, db_queue, work, settings, django_capture_on_commit_callbacks
):
    from django_tasks_db.models import DBTaskResult

    settings.EMAIL_BACKEND = "tandem.notifications.tests.broken_mail.EmailBackend"
    settings.TANDEM_TASK_MAX_ATTEMPTS = 3
    start = timezone.now()
    with freeze_time(start), django_capture_on_commit_callbacks(execute=True):
        amber_request(cast)
    with freeze_time(start):
        work()
    note = Notification.objects.get(recipient=cast.national)
    assert note.email_status == "pending" and note.email_attempts == 1  # retried later, not lost
    for minutes in (10, 30):
        with freeze_time(start + dt.timedelta(minutes=minutes)):
            work()
    note.refresh_from_db()
    assert note.email_status == "failed" and note.email_attempts == 3
    failed = DBTaskResult.objects.filter(status="FAILED", task_path__endswith="send_notification_email")
    assert failed.count() == 1
    assert "EmailFailed" in failed.get().exception_class_path


def test_run_scheduled_queues_the_scan_for_the_worker(cast, db_queue, work):
    from django_tasks_db.models import DBTaskResult

    out = io.StringIO()
    call_command("run_scheduled", "--digest", stdout=out)
    assert "deadline scan queued" in out.getvalue() and "daily digests queued" in out.getvalue()
    assert DBTaskResult.objects.filter(status="READY").count() == 2
    work()
    assert set(DBTaskResult.objects.values_list("status", flat=True)) == {"SUCCESSFUL"}
