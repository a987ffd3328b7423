"""Full-text search of the library, on the shared full-text layer of core (:mod:`tandem.core.fulltext`).

The interface the library's pages and API use is :func:`find` (on :func:`search_items`): it starts
from the actor's scoped queryset (``access.visible_published_items``), so an item the actor may not
read never appears, nor counts in a facet; and it stops at ``TANDEM_COUNT_CAP`` matches (as the
global search does), so the page, its count ("more than 1,000") and its facets cost the same with
50,000 items as with 500.

The library's documents are ``SearchDocument`` rows (one per item): on PostgreSQL a generated
``tsvector`` column with the ``english`` or ``french`` configuration per row; on SQLite an FTS5 table
kept in step by triggers (Porter over unicode61). The migration ``0002_search`` creates them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db.models import Count, QuerySet
from django.db.models.functions import ExtractYear
from django.utils.safestring import SafeString

from tandem.core.fulltext import (  # noqa: F401 - re-exported: the library's callers name them here
    MAX_QUERY,
    MAX_TERMS,
    Backend,
    FullTextIndex,
    PostgresBackend,
    SqliteBackend,
    backend_for,
    highlight,
    terms_of,
)

# --- The library's interface ----------------------------------------------------------------

LIBRARY_INDEX = FullTextIndex(
    document_table="library_searchdocument",
    record_table="library_item",
    key="item_id",
    fts_table="library_item_fts",
    relation="search_document",
)


@dataclass
class Filters:
    q: str = ""
    kind: str = ""
    competency: str = ""
    sector: str = ""
    country: str = ""  # a country's uuid
    language: str = ""
    year: int | None = None

    @property
    def terms(self) -> list[str]:
        return terms_of(self.q)

    @property
    def active(self) -> bool:
        return bool(self.q or self.kind or self.competency or self.sector or self.country or self.language or self.year)


@dataclass
class Facets:
    kind: dict[str, int] = field(default_factory=dict)
    competency: dict[str, int] = field(default_factory=dict)
    sector: dict[str, int] = field(default_factory=dict)
    language: dict[str, int] = field(default_factory=dict)
    year: dict[int, int] = field(default_factory=dict)
    country: list[tuple[str, str, int]] = field(default_factory=list)  # (uuid, name, count)
    total: int = 0  # the number of results (every item has exactly one kind), at most the cap
    capped: bool = False  # more results than ``total``: every count is over the first cap + 1 found


@dataclass
class Found:
    """A search cut at ``TANDEM_COUNT_CAP`` (:func:`find`): what the page, its count and its facets
    read, so nothing is counted, grouped or ranked past the cap, whatever the library's size."""

    filters: Filters
    rows: list[tuple[int, str, str, int | None]]  # (id, kind, language, year) of at most cap + 1 items
    cap: int

    @property
    def ids(self) -> list[int]:
        return [row[0] for row in self.rows]

    @property
    def capped(self) -> bool:
        return len(self.rows) > self.cap

    @property
    def total(self) -> int:
        return min(len(self.rows), self.cap)

    def ranked(self) -> QuerySet:
        """The found items, best first (relevance among them with words, newest without)."""
        from .models import LibraryItem

        rows = LibraryItem.objects.filter(id__in=self.ids).select_related("jurisdiction", "author_organisation")
        terms = self.filters.terms
        if not terms:
            return rows.order_by("-publication_date", "-id")
        backend = backend_for(LIBRARY_INDEX)
        return backend.rank(backend.match(rows, terms), terms).order_by("-search_rank", "-id")

    def facets(self) -> Facets:
        """Counts per filter value over the items found: kind, language and year from the rows
        already read, the tags and the countries in one query each (on their own tables, by id)."""
        from .models import Facet, ItemTag, LibraryItem

        facets = Facets(total=self.total, capped=self.capped)
        for _id, kind, language, year in self.rows:
            facets.kind[kind] = facets.kind.get(kind, 0) + 1
            facets.language[language] = facets.language.get(language, 0) + 1
            if year is not None:
                facets.year[year] = facets.year.get(year, 0) + 1
        facets.year = dict(sorted(facets.year.items(), reverse=True))
        ids = self.ids
        tags = ItemTag.objects.filter(item_id__in=ids).values("facet", "value").annotate(n=Count("item_id"))
        for row in tags.order_by():
            target = facets.competency if row["facet"] == Facet.COMPETENCY else facets.sector
            target[row["value"]] = row["n"]
        through = LibraryItem.countries.through
        countries = (
            through.objects.filter(libraryitem_id__in=ids)
            .values("jurisdiction__uuid", "jurisdiction__name")
            .annotate(n=Count("libraryitem_id"))
            .order_by("jurisdiction__name")
        )
        facets.country = [(str(r["jurisdiction__uuid"]), r["jurisdiction__name"], r["n"]) for r in countries]
        return facets


