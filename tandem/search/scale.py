"""The global search index of the national-scale dataset (``manage.py generate_scale``): one entry
per record of every registered kind, from each source's own ``document`` (as
``index.rebuild`` makes them, so the search is measured on what it would read in service),
written in bulk after every other app's records (see ``tandem.core.scale``)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.apps import apps

from tandem.core import registry
from tandem.core.scale import World

from . import index
from .models import SearchEntry


def build(world: World) -> None:
    paths = index.all_paths()
    # The few records made with ``save()`` (the country, the personas) indexed themselves already.
    SearchEntry.objects.all().delete()
    for source in registry.search_sources():
        total = apps.get_model(source.model)._default_manager.count()
        if not total:
            continue

        def entries(source: registry.SearchSource = source) -> Iterator[dict[str, Any]]:
            for record in index.records(source):
                doc = source.document(record)
                if doc is not None:
                    yield {"kind": source.kind, "object_id": record.pk, **index.entry_values(doc, paths)}

        world.bulk(f"search: {source.kind}", SearchEntry, entries(), total, keep=False)
