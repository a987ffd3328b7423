"""The exchange of the national-scale dataset (``manage.py generate_scale``): reports and
requests sent up from localities (to their region or the country, mostly AMBER), one in twenty
sent laterally instead (to a neighbouring unit of the sender's level and an organisation in it),
guidance sent down, their recipients and read logs (see ``tandem.core.scale``). Reports and
requests carry a type (``subkind``) as the compose form requires: every type in turn, so the
open requests for support or resources (``funding.selectors.exchange_needs``) are there too."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from tandem.core.scale import World

from .models import (
    REPORT_SUBKINDS,
    REQUEST_SUBKINDS,
    Direction,
    ExchangeItem,
    ItemRecipient,
    Kind,
    ReadAction,
    ReadLog,
    RecipientKind,
    Status,
    Tlp,
)

BASE = {"items": 300000}
# Labels in proportion: half AMBER (need to know), a quarter GREEN, the rest CLEAR, AMBER+STRICT, RED.
LABELS = [Tlp.AMBER] * 10 + [Tlp.GREEN] * 5 + [Tlp.CLEAR] * 2 + [Tlp.AMBER_STRICT, Tlp.AMBER_STRICT, Tlp.RED]
# One upward item in LATERAL goes sideways instead, from every sender in turn (see ``build``).
LATERAL = 20


def subkind_of(kind: str, i: int) -> str:
    """The type of item ``i``, as the compose form requires one: each type of its kind in turn (requests
    are every fifth item, two in three of them open); guidance has none."""
    if kind == Kind.REQUEST:
        # Request k (item 5k) takes label k % 4 of the label cycle's requests (LABELS repeats every 20
        # items): shifting the type by k // 4 gives every type every label in turn (k % 4 alone made
        # every request for support or resources AMBER, seen by almost no one).
        k = i // 5
        return REQUEST_SUBKINDS[(k + k // 4) % len(REQUEST_SUBKINDS)]
    if kind == Kind.REPORT:
        return REPORT_SUBKINDS[(i // 3) % len(REPORT_SUBKINDS)]
    return ""


def _neighbours(world: World) -> dict[int, int]:
    """Each unit below the country -> a neighbour of the same level that has an organisation: the next
    one under the same parent (in turn), else the next of its level anywhere; none when no other unit
    of that level has one."""
    result: dict[int, int] = {}
    for level, units in world.units.items():
        if level < 2:
            continue
        with_orgs = [unit_id for unit_id, _path in units if world.orgs_in(unit_id)]
        siblings: dict[int, list[int]] = {}
        for unit_id in with_orgs:
            siblings.setdefault(world.parent_of[unit_id], []).append(unit_id)
        for unit_id, _path in units:
            pool = [u for u in siblings.get(world.parent_of[unit_id], []) if u != unit_id]
            pool = pool or [u for u in with_orgs if u != unit_id]
            if pool:
                result[unit_id] = next((u for u in pool if u > unit_id), pool[0])
    return result


def build(world: World) -> None:
    assert world.country is not None
    country_id, country_path = world.country.pk, world.country.path
    region_of: dict[int, int] = {}
    for unit_id, path in world.all_units():
        parts = path.strip("/").split("/")
        region_of[unit_id] = int(parts[2]) if len(parts) >= 3 else unit_id
    national = world.personas["scale.national"].pk
    national_org = world.persona_orgs["scale.national"]
    senders = world.user_places or [(national, 0, country_id)]
    total = world.count(BASE["items"])
    neighbour = _neighbours(world)
    # A sender at the country (or alone at its level) has no neighbour: the others send laterally more
    # often, so that about one upward item in LATERAL goes sideways overall.
    able = sum(place in neighbour for _user, _person, place in senders)
    every = max(1, round(LATERAL * able / len(senders)))
    plan: list[tuple[int, int, int]] = []  # per item: (recipient jurisdiction, recipient organisation, named user)

    def items() -> Iterator[dict[str, Any]]:
        for i in range(total):
            down = i % 10 == 9
            direction = Direction.DOWN if down else Direction.UP
            if down:
                sender, org, place = national, national_org, country_id
                target = world.units[2][i % len(world.units[2])][0]
            else:
                sender, _person, place = senders[i % len(senders)]
                orgs = world.orgs_in(place)
                org = orgs[0] if orgs else None
                target = country_id if i % 2 else region_of.get(place, country_id)
                # Item i comes from sender i % n in round i // n: mixing both spreads the lateral
                # items over the senders (i % every alone would pick the same few every round).
                if (i % len(senders) + i // len(senders)) % every == every - 1 and place in neighbour:
                    direction, target = Direction.LATERAL, neighbour[place]
            target_orgs = world.orgs_in(target)
            user = national if i % 50 == 0 and direction != Direction.LATERAL else 0
            plan.append((target, target_orgs[0] if target_orgs else national_org, user))
            kind = Kind.REQUEST if i % 5 == 0 else Kind.GUIDANCE if down else Kind.REPORT
            sent_at = world.moment(days=1600) if i % 100 else None  # one in a hundred is a draft
            reads.append((sender, sent_at))
            yield {
                "kind": kind,
                "subkind": subkind_of(kind, i),
                "direction": direction,
                "tlp": LABELS[i % len(LABELS)],
                "title": f"{'Request' if kind == Kind.REQUEST else 'Report'} {i + 1}",
                "body": "Figures and observations of the period.",
                "sender_id": sender,
                "sender_organisation_id": org,
                "jurisdiction_id": place,
                "country_path": country_path,
                "due_date": world.date(days=1600) if kind == Kind.REQUEST else None,
                "status": (Status.OPEN if i % 3 else Status.ANSWERED) if kind == Kind.REQUEST else "",
                "sent_at": sent_at,
            }

    reads: list[tuple[int, Any]] = []
    made = world.bulk("exchange items", ExchangeItem, items(), total)

    def recipients() -> Iterator[dict[str, Any]]:
        for item_id, (jur, org, user) in zip(made, plan, strict=True):
            yield {"item_id": item_id, "kind": RecipientKind.JURISDICTION, "jurisdiction_id": jur}
            yield {"item_id": item_id, "kind": RecipientKind.ORGANISATION, "organisation_id": org}
            if user:
                yield {"item_id": item_id, "kind": RecipientKind.USER, "user_id": user}

    world.bulk("exchange recipients", ItemRecipient, recipients(), len(made) * 2, keep=False)
    world.bulk(
        "exchange read logs",
        ReadLog,
        (
            {"item_id": item_id, "user_id": sender, "at": sent_at, "action": ReadAction.DETAIL}
            for item_id, (sender, sent_at) in zip(made, reads, strict=True)
            if sent_at is not None
        ),
        len(made),
        keep=False,
    )
    world.shared["exchange_items"] = made[:1000]
    world.audit_trail(ExchangeItem, most=2)
