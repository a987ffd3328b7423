"""Probes and metrics for operations: ``/healthz`` (alive), ``/readyz`` (ready), ``/metrics``.

* ``/healthz``: the process answers and the database does (a load balancer's liveness probe).
* ``/readyz``: the database, the cache (Redis in production) and the task worker; 503 with the
  failing parts named when one is not ready. It says which part failed, never why (no hosts,
  no error text: that goes to the log).
* ``/metrics``: Prometheus text format (django-prometheus), only for a scraper sending
  ``Authorization: Bearer <TANDEM_METRICS_TOKEN>``. Without the setting, or with another token,
  it answers 404 like any unknown address.
"""

from __future__ import annotations

import hmac
import logging
import time
import uuid
from collections.abc import Callable

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from tandem.core.permissions import public

logger = logging.getLogger(__name__)


@public
@require_GET
def healthz(request):
    """Public liveness/readiness probe: the database answers."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})


def _check_database() -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return "ok"


def _check_cache() -> str:
    key = f"tandem:readyz:{uuid.uuid4().hex}"
    cache.set(key, "1", timeout=10)
    found = cache.get(key)
    cache.delete(key)
    if found != "1":
        raise RuntimeError("the cache did not keep a value")
    return "ok"


def _check_worker() -> str:
    backend = settings.TANDEM_TASKS_BACKEND
    if backend == "immediate":
        return "ok"  # tasks run in the process that enqueues them
    if backend == "rq":
        import django_rq
        from rq import Worker

        queue = django_rq.get_queue("default")
        if not Worker.count(queue=queue):
            raise RuntimeError("no RQ worker listens on the default queue")
        return "ok"
    from django_tasks_db.models import DBTaskResult

    oldest = (
        DBTaskResult.objects.ready()  # access-ok: the queue's age, no record is shown
        .order_by("enqueued_at")
        .values_list("enqueued_at", flat=True)
        .first()
    )
    if oldest is not None and (timezone.now() - oldest).total_seconds() > settings.TANDEM_READY_MAX_TASK_AGE:
        raise RuntimeError("queued tasks wait longer than TANDEM_READY_MAX_TASK_AGE: no worker takes them")
    return "ok"


CHECKS: dict[str, Callable[[], str]] = {"database": _check_database, "cache": _check_cache, "worker": _check_worker}


@public
@never_cache
@require_GET
def readyz(request: HttpRequest) -> JsonResponse:
    """Readiness: 200 when every part answers, else 503 naming the parts that do not."""
    results: dict[str, str] = {}
    started = time.monotonic()
    for name, check in CHECKS.items():
        try:
            results[name] = check()
        except Exception:
            logger.exception("readiness check %s failed", name)
            results[name] = "failing"
    ready = all(value == "ok" for value in results.values())
    body = {"status": "ok" if ready else "failing", "checks": results, "ms": round(1000 * (time.monotonic() - started))}
    return JsonResponse(body, status=200 if ready else 503)


def _scraper_allowed(request: HttpRequest) -> bool:
    expected = settings.TANDEM_METRICS_TOKEN
    scheme, _sep, given = request.headers.get("Authorization", "").partition(" ")
    if not expected or scheme.lower() != "bearer":
        return False
    return hmac.compare_digest(given.strip().encode(), expected.encode())


@public
@never_cache
@require_GET
def metrics(request: HttpRequest) -> HttpResponse:
    """Prometheus metrics of every worker process (PROMETHEUS_MULTIPROC_DIR), for the scraper only."""
    if not settings.TANDEM_METRICS or not _scraper_allowed(request):
        raise Http404
    from django_prometheus.exports import ExportToDjangoView

    return ExportToDjangoView(request)
