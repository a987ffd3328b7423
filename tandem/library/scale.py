"""Library items of the national-scale dataset (``manage.py generate_scale``): published items
owned by units at every level, one in four with a French translation, each with its search
document and the versions its review left (draft, in review, published; see ``tandem.core.scale``)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from tandem.core.scale import World

from .models import ItemVersion, Kind, Language, LibraryItem, SearchDocument, Status, Visibility

BASE = {"items": 3000}
VISIBILITIES = [Visibility.COUNTRY, Visibility.COUNTRY, Visibility.GREEN, Visibility.CLEAR, Visibility.SUBTREE]
KINDS = [value for value, _label in Kind.choices]
TEXTS = {
    Language.ENGLISH: ("Practice note", "What a local network learned about coordinating prevention work."),
    Language.FRENCH: ("Note de pratique", "Ce qu'un réseau local a appris sur la coordination de la prévention."),
}
# The steps of a published item's review, each leaving a version (``services._snapshot``).
STEPS = (Status.DRAFT, Status.REVIEW, Status.PUBLISHED)


def build(world: World) -> None:
    total = world.count(BASE["items"])
    units = world.all_units()
    author = world.personas["scale.national"].pk
    rows = []
    for i in range(total):
        group = world.uuid()
        common = {
            "kind": KINDS[i % len(KINDS)],
            "jurisdiction_id": units[(i * 7) % len(units)][0],
            "publication_date": world.date(),
            "visibility": VISIBILITIES[i % len(VISIBILITIES)],
            "status": Status.PUBLISHED,
            "proposed_by_id": author,
            "published_by_id": author,
            "published_at": world.now(),
            "translation_group": group,
            "version": len(STEPS),
        }
        for language in (Language.ENGLISH, Language.FRENCH) if i % 4 == 0 else (Language.ENGLISH,):
            word, summary = TEXTS[language]
            rows.append({**common, "title": f"{word} {i + 1}", "summary": summary, "language": language})
    ids = world.bulk("library items", LibraryItem, rows, len(rows))
    world.bulk(
        "library search documents",
        SearchDocument,
        (
            {
                "item_id": item_id,
                "config": "french" if row["language"] == Language.FRENCH else "english",
                "title": row["title"],
                "summary": row["summary"],
            }
            for item_id, row in zip(ids, rows, strict=True)
        ),
        len(rows),
        keep=False,
    )

    def versions() -> Iterator[dict[str, Any]]:
        for item_id, row in zip(ids, rows, strict=True):
            for number, status in enumerate(STEPS, start=1):
                yield {
                    "item_id": item_id,
                    "number": number,
                    "title": row["title"],
                    "summary": row["summary"],
                    "body": "",
                    "status": status,
                    "created_by_id": author,
                }

    world.bulk("library item versions", ItemVersion, versions(), len(rows) * len(STEPS), keep=False)
    world.audit_trail(LibraryItem, most=3)
