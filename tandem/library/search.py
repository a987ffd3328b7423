"""Full-text search of the library: ONE interface, two database backends.

The interface the library's pages and API use is :func:`search_items` (and :func:`facet_counts`):
it starts from the actor's scoped queryset (``access.visible_published_items``), so an item the
actor may not read never appears, nor counts in a facet.

The backend part is generic, so a later global search can reuse it for other document tables:

* :class:`FullTextIndex` names a document table (one row per record, primary key = the record's id,
  columns ``config``, ``title``, ``summary``, ``body``) and the record table it points to;
* :func:`backend_for` picks :class:`PostgresBackend` (a generated ``tsvector`` column with the
  ``english`` or ``french`` configuration per row, a GIN index, ``ts_rank`` and ``ts_headline``) or
  :class:`SqliteBackend` (an FTS5 table kept in step with the document table by triggers, ``bm25``
  and ``snippet()``; its tokenizer is Porter over unicode61 with diacritics removed, so English is
  stemmed properly and French only roughly: the PostgreSQL backend is the one with French stemming).

Both backends take the user's words, never their syntax: the query is cut into words, each quoted,
so no operator of either engine can be injected. The migration ``0002_search`` creates the index
objects of the database in use.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field
from typing import Any, Protocol

from django.db import connection
from django.db.models import BooleanField, Count, FloatField, QuerySet
from django.db.models.expressions import RawSQL
from django.db.models.functions import ExtractYear
from django.utils.safestring import SafeString, mark_safe

MAX_TERMS = 12
MAX_QUERY = 200
START, STOP = "\u27e6", "\u27e7"  # ⟦ ⟧: markers the snippet functions put around a match
_WORD = re.compile(r"\w+", re.UNICODE)


def terms_of(query: str) -> list[str]:
    """The words of a query (lower case, at most ``MAX_TERMS``); punctuation and operators dropped."""
    return [w.lower() for w in _WORD.findall((query or "")[:MAX_QUERY])][:MAX_TERMS]


def highlight(text: str) -> SafeString:
    """A snippet with the backend's markers turned into ``<mark>``; everything else escaped."""
    escaped = html.escape(text or "")
    return mark_safe(escaped.replace(START, "<mark>").replace(STOP, "</mark>"))  # noqa: S308 - escaped above


@dataclass(frozen=True)
class FullTextIndex:
    """A document table and the record table it indexes (``document.<key>`` = ``record.id``)."""

    document_table: str
    record_table: str
    key: str = "item_id"
    fts_table: str = ""
    relation: str = ""  # the record's reverse one-to-one name of its document (joined on PostgreSQL)


class Backend(Protocol):
    index: FullTextIndex

    def match(self, queryset: QuerySet, terms: list[str]) -> QuerySet:
        """``queryset`` narrowed to the records matching every term (joined to the index)."""
        ...

    def rank(self, matched: QuerySet, terms: list[str]) -> QuerySet:
        """``matched`` (from :meth:`match`) annotated ``search_rank`` (higher is better)."""
        ...

    def snippets(self, ids: list[int], terms: list[str]) -> dict[int, SafeString]:
        """Highlighted extracts of the records ``ids`` (only those of one page)."""
        ...


class PostgresBackend:
    def __init__(self, index: FullTextIndex) -> None:
        self.index = index

    # The query in both configurations: a French word is stemmed the French way, an English one the
    # English way; a row's vector was built with its own language's configuration.
    _TSQUERY = "(plainto_tsquery('english'::regconfig, %s) || plainto_tsquery('french'::regconfig, %s))"

    def match(self, queryset: QuerySet, terms: list[str]) -> QuerySet:
        """Joins the document (one row per record) and filters and ranks on its vector in the same
        scan. The raw SQL names the joined table, so the result must not be used as a subquery (Django
        would rename the table there): :func:`facet_counts` groups it directly."""
        text = " ".join(terms)
        doc = f'"{self.index.document_table}"'
        matches = RawSQL(f"{doc}.vector @@ {self._TSQUERY}", [text, text], output_field=BooleanField())  # noqa: S611
        joined = queryset.filter(**{f"{self.index.relation}__isnull": False})
        return joined.alias(search_match=matches).filter(search_match=True)

    def rank(self, matched: QuerySet, terms: list[str]) -> QuerySet:
        text = " ".join(terms)
        doc = f'"{self.index.document_table}"'
        rank = RawSQL(f"ts_rank({doc}.vector, {self._TSQUERY})", [text, text], output_field=FloatField())  # noqa: S611
        return matched.annotate(search_rank=rank)

    def snippets(self, ids: list[int], terms: list[str]) -> dict[int, SafeString]:
        if not ids or not terms:
            return {}
        text = " ".join(terms)
        options = f'StartSel={START}, StopSel={STOP}, MaxWords=30, MinWords=12, MaxFragments=2, FragmentDelimiter=" … "'
        i = self.index
        sql = (
            f"SELECT {i.key}, ts_headline(config::regconfig, "  # noqa: S608 - constants and parameters only
            f"coalesce(nullif(body, ''), summary), {self._TSQUERY}, %s) "
            f"FROM {i.document_table} WHERE {i.key} = ANY(%s)"
        )
        with connection.cursor() as cursor:
            cursor.execute(sql, [text, text, options, list(ids)])
            return {row[0]: highlight(row[1]) for row in cursor.fetchall()}


class SqliteBackend:
    def __init__(self, index: FullTextIndex) -> None:
        self.index = index

    @staticmethod
    def expression(terms: list[str]) -> str:
        """An FTS5 query: every word quoted (no operator can come from the user), all required."""
        return " ".join('"' + t.replace('"', "") + '"' for t in terms)

    def match(self, queryset: QuerySet, terms: list[str]) -> QuerySet:
        """Joins the FTS5 table (``MATCH`` drives the join, one index lookup per match). The SQL names
        the FTS table, so the result must not be used as a subquery: :func:`facet_counts` groups it
        directly."""
        i = self.index
        return queryset.extra(  # noqa: S610 - constant names; the words are a parameter
            tables=[i.fts_table],
            where=[f'"{i.fts_table}".rowid = "{i.record_table}"."id"', f'"{i.fts_table}" MATCH %s'],
            params=[self.expression(terms)],
        )

    def rank(self, matched: QuerySet, terms: list[str]) -> QuerySet:
        # bm25 weights title, summary and body; FTS5's bm25 is lower for better matches.
        i = self.index
        return matched.extra(  # noqa: S610 - constant names
            select={"search_rank": f'-bm25("{i.fts_table}", 10.0, 4.0, 1.0)'}
        )

    def snippets(self, ids: list[int], terms: list[str]) -> dict[int, SafeString]:
        if not ids or not terms:
            return {}
        i = self.index
        marks = ", ".join("%s" for _ in ids)
        sql = (
            f"SELECT rowid, snippet({i.fts_table}, -1, %s, %s, ' … ', 24) "  # noqa: S608
            f"FROM {i.fts_table} WHERE {i.fts_table} MATCH %s AND rowid IN ({marks})"
        )
        with connection.cursor() as cursor:
            cursor.execute(sql, [START, STOP, self.expression(terms), *ids])
            return {row[0]: highlight(row[1]) for row in cursor.fetchall()}


def backend_for(index: FullTextIndex) -> Backend:
    if connection.vendor == "postgresql":
        return PostgresBackend(index)
    return SqliteBackend(index)


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
    total: int = 0  # the number of results (every item has exactly one kind)


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
    if terms:
        qs = backend.match(qs, terms)
    if not ranked:
        return qs.order_by()
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
