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
the user may not open never reaches them. One SQL query: each rule is a
subquery.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
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


def records_q(object_type: str, queryset: QuerySet, field: str = "uuid") -> Q:
    """Events about the records of ``queryset`` (their ``object_type`` is ``object_type``)."""
    ids = queryset.order_by().values(uuid_text=UuidText(F(field)))
    return Q(object_type=object_type, object_uuid__in=ids)


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
    by_rule: dict[Callable[[Any], Q], list[str]] = {}
    for object_type, fn in registry.audit_scopes().items():
        by_rule.setdefault(fn, []).append(object_type)
    rule = Q(object_type="")
    for fn, object_types in by_rule.items():
        rule |= Q(object_type__in=sorted(object_types)) & fn(user)
    return rule


def visible_audit_events(user: Any) -> QuerySet[AuditEvent]:
    """The audit log a user may read: administrators everything; coordinators the events of their
    subtree about records they may see."""
    qs = AuditEvent.objects.filter(path_q(scope_paths(user, COORDINATOR_RANK), "jurisdiction_path"))
    rule = record_rule_q(user)
    if rule is not None:
        qs = qs.filter(rule)
    return qs.select_related("actor")


def activity_feed(user: Any, limit: int = 15) -> QuerySet[AuditEvent]:
    """Recent changes by others inside the user's jurisdictions, about records they may see (not
    sign-ins, not reads, not the system's)."""
    qs = AuditEvent.objects.exclude(jurisdiction_path="").filter(path_q(scope_paths(user), "jurisdiction_path"))
    # Only events about records the user can open, administrators included: the feed links to them.
    rule = record_rule_q(user, everything_for_admin=False)
    if rule is not None:
        qs = qs.filter(rule)
    # What others did: not the user's own changes, not the system's (demo loading, scheduled jobs).
    qs = qs.exclude(actor__isnull=True)
    if getattr(user, "pk", None) is not None:
        qs = qs.exclude(actor_id=user.pk)
    return qs.exclude(action__in=NOT_ACTIVITY).select_related("actor")[:limit]


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
