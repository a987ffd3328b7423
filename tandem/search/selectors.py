"""The global search: one selector for the page and the API (:func:`run`).

Queries, whatever the number of kinds and records: one grouped count (kind x year: the counts per
kind, the years and the total, all over the entries the actor may see) and one page of results
(ranked, with their jurisdiction). Snippets are cut in Python from the page's rows.
"""

from __future__ import annotations

import uuid as uuidlib
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, F, QuerySet
from django.urls import NoReverseMatch, reverse
from django.utils.safestring import SafeString

from tandem.core import access as core_access
from tandem.core import registry
from tandem.core.fulltext import FullTextIndex, python_snippet, stemmed_backend_for, terms_of

from . import access

PAGE_SIZE = 20
MAX_PAGE = 500
MAX_LISTED = 3000  # candidates of one kind checked by id (more: the kind's whole rule)

INDEX = FullTextIndex(
    document_table="search_searchentry",
    record_table="search_searchentry",
    key="id",
    fts_table="search_entry_fts",
)


@dataclass
class Query:
    q: str = ""
    kind: str = ""
    jurisdiction: str = ""  # a jurisdiction's uuid: its records and those of the places below it
    year: int | None = None
    page: int = 1

    @property
    def terms(self) -> list[str]:
        return terms_of(self.q)


def read_query(params: Any) -> Query:
    """A :class:`Query` from request parameters; a value that makes no sense is dropped, never an error."""

    def text(name: str, limit: int = 200) -> str:
        return str(params.get(name) or "").strip()[:limit]

    kinds = {s.kind for s in registry.search_sources()}
    kind = text("kind", 40)
    place = text("jurisdiction", 40)
    try:
        place = str(uuidlib.UUID(place)) if place else ""
    except ValueError:
        place = ""
    try:
        year: int | None = int(text("year", 4))
    except ValueError:
        year = None
    if year is not None and not 1900 <= year <= 2200:
        year = None
    try:
        page = min(max(int(text("page", 6) or 1), 1), MAX_PAGE)
    except ValueError:
        page = 1
    return Query(q=text("q"), kind=kind if kind in kinds else "", jurisdiction=place, year=year, page=page)


@dataclass
class Hit:
    kind: str
    kind_label: str
    title: str
    url: str
    snippet: SafeString
    jurisdiction: str
    year: int | None
    rank: float


@dataclass
class KindCount:
    kind: str
    label: str
    count: int
    chosen: bool


@dataclass
class Results:
    query: Query
    total: int = 0  # results under every filter (the pages)
    kinds: list[KindCount] = field(default_factory=list)  # per kind, under the other filters
    years: list[tuple[int, int]] = field(default_factory=list)  # (year, count) under the other filters
    hits: list[Hit] = field(default_factory=list)
    searched: bool = False  # False: no words, nothing was searched (the empty state)

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // PAGE_SIZE))

    def groups(self) -> list[tuple[str, list[Hit]]]:
        """The page's hits grouped by kind, the kind of the best hit first."""
        grouped: dict[str, list[Hit]] = {}
        for hit in self.hits:
            grouped.setdefault(hit.kind_label, []).append(hit)
        return list(grouped.items())


_FIELDS = ("id", "kind", "url_uuid", "title", "summary", "body", "year")


