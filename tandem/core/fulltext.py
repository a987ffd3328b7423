"""Full-text search on the database in use: ONE interface, two backends (shared by the library and
the global search).

* :class:`FullTextIndex` names a document table (one row per record, columns ``config``, ``title``,
  ``summary``, ``body``) and the record table it points to (the same table when the documents are
  the records searched, as in the global search);
* :func:`backend_for` picks :class:`PostgresBackend` (a generated ``tsvector`` column, a GIN index,
  ``ts_rank`` and ``ts_headline``; the query in both the ``english`` and ``french`` configurations)
  or :class:`SqliteBackend` (an FTS5 table kept in step with the document table by triggers,
  ``bm25`` and ``snippet()``);
* :class:`StemmedSqliteBackend` adds English and French stemming on SQLite, which FTS5 lacks: the
  document table carries a ``stems`` column (the Snowball stems of its words in both languages, see
  :func:`stems_of_text`) and each word of the query also matches its stems;
* :func:`python_snippet` cuts a highlighted extract in Python, marking every word whose stem matches
  a word of the query (used where the page's rows are already loaded: no further query);
* :func:`fold_sql` folds accents on PostgreSQL without an extension (``translate`` with a fixed
  map): the generated vectors and the queries are folded alike, so "reseau" finds "réseau" there as
  FTS5's ``remove_diacritics`` does on SQLite. Changing :data:`FOLD_FROM` needs a migration that
  rebuilds the vectors (``search.0003``, ``library.0004``).

Both backends take the user's words, never their syntax: the query is cut into words, each quoted,
so no operator of either engine can be injected.
"""

from __future__ import annotations

import html
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Protocol

import snowballstemmer
from django.db import connection
from django.db.models import BooleanField, FloatField, QuerySet
from django.db.models.expressions import RawSQL
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


@lru_cache(maxsize=50000)
def fold(word: str) -> str:
    """Lower case without diacritics (what FTS5's ``unicode61 remove_diacritics 2`` compares)."""
    decomposed = unicodedata.normalize("NFKD", word.lower())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def _fold_map() -> tuple[str, str]:
    """Every Latin letter with a diacritic (Latin-1, Extended-A/B, Extended Additional) and its base
    letter, in the same case: the two arguments of PostgreSQL's ``translate``."""
    src, dst = [], []
    for code in [*range(0xC0, 0x250), *range(0x1E00, 0x1F00)]:
        char = chr(code)
        base = "".join(c for c in unicodedata.normalize("NFKD", char) if not unicodedata.combining(c))
        if len(base) == 1 and base != char and base.isalpha():
            src.append(char)
            dst.append(base)
    return "".join(src), "".join(dst)


FOLD_FROM, FOLD_TO = _fold_map()


def fold_sql(expression: str) -> str:
    """SQL (PostgreSQL) folding the accents of ``expression`` (a column or a ``%s``): immutable, so
    usable in a generated column, and needing no extension (``unaccent`` must be installed by a
    superuser)."""
    return f"translate({expression}, '{FOLD_FROM}', '{FOLD_TO}')"


@dataclass(frozen=True)
class FullTextIndex:
    """A document table and the record table it indexes (``document.<key>`` = ``record.id``)."""

    document_table: str
    record_table: str
    key: str = "item_id"
    fts_table: str = ""
    relation: str = ""  # the record's reverse one-to-one name of its document ("": the records are the documents)


class Backend(Protocol):
    index: FullTextIndex

    def match(self, queryset: QuerySet, terms: list[str]) -> QuerySet:
        """``queryset`` narrowed to the records matching every term (joined to the index)."""
        ...

    def rank(self, matched: QuerySet, terms: list[str]) -> QuerySet:
        """``matched`` (from :meth:`match`) annotated ``search_rank`` (higher is better)."""
        ...

    def within(self, queryset: QuerySet, terms: list[str]) -> QuerySet:
        """``queryset`` narrowed to the matching records without a join (cannot be ranked): the
        matches are read once, whatever order the database joins the rest in."""
        ...

    def snippets(self, ids: list[int], terms: list[str]) -> dict[int, SafeString]:
        """Highlighted extracts of the records ``ids`` (only those of one page)."""
        ...


