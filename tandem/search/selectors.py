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

import bisect
import json
import re
import time
import uuid as uuidlib
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.core.exceptions import EmptyResultSet
from django.db import connection
from django.db.models import OuterRef, QuerySet, Subquery
from django.db.models.expressions import RawSQL
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


def _candidate_entries(kind: str, rule: access.Rule | None, ids: list[int]) -> QuerySet:
    """The entries of ``kind`` whose records are among ``ids`` and let through by ``rule`` (the kind's
    rule, checked on those records alone, by primary key); none when the rule matches nothing."""
    if rule is None:
        return access.all_entries().none()
    return access.all_entries().filter(kind=kind, object_id__in=rule.among(ids))


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


def _candidates(
    backend: Any, entries: QuerySet, terms: list[str], listed: int, *, filtered: bool = False
) -> dict[str, list[int]]:
    """Per kind, the record ids of at most ``listed + 1`` matching entries (one query, never shown);
    ``filtered``: ``entries`` are narrowed by place or year."""
    if connection.vendor == "postgresql":
        return _candidates_postgres(backend, entries, terms, listed, walk=not filtered)
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


# A word in at least PROBE_HITS of the first PROBE entries of a kind of at least BIG entries is read
# from the kind's entries in order (at most WALK of them) rather than from its posting list (see
# _candidates_postgres). SIZES: the entries of each kind (PostgreSQL's estimate: the kind's share
# among the column's most common values, times the table's rows), read by a search at most every
# SIZES_EVERY seconds (planning the read of pg_stats costs 7 ms at load 7).
PROBE, PROBE_HITS, WALK, BIG = 64, 16, 8192, 40_000
SIZES: dict[str, float] = {}
SIZES_EVERY = 600.0
_sizes_read_at = [float("-inf")]


def _candidates_postgres(
    backend: Any, entries: QuerySet, terms: list[str], listed: int, *, walk: bool = True
) -> dict[str, list[int]]:
    """PostgreSQL: a branch per kind, each reading its kind's GIN index (``search.0005``: one partial
    index per kind) and at most ``listed + 1`` rows, so a broad word reads no more rows than a rare
    one. Grouping every match by kind read them all: 306,000 entries for "network" at x1, 1.2 s
    under load, where the branches read 3,000 (157 ms, most of it the GIN posting lists).

    A bitmap scan reads the word's whole posting list before its first row (the 250,000 action
    items that say "network": 50 ms at load 3). ``walk`` (no place or year filter): a word found in
    at least ``PROBE_HITS`` of the kind's first ``PROBE`` entries is looked for in the kind's entries
    in order instead (``search_entry_record``, at most ``WALK`` read, stopping at ``listed + 1``
    matches); fewer found there, the posting list after all. The same ids either way: any
    ``listed + 1`` matches, or every match when there are fewer. Only for kinds of at least ``BIG``
    entries (``SIZES``, read by the statement itself for the next search): the probe and the walk
    are two more subqueries to plan, 1 ms each at load 5, and a small kind's posting list is short."""

    cte, params = backend.query_cte(terms)
    pieces: list[str] = []
    # Compiled once, the kind a parameter (a literal to the server: the partial index applies).
    rows = backend.match_cte(entries.filter(kind=_KIND)).order_by().values("object_id")
    try:
        sql, part_params = rows[: listed + 1].query.sql_with_params()
    except EmptyResultSet:
        return {}
    table, q = "search_searchentry", f"(SELECT q FROM {backend.CTE})"  # noqa: S608 - constant names
    first = f"SELECT object_id, vector FROM {table} WHERE kind = %s ORDER BY kind, object_id LIMIT"  # noqa: S608
    probe = f"(SELECT count(*) FROM ({first} {PROBE}) AS p WHERE p.vector @@ {q}) >= {PROBE_HITS}"  # noqa: S608
    walked = f"ARRAY(SELECT w.object_id FROM ({first} {WALK}) AS w WHERE w.vector @@ {q} LIMIT {int(listed) + 1})"  # noqa: S608
    size = (  # the planner's estimate of each kind's entries (one InitPlan)
        "(SELECT json_object_agg(m.v, m.f * c.reltuples) FROM pg_stats AS s CROSS JOIN LATERAL "
        "unnest(s.most_common_vals::text::text[], s.most_common_freqs) AS m(v, f), pg_class AS c "
        "WHERE s.tablename = 'search_searchentry' AND s.attname = 'kind' AND c.relname = 'search_searchentry')"
    )
    for kind in sorted({s.kind for s in registry.search_sources()}):
        kind_params = [*(kind if p == _KIND else p for p in part_params)]
        if not walk or SIZES.get(kind, 0) < BIG:
            pieces.append(f"SELECT %s::text AS kind, ARRAY({sql}) AS ids")
            params.extend([kind, *kind_params])
            continue
        # The walk's ids once (OFFSET 0 keeps the subquery whole), the posting list only when it fell short.
        pieces.append(
            f"SELECT kind, CASE WHEN cardinality(walked) > {int(listed)} THEN walked ELSE ARRAY({sql}) END AS ids "  # noqa: S608
            f"FROM (SELECT %s::text AS kind, CASE WHEN {probe} THEN {walked} END AS walked OFFSET 0) AS w{len(pieces)}"
        )
        params.extend([*kind_params, kind, kind, kind])
    if not pieces:
        return {}
    union = " UNION ALL ".join(pieces)
    now = time.monotonic()
    read_sizes = now - _sizes_read_at[0] >= SIZES_EVERY
    columns = f"kind, ids, {size}" if read_sizes else "kind, ids, NULL"
    statement = f"WITH {cte} SELECT {columns} FROM ({union}) AS c"  # noqa: S608
    found: dict[str, list[int]] = {}
    with connection.cursor() as cursor:
        cursor.execute(statement, params)
        for kind, ids, sizes in cursor.fetchall():
            if sizes is not None:
                SIZES.clear()
                SIZES.update(json.loads(sizes) if isinstance(sizes, str) else sizes)
            if ids:
                found[kind] = list(ids)
    if read_sizes:
        _sizes_read_at[0] = now
    return found


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
    gated: list[tuple[str, access.Rule, list[int]]] = []
    for kind in sorted(candidates):
        source = sources.get(kind)
        if source is None:
            continue
        rule = rules.sql(source)
        if rule is None:  # the actor sees nothing of this kind
            continue
        ids = candidates[kind]
        if len(ids) <= cap:
            rows = _candidate_entries(kind, rule, ids)
            parts.append((rows.order_by().values_list("id", "kind", "year"), None))
        elif connection.vendor == "postgresql":
            gated.append((kind, rule, ids))
        else:
            rows = backend.within(entries.filter(kind=kind, object_id__in=rule.ids()), terms)
            parts.append((rows.order_by().values_list("id", "kind", "year"), cap + 1))
    sql, params = union_sql(parts)
    if gated:
        sql, params = _gated_sql(backend, entries, terms, gated, cap, sql, params)
    if not sql:
        return []
    if connection.vendor == "postgresql":
        sql, params = _read_once(sql, params, core_access.get_access(actor).shared_subqueries())
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return [tuple(row) for row in cursor.fetchall()]


