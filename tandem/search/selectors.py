"""The global search: one selector for the page and the API (:func:`run`).

Queries, whatever the number of kinds and records (:func:`run`): the candidates per kind (unscoped,
never shown: which kinds' rules to build, and which records to check them on), the visible sample
(a branch per kind with the kind's own rule; counts capped at ``TANDEM_COUNT_CAP``) and one page
ranked among at most ``RANKED`` visible matches, with their jurisdiction. Snippets are cut in
Python from the page's rows. Nothing is ranked or counted past the caps, so a broad word costs
about what a rare one does: on PostgreSQL no step reads more than ``TANDEM_COUNT_CAP + 1`` entries
of a kind from the word's side (a partial GIN index per kind, ``search.0005``), and a kind of
which the reader sees few records is read from those records (``SEEN``).
"""

from __future__ import annotations

import uuid as uuidlib
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.core.exceptions import EmptyResultSet
from django.db import connection
from django.db.models import OuterRef, QuerySet, Subquery
from django.urls import NoReverseMatch, reverse
from django.utils.safestring import SafeString

from tandem.core import access as core_access
from tandem.core import registry
from tandem.core.fulltext import FullTextIndex, python_snippet, stemmed_backend_for, terms_of
from tandem.core.models import Jurisdiction

from . import access

PAGE_SIZE = 20
MAX_PAGE = 500
RANKED = 2000  # visible matches ranked for the pages at most (past that, the filters are the way in)

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
    count: int  # at most TANDEM_COUNT_CAP
    chosen: bool
    capped: bool = False  # more than ``count`` (the count stopped at the cap)