class PostgresBackend:
    def __init__(self, index: FullTextIndex) -> None:
        self.index = index

    # The query in both configurations: a French word is stemmed the French way, an English one the
    # English way; a row's vector was built with its own language's configuration.
    # Both sides are folded (accents removed) with the same map: see :func:`fold_sql`. The query in
    # one configuration when both stem the words alike (most words): ``q || q`` would make the
    # planner count the matches twice, and a broad word would then read the whole table.
    _EN = f"plainto_tsquery('english'::regconfig, {fold_sql('%s')})"
    _FR = f"plainto_tsquery('french'::regconfig, {fold_sql('%s')})"
    _TSQUERY = f"(CASE WHEN {_EN} = {_FR} THEN {_EN} ELSE {_EN} || {_FR} END)"
    _PARAMS = 5  # the words, once per %s above (all immutable on constants: planned as one constant)

    def match(self, queryset: QuerySet, terms: list[str]) -> QuerySet:
        """Joins the document (one row per record) and filters and ranks on its vector in the same
        scan. The raw SQL names the joined table, so the result must not be used as a subquery (Django
        would rename the table there): :func:`facet_counts` groups it directly."""
        text = " ".join(terms)
        doc = f'"{self.index.document_table}"'
        matches = RawSQL(f"{doc}.vector @@ {self._TSQUERY}", [text] * self._PARAMS, output_field=BooleanField())  # noqa: S611
        # A record table with its document in another table joins it; a document table is searched as is.
        joined = queryset.filter(**{f"{self.index.relation}__isnull": False}) if self.index.relation else queryset
        return joined.alias(search_match=matches).filter(search_match=True)

    def within(self, queryset: QuerySet, terms: list[str]) -> QuerySet:
        return self.match(queryset, terms)

    # The query once per statement, for statements of many branches (a kind each): ``WITH`` +
    # :meth:`query_cte`, then :meth:`match_cte` in each branch. The planner then sees the query as
    # a parameter (the default selectivity of ``@@``, 0.5 %): with a LIMIT it reads the GIN index
    # rather than scanning the table in the hope of meeting matches early (the statistics of a word
    # are the whole table's; a kind may have none of its matches: 1.5 s for "network" on
    # exchange items at x1).
    CTE = "search_q"

    def query_cte(self, terms: list[str]) -> tuple[str, list[str]]:
        return f"{self.CTE} AS MATERIALIZED (SELECT {self._TSQUERY} AS q)", [" ".join(terms)] * self._PARAMS

    def match_cte(self, queryset: QuerySet) -> QuerySet:
        """``queryset`` narrowed to the matches of the statement's :meth:`query_cte`."""
        doc = f'"{self.index.document_table}"'
        return queryset.extra(where=[f"{doc}.vector @@ (SELECT q FROM {self.CTE})"])  # noqa: S608,S610 - constant names

    def rank(self, matched: QuerySet, terms: list[str]) -> QuerySet:
        text = " ".join(terms)
        doc = f'"{self.index.document_table}"'
        rank = RawSQL(f"ts_rank({doc}.vector, {self._TSQUERY})", [text] * self._PARAMS, output_field=FloatField())  # noqa: S611
        return matched.annotate(search_rank=rank)

    def snippets(self, ids: list[int], terms: list[str]) -> dict[int, SafeString]:
        """Cut in Python (:func:`python_snippet`): ``ts_headline`` would compare the folded query
        with the text as written and miss "réseau" for "reseau"."""
        if not ids or not terms:
            return {}
        i = self.index
        sql = f"SELECT {i.key}, body, summary, title FROM {i.document_table} WHERE {i.key} = ANY(%s)"  # noqa: S608
        with connection.cursor() as cursor:
            cursor.execute(sql, [list(ids)])
            return {row[0]: best_snippet(row[1:], terms, words=30) for row in cursor.fetchall()}


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

    def within(self, queryset: QuerySet, terms: list[str]) -> QuerySet:
        """``+id IN (SELECT rowid ... MATCH ...)``: SQLite runs the match once, where a join would put
        the FTS scan inside the loop over the other rows when those are filtered by an index. The
        unary ``+`` keeps the match's rowids out of the index search: with another ``IN`` list on
        the same index (a kind's visible records), SQLite would otherwise probe every pair of the
        two lists (minutes for a broad word at 50,000 records)."""
        i = self.index
        meta = queryset.model._meta
        sql = f'+"{meta.db_table}"."{meta.pk.column}" IN (SELECT rowid FROM "{i.fts_table}" WHERE "{i.fts_table}" MATCH %s)'  # noqa: S608
        return queryset.extra(where=[sql], params=[self.expression(terms)])  # noqa: S610 - constant names

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