def _gated_sql(
    backend: Any,
    entries: QuerySet,
    terms: list[str],
    gated: list[tuple[str, access.Rule, list[int]]],
    cap: int,
    sql: str,
    params: list,
) -> tuple[str, list[Any]]:
    """The statement of :func:`_visible_sample` with, per broader kind, three branches (PostgreSQL),
    of which one runs.

    First, the entries of the kind's candidates (its first ``cap + 1`` matches) the actor sees
    (``hits<n>``, the rule by primary key). All of them: they are the sample (``cap + 1`` visible
    matches: "1,000+"), nothing else is read (a national coordinator: "network" read each broad kind
    a second time, the meetings' rule hashed whole, 118 ms at load 4). At least ``DENSE``: from the
    matches (about ``(cap + 1)**2 / hits`` of them read). Fewer: from the actor's visible records
    (``seen<n>``, the first ``SEEN + 1``), each one's entry looked up and matched (``few<n>``), when
    that finds ``cap + 1`` matches or reads every visible record; else from the matches. The CTEs
    are read lazily and the tests are ``CASE`` (evaluated in order, each count an InitPlan computed
    when first tested): ``few<n>`` stops at ``cap + 1`` matches without reading the rest of
    ``seen<n>`` (a regional coordinator's 15,000 action items: about 1,000 read, where counting
    5,001 first cost 60 ms), and neither is read when the matches are dense (5,001 exchange items
    cost 1 s under load, their rule being dear per row)."""
    ctes: list[str] = []
    cte, cte_params = backend.query_cte(terms)
    ctes.append(cte)
    pieces = [sql] if sql else []
    branch_params: list[Any] = []
    table = '"search_searchentry"'
    for n, (kind, rule, ids) in enumerate(gated):
        try:
            hit_rows = _candidate_entries(kind, rule, ids)
            hits_sql, hits_params = hit_rows.order_by().values_list("id", "kind", "year").query.sql_with_params()
        except EmptyResultSet:
            continue
        seen_sql = f"SELECT r.rule_pk AS pk FROM ({rule.sql}) AS r LIMIT {SEEN + 1}"  # noqa: S608 - compiled by Django
        seen_params = rule.params
        each = backend.match_cte(entries.filter(kind=kind)).extra(where=[f"{table}.object_id = seen{n}.pk"])  # noqa: S610
        each_sql, each_params = each.order_by().values_list("id", "kind", "year").query.sql_with_params()
        ctes.append(f"hits{n}(id, kind, year) AS MATERIALIZED ({hits_sql})")
        ctes.append(f"seen{n}(pk) AS MATERIALIZED ({seen_sql})")
        ctes.append(
            f"few{n}(id, kind, year) AS MATERIALIZED (SELECT e.* FROM seen{n} CROSS JOIN LATERAL "  # noqa: S608
            f"({each_sql} OFFSET 0) AS e LIMIT {int(cap) + 1})"
        )
        cte_params.extend([*hits_params, *seen_params, *each_params])
        hits = f"(SELECT count(*) FROM hits{n})"  # noqa: S608 - constant names
        found = f"(SELECT count(*) FROM few{n})"  # noqa: S608
        seen = f"(SELECT count(*) FROM seen{n})"  # noqa: S608
        complete = f"{hits} > {int(cap)}"
        sparse = f"CASE WHEN {complete} OR {hits} >= {DENSE} THEN false WHEN {found} > {int(cap)} THEN true ELSE {seen} <= {SEEN} END"  # noqa: E501
        pieces.append(f"SELECT * FROM hits{n} WHERE {complete}")  # noqa: S608
        pieces.append(f"SELECT * FROM few{n} WHERE {sparse}")  # noqa: S608
        # From the matches: the kind's rule as a whole, the word a constant (the planner knows how
        # common it is and stops at the cap; with the word as a parameter, or as a LATERAL probe per
        # match, it read the kind's whole posting list first: regional "network" 538 -> 2,102 ms).
        broad = backend.within(entries.filter(kind=kind, object_id__in=rule.ids()), terms)
        broad = broad.extra(where=[f"CASE WHEN {complete} THEN false ELSE NOT ({sparse}) END"])  # noqa: S610
        broad_sql, broad_params = broad.order_by().values_list("id", "kind", "year").query.sql_with_params()
        pieces.append(f"SELECT * FROM ({broad_sql} LIMIT {int(cap) + 1}) AS broad{n}")  # noqa: S608
        branch_params.extend(broad_params)
    if not pieces:
        return "", []
    union = " UNION ALL ".join(pieces)
    return f"WITH {', '.join(ctes)} {union}", [*cte_params, *params, *branch_params]


