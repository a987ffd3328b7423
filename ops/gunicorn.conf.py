"""gunicorn settings for Tandem's production topology (ops/prod.sh, docs/deploy.md).

Every value can be changed from the environment: GUNICORN_BIND, GUNICORN_WORKERS,
GUNICORN_THREADS, GUNICORN_TIMEOUT. Workers are stateless: sessions, lock-outs and second
factor state live in the database, rate-limit counters in Redis (REDIS_URL), files in
MEDIA_ROOT or the S3 bucket, so any worker on any machine can answer any request.
"""

from __future__ import annotations

import multiprocessing
import os

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("GUNICORN_WORKERS", str(multiprocessing.cpu_count() * 2 + 1)))
threads = int(os.environ.get("GUNICORN_THREADS", "1"))  # more than 1: the gthread worker (keep-alive)
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "60"))
graceful_timeout = 20
keepalive = 5
# A worker is replaced after this many requests (and some jitter): slow leaks cannot pile up.
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "5000"))
max_requests_jitter = 500
# Heartbeat files in memory, not on a slow disk.
worker_tmp_dir = "/dev/shm" if os.path.isdir("/dev/shm") else None  # noqa: S108 - gunicorn heartbeat files
accesslog = os.environ.get("GUNICORN_ACCESSLOG") or None
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOGLEVEL", "info")
proc_name = "tandem"
# gunicorn's runtime control socket is not used (several servers on one machine would share its path).
control_socket_disable = True
wsgi_app = "tandem.wsgi:application"


def child_exit(server, worker):  # noqa: ARG001 - gunicorn's hook signature
    """A dead worker's Prometheus counters stay summed, its gauges are dropped."""
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        from prometheus_client import multiprocess

        multiprocess.mark_process_dead(worker.pid)


def post_worker_init(worker):  # noqa: ARG001 - gunicorn's hook signature
    """Once Django and the app are loaded, their objects (hundreds of thousands: modules, models,
    templates, URL patterns) are moved out of the garbage collector's reach. They live as long as
    the worker, and a page that builds many rows (a roll-up of 3,000 plans) otherwise triggers full
    collections that walk them all: measured on the national roll-up, 179 ms of CPU with them
    tracked against 52 ms without a collection."""
    import gc

    gc.freeze()
