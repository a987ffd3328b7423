"""The bodies of the national-scale dataset (``manage.py generate_scale``): coordination bodies
with members, meetings and action items (see ``tandem.core.scale``)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

from tandem.core.scale import SECTORS, World

from .models import ActionItem, ActionStatus, Body, BodyKind, Meeting, MeetingStatus, Membership

BASE = {"bodies": 3000, "members_per_body": 5, "meetings": 50000, "action_items": 250000}
STATUSES = [ActionStatus.OPEN, ActionStatus.IN_PROGRESS, ActionStatus.DONE, ActionStatus.DONE, ActionStatus.DROPPED]


def build(world: World) -> None:
    total = world.count(BASE["bodies"])
    # One body per unit from the top down (country, regions, provinces, then municipalities).
    units = [unit_id for unit_id, _path in world.all_units()][:total]
    for name in ("scale.local", "scale.member"):
        if world.persona_places[name] not in units:
            units[-1] = world.persona_places[name]
    kinds = [BodyKind.NATIONAL_LOCAL_PLATFORM, BodyKind.REGIONAL_PLATFORM]
    ids = world.bulk(
        "bodies",
        Body,
        (
            {
                "name": f"Prevention network {i + 1}",
                "kind": kinds[i] if i < len(kinds) else BodyKind.LOCAL_PREVENTION_NETWORK,
                "jurisdiction_id": unit_id,
            }
            for i, unit_id in enumerate(units)
        ),
        len(units),
    )
    bodies = list(zip(ids, units, strict=True))
    world.shared["bodies"] = bodies
    member_place = world.persona_places["scale.member"]

    def memberships() -> Iterator[dict[str, Any]]:
        for body_id, place in bodies:
            orgs = world.orgs_in(place)
            people = world.people_in(place)
            for k in range(min(BASE["members_per_body"], len(orgs))):
                yield {
                    "body_id": body_id,
                    "organisation_id": orgs[k],
                    "person_id": people[k] if k < len(people) else None,
                    "sector": SECTORS[k % len(SECTORS)],
                    "start_date": world.date(days=300),
                }
            if place == member_place:
                yield {
                    "body_id": body_id,
                    "organisation_id": world.persona_orgs["scale.member"],
                    "person_id": world.persona_people["scale.member"],
                    "sector": SECTORS[0],
                    "start_date": world.date(days=300),
                }

    world.bulk("body memberships", Membership, memberships(), len(bodies) * BASE["members_per_body"], keep=False)
    total = world.count(BASE["meetings"])
    today = dt.date.today()
    starts = [world.moment(days=1600) for _ in range(total)]
    meeting_ids = world.bulk(
        "meetings",
        Meeting,
        (
            {
                "body_id": bodies[i % len(bodies)][0],
                "title": f"Meeting {i + 1}",
                "starts_at": start,
                "ends_at": start + dt.timedelta(hours=2),
                "status": MeetingStatus.HELD if start.date() < today else MeetingStatus.SCHEDULED,
            }
            for i, start in enumerate(starts)
        ),
        total,
    )
    total = world.count(BASE["action_items"])

    def action_items() -> Iterator[dict[str, Any]]:
        for i in range(total):
            m = i % len(meeting_ids)
            body_id, place = bodies[m % len(bodies)]
            orgs = world.orgs_in(place)
            status = STATUSES[i % len(STATUSES)]
            due = starts[m].date() + dt.timedelta(days=30 + i % 90)
            yield {
                "body_id": body_id,
                "meeting_id": meeting_ids[m],
                "title": f"Follow up {i + 1}",
                "owner_organisation_id": orgs[i % len(orgs)] if orgs else None,
                "due_date": due,
                "status": status,
                "completed_on": due if status == ActionStatus.DONE else None,
            }

    world.bulk("action items", ActionItem, action_items(), total, keep=False)
    on_body = "JOIN bodies_body b ON b.id = r.body_id"
    world.audit_trail(Body, most=4, label="r.name")
    world.audit_trail(Meeting, most=3, jurisdiction="b.jurisdiction_id", joins=on_body)
    world.audit_trail(ActionItem, most=3, jurisdiction="b.jurisdiction_id", joins=on_body)