_PLACEHOLDER = re.compile(r"%%|%s")


def _read_once(sql: str, params: list[Any], shared: list[RawSQL]) -> tuple[str, list[Any]]:
    """``sql`` with each of the ``shared`` subqueries it holds more than once read once, as a
    materialised CTE the copies read (PostgreSQL). The kinds of the bodies app hold the reader's
    bodies (``bodies.access._internal_body_ids``, compiled once per request) up to six times in the
    sample's statement of a regional coordinator, each copy planned and hashed apart (x1, "network":
    planning 11.6 -> 5.7-9.1 ms, execution 54-60 -> 42-52 ms, load 3). A copy is replaced only where
    its text and its parameters are found as compiled; anything else leaves the statement as it is."""
    for n, subquery in enumerate(shared):
        text, own = f"({subquery.sql})", list(subquery.params)
        starts = [m.start() for m in re.finditer(re.escape(text), sql)]
        if len(starts) < 2:
            continue
        # The position among the parameters of each placeholder ("%%" is a literal percent sign).
        marks = [m.start() for m in _PLACEHOLDER.finditer(sql) if m.group() == "%s"]
        firsts = [bisect.bisect_left(marks, start) for start in starts]
        if any(params[i : i + len(own)] != own for i in firsts):
            continue
        name = f"shared{n}"
        pieces, kept, at, taken = [], [], 0, 0
        for start, first in zip(starts, firsts, strict=True):
            pieces.append(sql[at:start])
            pieces.append(f"(SELECT id FROM {name})")  # noqa: S608 - a constant name
            kept.extend(params[taken:first])
            at, taken = start + len(text), first + len(own)
        pieces.append(sql[at:])
        kept.extend(params[taken:])
        body = "".join(pieces)
        cte = f"{name}(id) AS MATERIALIZED {text}"
        body = f"WITH {cte}, {body[5:]}" if body.startswith("WITH ") else f"WITH {cte} {body}"
        sql, params = body, [*own, *kept]
    return sql, params


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
    candidates = _candidates(backend, entries, terms, cap, filtered=bool(query.jurisdiction or query.year is not None))
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
    ranked = backend.rank(backend.match(access.all_entries().filter(id__in_array=pool), terms), terms)
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