def _branches(actor: Any, query: Query) -> list[QuerySet]:
    """Per kind, the entries of that kind ``actor`` may see that match the words and the place.

    One branch per kind (combined with UNION ALL by the callers), so that each kind's visibility
    subquery stands alone in its branch and the database can check only the matching rows against
    it (a semi-join) instead of materialising everything the actor may see. Building a kind's rule
    costs more than running it, so a first query lists the matching entries of every kind (not
    scoped, and shown to no one: it only decides which kinds' rules the branches need, and which
    records those rules are checked on)."""
    backend = stemmed_backend_for(INDEX)
    place = access.all_entries()
    if query.jurisdiction:
        path = core_access.visible_jurisdictions(actor).filter(uuid=query.jurisdiction).values_list("path", flat=True)
        found = path.first()
        place = place.filter(jurisdiction__path__startswith=found) if found else place.none()
    candidates: dict[str, list[int]] = {}
    for kind, object_id in backend.match(place, query.terms).order_by().values_list("kind", "object_id"):
        candidates.setdefault(kind, []).append(object_id)
    # A short list of candidates is checked by primary key; a long one against the whole rule.
    among = {kind: ids for kind, ids in candidates.items() if len(ids) <= MAX_LISTED}
    return [
        backend.match(place.filter(access.entry_q(actor, [kind], among)).filter(kind=kind), query.terms)
        for kind in sorted(candidates)
    ]


def _union(querysets: list[QuerySet]) -> QuerySet | None:
    if not querysets:
        return None
    first, *rest = querysets
    return first.union(*rest, all=True) if rest else first


def run(actor: Any, query: Query) -> Results:
    results = Results(query=query)
    terms = query.terms
    if not terms:
        return results
    results.searched = True
    backend = stemmed_backend_for(INDEX)
    branches = _branches(actor, query)
    labels = {s.kind: str(s.label) for s in registry.search_sources()}
    per_kind: dict[str, int] = {}
    per_year: dict[int, int] = {}
    counted = _union([b.order_by().values("kind", "year").annotate(n=Count("id")).order_by() for b in branches])
    for row in counted if counted is not None else []:
        if query.year is None or row["year"] == query.year:
            per_kind[row["kind"]] = per_kind.get(row["kind"], 0) + row["n"]
        if row["year"] is not None and (not query.kind or row["kind"] == query.kind):
            per_year[row["year"]] = per_year.get(row["year"], 0) + row["n"]
    results.kinds = [
        KindCount(kind, labels.get(kind, kind), n, kind == query.kind)
        for kind, n in sorted(per_kind.items(), key=lambda kv: (-kv[1], labels.get(kv[0], kv[0])))
    ]
    results.years = sorted(per_year.items(), reverse=True)
    results.total = per_kind.get(query.kind, 0) if query.kind else sum(per_kind.values())
    page = min(query.page, results.pages)
    query.page = page
    if not results.total:
        return results
    shown = []
    for branch in branches:
        rows = branch.filter(kind=query.kind) if query.kind else branch
        if query.year is not None:
            rows = rows.filter(year=query.year)
        ranked = backend.rank(rows.annotate(place=F("jurisdiction__name")), terms)
        shown.append(ranked.order_by().values(*_FIELDS, "place", "search_rank"))
    start = (page - 1) * PAGE_SIZE
    combined = _union(shown)
    assert combined is not None  # noqa: S101 - a total above zero has a branch
    urls = {s.kind: s.url_name for s in registry.search_sources()}
    for entry in combined.order_by("-search_rank", "-id")[start : start + PAGE_SIZE]:
        try:
            url = reverse(urls[entry["kind"]], kwargs={"uuid": entry["url_uuid"]})
        except (KeyError, NoReverseMatch):
            url = ""
        results.hits.append(
            Hit(
                kind=entry["kind"],
                kind_label=labels.get(entry["kind"], entry["kind"]),
                title=entry["title"],
                url=url,
                snippet=python_snippet(entry["body"] or entry["summary"] or entry["title"], terms),
                jurisdiction=entry["place"] or "",
                year=entry["year"],
                rank=float(entry["search_rank"] or 0),
            )
        )
    return results


def place_choices(actor: Any) -> list[tuple[str, str]]:
    """The places to filter by: the countries and regions the actor sees (at most 300)."""
    places = core_access.visible_jurisdictions(actor).filter(depth__lte=2).values_list("uuid", "name", "depth")[:300]
    return [(str(u), ("\u2003" * max(depth - 1, 0)) + name) for u, name, depth in places]