# --- Stemming in both languages (SQLite; the snippets on both databases) -----------------------

_STEMMERS = {lang: snowballstemmer.stemmer(lang) for lang in ("english", "french")}


def vector_sql(config: str, *, fold: bool = True) -> str:
    """The weighted ``tsvector`` of a document row (title A, summary B, body C) in ``config``, its
    text folded (the generated columns of the search and library migrations)."""

    def column(name: str) -> str:
        text = f"coalesce({name}, '')"
        # ``translate`` compares each character with the whole map (about 50 us a field): text
        # that is all ASCII has nothing to fold and skips it (what a bulk load writes mostly).
        return f"CASE WHEN {text} ~ '[^[:ascii:]]' THEN {fold_sql(text)} ELSE {text} END" if fold else text

    return " || ".join(
        f"setweight(to_tsvector('{config}'::regconfig, {column(name)}), '{weight}')"
        for name, weight in (("title", "A"), ("summary", "B"), ("body", "C"))
    )


@lru_cache(maxsize=20000)
def stems_of(word: str) -> frozenset[str]:
    """The English and French Snowball stems of one word, folded (diacritics removed)."""
    lower = word.lower()
    return frozenset(fold(stemmer.stemWord(lower)) for stemmer in _STEMMERS.values())


def stems_of_text(*texts: str) -> str:
    """Every distinct stem of the words of ``texts``, space-separated (the ``stems`` column)."""
    seen: dict[str, None] = {}
    for text in texts:
        for word in _WORD.findall(text or ""):
            for stem in stems_of(word):
                seen.setdefault(stem, None)
    return " ".join(seen)


class StemmedSqliteBackend(SqliteBackend):
    """FTS5 with English and French stemming: the FTS table has the columns ``title, summary, body,
    stems`` and each query word matches itself or one of its stems."""

    @staticmethod
    def expression(terms: list[str]) -> str:
        groups = []
        for term in terms:
            words = sorted({fold(term), *stems_of(term)} - {""})
            groups.append("(" + " OR ".join('"' + w.replace('"', "") + '"' for w in words) + ")")
        return " AND ".join(groups)

    def rank(self, matched: QuerySet, terms: list[str]) -> QuerySet:
        i = self.index
        return matched.extra(  # noqa: S610 - constant names
            select={"search_rank": f'-bm25("{i.fts_table}", 10.0, 4.0, 1.0, 2.0)'}
        )


def stemmed_backend_for(index: FullTextIndex) -> Backend:
    if connection.vendor == "postgresql":
        return PostgresBackend(index)
    return StemmedSqliteBackend(index)


def best_snippet(texts: Any, terms: list[str], *, words: int = 24) -> SafeString:
    """The snippet of the first of ``texts`` (e.g. body, summary, title) where a word matches; of the
    first non-empty one if none does."""
    present = [t for t in texts if t]
    wanted = {fold(t) for t in terms}
    stems = set().union(*(stems_of(t) for t in terms)) if terms else set()
    for text in present:
        if any(fold(w) in wanted or stems_of(w) & stems for w in _WORD.findall(text)):
            return python_snippet(text, terms, words=words)
    return python_snippet(present[0] if present else "", terms, words=words)


def python_snippet(text: str, terms: list[str], *, words: int = 24) -> SafeString:
    """An extract of ``text`` around its first matching word, every word matching a query word (the
    word itself or a shared stem) in ``<mark>``; the rest escaped. The start of the text if none match."""
    wanted = {fold(t) for t in terms}
    stems = set().union(*(stems_of(t) for t in terms)) if terms else set()
    tokens = list(_WORD.finditer(text or ""))
    if not tokens:
        return highlight("")

    def hit(word: str) -> bool:
        return fold(word) in wanted or bool(stems_of(word) & stems)

    first = next((n for n, m in enumerate(tokens) if hit(m.group())), 0)
    lo = max(0, first - words // 3)
    hi = min(len(tokens), lo + words)
    start, end = tokens[lo].start(), tokens[hi - 1].end()
    parts = ["… " if lo else ""]
    cursor = start
    for m in tokens[lo:hi]:
        parts.append(text[cursor : m.start()])
        parts.append(f"{START}{m.group()}{STOP}" if hit(m.group()) else m.group())
        cursor = m.end()
    parts.append(" …" if end < len(text) else "")
    return highlight("".join(parts))
