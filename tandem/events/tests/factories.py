"""Event records for tests (built through the services, as users would)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from tandem.events import services

UTC = dt.UTC


def make_event(
    w: Any,
    *,
    title: str = "Visayas workshop on youth engagement",
    visibility: str = "country",
    jurisdiction: Any = None,
    actor: Any = None,
    language: str = "en",
) -> Any:
    return services.event_create(
        actor=actor or w.facilitator,
        jurisdiction=jurisdiction or w.cebu_city,
        data=services.EventData(
            title=title,
            kind="workshop",
            starts_at=dt.datetime(2024, 5, 1, 1, 0, tzinfo=UTC),
            ends_at=dt.datetime(2024, 5, 2, 9, 0, tzinfo=UTC),
            time_zone="Asia/Manila",
            visibility=visibility,
            place=w.cebu_city,
            language=language,
            objectives="Share practice\nAgree next steps",
        ),
    )


def make_guest(w: Any, event: Any, name: str = "Ana Cruz", country: Any = None, level: str = "local") -> Any:
    return services.participant_add_guest(
        actor=w.admin, event=event, name=name, role="Mayor", country=country or w.ph, level=level
    )


def make_breakout(w: Any, event: Any, name: str = "Philippines group") -> Any:
    guest = make_guest(w, event, name=f"Rapporteur of {name}")
    return services.breakout_create(actor=w.admin, event=event, name=name, country=w.ph, rapporteur=guest)


def make_commitment(w: Any, event: Any) -> Any:
    breakout = make_breakout(w, event)
    return services.commitment_add(
        actor=w.admin,
        breakout=breakout,
        text="Hold a quarterly youth forum",
        owner="City council",
        due_date=dt.date(2024, 12, 31),
    )