@dataclass
class Results:
    query: Query
    total: int = 0  # results under every filter, each kind's share at most TANDEM_COUNT_CAP
    capped: bool = False  # more results than ``total`` (a count stopped at the cap, or not all are ranked)
    years_capped: bool = False  # the counts per year are lower bounds (taken from capped kinds)
    ranked: int = 0  # the results the pages reach (ranked; at most RANKED)
    kinds: list[KindCount] = field(default_factory=list)  # per kind, under the other filters
    years: list[tuple[int, int]] = field(default_factory=list)  # (year, count) under the other filters
    hits: list[Hit] = field(default_factory=list)
    searched: bool = False  # False: no words, nothing was searched (the empty state)

    @property
    def pages(self) -> int:
        return max(1, -(-min(self.total, self.ranked or self.total) // PAGE_SIZE))

    def groups(self) -> list[tuple[str, list[Hit]]]:
        """The page's hits grouped by kind, the kind of the best hit first."""
        grouped: dict[str, list[Hit]] = {}
        for hit in self.hits:
            grouped.setdefault(hit.kind_label, []).append(hit)
        return list(grouped.items())


_FIELDS = ("id", "kind", "url_uuid", "title", "summary", "body", "year")


def _matching(actor: Any, query: Query) -> QuerySet:
    """The entries under the place and year filters, unscoped: only for the questions "which kinds
    match, and which records", whose answers are never shown (every row shown passes its kind's rule)."""
    entries = access.all_entries()
    if query.jurisdiction:
        path = core_access.visible_jurisdictions(actor).filter(uuid=query.jurisdiction).values_list("path", flat=True)
        found = path.first()
        # The path is stored in the entry: one indexed prefix test, no join to estimate.
        entries = entries.filter(jurisdiction_path__startswith=found) if found else entries.none()
    if query.year is not None:
        entries = entries.filter(year=query.year)
    return entries


def _candidates(backend: Any, entries: QuerySet, terms: list[str], listed: int) -> dict[str, list[int]]:
    """Per kind, the record ids of at most ``listed + 1`` matching entries (one query, never shown)."""
    if connection.vendor == "postgresql":
        return _candidates_postgres(backend, entries, terms, listed)
    matched = backend.match(entries, terms).order_by().values("kind", "object_id")
    sql, params = matched.query.sql_with_params()
    found: dict[str, list[int]] = {}
    numbered = (
        f"SELECT kind, object_id FROM (SELECT m.kind, m.object_id, "  # noqa: S608 - compiled by Django
        f"row_number() OVER (PARTITION BY m.kind) AS n FROM ({sql}) AS m) AS numbered WHERE n <= %s"
    )
    with connection.cursor() as cursor:
        cursor.execute(numbered, [*params, listed + 1])
        for kind, object_id in cursor.fetchall():
            found.setdefault(kind, []).append(object_id)
    return found


_KIND = "\x00kind"  # a placeholder kind, replaced in the compiled SQL's parameters


def _candidates_postgres(backend: Any, entries: QuerySet, terms: list[str], listed: int) -> dict[str, list[int]]:
    """PostgreSQL: a branch per kind, each reading its kind's GIN index (``search.0005``: one partial
    index per kind) and at most ``listed + 1`` rows, so a broad word reads no more rows than a rare
    one. Grouping every match by kind read them all: 306,000 entries for "network" at x1, 1.2 s
    under load, where the branches read 3,000 (157 ms, most of it the GIN posting lists)."""

    cte, params = backend.query_cte(terms)
    pieces: list[str] = []
    # Compiled once, the kind a parameter (a literal to the server: the partial index applies).
    rows = backend.match_cte(entries.filter(kind=_KIND)).order_by().values("object_id")
    try:
        sql, part_params = rows[: listed + 1].query.sql_with_params()
    except EmptyResultSet:
        return {}
    for kind in sorted({s.kind for s in registry.search_sources()}):
        pieces.append(f"SELECT %s::text AS kind, ARRAY({sql}) AS ids")
        params.extend([kind, *(kind if p == _KIND else p for p in part_params)])
    if not pieces:
        return {}
    union = " UNION ALL ".join(pieces)
    statement = f"WITH {cte} SELECT kind, ids FROM ({union}) AS c WHERE cardinality(ids) > 0"  # noqa: S608
    with connection.cursor() as cursor:
        cursor.execute(statement, params)
        return {kind: list(ids) for kind, ids in cursor.fetchall()}


# A broad kind (more matches than the cap) whose visible records are at most this many is read from
# them (each looked up by its entry); with more, from the word's matches until the cap is reached.
SEEN = 5000
# A broad kind of which the actor sees at least this many of the first ``cap + 1`` matches is read
# from its matches whatever the number of its visible records (about 4,000 matches read at most).
DENSE = 250


def _visible_sample(
    actor: Any, backend: Any, entries: QuerySet, terms: list[str], candidates: dict[str, list[int]], cap: int
) -> list[tuple[int, str, int | None]]:
    """(entry id, kind, year) of the matching entries ``actor`` may see: every one of a kind with at
    most ``cap`` candidates (their rule checked on those records alone, by primary key), the first
    ``cap + 1`` of a broader kind (its rule as a whole, the scan stopping there). One query: a
    branch per kind, so each kind's rule stands alone in its branch.

    On PostgreSQL a broader kind starts from the smaller side: when the actor sees at most ``SEEN``
    records of it, from those records (each one's entry looked up and matched), else from the
    word's matches of that kind; both branches are in the statement, a test on the count of the
    first ``SEEN + 1`` visible records runs one of them. Starting from the matches, a local
    coordinator who sees 85 of the 250,000 action items that say "network" read all of them."""
    sources = {s.kind: s for s in registry.search_sources()}
    rules = access.Rules(actor)
    parts: list[tuple[QuerySet, int | None]] = []
    gated: list[tuple[str, Any, list[int]]] = []
    for kind in sorted(candidates):
        source = sources.get(kind)
        if source is None:
            continue
        visible = rules.of(source)
        ids = candidates[kind]
        if len(ids) <= cap:
            rows = access.all_entries().filter(kind=kind, object_id__in=visible.filter(pk__in=ids).values("pk"))
            parts.append((rows.order_by().values_list("id", "kind", "year"), None))
        elif connection.vendor == "postgresql":
            gated.append((kind, visible, ids))
        else:
            rows = backend.within(entries.filter(kind=kind, object_id__in=visible.values("pk")), terms)
            parts.append((rows.order_by().values_list("id", "kind", "year"), cap + 1))
    sql, params = union_sql(parts)
    if gated:
        sql, params = _gated_sql(backend, entries, terms, gated, cap, sql, params)
    if not sql:
        return []
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return [tuple(row) for row in cursor.fetchall()]


def _gated_sql(
    backend: Any,
    entries: QuerySet,
    terms: list[str],
    gated: list[tuple[str, Any, list[int]]],
    cap: int,
    sql: str,
    params: list,
) -> tuple[str, list[Any]]:
    """The statement of :func:`_visible_sample` with, per broader kind, its two branches (PostgreSQL).

    First, how many of the kind's candidates (its first ``cap + 1`` matches) the actor sees
    (``hits<n>``, the rule by primary key). At least ``DENSE``: from the matches (about
    ``(cap + 1)**2 / hits`` of them read). Fewer: the first ``SEEN + 1`` visible records
    (``seen<n>``); at most ``SEEN``, from them, else from the matches. The counts are InitPlans
    (computed when first tested; ``AND``/``OR`` stop early): the branch whose test fails never
    runs, and ``seen<n>`` is not read when the matches are dense (5,001 exchange items cost 1 s
    under load, their rule being dear per row)."""
    ctes: list[str] = []
    cte, cte_params = backend.query_cte(terms)
    ctes.append(cte)
    pieces = [sql] if sql else []
    branch_params: list[Any] = []
    for n, (kind, visible, ids) in enumerate(gated):
        try:
            seen_sql, seen_params = visible.values("pk").order_by()[: SEEN + 1].query.sql_with_params()
            hits_sql, hits_params = visible.filter(pk__in=ids).order_by().values("pk").query.sql_with_params()
        except EmptyResultSet:
            continue
        seen = f"seen{n}"
        ctes.append(f"{seen}(pk) AS MATERIALIZED ({seen_sql})")
        ctes.append(f"hits{n}(n) AS MATERIALIZED (SELECT count(*) FROM ({hits_sql}) AS h)")  # noqa: S608
        cte_params.extend([*seen_params, *hits_params])
        sparse = f"(SELECT n FROM hits{n}) < {DENSE} AND (SELECT count(*) FROM {seen}) <= {SEEN}"  # noqa: S608
        table = '"search_searchentry"'
        each = backend.match_cte(entries.filter(kind=kind)).extra(where=[f"{table}.object_id = {seen}.pk"])  # noqa: S610
        each_sql, each_params = each.order_by().values_list("id", "kind", "year").query.sql_with_params()
        pieces.append(
            f"SELECT * FROM (SELECT e.* FROM {seen} CROSS JOIN LATERAL ({each_sql} OFFSET 0) AS e "  # noqa: S608
            f"WHERE {sparse} LIMIT {int(cap) + 1}) AS few{n}"
        )
        branch_params.extend(each_params)
        # From the matches: the kind's rule as a whole, the word a constant (the planner knows how
        # common it is and stops at the cap; with the word as a parameter, or as a LATERAL probe per
        # match, it read the kind's whole posting list first: regional "network" 538 -> 2,102 ms).
        broad = backend.within(entries.filter(kind=kind, object_id__in=visible.values("pk")), terms)
        broad = broad.extra(where=[f"NOT ({sparse})"])  # noqa: S610 - constant names
        broad_sql, broad_params = broad.order_by().values_list("id", "kind", "year").query.sql_with_params()
        pieces.append(f"SELECT * FROM ({broad_sql} LIMIT {int(cap) + 1}) AS broad{n}")  # noqa: S608
        branch_params.extend(broad_params)
    if not pieces:
        return "", []
    union = " UNION ALL ".join(pieces)
    return f"WITH {', '.join(ctes)} {union}", [*cte_params, *params, *branch_params]


def union_sql(parts: list[tuple[QuerySet, int | None]]) -> tuple[str, list[Any]]:
    """``UNION ALL`` of querysets, each with its own ``LIMIT`` (which Django refuses in a compound
    statement on SQLite): each part becomes a subquery of its own. A part that can match nothing (a
    kind whose rule is empty for this actor, e.g. a user without a role) is left out; with no part
    left, the SQL is empty."""
    pieces: list[str] = []
    params: list[Any] = []
    for n, (qs, limit) in enumerate(parts):
        try:
            sql, part_params = qs.query.sql_with_params()
        except EmptyResultSet:
            continue
        if limit is not None:
            sql = f"{sql} LIMIT {int(limit)}"
        pieces.append(f"SELECT * FROM ({sql}) AS part{n}")  # noqa: S608 - compiled by Django
        params.extend(part_params)
    return " UNION ALL ".join(pieces), params


def _pool(sample: list[tuple[int, str, int | None]], kind: str, ranked: int) -> tuple[list[int], bool]:
    """The entry ids whose rank is computed for the pages (at most ``ranked``: an equal share per
    kind when the sample is larger), and whether some were left out."""
    per_kind: dict[str, list[int]] = {}
    for entry_id, entry_kind, _year in sample:
        if not kind or entry_kind == kind:
            per_kind.setdefault(entry_kind, []).append(entry_id)
    total = sum(len(ids) for ids in per_kind.values())
    if total <= ranked:
        return [i for ids in per_kind.values() for i in ids], False
    share = max(ranked // len(per_kind), 1)
    return [i for ids in per_kind.values() for i in ids[:share]], True


def run(actor: Any, query: Query) -> Results:
    """Three queries whatever the number of records: the candidates (unscoped, never shown), the
    visible sample (each count capped at ``TANDEM_COUNT_CAP``: "1,000+"), and one page ranked among
    at most ``RANKED`` visible matches."""
    results = Results(query=query)
    terms = query.terms
    if not terms:
        return results
    results.searched = True
    cap = settings.TANDEM_COUNT_CAP
    backend = stemmed_backend_for(INDEX)
    entries = _matching(actor, query)
    candidates = _candidates(backend, entries, terms, cap)
    sample = _visible_sample(actor, backend, entries, terms, candidates, cap) if candidates else []
    labels = {s.kind: str(s.label) for s in registry.search_sources()}
    per_kind: dict[str, int] = {}
    per_year: dict[int, int] = {}
    for _id, kind, year in sample:
        per_kind[kind] = per_kind.get(kind, 0) + 1
        if year is not None and (not query.kind or kind == query.kind):
            per_year[year] = per_year.get(year, 0) + 1
    capped_kinds = {kind for kind, n in per_kind.items() if n > cap}
    results.kinds = [
        KindCount(kind, labels.get(kind, kind), min(n, cap), kind == query.kind, kind in capped_kinds)
        for kind, n in sorted(per_kind.items(), key=lambda kv: (-kv[1], labels.get(kv[0], kv[0])))
    ]
    results.years = sorted(per_year.items(), reverse=True)
    counted = [k for k in results.kinds if not query.kind or k.kind == query.kind]
    results.total = sum(k.count for k in counted)
    results.capped = any(k.capped for k in counted)
    results.years_capped = any(k.capped for k in counted)
    pool, cut = _pool(sample, query.kind, RANKED)
    results.capped = results.capped or cut
    results.ranked = len(pool)
    page = min(query.page, results.pages)
    query.page = page
    if not pool:
        return results
    ranked = backend.rank(backend.match(access.all_entries().filter(id__in=pool), terms), terms)
    # The place as a subquery: PostgreSQL runs it after the sort, for the page's rows only (a join
    # hashed all 5,276 jurisdictions first: 15 of the 56 ms, x1 under load).
    place = Jurisdiction.objects.filter(pk=OuterRef("jurisdiction_id")).order_by().values("name")[:1]
    rows = ranked.annotate(place=Subquery(place)).values(*_FIELDS, "place", "search_rank")
    start = (page - 1) * PAGE_SIZE
    urls = {s.kind: s.url_name for s in registry.search_sources()}
    for entry in rows.order_by("-search_rank", "-id")[start : start + PAGE_SIZE]:
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
