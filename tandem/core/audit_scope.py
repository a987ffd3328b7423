"""Which audit events a user may see: an event about a record only if the user may see that record.

An event names its record by ``object_type`` (the model name) and ``object_uuid``
(``str(uuid)``). The app that owns the model registers, in its ``AppConfig.ready()``,
``fn(user) -> Q`` on AuditEvent for its object types
(``registry.register_audit_scope``); the function applies the record's own rule,
usually as ``records_q(type, <the visible queryset>)``. Then:

* an event about a record of a registered type is kept when that rule keeps it;
* an event about no record (sign-ins, imports) is left to the caller's
  jurisdiction rule, as before;
* an event whose type nobody registered is shown to administrators only
  (fail closed); ``tandem/tests/test_audit_visibility.py`` checks that every
  model with a ``uuid`` has a registered scope.

Every list of audit events (the home feed, the audit page, its exports, the
API's conflict details) reads through :func:`visible_audit_events` or
:func:`activity_feed`, so a row, a count or an id of an event about a record
the user may not open never reaches them. The audit page is one SQL query: each
rule is a subquery. The home feed first reads a window of recent candidate events
(indexed by time), then applies only the rules of the types in that window, each
to the records those events name: its cost no longer grows with the number of
types or of records in the country.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterable, Mapping
from contextlib import suppress
from contextvars import ContextVar
from typing import Any

from django.db.models import CharField, F, Func, Q, QuerySet

from . import registry
from .access import (
    COORDINATOR_RANK,
    is_admin,
    own_api_tokens,
    path_q,
    scope_paths,
    scope_q,
    visible_invitations,
    visible_role_assignments,
    visible_users,
)
from .idsets import compiled
from .models import Affiliation, AuditAction, AuditEvent, Jurisdiction, Organisation, Person

# Actions the home feed leaves out: sign-ins and reads are not "activity".
NOT_ACTIVITY = [
    AuditAction.LOGIN,
    AuditAction.LOGOUT,
    AuditAction.LOGIN_FAILED,
    AuditAction.LOCKOUT,
    AuditAction.READ,
]


class UuidText(Func):
    """A UUID column as ``str(uuid)`` writes it (lowercase, hyphenated), on SQLite and PostgreSQL.

    PostgreSQL stores a native ``uuid`` (its text form is hyphenated); SQLite stores
    32 hex digits, so the hyphens are put back with ``substr``.
    """

    arity = 1
    output_field = CharField()

    def as_sql(self, compiler, connection, **extra_context):
        sql, params = compiler.compile(self.source_expressions[0])
        if connection.features.has_native_uuid_field:
            return f"CAST({sql} AS varchar(36))", params
        spans = ((1, 8), (9, 4), (13, 4), (17, 4), (21, 12))
        parts = [f"substr({sql}, {start}, {length})" for start, length in spans]
        return " || '-' || ".join(parts), list(params) * len(spans)


# While the home feed applies the rules to a window of candidate events: the record uuids those
# events name, by type (see ``activity_feed``). ``records_q`` then reads only those records.
_window: ContextVar[Mapping[str, list[uuid.UUID]] | None] = ContextVar("audit_window", default=None)
# While ``newest_visible`` reads its windows for one user: each type's visible queryset, built in
# the first round that needs it and narrowed again in each later one (a partner's feed reads two or
# three windows: the rules were built anew for each). Keyed by ``_rule_key``.
_built: ContextVar[dict[tuple, tuple[Callable[[], QuerySet], QuerySet]] | None] = ContextVar(
    "audit_built", default=None
)


def _rule_key(object_type: str, visible: Callable[[], QuerySet]) -> tuple:
    """The type, the rule's code and what it closes over (the user, the app's module): the same key
    only for the same rule of the same user, never for another user's or another closure's."""
    cells = getattr(visible, "__closure__", None) or ()
    return (object_type, getattr(visible, "__code__", visible), tuple(id(cell.cell_contents) for cell in cells))


def records_q(object_type: str, queryset: QuerySet, field: str = "uuid") -> Q:
    """Events about the records of ``queryset`` (their ``object_type`` is ``object_type``)."""
    window = _window.get()
    if window is not None:
        named = window.get(object_type)
        if not named:
            return Q(object_type__in=[])  # no candidate is about this type: an empty branch
        # The same rule, narrowed to the few records the candidates name (an indexed lookup).
        queryset = queryset.filter(**{f"{field}__in_array": named})
    ids = queryset.order_by().values(uuid_text=UuidText(F(field)))
    return Q(object_type=object_type, object_uuid__in=_compiled(ids))


def _compiled(ids: QuerySet) -> Any:
    """``ids`` as SQL compiled once, here (``idsets.compiled``): the query that holds a dozen such
    rules no longer clones and renames every alias of each one, which cost most of the home feed's CPU."""
    return compiled(ids, CharField())


