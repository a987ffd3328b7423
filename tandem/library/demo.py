"""Demo data of tandem.library, built by ``manage.py load_demo`` after the directory.

The items of :mod:`tandem.library.demo_content` (written for Tandem), in English and French with
their translations linked, owned by the network or a demo country, all published through the
services; and a checklist record half worked through in each country's first local unit.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from tandem.core.models import Jurisdiction, Organisation, Sector

from . import services
from .demo_content import ITEMS
from .models import Kind


def _jurisdiction(code: str) -> Jurisdiction | None:
    if not code:
        return Jurisdiction.objects.filter(depth=0).order_by("id").first()
    return Jurisdiction.objects.filter(iso_code=code).first()


def _local_government(country: Jurisdiction) -> Organisation | None:
    """The first local government below the country (the demo's first member there)."""
    return (
        Organisation.objects.filter(
            jurisdiction__path__startswith=country.path,
            jurisdiction__depth__gte=2,
            sector=Sector.LOCAL_GOVERNMENT,
            archived_at__isnull=True,
        )
        .order_by("jurisdiction__path", "name")
        .first()
    )


def build(*, admin: Any, seed: int) -> dict[str, int]:
    """Create this app's demo records; return counts to print (name -> number)."""
    network = _jurisdiction("")
    if network is None:
        return {}
    items = 0
    for _key, kind, code, visibility, year, competencies, sectors, english, french in ITEMS:
        owner = _jurisdiction(code) or network
        countries = (owner,) if code else ()
        author = _local_government(owner) if code else None
        if kind not in Kind.values:
            raise ValueError(kind)
        original = None
        for language, text in (("en", english), ("fr", french)):
            if text is None:
                continue
            title, summary, body = text
            item = services.item_propose(
                actor=admin,
                jurisdiction=owner,
                data=services.ItemData(
                    kind=kind,
                    title=title,
                    summary=summary,
                    body=body,
                    language=language,
                    visibility=visibility,
                    publication_date=dt.date(year, 3 + (items % 9), 1 + (items % 27)),
                    competencies=tuple(competencies),
                    sectors=tuple(sectors),
                    countries=countries,
                    author_organisation=author,
                ),
                translation_of=original,
            )
            services.item_publish(actor=admin, item=item, expected_version=item.version)
            original = original or item
            items += 1
    runs = 0
    for code in ("PH", "KE", "ID", "MK"):
        country = _jurisdiction(code)
        if country is None:
            continue
        unit = Jurisdiction.objects.filter(path__startswith=country.path, depth__gte=2).order_by("path").first()
        if unit is None:
            continue
        run = services.checklist_start(actor=admin, code="body-setup", jurisdiction=unit)
        for step in ("fit", "mandate", "existing"):
            run = services.checklist_tick(
                actor=admin, run=run, step=step, done=True, note="", expected_version=run.version
            )
        runs += 1
    return {"library items": items, "checklist records": runs}
