"""A short-lived cache of the dashboard's numbers, one entry per reader.

The key holds everything that decides what a figure may count for its reader: their user id
(the exchange and bodies rules look at who they are and which organisations they act for),
their roles (``role@path`` lines, hashed), the jurisdiction the page is narrowed to, and the day.
So one reader's numbers are never served to another, nor to the same person after a role
change. Only numbers are stored (labels and links are built per request, in the reader's
language); the page says when they were counted ("as of HH:MM").

Freshness: any save or delete of a record the figures count (bodies, plans, exchange, capacity,
funding, assessment, and the directory's places, organisations, people, affiliations and roles)
replaces the cache's generation token, so every entry is dropped at once; writes that send no
signal (bulk ``update()``, raw SQL) show after ``TANDEM_DASHBOARD_CACHE_SECONDS`` at most. With
several workers the token lives in the shared cache (Redis in production), so all see a write.
``TANDEM_DASHBOARD_CACHE_SECONDS = 0`` turns it off (the test suite's default; 300 elsewhere).
"""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db.models.signals import m2m_changed, post_delete, post_save

from tandem.core import figures as core_figures

from .access import grants_text

GENERATION = "tandem:dashboards:generation"
WATCHED_APPS = frozenset({"bodies", "plans", "exchange", "capacity", "funding", "assessment"})
WATCHED_CORE = frozenset({"jurisdiction", "organisation", "person", "affiliation", "roleassignment"})
# Written on reads, counted by no figure: they must not empty the cache on every page view.
IGNORED = frozenset({"readlog", "calendarfeed"})


def seconds() -> int:
    default = 0 if getattr(settings, "TANDEM_ENV", "") == "test" else 300
    return int(getattr(settings, "TANDEM_DASHBOARD_CACHE_SECONDS", default))


def _generation() -> str:
    return str(cache.get_or_set(GENERATION, lambda: uuid.uuid4().hex, None))


def forget_all() -> None:
    """Drop every cached number (a new generation token: the old entries are never read again)."""
    cache.set(GENERATION, uuid.uuid4().hex, None)


def _on_write(sender: Any, **_kwargs: Any) -> None:
    meta = getattr(sender, "_meta", None)
    if meta is None or not seconds() or meta.model_name in IGNORED:
        return
    if meta.app_label in WATCHED_APPS or (meta.app_label == "core" and meta.model_name in WATCHED_CORE):
        forget_all()


def connect() -> None:
    for signal in (post_save, post_delete, m2m_changed):
        signal.connect(_on_write, dispatch_uid=f"tandem-dashboards-{id(signal)}")


def _key(scope: Any) -> str:
    from tandem.core.access import get_access

    roles = hashlib.sha256(grants_text(scope.actor).encode()).hexdigest()[:24]
    day = core_figures.today().isoformat()
    return f"tandem:dashboards:{_generation()}:{get_access(scope.actor).pk}:{roles}:{scope.within}:{day}"


def numbers(scope: Any, build: Callable[[], dict[str, Any]]) -> dict[str, Any]:
    """``build()``'s result for this reader, from the cache when it is there (not for a past
    quarter's report, which is always counted afresh)."""
    if not seconds() or core_figures.fixed_day() is not None:
        return build()
    key = _key(scope)
    found = cache.get(key)
    if found is None:
        found = build()
        cache.set(key, found, seconds())
    return found
