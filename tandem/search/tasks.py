"""Background work of the search index (django-tasks: the database worker, or RQ)."""

from __future__ import annotations

from typing import Any

from django_tasks import task


@task()
def reindex_children_task(kind: str, lookup: str, parent_pk: Any) -> int:
    """Re-index the records of ``kind`` below a saved parent (too many to do in its request)."""
    from . import index

    return index.reindex_children(kind, lookup, parent_pk)
