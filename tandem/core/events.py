"""Domain events: what an app's service tells the rest of Tandem after its change is committed.

An app calls ``emit(...)`` inside its service; the listeners registered as ``event_listener`` in
``tandem.core.registry`` (the notifications app) are called once the transaction commits, so a
rolled-back change tells nobody. Core and the emitting apps never import the listeners.

An event names the record by its model name and uuid, the users it concerns, a key that makes it
unique (a listener never acts twice on the same kind + key + user), the record's title and whether
that title may leave Tandem (``restricted``: TLP:AMBER/RED content never goes into an e-mail).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction

from . import registry

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Event:
    kind: str
    object_type: str
    object_uuid: str
    recipient_ids: tuple[int, ...]
    key: str
    title: str = ""
    url: str = ""
    label: str = ""
    restricted: bool = False
    actor_id: int | None = None
    extra: dict[str, Any] = field(default_factory=dict)


def has_listeners() -> bool:
    return bool(registry.functions("event_listener"))


def dispatch(event: Event) -> None:
    """Call every listener; one that fails is logged and does not undo or fail the committed change."""
    for fn in registry.functions("event_listener"):
        try:
            fn(event)
        except Exception:
            logger.exception("event listener %r failed on %s %s", fn, event.kind, event.object_uuid)


def emit(
    kind: str,
    obj: Any,
    *,
    recipient_ids: list[int] | tuple[int, ...],
    key: str = "",
    title: str = "",
    url: str = "",
    label: str = "",
    restricted: bool = False,
    actor_id: int | None = None,
) -> Event:
    """Announce ``kind`` about ``obj`` to ``recipient_ids`` once the current transaction commits."""
    event = Event(
        kind=kind,
        object_type=obj._meta.model_name,
        object_uuid=str(obj.uuid),
        recipient_ids=tuple(sorted({int(pk) for pk in recipient_ids if pk and pk != actor_id})),
        key=key or str(obj.uuid),
        title=title,
        url=url,
        label=label,
        restricted=restricted,
        actor_id=actor_id,
    )
    if event.recipient_ids:
        transaction.on_commit(lambda: dispatch(event))
    return event


def emit_change(kind: str, record: Any, *, recipient_ids: list[int], title: str, url: str, actor: Any) -> Event:
    """Announce a change of a versioned record: one notification per kind and version of the record
    (a second emit for the same change is the same event, so nobody is told twice)."""
    return emit(
        kind,
        record,
        recipient_ids=recipient_ids,
        key=f"{record.uuid}:{kind}:{record.version}",
        title=title,
        url=url,
        actor_id=actor.pk,
    )
