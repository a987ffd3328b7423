"""Notifications of the national-scale dataset (``manage.py generate_scale``): what the accounts
were told over the years, as the exchange and the bodies announced it (see ``tandem.core.scale``):
each exchange item sent to a unit reaches the accounts placed there ("an exchange item was sent to
me"; AMBER+STRICT and RED items reach named readers only), each meeting of a body invites its
members ("I was invited to a meeting"); the newest few per
kind are unread, the rest read, and every one was e-mailed. The personas keep a longer history
(the centre's list is measured on it)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

from django.urls import reverse

from tandem.bodies.models import Body, Meeting, Membership
from tandem.core.scale import World
from tandem.exchange.models import ItemRecipient, RecipientKind, Tlp

from .models import Notification

# The newest notifications of each kind an account keeps (a persona: PERSONA_KEEP), and how many of
# them are still unread.
KEEP = 20
PERSONA_KEEP = 300
UNREAD = 5
ZERO = "00000000-0000-0000-0000-000000000000"
OPEN_LABELS = (Tlp.GREEN, Tlp.CLEAR)
UNIT_LABELS = (Tlp.CLEAR, Tlp.GREEN, Tlp.AMBER)


def build(world: World) -> None:
    # Sent to a unit: its accounts hear of it, but for AMBER+STRICT and RED (named readers only).
    received = _newest(
        (jur, (uuid, title, tlp, at))
        for jur, uuid, title, tlp, at in ItemRecipient.objects.filter(
            kind=RecipientKind.JURISDICTION, item__sent_at__isnull=False, item__tlp__in=UNIT_LABELS
        ).values_list("jurisdiction_id", "item__uuid", "item__title", "item__tlp", "item__sent_at")
    )
    # Meetings invite their body's members; a persona hears of every meeting of its unit's bodies.
    invited = _newest(
        (body_id, (uuid, f"{body}: {title}", starts_at, starts_at - dt.timedelta(days=14)))
        for body_id, uuid, title, body, starts_at in Meeting.objects.values_list(
            "body_id", "uuid", "title", "body__name", "starts_at"
        )
    )
    bodies: dict[tuple[str, int], list[int]] = {}
    for place, body_id in Body.objects.values_list("jurisdiction_id", "id"):
        bodies.setdefault(("place", place), []).append(body_id)
    for user_id, body_id in Membership.objects.filter(person__user__isnull=False).values_list(
        "person__user_id", "body_id"
    ):
        bodies.setdefault(("member", user_id), []).append(body_id)
    recipients = [
        (user.pk, world.persona_places[name], PERSONA_KEEP, bodies.get(("place", world.persona_places[name]), []))
        for name, user in world.personas.items()
    ]
    recipients += [
        (user_id, place, KEEP, bodies.get(("member", user_id), [])) for user_id, _person, place in world.user_places
    ]
    item_url = reverse("exchange_detail", args=[ZERO])
    meeting_url = reverse("meeting_detail", args=[ZERO])
    labels = {value: str(label) for value, label in Tlp.choices}

    def notifications() -> Iterator[dict[str, Any]]:
        for user_id, place, keep, body_ids in recipients:
            for k, (uuid, title, tlp, at) in enumerate(received.get(place, [])[:keep]):
                yield {
                    **_told(user_id, "exchange.item_received", "exchangeitem", uuid, title, at, unread=k < UNREAD),
                    "event_key": str(uuid),
                    "url": item_url.replace(ZERO, str(uuid)),
                    "label": labels[tlp],
                    "restricted": tlp not in OPEN_LABELS,
                }
            meetings = sorted((m for b in body_ids for m in invited.get(b, [])), key=_newest_first)[:keep]
            for k, (uuid, title, starts_at, at) in enumerate(meetings):
                yield {
                    **_told(user_id, "bodies.meeting_invitation", "meeting", uuid, title, at, unread=k < UNREAD),
                    "event_key": f"{uuid}:{starts_at.isoformat()}",
                    "url": meeting_url.replace(ZERO, str(uuid)),
                    "label": "",
                    "restricted": False,
                }

    total = sum(min(len(received.get(p, [])), keep) + len(b) * UNREAD for _u, p, keep, b in recipients)
    world.bulk("notifications", Notification, notifications(), total, keep=False)


def _newest(rows: Iterator[tuple[int, tuple[Any, ...]]]) -> dict[int, list[tuple[Any, ...]]]:
    """The records of each unit, newest first (at most PERSONA_KEEP)."""
    by_unit: dict[int, list[tuple[Any, ...]]] = {}
    for unit, record in rows:
        by_unit.setdefault(unit, []).append(record)
    for records in by_unit.values():
        records.sort(key=_newest_first)
        del records[PERSONA_KEEP:]
    return by_unit


def _newest_first(record: tuple[Any, ...]) -> tuple[float, str]:
    return (-record[3].timestamp(), str(record[0]))


def _told(
    user_id: int, kind: str, object_type: str, uuid: Any, title: str, at: dt.datetime, *, unread: bool
) -> dict[str, Any]:
    return {
        "recipient_id": user_id,
        "kind": kind,
        "object_type": object_type,
        "object_uuid": uuid,
        "title": title[:300],
        "created_at": at,
        "in_app": True,
        "show_after": None,
        "read_at": None if unread else at + dt.timedelta(days=1),
        "email_status": "sent",
        "email_attempts": 1,
        "email_error": "",
    }
