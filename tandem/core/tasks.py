"""Enqueueing background tasks (Django's Tasks API, the django-tasks backport) the same way in every app."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone
from django_tasks import default_task_backend


def enqueue(task: Any, *args: Any, delay: dt.timedelta | None = None) -> None:
    """Enqueue ``task(*args)``, to run after ``delay`` (a retry's back-off) where the backend can wait;
    a backend that cannot runs it at once."""
    if delay is not None and default_task_backend.supports_defer:
        task.using(run_after=timezone.now() + delay).enqueue(*args)
    else:
        task.enqueue(*args)
