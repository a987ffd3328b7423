"""Events of the national-scale dataset (``manage.py generate_scale``): workshops and dialogues
hosted across the country (one per five localities), with their organisers, agenda, invited
participants from the directory, breakout groups and the commitments made in them (see
``tandem.core.scale``)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

from tandem.core.models import GovernmentLevel, Sector
from tandem.core.scale import World
from tandem.library.models import Visibility

from .models import (
    AgendaSession,
    Breakout,
    Commitment,
    Event,
    EventOrganisation,
    Kind,
    OrganisationRole,
    Participant,
    ParticipantStatus,
)

BASE = {"events": 1000, "sessions_per_event": 3, "participants_per_event": 20, "breakouts_per_event": 2}
KINDS = [value for value, _label in Kind.choices]
VISIBILITIES = [Visibility.COUNTRY, Visibility.COUNTRY, Visibility.SUBTREE, Visibility.GREEN, Visibility.CLEAR]
STATUSES = [
    ParticipantStatus.ATTENDED,
    ParticipantStatus.ATTENDED,
    ParticipantStatus.CONFIRMED,
    ParticipantStatus.INVITED,
]
SECTORS = [value for value, _label in Sector.choices]


def build(world: World) -> None:
    assert world.country is not None
    country_id = world.country.pk
    total = world.count(BASE["events"])
    # Most events are local; one in ten is held by a region, one in fifty by the country.
    places = []
    for i in range(total):
        level = 1 if i % 50 == 0 else 2 if i % 10 == 0 else 4
        units = world.units[level]
        places.append(units[(i * 7) % len(units)][0])
    starts = [world.moment(days=1600) for _ in range(total)]
    creator = world.personas["scale.national"].pk
    events = world.bulk(
        "events",
        Event,
        (
            {
                "title": f"Prevention workshop {i + 1}",
                "kind": KINDS[i % len(KINDS)],
                "starts_at": start,
                "ends_at": start + dt.timedelta(days=1 + i % 2),
                "jurisdiction_id": place,
                "place_id": place,
                "host_id": (world.orgs_in(place) or [None])[0],
                "objectives": "Agree on a referral pathway.\nMap who does what.",
                "visibility": VISIBILITIES[i % len(VISIBILITIES)],
                "created_by_id": creator,
            }
            for i, (place, start) in enumerate(zip(places, starts, strict=True))
        ),
        total,
    )
    held = list(zip(events, places, starts, strict=True))
    world.bulk(
        "event organisations",
        EventOrganisation,
        (
            {"event_id": event_id, "organisation_id": org_id, "role": role}
            for event_id, place, _start in held
            for org_id, role in zip(
                world.orgs_in(place)[:2], (OrganisationRole.ORGANISER, OrganisationRole.PARTNER), strict=False
            )
        ),
        total * 2,
        keep=False,
    )
    per = BASE["sessions_per_event"]
    world.bulk(
        "event agenda sessions",
        AgendaSession,
        (
            {
                "event_id": event_id,
                "title": f"Session {k + 1}",
                "starts_at": start + dt.timedelta(hours=k * 2),
                "ends_at": start + dt.timedelta(hours=k * 2 + 1),
            }
            for event_id, _place, start in held
            for k in range(per)
        ),
        total * per,
        keep=False,
    )
    per = BASE["participants_per_event"]
    invited: list[tuple[int, int]] = []  # (participant id, event id), in order

    def participants() -> Iterator[dict[str, Any]]:
        for event_id, place, _start in held:
            orgs = world.orgs_in(place)
            for k, person_id in enumerate(world.people_in(place)[:per]):
                invited.append((0, event_id))
                yield {
                    "event_id": event_id,
                    "person_id": person_id,
                    "name": f"Participant {person_id}",
                    "organisation_id": orgs[k % len(orgs)] if orgs else None,
                    "country_id": country_id,
                    "level": GovernmentLevel.LOCAL,
                    "sector": SECTORS[k % len(SECTORS)],
                    "status": STATUSES[k % len(STATUSES)],
                }

    made = world.bulk("event participants", Participant, participants(), total * per)
    invited = [(pk, event_id) for pk, (_zero, event_id) in zip(made, invited, strict=True)]
    first_of: dict[int, int] = {}
    for pk, event_id in invited:
        first_of.setdefault(event_id, pk)
    per = BASE["breakouts_per_event"]
    breakouts = world.bulk(
        "event breakouts",
        Breakout,
        (
            {"event_id": event_id, "name": f"Group {k + 1}", "rapporteur_id": first_of.get(event_id)}
            for event_id, _place, _start in held
            for k in range(per)
        ),
        total * per,
    )
    owners = [(place, start) for _event, place, start in held for _k in range(per)]
    world.bulk(
        "event commitments",
        Commitment,
        (
            {
                "breakout_id": breakout_id,
                "text": f"Convene the referral partners {n + 1}",
                "owner": "Municipal focal point",
                "owner_organisation_id": (world.orgs_in(place) or [None])[0],
                "due_date": start.date() + dt.timedelta(days=60),
            }
            for n, (breakout_id, (place, start)) in enumerate(zip(breakouts, owners, strict=True))
        ),
        len(breakouts),
        keep=False,
    )
    world.audit_trail(Event, most=4)
    world.audit_trail(
        Participant,
        most=2,
        label="r.name",
        jurisdiction="e.jurisdiction_id",
        joins="JOIN events_event e ON e.id = r.event_id",
    )
    world.audit_trail(
        Commitment,
        most=3,
        label="r.text",
        jurisdiction="e.jurisdiction_id",
        joins="JOIN events_breakout b ON b.id = r.breakout_id JOIN events_event e ON e.id = b.event_id",
    )
