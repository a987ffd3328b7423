"""Library items of the national-scale dataset (``manage.py generate_scale``): published items
owned by units at every level, with their search documents (see ``tandem.core.scale``)."""

from __future__ import annotations

from tandem.core.scale import World

from .models import Kind, Language, LibraryItem, SearchDocument, Status, Visibility

BASE = {"items": 3000}
VISIBILITIES = [Visibility.COUNTRY, Visibility.COUNTRY, Visibility.GREEN, Visibility.CLEAR, Visibility.SUBTREE]
KINDS = [value for value, _label in Kind.choices]


def build(world: World) -> None:
    total = world.count(BASE["items"])
    units = world.all_units()
    author = world.personas["scale.national"].pk
    rows = [
        {
            "kind": KINDS[i % len(KINDS)],
            "title": f"Practice note {i + 1}",
            "summary": "What a local network learned about coordinating prevention work.",
            "language": Language.ENGLISH,
            "jurisdiction_id": units[(i * 7) % len(units)][0],
            "publication_date": world.date(),
            "visibility": VISIBILITIES[i % len(VISIBILITIES)],
            "status": Status.PUBLISHED,
            "proposed_by_id": author,
            "published_by_id": author,
            "published_at": world.now(),
        }
        for i in range(total)
    ]
    ids = world.bulk("library items", LibraryItem, rows, total)
    world.bulk(
        "library search documents",
        SearchDocument,
        (
            {"item_id": item_id, "config": "english", "title": row["title"], "summary": row["summary"]}
            for item_id, row in zip(ids, rows, strict=True)
        ),
        total,
        keep=False,
    )
    world.audit_trail(LibraryItem, most=3)
