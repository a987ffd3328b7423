"""Reads of the library, built on :mod:`tandem.library.access` (pages and API share them)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db.models import QuerySet

from tandem.core.models import Jurisdiction, JurisdictionKind, Sector

from . import access, checklists, search
from .models import (
    ChecklistRun,
    ChecklistTick,
    Competency,
    Facet,
    ItemAttachment,
    ItemTag,
    ItemVersion,
    Language,
    LibraryItem,
)


def read_filters(params: Any) -> search.Filters:
    """Filters from a query string (unknown values are dropped, never an error)."""

    def pick(name: str, allowed: list[str]) -> str:
        value = str(params.get(name) or "")
        return value if value in allowed else ""

    year_raw = str(params.get("year") or "")
    year = int(year_raw) if year_raw.isdigit() and 1900 <= int(year_raw) <= 2200 else None
    country = str(params.get("country") or "")
    try:
        import uuid

        country = str(uuid.UUID(country)) if country else ""
    except ValueError:
        country = ""
    from .models import Kind

    return search.Filters(
        q=str(params.get("q") or "")[: search.MAX_QUERY],
        kind=pick("kind", Kind.values),
        competency=pick("competency", Competency.values),
        sector=pick("sector", Sector.values),
        country=country,
        language=pick("language", Language.values),
        year=year,
    )


@dataclass
class ItemFacts:
    """What an item's page shows beside the item itself (each a scoped read)."""

    competencies: list[str] = field(default_factory=list)
    sectors: list[str] = field(default_factory=list)
    countries: list[Jurisdiction] = field(default_factory=list)
    concerns: list[Jurisdiction] = field(default_factory=list)
    attachments: list[ItemAttachment] = field(default_factory=list)
    translations: list[LibraryItem] = field(default_factory=list)


def _tags(item_ids: list[int]) -> dict[int, dict[str, list[str]]]:
    result: dict[int, dict[str, list[str]]] = {i: {Facet.COMPETENCY: [], Facet.SECTOR: []} for i in item_ids}
    for item_id, facet, value in ItemTag.objects.filter(item_id__in=item_ids).values_list("item_id", "facet", "value"):
        result[item_id][facet].append(value)
    return result


def attach_tags(items: list[LibraryItem]) -> list[LibraryItem]:
    """Set ``competency_list`` and ``sector_list`` on each item (one query for a page)."""
    tags = _tags([i.pk for i in items])
    for item in items:
        item.competency_list = sorted(tags[item.pk][Facet.COMPETENCY])  # type: ignore[attr-defined]
        item.sector_list = sorted(tags[item.pk][Facet.SECTOR])  # type: ignore[attr-defined]
        item.competency_labels = [str(Competency(c).label) for c in item.competency_list]  # type: ignore[attr-defined]
    return items


def item_facts(actor: Any, item: LibraryItem) -> ItemFacts:
    tags = _tags([item.pk])[item.pk]
    through_countries = LibraryItem.countries.through.objects.filter(libraryitem_id=item.pk).values("jurisdiction_id")
    through_concerns = LibraryItem.concerns.through.objects.filter(libraryitem_id=item.pk).values("jurisdiction_id")
    return ItemFacts(
        competencies=sorted(tags[Facet.COMPETENCY]),
        sectors=sorted(tags[Facet.SECTOR]),
        countries=list(Jurisdiction.objects.filter(pk__in=through_countries).order_by("name")),
        concerns=list(Jurisdiction.objects.filter(pk__in=through_concerns).order_by("path")),
        attachments=list(access.visible_attachments(actor).filter(item=item)),
        translations=list(
            access.visible_items(actor).filter(translation_group=item.translation_group).exclude(pk=item.pk)
        ),
    )


def item_versions(actor: Any, item: LibraryItem) -> QuerySet[ItemVersion]:
    return access.visible_versions(actor).filter(item=item).select_related("created_by").order_by("-number")


def country_choices() -> QuerySet[Jurisdiction]:
    """The countries of the network (their names are not confidential: the public members page shows them)."""
    return Jurisdiction.objects.filter(kind=JurisdictionKind.COUNTRY).order_by("name")


def my_drafts(actor: Any) -> QuerySet[LibraryItem]:
    """The actor's own unpublished proposals."""
    pk = getattr(actor, "pk", None)
    if pk is None:
        return LibraryItem.objects.none()
    return access.visible_items(actor).filter(proposed_by_id=pk).exclude(status="published").order_by("-updated_at")


# --- Checklists -----------------------------------------------------------------------------


@dataclass
class StepState:
    step: checklists.Step
    tick: ChecklistTick | None


def checklist_runs(actor: Any, code: str | None = None) -> QuerySet[ChecklistRun]:
    qs = access.visible_checklist_runs(actor)
    return qs.filter(checklist=code) if code else qs


def run_steps(run: ChecklistRun) -> list[StepState]:
    """The steps of a record's checklist with what was ticked (the ticks are part of the record)."""
    checklist = checklists.get(run.checklist)
    if checklist is None:
        return []
    ticks = {t.step: t for t in ChecklistTick.objects.filter(run=run).select_related("updated_by")}
    return [StepState(step, ticks.get(step.code)) for step in checklist.steps]