def records_by_type(rules: Mapping[str, Callable[[], QuerySet]]) -> Q:
    """``records_q`` of each type, with its visible queryset built only when it is needed: in the home
    feed's window, only for the types the window holds (a rule with many types costs little)."""
    window = _window.get()
    built = _built.get()
    q = Q(object_type__in=[])  # matches nothing, whatever is ORed to it (never an empty ``Q()``)
    for object_type, visible in rules.items():
        if window is None or window.get(object_type):
            if built is None:
                q |= records_q(object_type, visible())
                continue
            key = _rule_key(object_type, visible)
            if key not in built:
                built[key] = (visible, visible())  # the rule kept alive: the ids in its key stay its own
            q |= records_q(object_type, built[key][1])  # records_q narrows a copy (``filter``)
    return q


def record_rule_q(user: Any, *, everything_for_admin: bool = True) -> Q | None:
    """``Q`` on AuditEvent: the record rule of each registered type; ``None``: no restriction
    (an administrator, unless ``everything_for_admin`` is False: then the rules apply to them too).

    Events about no record pass (the caller applies its jurisdiction rule);
    events of an unregistered type do not.
    """
    if not getattr(user, "is_authenticated", False):
        return Q(pk__in=[])
    if everything_for_admin and is_admin(user):
        return None
    window = _window.get()
    by_rule: dict[Callable[[Any], Q], list[str]] = {}
    for object_type, fn in registry.audit_scopes().items():
        if window is None or object_type in window:  # in a window: only the types it holds
            by_rule.setdefault(fn, []).append(object_type)
    rule = Q(object_type="")
    for fn, object_types in by_rule.items():
        rule |= Q(object_type__in=sorted(object_types)) & fn(user)
    return rule


def audit_events_in_scope(user: Any) -> QuerySet[AuditEvent]:
    """The events of the user's subtree (administrators: all), before the record rule: never shown
    as they are (``visible_audit_events``, ``audit_page_events``)."""
    return AuditEvent.objects.filter(path_q(scope_paths(user, COORDINATOR_RANK), "jurisdiction_path"))


def visible_audit_events(user: Any) -> QuerySet[AuditEvent]:
    """The audit log a user may read: administrators everything; coordinators the events of their
    subtree about records they may see."""
    qs = audit_events_in_scope(user)
    rule = record_rule_q(user)
    if rule is not None:
        qs = qs.filter(rule)
    return qs.select_related("actor")


# The home feed's candidate window: recent events read in the first round (each next round reads
# twice as many older ones), and rounds before it stops: a user who may open few of the recent
# records (700 candidates) sees a shorter feed rather than a scan of the whole log.
FEED_WINDOW = 100
FEED_ROUNDS = 3
# The audit page: up to the count cap of visible events, in windows of at least AUDIT_WINDOW
# candidates, from at most AUDIT_SCAN of them.
AUDIT_WINDOW = 1000
AUDIT_SCAN = 50_000


def activity_feed(user: Any, limit: int = 15) -> list[AuditEvent]:
    """Recent changes by others inside the user's jurisdictions, about records they may see (not
    sign-ins, not reads, not the system's).

    Two queries per round: the latest ``FEED_WINDOW`` candidate events (by the indexed time; then
    twice, four times as many older ones), then those of them whose record the user may open, by
    each present type's own rule narrowed to the records named (``_window``). An older window is
    read only while fewer than ``limit`` are kept.
    """
    candidates = AuditEvent.objects.exclude(jurisdiction_path="").filter(path_q(scope_paths(user), "jurisdiction_path"))
    # What others did: not the user's own changes, not the system's (demo loading, scheduled jobs).
    candidates = candidates.exclude(actor__isnull=True).exclude(action__in=NOT_ACTIVITY)
    if getattr(user, "pk", None) is not None:
        candidates = candidates.exclude(actor_id=user.pk)
    sizes = [FEED_WINDOW * 2**n for n in range(FEED_ROUNDS)]
    # Only events about records the user can open, administrators included: the feed links to them.
    kept, _complete = newest_visible(user, candidates, limit, sizes, everything_for_admin=False)
    return kept[:limit]


def newest_visible(
    user: Any,
    candidates: QuerySet[AuditEvent],
    want: int,
    sizes: list[int] | Callable[[int, int], int],
    *,
    everything_for_admin: bool = True,
    ids: bool = False,
) -> tuple[list[Any], bool]:
    """At least ``want`` events of ``candidates`` the user may see by the record rule (or their ids),
    newest first, and whether every candidate was read (``False``: the windows of ``sizes`` ran out).

    Each round reads the next (older) window of candidates by the indexed time, then keeps those
    whose record the user may open: two queries per round, whatever the size of the log. ``sizes``
    is the list of window sizes, or ``fn(read, kept) -> size`` choosing each from what the rounds
    before found (0: stop).
    """
    token = _built.set({})  # this call's rules, for this user only
    try:
        return _newest_visible(user, candidates, want, sizes, everything_for_admin=everything_for_admin, ids=ids)
    finally:
        _built.reset(token)


