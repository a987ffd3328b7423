"""The same notification e-mail through RQ over Redis (django-tasks-rq), when Redis answers.

Run the whole notification suite on RQ with TANDEM_TASKS_BACKEND=rq; this test runs a worker
pass in this process (RQ's SimpleWorker: no fork, so it sees the test's database). Outside tests the worker is
``manage.py rqworker default --job-class django_tasks_rq.Job``.
"""

from __future__ import annotations

import os

import pytest
from django.core import mail

from tandem.notifications.models import Notification

from .conftest import amber_request

pytestmark = pytest.mark.django_db

RQ = {"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": ["default"]}}


def _redis_or_skip():
    import redis
    from django.conf import settings

    client = redis.Redis.from_url(settings.RQ_QUEUES["default"]["URL"], socket_connect_timeout=1)
    try:
        client.ping()
    except redis.exceptions.ConnectionError:
        if os.environ.get("CI") == "true":  # CI starts Redis: there, a missing Redis is a failure
            pytest.fail("Redis is not running at " + settings.RQ_QUEUES["default"]["URL"])
        pytest.skip("Redis is not running at " + settings.RQ_QUEUES["default"]["URL"])
    return client


def test_the_email_goes_through_an_rq_worker(cast, settings, django_capture_on_commit_callbacks):
    import django_rq
    from django_tasks_rq import Job
    from rq import SimpleWorker

    _redis_or_skip()
    settings.TASKS = RQ
    queue = django_rq.get_queue("default", job_class=Job)
    queue.empty()
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        amber_request(cast)
    assert not [m for m in mail.outbox if m.to == ["national@example.org"]]
    assert queue.count >= 1
    # In the test's transaction, what a task defers to its commit (queueing the e-mail task) happens
    # after the pass: a second pass sends it.
    for _ in range(3):
        with django_capture_on_commit_callbacks(execute=True):
            SimpleWorker([queue], connection=queue.connection, job_class=Job).work(burst=True)
    assert [m for m in mail.outbox if m.to == ["national@example.org"]]
    assert Notification.objects.get(recipient=cast.national).email_status == "sent"
