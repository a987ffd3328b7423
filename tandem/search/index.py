"""Keeping the search index current: the documents of the sources, the signals, the rebuild.

Each source's model is watched with ``post_save`` / ``post_delete`` (connected per model, so other
models keep Django's fast deletes): a save re-indexes the record in the same transaction, a delete
removes its entry. A source's ``parents`` (the records its document reads: a meeting reads its
body's name) are watched too: saving one re-indexes the records below it, in the same transaction
when they are at most ``INLINE_CHILDREN``, else in a background task (``tasks.py``). Writes that bypass the signals (``QuerySet.update``, ``bulk_create``) change no
indexed text in Tandem's services (they set statuses and versions, and visibility is decided at
query time); ``manage.py rebuild_search_index`` rebuilds everything or one kind.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from django.apps import apps
from django.db import connection, transaction
from django.db.models.signals import post_delete, post_save

from tandem.core import bulk, registry
from tandem.core.fulltext import stems_of_text
from tandem.core.models import Jurisdiction

from .models import SearchEntry

MAX_BODY = 20_000
_FRENCH_WORDS = frozenset(
    [
        "le",
        "la",
        "les",
        "des",
        "du",
        "une",
        "et",
        "est",
        "pour",
        "dans",
        "sur",
        "avec",
        "aux",
        "au",
        "par",
        "que",
        "qui",
        "ne",
        "pas",
        "sont",
        "leur",
        "cette",
        "ces",
        "entre",
    ]
)
_WORD = re.compile(r"\w+", re.UNICODE)


def guess_config(text: str) -> str:
    """``french`` when the text reads as French (common French words outnumber a threshold), else ``english``."""
    words = _WORD.findall(text[:2000].lower())
    if not words:
        return "english"
    french = sum(1 for w in words if w in _FRENCH_WORDS)
    return "french" if french * 12 >= len(words) else "english"


def sources_of(model: type) -> list[registry.SearchSource]:
    label = model._meta.label
    return [s for s in registry.search_sources() if s.model == label]


def source_of(kind: str) -> registry.SearchSource | None:
    return next((s for s in registry.search_sources() if s.kind == kind), None)


def entry_values(doc: registry.SearchText, paths: dict[int, str] | None = None) -> dict[str, Any]:
    """The entry's columns from a source's document; ``paths``: jurisdiction id -> path, when the
    caller has them (a rebuild), else the one path is read."""
    body = (doc.body or "")[:MAX_BODY]
    if doc.language in ("en", "fr"):
        config = "french" if doc.language == "fr" else "english"
    else:
        config = guess_config(f"{doc.title} {doc.summary} {body}")
    return {
        "url_uuid": doc.url_uuid,
        "config": config,
        "title": doc.title[:1000],
        "summary": doc.summary or "",
        "body": body,
        # The stems serve the SQLite backend only; PostgreSQL stems in its own tsvector.
        "stems": stems_of_text(doc.title, doc.summary, body) if connection.vendor == "sqlite" else "",
        "jurisdiction_id": doc.jurisdiction_id,
        "jurisdiction_path": _path(doc.jurisdiction_id, paths),
        "year": doc.year,
    }


def _path(jurisdiction_id: int | None, paths: dict[int, str] | None) -> str:
    if jurisdiction_id is None:
        return ""
    if paths is not None and jurisdiction_id in paths:
        return paths[jurisdiction_id]
    return Jurisdiction.objects.filter(pk=jurisdiction_id).values_list("path", flat=True).first() or ""


def all_paths() -> dict[int, str]:
    """Every jurisdiction's path (a rebuild reads them once)."""
    return dict(Jurisdiction.objects.values_list("id", "path"))


def index_record(source: registry.SearchSource, record: Any, paths: dict[int, str] | None = None) -> None:
    doc = source.document(record)
    if doc is None:
        SearchEntry.objects.filter(kind=source.kind, object_id=record.pk).delete()
        return
    SearchEntry.objects.update_or_create(kind=source.kind, object_id=record.pk, defaults=entry_values(doc, paths))


def _saved(sender: type, instance: Any, raw: bool = False, **kwargs: Any) -> None:
    if raw or bulk.active():  # fixtures: rebuild the index afterwards; a bulk write: rebuilt at its end
        return
    for source in sources_of(sender):
        index_record(source, instance)


