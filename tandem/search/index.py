"""Keeping the search index current: the documents of the sources, the signals, the rebuild.

Each source's model is watched with ``post_save`` / ``post_delete`` (connected per model, so other
models keep Django's fast deletes): a save re-indexes the record in the same transaction, a delete
removes its entry. Writes that bypass the signals (``QuerySet.update``, ``bulk_create``) change no
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

from tandem.core import registry
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


def index_record(source: registry.SearchSource, record: Any) -> None:
    doc = source.document(record)
    if doc is None:
        SearchEntry.objects.filter(kind=source.kind, object_id=record.pk).delete()
        return
    SearchEntry.objects.update_or_create(kind=source.kind, object_id=record.pk, defaults=entry_values(doc))


def _saved(sender: type, instance: Any, raw: bool = False, **kwargs: Any) -> None:
    if raw:  # fixtures: rebuild the index afterwards
        return
    for source in sources_of(sender):
        index_record(source, instance)


def _deleted(sender: type, instance: Any, **kwargs: Any) -> None:
    kinds = [s.kind for s in sources_of(sender)]
    if kinds and instance.pk is not None:
        SearchEntry.objects.filter(kind__in=kinds, object_id=instance.pk).delete()


def connect_signals() -> None:
    for label in {s.model for s in registry.search_sources()}:
        model = apps.get_model(label)
        post_save.connect(_saved, sender=model, dispatch_uid=f"search-index-save-{label}")
        post_delete.connect(_deleted, sender=model, dispatch_uid=f"search-index-delete-{label}")


def _rows(source: registry.SearchSource) -> Iterator[Any]:
    rows = source.rows() if source.rows is not None else apps.get_model(source.model)._default_manager.all()
    yield from rows.order_by("pk").iterator(chunk_size=2000)


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
            for record in _rows(source):
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
