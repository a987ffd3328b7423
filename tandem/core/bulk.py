"""One large write (the demo world, hundreds of records through the real services) with the
per-record side work of other apps done once at the end instead of after every save.

Apps keep derived data beside the records: the search index (an entry per record, re-made on
every save) and the dashboards' cached numbers (dropped for the record's places on every save).
Building the demo world saves about 11,000 records, and that side work was a third of its time
(about 20 s of re-indexing and 15 s of cache invalidation on PostgreSQL). Inside ``deferred()``
those handlers do nothing (they ask ``active()``), and when the block ends without an error each
app's ``bulk_finish`` hook (``tandem.core.registry``) brings its data up to date in one pass: the
search index rebuilt, every cached number dropped. The result is the same as with the handlers
on; if the block fails, its transaction is rolled back by the caller and nothing is finished.

Use it only around work inside one transaction that no reader needs to see before it ends.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from . import registry

_active: ContextVar[bool] = ContextVar("tandem_bulk_write", default=False)


def active() -> bool:
    """True inside ``deferred()``: a per-save handler whose work a ``bulk_finish`` hook redoes skips it."""
    return _active.get()


@contextmanager
def deferred() -> Iterator[None]:
    """Run the block with per-save side work off, then each app's ``bulk_finish`` once (nested: the
    outermost block finishes)."""
    if _active.get():
        yield
        return
    token = _active.set(True)
    try:
        yield
    finally:
        _active.reset(token)
    for finish in registry.functions("bulk_finish"):
        finish()
