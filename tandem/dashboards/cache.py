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
place itself. A reader's entry depends on the subtree token of each root of their scope and the
own token of every place above each root: it stores their hash, read with the entry in one round
trip, and is served only while they match. A save or delete of a record the figures count (bodies, plans,
capacity, funding, assessment) replaces the tokens of the place it lies in (before and after the
write, so a record moved elsewhere leaves both places fresh): a write in one city empties the
dashboards of that city, of the places above it and of the readers above it, and leaves the other
cities' and regions' entries valid. Tokens are kept per topic (the apps' records, the
directory, the exchange), so an entry that counts only some (a home-page panel, ``READER_KINDS``) is
not emptied by the others: a new organisation or person empties the directory counts of its place
and the places above it (and the dashboards there), not the action-item or exchange panels. An
exchange write empties every entry that counts the exchange (a request is counted by its recipients,
wherever they are). Writes that decide who sees what empty every entry (a global token): the
directory's places, changes to organisations and people, affiliations and roles, many-to-many
changes, and a record whose place cannot be found. Writes that send no signal (bulk ``update()``, raw SQL) show
after ``TANDEM_DASHBOARD_CACHE_SECONDS`` at most. Tokens are replaced again when the transaction
commits, so a reader who counted in between does not keep the old numbers. With several workers the
tokens live in the shared cache (Redis in production), so all see a write.
``TANDEM_DASHBOARD_CACHE_SECONDS = 0`` turns it off (the test suite's default; 300 elsewhere).

Other pages computed from records found by place keep entries on the same tokens (``place_entry``):
the alignment matrix, per reader, plan, unit, depth, page of columns and language. The plans app's
records also replace a topic of their own (``PLANS``), which is all the matrix depends on besides the
global token.
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

from tandem.core import bulk
from tandem.core import figures as core_figures

from .access import grants_text

PREFIX = "tandem:dashboards"
GENERATION = f"{PREFIX}:generation"
# Topics: what a write may change, each with tokens of its own, so an entry that counts only some of
# them (a home-page panel) is not emptied by writes it cannot see.
RECORDS = "records"  # the apps' records, counted by place (PLACED_APPS)
DIRECTORY = "directory"  # organisations and people, counted by place when they are created
EXCHANGE = "exchange"  # exchange items, counted by their recipients wherever they are: one token
TOPICS = (RECORDS, DIRECTORY, EXCHANGE)
# The plans app's records have a topic of their own besides RECORDS: the alignment matrix reads only
# them (``place_entry``), so a meeting or a course written in the country leaves it valid.
PLANS = "plans"
# Counted by place (the records' jurisdiction paths are found from their fields).
PLACED_APPS = frozenset({"bodies", "plans", "capacity", "funding", "assessment"})
# Counted by readers anywhere (recipients of an exchange item): every entry that counts the exchange.
EXCHANGE_APPS = frozenset({"exchange"})
# Deciding who sees what, or counted in ways a place does not bound: every entry.
GLOBAL_CORE = frozenset({"jurisdiction", "organisation", "person", "affiliation", "roleassignment"})
# Of those, a new record changes only the counts of its place: nothing refers to it yet (no affiliation,
# role, body seat or exchange recipient), so no rule of who sees what can have changed. An update or a
# delete stays global (archiving an organisation ends its users' membership, a person may be linked
# to a user).
PLACED_ON_CREATE = frozenset({"organisation", "person"})
# Written on reads, counted by no figure: they must not empty the cache on every page view.
IGNORED = frozenset({"readlog", "calendarfeed"})
# How far the fields are followed to the record's jurisdiction (a meeting's body's jurisdiction: 2).
MAX_HOPS = 3


def seconds() -> int:
    default = 0 if getattr(settings, "TANDEM_ENV", "") == "test" else 300
    return int(getattr(settings, "TANDEM_DASHBOARD_CACHE_SECONDS", default))


def _subtree(path: str, topic: str = RECORDS) -> str:
    return f"{PREFIX}:{topic}:below:{path}"


def _own(path: str, topic: str = RECORDS) -> str:
    return f"{PREFIX}:{topic}:at:{path}"


def _everywhere(topic: str) -> str:
    return f"{PREFIX}:{topic}:all"


def ancestors(path: str) -> list[str]:
    """``/1/2/3/`` -> ``["/1/", "/1/2/", "/1/2/3/"]`` (the place itself last)."""
    parts = [p for p in path.split("/") if p]
    return ["/" + "/".join(parts[: i + 1]) + "/" for i in range(len(parts))]


def forget_all() -> None:
    """Drop every cached number (a new global token: the old entries are never read again)."""
    cache.set(GENERATION, uuid.uuid4().hex, None)


def forget_places(paths: Iterable[str], topic: str = RECORDS) -> None:
    """Drop the entries that may count a record of ``topic`` at one of ``paths``: the readers of those
    places, of every place above them (their subtree tokens), and of every place below them (own tokens)."""
    fresh: dict[str, str] = {}
    for path in set(paths):
        fresh[_own(path, topic)] = uuid.uuid4().hex
        for above in ["", *ancestors(path)]:
            fresh[_subtree(above, topic)] = uuid.uuid4().hex
    if fresh:
        cache.set_many(fresh, None)


def forget_topic(topic: str) -> None:
    """Drop every entry that counts records of ``topic``, wherever its reader is."""
    cache.set(_everywhere(topic), uuid.uuid4().hex, None)


def _token_keys(roots: list[str] | None, topics: Iterable[str], above: bool) -> list[str]:
    """The token keys of an entry: the global one, then per topic its own token, the subtree token of
    each root of the reader's scope and (``above``) the own tokens of the places above each root."""
    keys = [GENERATION]
    for topic in topics:
        keys.append(_everywhere(topic))
        for root in [""] if roots is None else sorted(roots):
            keys.append(_subtree(root, topic))
            if above:
                keys.extend(_own(place, topic) for place in ancestors(root)[:-1])
    return keys


def _tokens(scope: Any, topics: Iterable[str] = TOPICS, *, above: bool = True) -> str:
    """The tokens the reader's entry depends on (one cache round trip), hashed."""
    keys = _token_keys(scope.paths(), topics, above)
    return _hashed(keys, cache.get_many(keys))


def _hashed(keys: list[str], found: dict[str, Any]) -> str:
    """The hash of the tokens ``keys`` as ``found`` in the cache."""
    # A token read for the first time, or evicted, becomes a new unique value (set only if still absent,
    # so concurrent readers agree): no entry counted before it went missing can match it again.
    for key in keys:
        if key not in found:
            found[key] = str(cache.get_or_set(key, lambda: uuid.uuid4().hex, None))
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
    """``"placed"`` (a record of the apps, by place), ``"exchange"``, ``"directory"`` (a new record
    counts by place, a change everywhere), ``"global"`` or ``""`` (not counted by any figure)."""
    meta = getattr(sender, "_meta", None)
    if meta is None or meta.model_name in IGNORED:
        return ""
    if meta.app_label in EXCHANGE_APPS:
        return "exchange"
    if meta.app_label == "core" and meta.model_name in GLOBAL_CORE:
        return "directory" if meta.model_name in PLACED_ON_CREATE else "global"
    return "placed" if meta.app_label in PLACED_APPS else ""


def _forget(paths: list[str] | None, topic: str = RECORDS) -> None:
    """Now and again once the transaction commits (a reader may count before the commit).
    ``paths`` None: every entry (``topic`` None: every entry of every topic)."""

    def run() -> None:
        if paths is not None:
            forget_places(paths, topic)
        elif topic == EXCHANGE:
            forget_topic(EXCHANGE)
        else:
            forget_all()

    run()
    transaction.on_commit(run)


def _forget_records(sender: Any, paths: list[str] | None) -> None:
    """A record of the apps at ``paths`` (None: its place is unknown, every entry): the entries of its
    topics there (RECORDS, and PLANS for a record of the plans app)."""
    _forget(paths)
    if paths is not None and sender._meta.app_label == "plans":
        _forget(paths, PLANS)


def after_bulk() -> None:
    """The end of a bulk write (``tandem.core.bulk``), during which no save dropped anything: every entry."""
    if seconds():
        _forget(None)


def _before(sender: Any, instance: Any = None, **kwargs: Any) -> None:
    """Before an update or a delete: the place the record lies in now (it may be moved or gone after)."""
    if not seconds() or bulk.active() or _kind(sender) != "placed" or instance is None:
        return
    if kwargs.get("raw") or instance._state.adding:
        return
    _forget_records(sender, _places(instance))


def _after(sender: Any, instance: Any = None, **kwargs: Any) -> None:
    if not seconds() or bulk.active() or instance is None:
        return
    kind = _kind(sender)
    if kind == "directory" and kwargs.get("created") and not kwargs.get("raw"):
        _forget(_places(instance), DIRECTORY)  # a new organisation or person: its place's counts
    elif kind in ("global", "directory"):
        _forget(None)
    elif kind == "exchange":
        _forget(None, EXCHANGE)
    elif kind == "placed" and not kwargs.get("raw"):
        if kwargs.get("signal") is post_delete:
            return  # done before the delete
        _forget_records(sender, _places(instance))


def _m2m(sender: Any, instance: Any = None, action: str = "", **_kwargs: Any) -> None:
    if seconds() and not bulk.active() and action.startswith("post_") and (_kind(sender) or _kind(type(instance))):
        _forget(None)


def connect() -> None:
    for signal in (pre_save, pre_delete):
        signal.connect(_before, dispatch_uid=f"tandem-dashboards-before-{id(signal)}")
    for signal in (post_save, post_delete):
        signal.connect(_after, dispatch_uid=f"tandem-dashboards-after-{id(signal)}")
    m2m_changed.connect(_m2m, dispatch_uid="tandem-dashboards-m2m")


def _key(scope: Any, kind: str = "") -> str:
    """The reader's entry: who they are, their roles, the place narrowed to and the day. The tokens
    are not in the key but in the entry (read in the same round trip, ``numbers``)."""
    from tandem.core.access import get_access

    roles = hashlib.sha256(grants_text(scope.actor).encode()).hexdigest()[:24]
    day = core_figures.today().isoformat()
    prefix = f"{PREFIX}:{kind}" if kind else PREFIX
    return f"{prefix}:{get_access(scope.actor).pk}:{roles}:{scope.within}:{day}"


def numbers(
    scope: Any,
    build: Callable[[], dict[str, Any]],
    *,
    kind: str = "",
    topics: Iterable[str] = TOPICS,
    above: bool = True,
) -> dict[str, Any]:
    """``build()``'s result for this reader, from the cache when it is there (not for a past
    quarter's report, which is always counted afresh). ``kind`` names what is counted, when it
    is not the dashboard's own numbers (a home-page panel); ``topics`` the writes that may change
    it (every kind by default), ``above`` whether it counts records of the places above the
    reader's scope (the national objectives do).

    One round trip when the entry is valid: the entry and the tokens in one ``get_many``; the entry
    holds the hash of the tokens it was counted under, and is served only if they are still the
    same (else counted afresh and stored with the current ones: two round trips)."""
    if not seconds() or core_figures.fixed_day() is not None:
        return build()
    key = _key(scope, kind)
    token_keys = _token_keys(scope.paths(), topics, above)
    found = cache.get_many([key, *token_keys])
    entry = found.pop(key, None)
    tokens = _hashed(token_keys, found)
    if isinstance(entry, dict) and entry.get("tokens") == tokens:
        return entry["numbers"]
    counted = build()
    cache.set(key, {"tokens": tokens, "numbers": counted}, seconds())
    return counted


class _Anywhere:
    """The scope of numbers that may count records outside the reader's subtree (an action item of a
    body their organisation sits on elsewhere, an exchange request addressed to them): its key
    holds the whole network's subtree token of each topic it counts, so any write of those topics
    empties it."""

    within = ""

    def __init__(self, actor: Any) -> None:
        self.actor = actor

    def paths(self) -> list[str] | None:
        return None


class _InScope(_Anywhere):
    """The scope of numbers that count only records inside the reader's subtrees (the directory's
    counts: ``scope_q``): a write elsewhere leaves them valid."""

    def paths(self) -> list[str] | None:
        from tandem.core.access import get_access

        return get_access(self.actor).scope_paths()


class _Under(_Anywhere):
    """The scope of an entry computed from the records at one place and below it and from records of
    the places above it (the alignment matrix under its unit: the plan's objectives lie above a
    regional reader's unit). ``params`` (in the key, with the place) tells entries of one place apart."""

    def __init__(self, actor: Any, path: str, params: str) -> None:
        super().__init__(actor)
        self.path = path
        self.within = f"{path}|{params}"

    def paths(self) -> list[str] | None:
        return [self.path]


def place_entry(
    actor: Any, kind: str, path: str, params: str, build: Callable[[], Any], *, topics: Iterable[str] = (RECORDS,)
) -> Any:
    """``build()``'s result for this reader, cached like the dashboard's numbers: per user and roles
    (``_key``), ``kind``, the place ``path`` and ``params`` (everything else that changes the result:
    filters, page, language), until a record of ``topics`` (the apps' records, or only the plans')
    changes at ``path``, below it or at a place above it, or a write decides who sees what (every entry);
    ``seconds()`` at most. Only for a result computed from records found by place, inside the reader's
    access."""
    entry = numbers(_Under(actor, path, params), lambda: {"value": build()}, kind=kind, topics=topics)
    return entry["value"]


def directory_numbers(actor: Any, path: str, build: Callable[[], dict[str, Any]]) -> dict[str, Any]:
    """``build()``'s counts of the directory at the place ``path`` and below it (a jurisdiction's page:
    its organisations and people), for this reader, cached like the dashboard's numbers: until an
    organisation or a person is created there or below it, or a write decides who sees what (an
    update, an archive, a role: every entry); ``seconds()`` at most. A country's page counts every
    organisation and person in it (800,000 rows at ten times the national scale)."""
    return place_entry(actor, "place-counts", path, "", build, topics=(DIRECTORY,))


# What each home-page panel counts: the topics whose writes may change it, and whether only records
# in the reader's scope (``_InScope``) or anywhere. A kind not listed counts every topic anywhere.
READER_KINDS: dict[str, tuple[tuple[str, ...], type[_Anywhere]]] = {
    "home-counts": ((DIRECTORY,), _InScope),  # organisations, people, places in the reader's scope
    "bodies-panel": ((RECORDS,), _Anywhere),  # the reader's action items, on bodies anywhere
    "exchange-panel": ((EXCHANGE,), _Anywhere),  # requests the reader may read, sent from anywhere
}


def reader_numbers(actor: Any, kind: str, build: Callable[[], dict[str, Any]]) -> dict[str, Any]:
    """``build()``'s numbers for this reader (a home-page panel), cached like the dashboard's: per
    user and roles, until a record of what it counts changes where it counts it (``READER_KINDS``;
    role, place, affiliation changes and other writes that decide who sees what: any write),
    ``seconds()`` at most."""
    topics, scope = READER_KINDS.get(kind, (TOPICS, _Anywhere))
    return numbers(scope(actor), build, kind=kind, topics=topics, above=False)
