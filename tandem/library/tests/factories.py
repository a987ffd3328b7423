"""Library records for tests (built through the services, as users would)."""

from __future__ import annotations

from typing import Any

from tandem.library import services
from tandem.library.services import ItemData


def make_item(
    w: Any,
    *,
    title: str = "Building trust between city hall and youth groups",
    summary: str = "How a city opened its coordination meetings to youth organisations.",
    body: str = "<p>Monthly listening sessions in each barangay helped the council build trust.</p>",
    language: str = "en",
    visibility: str = "green",
    kind: str = "case_study",
    jurisdiction: Any = None,
    actor: Any = None,
    publish: bool = True,
    competencies: tuple[str, ...] = ("trust",),
    sectors: tuple[str, ...] = ("youth",),
    countries: tuple = (),
    translation_of: Any = None,
    publication_date: Any = None,
):
    import datetime as dt

    item = services.item_propose(
        actor=actor or w.facilitator,
        jurisdiction=jurisdiction or w.cebu_city,
        data=ItemData(
            kind=kind,
            title=title,
            summary=summary,
            body=body,
            language=language,
            visibility=visibility,
            publication_date=publication_date or dt.date(2024, 5, 1),
            competencies=competencies,
            sectors=sectors,
            countries=countries or (w.ph,),
        ),
        translation_of=translation_of,
    )
    if publish:
        item = services.item_publish(actor=w.admin, item=item, expected_version=item.version)
    return item