def find(actor: Any, filters: Filters, cap: int | None = None) -> Found:
    """The first ``cap + 1`` published items ``actor`` may read matching ``filters`` (one query that
    stops there: with words in no order, ranking only these; without, the newest)."""
    cap = settings.TANDEM_COUNT_CAP if cap is None else cap
    rows = search_items(actor, filters, ranked=not filters.terms)
    read = rows.values_list("id", "kind", "language", ExtractYear("publication_date"))[: cap + 1]
    return Found(filters, [tuple(row) for row in read], cap)


def search_items(actor: Any, filters: Filters, *, ranked: bool = True) -> QuerySet:
    """The published items ``actor`` may read that match the words and the filters, best first
    (by relevance with words, by publication date without). ``ranked=False``: the same rows,
    unordered and without the rank (what :func:`facet_counts` groups)."""
    from . import access
    from .models import Facet, ItemTag

    qs = access.visible_published_items(actor)
    if filters.kind:
        qs = qs.filter(kind=filters.kind)
    if filters.language:
        qs = qs.filter(language=filters.language)
    if filters.year:
        qs = qs.filter(publication_date__year=filters.year)
    if filters.competency:
        qs = qs.filter(
            pk__in=ItemTag.objects.filter(facet=Facet.COMPETENCY, value=filters.competency).values("item_id")
        )
    if filters.sector:
        qs = qs.filter(pk__in=ItemTag.objects.filter(facet=Facet.SECTOR, value=filters.sector).values("item_id"))
    if filters.country:
        from .models import LibraryItem

        through = LibraryItem.countries.through
        qs = qs.filter(pk__in=through.objects.filter(jurisdiction__uuid=filters.country).values("libraryitem_id"))
    terms = filters.terms
    backend = backend_for(LIBRARY_INDEX)
    if not ranked:
        # No rank needed: the matches as a subquery, read once (on SQLite a join would let the
        # planner scan the FTS table once per item the rule keeps).
        return (backend.within(qs, terms) if terms else qs).order_by()
    if terms:
        qs = backend.match(qs, terms)
    if terms:
        return backend.rank(qs, terms).order_by("-search_rank", "-id")
    # Published items always have a publication date; newest first walks the (date, id) index backwards.
    return qs.order_by("-publication_date", "-id")


def facet_counts(results: QuerySet) -> Facets:
    """Counts per filter value over ``results`` (``search_items(..., ranked=False)``: scoped and
    filtered), and their total, in three queries grouped directly on the results: kind x language
    x year, the tags, the countries."""
    from .models import Facet

    base = results.order_by()
    facets = Facets()
    grouped = base.annotate(y=ExtractYear("publication_date")).values("kind", "language", "y").annotate(n=Count("id"))
    for row in grouped:
        n = row["n"]
        facets.total += n
        facets.kind[row["kind"]] = facets.kind.get(row["kind"], 0) + n
        facets.language[row["language"]] = facets.language.get(row["language"], 0) + n
        if row["y"] is not None:
            facets.year[row["y"]] = facets.year.get(row["y"], 0) + n
    facets.year = dict(sorted(facets.year.items(), reverse=True))
    # One row per (item, tag) and per (item, country): the base joins only one-to-one tables, so a
    # plain count counts each item once per value.
    tags = base.filter(tags__isnull=False).values("tags__facet", "tags__value").annotate(n=Count("id"))
    for row in tags:
        target = facets.competency if row["tags__facet"] == Facet.COMPETENCY else facets.sector
        target[row["tags__value"]] = row["n"]
    countries = (
        base.filter(countries__isnull=False)
        .values("countries__uuid", "countries__name")
        .annotate(n=Count("id"))
        .order_by("countries__name")
    )
    facets.country = [(str(r["countries__uuid"]), r["countries__name"], r["n"]) for r in countries]
    return facets


def snippets(items: list[Any], filters: Filters) -> dict[int, SafeString]:
    """Highlighted extracts for the items of one page (one query)."""
    return backend_for(LIBRARY_INDEX).snippets([i.pk for i in items], filters.terms)
