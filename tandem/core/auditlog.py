"""Writing the audit log: one append-only row per change or read (``audit_record``).

Its own module so that ``core.versioning`` and ``core.services`` both build on it without
importing each other; apps keep importing it from ``tandem.core.services``.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from .models import AuditEvent, Jurisdiction, User


def _jsonable(value: Any) -> Any:
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if hasattr(value, "uuid"):
        return str(value)
    return str(value)


def audit_record(
    *,
    actor: User | None,
    action: str,
    obj: Any = None,
    jurisdiction: Jurisdiction | None = None,
    changes: dict[str, Any] | None = None,
    ip_address: str | None = None,
    label: str = "",
) -> AuditEvent:
    if jurisdiction is None and obj is not None:
        jurisdiction = getattr(obj, "jurisdiction", None)
        if jurisdiction is None and isinstance(obj, Jurisdiction):
            jurisdiction = obj
    event = AuditEvent(
        actor=actor if actor is not None and actor.pk else None,
        actor_label=label or (actor.get_username() if actor is not None and actor.pk else ""),
        action=action,
        object_type=obj._meta.model_name if obj is not None else "",
        object_uuid=str(getattr(obj, "uuid", "")) if obj is not None else "",
        object_repr=str(obj)[:300] if obj is not None else "",
        jurisdiction=jurisdiction,
        jurisdiction_path=jurisdiction.path if jurisdiction is not None else "",
        changes={
            k: _jsonable(v) if not isinstance(v, (list, tuple)) else [_jsonable(x) for x in v]
            for k, v in (changes or {}).items()
        },
        ip_address=ip_address,
    )
    event.save()
    return event
