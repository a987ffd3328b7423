"""Operations: the readiness probe, the metrics endpoint, the read-replica router, shared counters."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.apps import apps
from django.db import connections, router
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tandem.core import dbrouter
from tandem.core.models import Organisation, RoleAssignment, Sector, User
from tandem.core.views import health

ROOT = Path(__file__).resolve().parents[3]
WRITES = ("INSERT", "UPDATE", "DELETE")


# --- /readyz ----------------------------------------------------------------------------------


@pytest.mark.django_db
def test_readyz_reports_each_part_ready(client):
    response = client.get(reverse("readyz"))
    assert response.status_code == 200
    assert response.json()["checks"] == {"database": "ok", "cache": "ok", "worker": "ok"}
    assert response["Cache-Control"].startswith("max-age=0")


@pytest.mark.django_db
def test_readyz_names_the_failing_part_and_nothing_more(client, monkeypatch):
    def broken() -> str:
        raise ConnectionError("redis://secret-host:6379 refused")

    monkeypatch.setitem(health.CHECKS, "cache", broken)
    response = client.get(reverse("readyz"))
    assert response.status_code == 503
    assert response.json()["checks"] == {"database": "ok", "cache": "failing", "worker": "ok"}
    assert b"secret-host" not in response.content


@pytest.mark.django_db
def test_readyz_fails_when_queued_tasks_wait_with_no_worker(client, settings):
    import datetime as dt

    from django.utils import timezone
    from django_tasks_db.models import DBTaskResult

    settings.TANDEM_TASKS_BACKEND = "db"
    assert client.get(reverse("readyz")).status_code == 200  # an empty queue is fine
    from tandem.notifications.tasks import send_notification_email

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
    result = send_notification_email.enqueue(0)
    DBTaskResult.objects.filter(id=result.id).update(enqueued_at=timezone.now() - dt.timedelta(minutes=30))
    response = client.get(reverse("readyz"))
    assert response.status_code == 503
    assert response.json()["checks"]["worker"] == "failing"


# --- /metrics ---------------------------------------------------------------------------------


@pytest.mark.django_db
def test_metrics_are_off_without_a_token_setting(client, settings):
    settings.TANDEM_METRICS_TOKEN = ""
    assert client.get(reverse("metrics"), HTTP_AUTHORIZATION="Bearer ").status_code == 404


@pytest.mark.django_db
def test_metrics_answer_only_the_scraper_token(client, settings, world):
    settings.TANDEM_METRICS_TOKEN = "scrape-" + "s" * 30
    assert client.get(reverse("metrics")).status_code == 404
    assert client.get(reverse("metrics"), HTTP_AUTHORIZATION="Bearer wrong").status_code == 404
    client.force_login(world.admin)  # not even an administrator's session
    assert client.get(reverse("metrics")).status_code == 404
    response = client.get(reverse("metrics"), HTTP_AUTHORIZATION=f"Bearer {settings.TANDEM_METRICS_TOKEN}")
    assert response.status_code == 200
    assert b"django_http_requests_total_by_method_total" in response.content


# --- The read-replica router ---------------------------------------------------------------------


def test_writes_and_migrations_always_go_to_the_primary(settings):
    settings.TANDEM_READ_REPLICA = True
    token = dbrouter._replica_allowed.set(True)
    try:
        for model in apps.get_models(include_auto_created=True):
            assert router.db_for_write(model) == "default", model
        assert router.db_for_read(Organisation) == "replica"
        assert router.db_for_read(User) == "default"  # sign-in and access data: never stale
        assert router.db_for_read(RoleAssignment) == "default"
    finally:
        dbrouter._replica_allowed.reset(token)
    assert router.db_for_read(Organisation) == "default"  # outside a read-only request
    assert router.allow_migrate("replica", "core") is False
    settings.TANDEM_READ_REPLICA = False
    token = dbrouter._replica_allowed.set(True)
    try:
        assert router.db_for_read(Organisation) == "default"  # the setting is off
    finally:
        dbrouter._replica_allowed.reset(token)


@pytest.mark.django_db(transaction=True, databases=["default", "replica"])
def test_pages_read_from_the_replica_and_never_write_there(client, settings, world):
    """The "replica" alias mirrors the test database (settings.py), so the routing is observable."""
    settings.TANDEM_READ_REPLICA = True
    client.force_login(world.local)
    with CaptureQueriesContext(connections["replica"]) as replica, CaptureQueriesContext(connections["default"]):
        assert client.get(reverse("organisation_list")).status_code == 200
    assert any("core_organisation" in q["sql"] for q in replica.captured_queries)

    form = {"name": "Routed Org", "sector": Sector.COMMUNITY, "jurisdiction": str(world.cebu_city.uuid)}
    with (
        CaptureQueriesContext(connections["replica"]) as replica,
        CaptureQueriesContext(connections["default"]) as primary,
    ):
        response = client.post(reverse("organisation_create"), form)
    assert response.status_code == 302
    assert replica.captured_queries == []
    assert any(q["sql"].startswith("INSERT") and "core_organisation" in q["sql"] for q in primary.captured_queries)
    assert response.cookies[dbrouter.PIN_COOKIE]["max-age"] == settings.TANDEM_REPLICA_PIN_SECONDS

    # Right after writing, the writer reads from the primary (sees its own record despite lag).
    with CaptureQueriesContext(connections["replica"]) as replica:
        assert "Routed Org" in client.get(reverse("organisation_list")).text
    assert replica.captured_queries == []

    # A page that writes as it shows (a read audit row, a session) writes to the primary only.
    client.cookies.pop(dbrouter.PIN_COOKIE)
    with CaptureQueriesContext(connections["replica"]) as replica:
        client.get(reverse("person_detail", kwargs={"uuid": world.person_cebu.uuid}))
        client.get(reverse("home"))
    assert not [q for q in replica.captured_queries if q["sql"].lstrip().upper().startswith(WRITES)]
    assert replica.captured_queries  # and it did read there


# --- Counters shared by every worker process ------------------------------------------------------


def _redis_url() -> str | None:
    url = os.environ.get("TANDEM_TEST_REDIS_URL", "redis://127.0.0.1:6379/13")
    try:
        import redis

        redis.Redis.from_url(url, socket_connect_timeout=1).ping()
    except Exception:
        return None
    return url


COUNT_IN_A_PROCESS = """
import django, os, sys
django.setup()
from tandem.core import ratelimit
allowed = sum(ratelimit.check("test", sys.argv[1], "25/hour") is None for _ in range(20))
print(allowed)
"""


def test_rate_limits_are_shared_by_processes_through_redis():
    """Two worker processes, one limit: with REDIS_URL the 25 allowed requests are counted once."""
    url = _redis_url()
    if url is None:
        pytest.skip("no Redis on 127.0.0.1:6379 (CI starts one)")
    import redis

    redis.Redis.from_url(url).flushdb()
    ident = os.urandom(6).hex()
    env = {**os.environ, "REDIS_URL": url, "DJANGO_SETTINGS_MODULE": "tandem.settings", "TANDEM_ENV": "development"}
    env.pop("DATABASE_URL", None)
    processes = [
        subprocess.Popen([sys.executable, "-c", COUNT_IN_A_PROCESS, ident], cwd=ROOT, env=env, stdout=subprocess.PIPE)
        for _ in range(2)
    ]
    allowed = [int(p.communicate(timeout=120)[0].decode().split()[-1]) for p in processes]
    assert sum(allowed) == 25, allowed


def test_a_rate_limit_check_is_one_redis_round_trip(settings, monkeypatch):
    """Counting a request against a limit sends one pipeline (create with expiry, increment), not
    Django's add, exists and incr: two round trips per API request instead of six."""
    url = _redis_url()
    if url is None:
        pytest.skip("no Redis on 127.0.0.1:6379 (CI starts one)")
    import redis.connection
    from django.core.cache import cache

    from tandem.core import ratelimit

    settings.CACHES = {"default": {"BACKEND": "tandem.core.redis_cache.SharedClientRedisCache", "LOCATION": url}}
    ident = os.urandom(6).hex()
    cache.get("warm")  # the connection's own handshake is not counted
    sent = []
    original = redis.connection.AbstractConnection.send_packed_command

    def counted(self, command, check_health=True):
        sent.append(command)
        return original(self, command, check_health)

    monkeypatch.setattr(redis.connection.AbstractConnection, "send_packed_command", counted)
    assert [ratelimit.check("test", ident, "2/hour") for _ in range(3)][:2] == [None, None]
    assert len(sent) == 3  # one round trip per check
    assert ratelimit.check("test", ident, "2/hour") > 0  # the fourth is over the limit as well
    window = int(time.time() // 3600)
    key = f"tandem:rl:test:{ident}:{window}"
    assert cache.get(key) == 4  # Django's cache reads the same counter
    assert 3600 < cache._cache.get_client(key).ttl(cache.make_and_validate_key(key)) <= 3605


def test_the_redis_cache_keeps_one_client_per_pool():
    """Building a redis.Redis per cache call cost a third of a millisecond each: the client is kept."""
    from tandem.core.redis_cache import SharedClientRedisCache

    cache = SharedClientRedisCache("redis://127.0.0.1:6379/15", {})  # no connection is opened here
    assert cache._cache.get_client("a") is cache._cache.get_client("b", write=True)


def test_sign_in_lock_outs_live_in_the_database():
    """django-axes counts failed sign-ins in the database: every worker sees the same lock-out."""
    from axes.conf import settings as axes_settings

    assert axes_settings.AXES_HANDLER == "axes.handlers.database.AxesDatabaseHandler"
