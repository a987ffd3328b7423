"""A short-lived cache of the dashboard's numbers, one entry per reader.

The key holds everything that decides what a figure may count for its reader: their user id
(the exchange and bodies rules look at who they are and which organisations they act for),
their roles (``role@path`` lines, hashed), the jurisdiction the page is narrowed to, and the day.
So one reader's numbers are never served to another, nor to the same person after a role
change. Only numbers are stored (labels and links are built per request, in the reader's
language); the page says when they were counted ("as of HH:MM").

Freshness, by place. Every figure counts records inside the reader's scope (the subtrees of their
grants, or the jurisdiction the page is narrowed to) and, for the national objectives, records of
the places above it. So each jurisdiction path has two generation tokens: its *subtree* token,
replaced by any write at that place or below it, and its *own* token, replaced by a write at that
place itself. A reader's key holds the subtree token of each root of their scope and the own token
of every place above each root. A save or delete of a record the figures count (bodies, plans,
capacity, funding, assessment) replaces the tokens of the place it lies in (before and after the
write, so a record moved elsewhere leaves both places fresh): a write in one city empties the
dashboards of that city, of the places above it and of the readers above it, and leaves the other
cities' and regions' entries valid. Writes whose readers are not tied to one place empty every
entry (a global token): the exchange (a request is counted by its recipients, wherever they are),
the directory's places, organisations, people, affiliations and roles, many-to-many changes, and a
record whose place cannot be found. Writes that send no signal (bulk ``update()``, raw SQL) show
after ``TANDEM_DASHBOARD_CACHE_SECONDS`` at most. Tokens are replaced again when the transaction
commits, so a reader who counted in between does not keep the old numbers. With several workers the
tokens live in the shared cache (Redis in production), so all see a write.
``TANDEM_DASHBOARD_CACHE_SECONDS = 0`` turns it off (the test suite's default; 300 elsewhere).
"""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import Callable, Iterable
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db import models, transaction
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_delete, pre_save

from tandem.core import figures as core_figures

from .access import grants_text

PREFIX = "tandem:dashboards"
GENERATION = f"{PREFIX}:generation"
# Counted by place (the records' jurisdiction paths are found from their fields).
PLACED_APPS = frozenset({"bodies", "plans", "capacity", "funding", "assessment"})
# Counted by readers anywhere (recipients of an exchange item) or deciding who sees what: every entry.
GLOBAL_APPS = frozenset({"exchange"})
GLOBAL_CORE = frozenset({"jurisdiction", "organisation", "person", "affiliation", "roleassignment"})
# Written on reads, counted by no figure: they must not empty the cache on every page view.
IGNORED = frozenset({"readlog", "calendarfeed"})
# How far the fields are followed to the record's jurisdiction (a meeting's body's jurisdiction: 2).
MAX_HOPS = 3


def seconds() -> int:
    default = 0 if getattr(settings, "TANDEM_ENV", "") == "test" else 300
    return int(getattr(settings, "TANDEM_DASHBOARD_CACHE_SECONDS", default))


def _subtree(path: str) -> str:
    return f"{PREFIX}:below:{path}"


def _own(path: str) -> str:
    return f"{PREFIX}:at:{path}"


def ancestors(path: str) -> list[str]:
    """``/1/2/3/`` -> ``["/1/", "/1/2/", "/1/2/3/"]`` (the place itself last)."""
    parts = [p for p in path.split("/") if p]
    return ["/" + "/".join(parts[: i + 1]) + "/" for i in range(len(parts))]


def forget_all() -> None:
    """Drop every cached number (a new global token: the old entries are never read again)."""
    cache.set(GENERATION, uuid.uuid4().hex, None)


def forget_places(paths: Iterable[str]) -> None:
    """Drop the entries that may count a record at one of ``paths``: the readers of those places,
    of every place above them (their subtree tokens), and of every place below them (own tokens)."""
    fresh: dict[str, str] = {}
    for path in set(paths):
        fresh[_own(path)] = uuid.uuid4().hex
        for above in ["", *ancestors(path)]:
            fresh[_subtree(above)] = uuid.uuid4().hex
    if fresh:
        cache.set_many(fresh, None)


def _tokens(scope: Any) -> str:
    """The tokens the reader's entry depends on (one cache round trip), hashed."""
    roots = scope.paths()
    keys = [GENERATION]
    for root in [""] if roots is None else sorted(roots):
        keys.append(_subtree(root))
        keys.extend(_own(above) for above in ancestors(root)[:-1])
    found = cache.get_many(keys)
    if GENERATION not in found:  # first use (or evicted): a new token, so no older entry can match
        found[GENERATION] = str(cache.get_or_set(GENERATION, lambda: uuid.uuid4().hex, None))
    return hashlib.sha256("\n".join(f"{k}={found.get(k, '')}" for k in keys).encode()).hexdigest()[:24]


# --- Which places a write touches --------------------------------------------------------------


_lookups: dict[type, tuple[str, ...]] = {}


def _is_place(field: Any) -> bool:
    return getattr(field, "related_model", None) is not None and field.related_model._meta.label_lower == (
        "core.jurisdiction"
    )


