"""The exchange of the national-scale dataset (``manage.py generate_scale``): reports and
requests sent up from localities (to their region or the country, mostly AMBER), guidance sent
down, their recipients and read logs (see ``tandem.core.scale``)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from tandem.core.scale import World

from .models import Direction, ExchangeItem, ItemRecipient, Kind, ReadAction, ReadLog, RecipientKind, Status, Tlp

BASE = {"items": 300000}
# Labels in proportion: half AMBER (need to know), a quarter GREEN, the rest CLEAR, AMBER+STRICT, RED.
LABELS = [Tlp.AMBER] * 10 + [Tlp.GREEN] * 5 + [Tlp.CLEAR] * 2 + [Tlp.AMBER_STRICT, Tlp.AMBER_STRICT, Tlp.RED]


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
    plan: list[tuple[int, int, int]] = []  # per item: (recipient jurisdiction, recipient organisation, named user)

    def items() -> Iterator[dict[str, Any]]:
        for i in range(total):
            down = i % 10 == 9
            if down:
                sender, org, place = national, national_org, country_id
                target = world.units[2][i % len(world.units[2])][0]
            else:
                sender, _person, place = senders[i % len(senders)]
                orgs = world.orgs_in(place)
                org = orgs[0] if orgs else None
                target = country_id if i % 2 else region_of.get(place, country_id)
            target_orgs = world.orgs_in(target)
            plan.append((target, target_orgs[0] if target_orgs else national_org, national if i % 50 == 0 else 0))
            kind = Kind.REQUEST if i % 5 == 0 else Kind.GUIDANCE if down else Kind.REPORT
            sent_at = world.moment(days=1600) if i % 100 else None  # one in a hundred is a draft
            reads.append((sender, sent_at))
            yield {
                "kind": kind,
                "direction": Direction.DOWN if down else Direction.UP,
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
