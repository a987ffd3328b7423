"""``manage.py rebuild_search_index [--kind KIND ...]``: rebuild the global search index.

Saves and deletes keep the index current (signals, see ``tandem.search.index``); rebuild after
loading fixtures, after a bulk import that bypassed the services, or after moving to another database.
"""

from __future__ import annotations

import time

from django.core.management.base import BaseCommand, CommandError

from tandem.core import registry

from ... import index


class Command(BaseCommand):
    help = "Rebuild the global search index (every kind, or the kinds named)."

    def add_arguments(self, parser):
        parser.add_argument("--kind", action="append", default=[], help="only this kind (repeatable)")

    def handle(self, *args, **options):
        known = [s.kind for s in registry.search_sources()]
        unknown = sorted(set(options["kind"]) - set(known))
        if unknown:
            raise CommandError(f"unknown kind(s) {', '.join(unknown)}; known: {', '.join(known)}")
        started = time.perf_counter()
        counts = index.rebuild(options["kind"] or None)
        for kind, n in counts.items():
            self.stdout.write(f"{kind:<20} {n:>8}")
        self.stdout.write(f"{sum(counts.values())} records indexed in {time.perf_counter() - started:.1f} s")
