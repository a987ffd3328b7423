"""Reads of read-only requests from a streaming replica; every write to the primary.

With ``TANDEM_READ_REPLICA`` on (``DATABASE_REPLICA_URL`` set, docs/deploy.md), a read goes to
the ``replica`` alias only when all of these hold:

* the request is a GET or HEAD (``ReplicaRequestMiddleware`` marks it), outside any
  transaction on the primary (a service reads what it is about to write from the primary);
* the client did not write in the last ``TANDEM_REPLICA_PIN_SECONDS`` (a short-lived cookie set
  after every other method): whoever saves a form sees it on the next page, despite replica lag;
* the model is not sign-in or access data (sessions, users, role grants, API tokens, second
  factor devices, lock-outs, tasks): a revoked role or a signed-out session counts at once.

Writes (``db_for_write``), ``select_for_update`` and migrations always use ``default``.
"""

from __future__ import annotations

import contextvars
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.db import connections
from django.http import HttpRequest, HttpResponse

REPLICA = "replica"
PIN_COOKIE = "tandem_primary"
SAFE_METHODS = frozenset({"GET", "HEAD"})
# Apps and models whose reads always go to the primary.
PRIMARY_APPS = frozenset(
    {"sessions", "auth", "contenttypes", "axes", "otp_totp", "otp_static", "django_tasks_db", "admin"}
)
PRIMARY_MODELS = frozenset({"core.User", "core.RoleAssignment", "core.ApiToken", "core.Invitation"})

_replica_allowed: contextvars.ContextVar[bool] = contextvars.ContextVar("tandem_replica_allowed", default=False)


def enabled() -> bool:
    return bool(getattr(settings, "TANDEM_READ_REPLICA", False)) and REPLICA in settings.DATABASES


class ReplicaRouter:
    """The database router (``DATABASE_ROUTERS``); inert unless ``TANDEM_READ_REPLICA`` is on."""

    def db_for_read(self, model: Any, **hints: Any) -> str | None:
        if not _replica_allowed.get() or not enabled():
            return None
        meta = model._meta
        if meta.app_label in PRIMARY_APPS or meta.label in PRIMARY_MODELS:
            return None
        if connections["default"].in_atomic_block:
            return None
        return REPLICA

    def db_for_write(self, model: Any, **hints: Any) -> str:
        return "default"

    def allow_relation(self, obj1: Any, obj2: Any, **hints: Any) -> bool:
        return True  # the replica holds the primary's rows

    def allow_migrate(self, db: str, app_label: str, **hints: Any) -> bool:
        return db == "default"


class ReplicaRequestMiddleware:
    """Allows replica reads while a GET/HEAD request runs; pins a client that wrote to the primary."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not enabled():
            return self.get_response(request)
        allowed = request.method in SAFE_METHODS and PIN_COOKIE not in request.COOKIES
        token = _replica_allowed.set(allowed)
        try:
            response = self.get_response(request)
        finally:
            _replica_allowed.reset(token)
        if request.method not in SAFE_METHODS:
            response.set_cookie(
                PIN_COOKIE,
                "1",
                max_age=settings.TANDEM_REPLICA_PIN_SECONDS,
                httponly=True,
                samesite="Lax",
                secure=settings.SESSION_COOKIE_SECURE,
            )
        return response
