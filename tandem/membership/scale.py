"""Network memberships of the national-scale dataset (``manage.py generate_scale``): one
application per locality in ten, most of them accepted (see ``tandem.core.scale``)."""

from __future__ import annotations

from tandem.core.scale import World

from .models import NetworkMembership, Status

BASE = {"memberships": 500}


def build(world: World) -> None:
    places = [unit_id for unit_id, _path in world.localities() if world.orgs_in(unit_id) and world.people_in(unit_id)]
    places = places[: world.count(BASE["memberships"])]
    lead = world.personas["scale.national"].pk
    world.bulk(
        "network memberships",
        NetworkMembership,
        (
            {
                "jurisdiction_id": place,
                "organisation_id": world.orgs_in(place)[0],
                "focal_point_id": world.people_in(place)[0],
                "commitments": "Share the local plan and report every quarter.",
                "applied_on": (applied := world.date()),
                "joined_on": applied if i % 4 else None,
                "status": Status.MEMBER if i % 4 else Status.APPLIED,
                "applied_by_id": lead,
            }
            for i, place in enumerate(places)
        ),
        len(places),
        keep=False,
    )
    world.audit_trail(
        NetworkMembership, most=3, label="o.name", joins="JOIN core_organisation o ON o.id = r.organisation_id"
    )
