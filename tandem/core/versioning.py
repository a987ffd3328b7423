"""One way to edit a versioned record (every model with a ``version`` field).

An editor loads a record at some ``version`` and sends it back with the change.
The write locks the row, compares the version, writes only the fields given
(``update_fields``), adds one to the version and records the change in the
audit log, all in one transaction. A stale version writes nothing and raises
:class:`VersionConflict`, which says what changed since the editor's version.

* services: :func:`update` (an edit the user sent with a version), or
  :func:`lock` then :func:`save` (a step such as archive, approve, submit);
* pages: :func:`tandem.core.views.versioned.versioned_form` binds the form, calls the
  service and, on a conflict, shows the form again with
  ``core/partials/version_conflict.html``;
* the API: one exception handler in :mod:`tandem.api` answers 409 with the same JSON.

A test (``tandem/core/tests/test_versioning.py``) checks that nothing else writes
a ``version``.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models import F

from .auditlog import audit_record
from .models import AuditAction

AUDITED_ACTIONS = (AuditAction.UPDATE, AuditAction.ARCHIVE, AuditAction.RESTORE)


class VersionConflict(Exception):
    """The record changed since the version the editor started from; nothing was written.

    ``current`` is the record as stored now (``current.version`` is the version to
    send again); ``changed`` maps a field to ``(value at the editor's version, value
    now)``, as far as it is known (from the record the editor loaded, or else from
    the audit log rows the actor may read).
    """

    def __init__(self, current: Any, changed: dict[str, tuple[Any, Any]] | None = None, expected_version: Any = None):
        super().__init__("stale version")
        self.current = current
        self.changed = dict(changed or {})
        self.expected_version = expected_version


def _audit(**kwargs: Any) -> Any:
    return audit_record(**kwargs)


def _changes_since(actor: Any, current: Any, version: Any) -> dict[str, tuple[Any, Any]]:
    from .selectors import changes_since_version

    if actor is None or not isinstance(version, int):
        return {}
    return {name: (pair[0], pair[1]) for name, pair in changes_since_version(actor, current, version).items()}


def conflict(
    current: Any,
    *,
    expected_version: Any,
    seen: Any = None,
    fields: Any = (),
    actor: Any = None,
) -> VersionConflict:
    """The conflict for a stale write: what differs between ``seen`` (the record as the editor
    loaded it) and ``current`` in ``fields``; when that shows nothing (both were loaded just
    now, as in the API), what the audit log says changed since ``expected_version``."""
    changed: dict[str, tuple[Any, Any]] = {}
    if seen is not None:
        changed = {
            name: (getattr(seen, name), getattr(current, name))
            for name in fields
            if getattr(seen, name) != getattr(current, name)
        }
    if not changed:
        changed = _changes_since(actor, current, expected_version)
    return VersionConflict(current, changed, expected_version)


def lock(
    obj: Any,
    *,
    expected_version: Any = None,
    actor: Any = None,
    fields: Any = (),
    model: type | None = None,
) -> Any:
    """The row of ``obj`` locked for this transaction (``select_for_update``).

    With ``expected_version``, a stale version raises :class:`VersionConflict`.
    """
    model = model or type(obj)
    locked = model._default_manager.select_for_update().get(pk=obj.pk)
    if expected_version is not None:
        check(locked, expected_version, seen=obj, fields=fields, actor=actor)
    return locked


def check(locked: Any, expected_version: Any, *, seen: Any = None, fields: Any = (), actor: Any = None) -> None:
    """Raise :class:`VersionConflict` unless the locked row is still at ``expected_version``
    (for a service that must refuse other things first, e.g. a locked period)."""
    if locked.version != expected_version:
        raise conflict(locked, expected_version=expected_version, seen=seen, fields=fields, actor=actor)


@transaction.atomic
def save(
    locked: Any,
    values: dict[str, Any] | None = None,
    *,
    actor: Any,
    action: str = AuditAction.UPDATE,
    changes: dict[str, Any] | None = None,
    jurisdiction: Any = None,
    clean: bool = False,
    audit: bool = True,
) -> Any:
    """Write ``values`` onto a row from :func:`lock`, add one to its version, audit it.

    Only the fields in ``values`` (and ``version``, ``updated_at``) are written. The
    audit row holds ``changes`` when given, else ``{field: [before, after]}``.
    ``audit=False`` only for records private to their author (an unsent draft).
    """
    values = dict(values or {})
    diff = {name: [getattr(locked, name), value] for name, value in values.items() if getattr(locked, name) != value}
    for name, value in values.items():
        setattr(locked, name, value)
    if clean:
        locked.full_clean(validate_unique=True, validate_constraints=True)
    locked.version += 1
    update_fields = [*values, "version"]
    if any(f.name == "updated_at" for f in locked._meta.concrete_fields):
        update_fields.append("updated_at")
    locked.save(update_fields=update_fields)
    if not audit:
        return locked
    _audit(
        actor=actor,
        action=action,
        obj=locked,
        jurisdiction=jurisdiction,
        changes=diff if changes is None else changes,
    )
    return locked


@transaction.atomic
def update(
    *,
    actor: Any,
    obj: Any,
    expected_version: int,
    values: dict[str, Any],
    model: type | None = None,
    jurisdiction: Any = None,
) -> Any:
    """The edit a user sent: lock, compare the version, write the fields that changed
    (validated with ``full_clean``), add one to the version, audit the diff.

    Nothing changed: nothing is written and the version stays.
    """
    locked = lock(obj, expected_version=expected_version, actor=actor, fields=list(values), model=model)
    changed = {name: value for name, value in values.items() if getattr(locked, name) != value}
    if not changed:
        return locked
    return save(locked, changed, actor=actor, jurisdiction=jurisdiction, clean=True)


def update_where(queryset: Any, values: dict[str, Any]) -> int:
    """Write ``values`` and add one to the version of the rows of ``queryset``, in one UPDATE.

    For a change that must happen only if the row is still in a given state (the
    condition is in ``queryset``), where locking first would add a round trip.
    The caller audits it. Returns the number of rows changed.
    """
    return int(queryset.update(**values, version=F("version") + 1))