def _deleted(sender: type, instance: Any, **kwargs: Any) -> None:
    if bulk.active():
        return
    kinds = [s.kind for s in sources_of(sender)]
    if kinds and instance.pk is not None:
        SearchEntry.objects.filter(kind__in=kinds, object_id=instance.pk).delete()


# A parent with more records below it than this re-indexes them in a background task.
INLINE_CHILDREN = 50


def dependents_of(model: type) -> list[tuple[registry.SearchSource, str]]:
    """The sources whose documents read records of ``model``, with the lookup from theirs to it."""
    label = model._meta.label
    return [(s, lookup) for s in registry.search_sources() for parent, lookup in s.parents if parent == label]


def _children(source: registry.SearchSource, lookup: str, parent_pk: Any) -> Any:
    rows = source.rows() if source.rows is not None else apps.get_model(source.model)._default_manager.all()
    return rows.filter(**{lookup: parent_pk}).order_by("pk")


def reindex_children(kind: str, lookup: str, parent_pk: Any) -> int:
    """Re-index the records of ``kind`` below one parent (their documents read it); returns how many."""
    source = source_of(kind)
    if source is None:
        return 0
    n = 0
    paths: dict[int, str] = {}  # the children mostly share their parent's place: each path read once
    for record in _children(source, lookup, parent_pk).iterator(chunk_size=500):
        doc = source.document(record)
        if doc is not None and doc.jurisdiction_id is not None and doc.jurisdiction_id not in paths:
            paths[doc.jurisdiction_id] = _path(doc.jurisdiction_id, None)
        index_record(source, record, paths)
        n += 1
    return n


def _parent_saved(sender: type, instance: Any, raw: bool = False, **kwargs: Any) -> None:
    """A saved parent re-indexes the records whose text it is part of: at once when they are few,
    else in a background task after the commit (the entries' visibility never depended on it: it
    is decided at query time)."""
    if raw or bulk.active():
        return
    from . import tasks

    for source, lookup in dependents_of(sender):
        few = list(_children(source, lookup, instance.pk).values_list("pk", flat=True)[: INLINE_CHILDREN + 1])
        if not few:
            continue
        if len(few) <= INLINE_CHILDREN:
            reindex_children(source.kind, lookup, instance.pk)
        else:
            args = (source.kind, lookup, instance.pk)
            transaction.on_commit(lambda args=args: tasks.reindex_children_task.enqueue(*args))


def connect_signals() -> None:
    for label in {s.model for s in registry.search_sources()}:
        model = apps.get_model(label)
        post_save.connect(_saved, sender=model, dispatch_uid=f"search-index-save-{label}")
        post_delete.connect(_deleted, sender=model, dispatch_uid=f"search-index-delete-{label}")
    for label in {parent for s in registry.search_sources() for parent, _lookup in s.parents}:
        post_save.connect(_parent_saved, sender=apps.get_model(label), dispatch_uid=f"search-index-parent-{label}")


def records(source: registry.SearchSource) -> Iterator[Any]:
    """Every record of ``source`` to index, in id order (what a rebuild reads)."""
    rows = source.rows() if source.rows is not None else apps.get_model(source.model)._default_manager.all()
    yield from rows.order_by("pk").iterator(chunk_size=2000)


def after_bulk() -> None:
    """The end of a bulk write (``tandem.core.bulk``), during which no save re-indexed: every kind rebuilt."""
    rebuild()


def rebuild(kinds: list[str] | None = None, *, batch: int = 1000) -> dict[str, int]:
    """Re-index every record of ``kinds`` (every kind by default); returns the count per kind."""
    counts: dict[str, int] = {}
    paths = all_paths()
    for source in registry.search_sources():
        if kinds and source.kind not in kinds:
            continue
        with transaction.atomic():
            SearchEntry.objects.filter(kind=source.kind).delete()
            pending: list[SearchEntry] = []
            n = 0
            for record in records(source):
                doc = source.document(record)
                if doc is None:
                    continue
                pending.append(SearchEntry(kind=source.kind, object_id=record.pk, **entry_values(doc, paths)))
                n += 1
                if len(pending) >= batch:
                    SearchEntry.objects.bulk_create(pending)
                    pending = []
            SearchEntry.objects.bulk_create(pending)
        counts[source.kind] = n
    return counts