def path_lookups(model: type[models.Model]) -> tuple[str, ...]:
    """The ORM lookups to the jurisdiction path(s) of a record of ``model``, followed through its
    foreign keys (the nearest ones only: a meeting's is ``body__jurisdiction__path``)."""
    if model in _lookups:
        return _lookups[model]
    level: list[tuple[str, type[models.Model]]] = [("", model)]
    found: list[str] = []
    for _hop in range(MAX_HOPS):
        following: list[tuple[str, type[models.Model]]] = []
        for prefix, current in level:
            for field in current._meta.concrete_fields:
                if field.name == "jurisdiction_path" and not field.is_relation:
                    found.append(prefix + field.name)
                elif _is_place(field):
                    found.append(f"{prefix}{field.name}__path")
                elif field.many_to_one or field.one_to_one:
                    related = field.related_model
                    if related is not None and related._meta.app_label in PLACED_APPS:
                        following.append((f"{prefix}{field.name}__", related))
        if found:
            break
        level = following
    _lookups[model] = tuple(found)
    return _lookups[model]


def _places(instance: models.Model) -> list[str] | None:
    """The paths of the places ``instance`` lies in, read from the database (None: not found)."""
    lookups = path_lookups(type(instance))
    if not lookups or instance.pk is None:
        return None
    row = type(instance)._default_manager.filter(pk=instance.pk).values_list(*lookups).first()
    paths = [p for p in (row or ()) if p]
    return paths or None


def _kind(sender: Any) -> str:
    """``"placed"``, ``"global"`` or ``""`` (not counted by any figure)."""
    meta = getattr(sender, "_meta", None)
    if meta is None or meta.model_name in IGNORED:
        return ""
    if meta.app_label in GLOBAL_APPS or (meta.app_label == "core" and meta.model_name in GLOBAL_CORE):
        return "global"
    return "placed" if meta.app_label in PLACED_APPS else ""


def _forget(paths: list[str] | None) -> None:
    """Now and again once the transaction commits (a reader may count before the commit)."""

    def run() -> None:
        if paths is None:
            forget_all()
        else:
            forget_places(paths)

    run()
    transaction.on_commit(run)


def _before(sender: Any, instance: Any = None, **kwargs: Any) -> None:
    """Before an update or a delete: the place the record lies in now (it may be moved or gone after)."""
    if not seconds() or _kind(sender) != "placed" or instance is None:
        return
    if kwargs.get("raw") or instance._state.adding:
        return
    _forget(_places(instance))


def _after(sender: Any, instance: Any = None, **kwargs: Any) -> None:
    if not seconds() or instance is None:
        return
    kind = _kind(sender)
    if kind == "global":
        _forget(None)
    elif kind == "placed" and not kwargs.get("raw"):
        if kwargs.get("signal") is post_delete:
            return  # done before the delete
        _forget(_places(instance))


def _m2m(sender: Any, instance: Any = None, action: str = "", **_kwargs: Any) -> None:
    if seconds() and action.startswith("post_") and (_kind(sender) or _kind(type(instance))):
        _forget(None)


def connect() -> None:
    for signal in (pre_save, pre_delete):
        signal.connect(_before, dispatch_uid=f"tandem-dashboards-before-{id(signal)}")
    for signal in (post_save, post_delete):
        signal.connect(_after, dispatch_uid=f"tandem-dashboards-after-{id(signal)}")
    m2m_changed.connect(_m2m, dispatch_uid="tandem-dashboards-m2m")


def _key(scope: Any, kind: str = "") -> str:
    from tandem.core.access import get_access

    roles = hashlib.sha256(grants_text(scope.actor).encode()).hexdigest()[:24]
    day = core_figures.today().isoformat()
    prefix = f"{PREFIX}:{kind}" if kind else PREFIX
    return f"{prefix}:{_tokens(scope)}:{get_access(scope.actor).pk}:{roles}:{scope.within}:{day}"


def numbers(scope: Any, build: Callable[[], dict[str, Any]], *, kind: str = "") -> dict[str, Any]:
    """``build()``'s result for this reader, from the cache when it is there (not for a past
    quarter's report, which is always counted afresh). ``kind`` names what is counted, when it
    is not the dashboard's own numbers (a home-page panel)."""
    if not seconds() or core_figures.fixed_day() is not None:
        return build()
    key = _key(scope, kind)
    found = cache.get(key)
    if found is None:
        found = build()
        cache.set(key, found, seconds())
    return found


class _Anywhere:
    """The scope of numbers that may count records outside the reader's subtree (an action item of a
    body their organisation sits on elsewhere, an exchange request addressed to them): its key
    holds the global token and the whole network's subtree token, so any write that empties some
    dashboard entry empties this one too."""

    within = ""

    def __init__(self, actor: Any) -> None:
        self.actor = actor

    def paths(self) -> None:
        return None


def reader_numbers(actor: Any, kind: str, build: Callable[[], dict[str, Any]]) -> dict[str, Any]:
    """``build()``'s numbers for this reader (a home-page panel), cached like the dashboard's: per
    user and roles, until any counted record changes anywhere, ``seconds()`` at most."""
    return numbers(_Anywhere(actor), build, kind=kind)