def _newest_visible(
    user: Any,
    candidates: QuerySet[AuditEvent],
    want: int,
    sizes: list[int] | Callable[[int, int], int],
    *,
    everything_for_admin: bool,
    ids: bool,
) -> tuple[list[Any], bool]:
    candidates = candidates.order_by("-created_at", "-id")
    kept: list[Any] = []
    read = 0
    plan = iter(sizes) if isinstance(sizes, list) else None
    while True:
        size = next(plan, 0) if plan is not None else sizes(read, len(kept))  # type: ignore[operator]
        if size <= 0:
            return kept, False
        window = list(candidates.values_list("id", "created_at", "object_type", "object_uuid")[:size])
        read += len(window)
        if window:
            visible = _visible_in_window(user, window, everything_for_admin).order_by("-created_at", "-id")
            kept += visible.values_list("id", flat=True) if ids else visible.select_related("actor")
        if len(window) < size:
            return kept, True
        if len(kept) >= want:
            return kept, False
        last_id, last_at = window[-1][0], window[-1][1]
        candidates = candidates.filter(Q(created_at__lt=last_at) | Q(created_at=last_at, id__lt=last_id))


def audit_page_events(user: Any, candidates: QuerySet[AuditEvent], cap: int) -> tuple[list[int], bool]:
    """The audit page's events: the ids of those of ``candidates`` (already in the user's subtree and
    filtered) the user may see, newest first, up to ``cap + 1`` of them; and whether the log was
    read only in part (more than ``AUDIT_SCAN`` candidates: the count then stops where it got to).

    One query with every type's rule costs seconds on a national log (each rule reads every
    visible record of its type); windows read only the records they name. The first window is
    sized to find ``cap + 1`` events if most are visible (a national coordinator's case: one round,
    where windows of 1,000 then 2,000 read 3,000 candidates); each next one from the share of
    visible events found so far.
    """
    want = cap + 1
    if is_admin(user):  # everything in scope, no rule to apply (as ``record_rule_q`` says)
        return list(candidates.order_by("-created_at", "-id").values_list("id", flat=True)[:want]), False

    def next_size(read: int, kept: int) -> int:
        if read == 0:
            size = max(AUDIT_WINDOW, want * 5 // 4)
        else:  # enough for what is missing at the share seen so far, with a margin; at most 4x
            missing = want - kept
            size = max(AUDIT_WINDOW, min(4 * read, -(-missing * read * 5 // (4 * max(kept, 1)))))
        return min(size, AUDIT_SCAN - read)

    kept, complete = newest_visible(user, candidates, want, next_size, ids=True)
    return kept[:want], not complete


def _visible_in_window(user: Any, window: list[tuple], everything_for_admin: bool) -> QuerySet[AuditEvent]:
    """The events of ``window`` (id, time, type, uuid rows) whose record the user may open."""
    named: dict[str, list[uuid.UUID]] = {}
    for _, _, object_type, object_uuid in window:
        ids = named.setdefault(object_type, [])
        with suppress(ValueError):  # not a record's uuid: no record of that type can match it
            ids.append(uuid.UUID(object_uuid))
    token = _window.set(named)
    try:
        rule = record_rule_q(user, everything_for_admin=everything_for_admin)
    finally:
        _window.reset(token)
    events = AuditEvent.objects.filter(pk__in_array=[row[0] for row in window])
    if rule is not None:
        events = events.filter(rule)
    return events


# --- Core's own records -------------------------------------------------------------------


def _core_scope(user: Any) -> Q:
    """Directory records by the directory rule (the subtree of the user's roles); roles and users
    as the role pages show them; API tokens to their owner."""
    own_account = Q(object_type="user", object_uuid=str(getattr(user, "uuid", "")))
    return (
        records_q("jurisdiction", Jurisdiction.objects.filter(scope_q(user, "path")))
        | records_q("organisation", Organisation.objects.filter(scope_q(user)))
        | records_q("person", Person.objects.filter(scope_q(user)))
        | records_q("affiliation", Affiliation.objects.filter(scope_q(user)))
        | records_q("roleassignment", visible_role_assignments(user))
        | records_q("apitoken", own_api_tokens(user))
        | records_q("invitation", visible_invitations(user))
        | records_q("user", visible_users(user))
        | own_account
    )


CORE_TYPES = (
    "jurisdiction",
    "organisation",
    "person",
    "affiliation",
    "roleassignment",
    "apitoken",
    "user",
    "invitation",
)


def register_core_scopes() -> None:
    registry.register_audit_scope(CORE_TYPES, _core_scope)


def registered_types() -> Iterable[str]:
    return registry.audit_scopes().keys()
