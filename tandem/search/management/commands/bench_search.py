"""``manage.py bench_search --records 50000``: times and query counts of the global search.

Builds a throwaway country (17 regions of 6 cities each) and ``--records`` synthetic records in it
(organisations, people, bodies with a mandate, meetings; English and French words) with bulk inserts,
indexes them the way the signals do, then runs a set of searches as two readers (the country's
national coordinator: national scale; a city's local coordinator: the access rules really filter)
and prints, per search, the hits, the SQL queries (counts + page) and the p50 / p95 wall-clock time
in milliseconds of ``selectors.run`` (what the page and the API call). Everything is committed so
PostgreSQL can ANALYZE it; the records are deleted at the end unless ``--keep``. Run it on a
throwaway database.

Figures, not pass/fail: the issue asks for search p95 <= 150 ms at national scale on PostgreSQL.
"""

from __future__ import annotations

import datetime as dt
import os
import random
import statistics
import time
import uuid as uuidlib

from django.core.management.base import BaseCommand
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tandem.bodies.models import Body, BodyKind, Meeting
from tandem.core import registry
from tandem.core import services as core_services
from tandem.core.models import Jurisdiction, JurisdictionKind, Organisation, Person, Role, Sector, User
from tandem.library.management.commands.bench_library import WORDS_EN as LIBRARY_WORDS_EN
from tandem.library.management.commands.bench_library import WORDS_FR as LIBRARY_WORDS_FR

from ... import index, selectors
from ...models import SearchEntry

# The library benchmark's vocabulary, and two French words the stemming searches look for.
WORDS_EN = LIBRARY_WORDS_EN
WORDS_FR = [*LIBRARY_WORDS_FR, "consultations", "régionales"]
SEARCHES = [
    {"q": "ombudsman"},  # a rare word (one record in 200), as most real searches are
    {"q": "coordination"},  # broad: a small vocabulary, so a large share of the records match
    {"q": "youth trust"},
    {"q": "consultation régionale"},  # French, stemmed
    {"q": "coordination", "kind": "body"},
    {"q": "radio", "year": 2024},
    {"q": "ombudsman", "page": 2},
]


class Command(BaseCommand):
    help = "Benchmark the global search (p50/p95 and query counts) on N synthetic records."

    def add_arguments(self, parser):
        parser.add_argument("--records", type=int, default=50000)
        parser.add_argument("--repeat", type=int, default=20, help="timed runs per search (default 20)")
        parser.add_argument("--keep", action="store_true", help="keep the synthetic records")
        parser.add_argument("--seed", type=int, default=7)
        parser.add_argument(
            "--reuse", action="store_true", help="measure on the records a run with --keep left (build nothing)"
        )

    def handle(self, *args, **options):
        rnd = random.Random(options["seed"])  # noqa: S311 - synthetic data
        if options["reuse"]:
            country, readers = self._kept()
        else:
            with transaction.atomic():
                country, readers = self._build(options["records"], rnd)
        self.stdout.write(f"load average: {' '.join(f'{x:.1f}' for x in os.getloadavg())}")
        if connection.vendor == "postgresql" and not options["reuse"]:
            with connection.cursor() as cursor:
                for table in (
                    "core_jurisdiction",  # the rules test its paths: a stale estimate picks nested loops
                    "search_searchentry",
                    "core_organisation",
                    "core_person",
                    "bodies_body",
                    "bodies_meeting",
                ):
                    cursor.execute(f"VACUUM ANALYZE {table}")  # noqa: S608 - constant names
        for label, user in readers:
            self.stdout.write(f"\nreader: {label}")
            self._measure(user, max(2, options["repeat"]))
        if not options["keep"]:
            with transaction.atomic():
                under = {"jurisdiction__path__startswith": country.path}
                Meeting.objects.filter(body__jurisdiction__path__startswith=country.path).delete()
                for model in (Body, Person, Organisation):
                    model.objects.filter(**under).delete()

    def _kept(self) -> tuple[Jurisdiction, list[tuple[str, User]]]:
        kept = [
            u.username.rsplit("-", 1)[-1] for u in User.objects.filter(username__startswith="bench-national-")
        ]  # fmt: skip
        countries = Jurisdiction.objects.filter(name__in=[f"Bench country {tag}" for tag in kept])
        country = max(countries, key=lambda c: SearchEntry.objects.filter(jurisdiction_path__startswith=c.path).count())
        tag = country.name.rsplit(" ", 1)[-1]
        national = User.objects.get(username=f"bench-national-{tag}")
        local = User.objects.get(username=f"bench-local-{tag}")
        self.stdout.write(f"{SearchEntry.objects.count()} entries in the index (kept from an earlier run)")
        return country, [("national coordinator of the country", national), ("local coordinator of a city", local)]

    def _build(self, count: int, rnd: random.Random) -> tuple[Jurisdiction, list[tuple[str, User]]]:
        started = time.perf_counter()
        mk = core_services.jurisdiction_create
        tag = uuidlib.uuid4().hex[:6]
        root = Jurisdiction.objects.filter(parent__isnull=True).first() or mk(
            actor=None, name="Bench network", kind=JurisdictionKind.NETWORK, parent=None, audit=False
        )
        country = mk(actor=None, name=f"Bench country {tag}", kind=JurisdictionKind.COUNTRY, parent=root, audit=False)
        regions = [
            mk(actor=None, name=f"Bench region {i}", kind=JurisdictionKind.REGION, parent=country, audit=False)
            for i in range(17)
        ]
        cities = [
            mk(actor=None, name=f"Bench city {r.pk}-{i}", kind=JurisdictionKind.CITY, parent=r, audit=False)
            for r in regions
            for i in range(6)
        ]
        units = [country, *regions, *cities]
        national = User.objects.create_user(username=f"bench-national-{tag}", password=None)
        core_services.role_grant(actor=None, user=national, role=Role.NATIONAL_COORDINATOR, jurisdiction=country)
        local = User.objects.create_user(username=f"bench-local-{tag}", password=None)
        core_services.role_grant(actor=None, user=local, role=Role.LOCAL_COORDINATOR, jurisdiction=cities[0])

        def text(n: int) -> str:
            words = WORDS_EN if rnd.random() < 0.6 else WORDS_FR
            extra = " ombudsman" if rnd.random() < 0.005 else ""
            return " ".join(rnd.choices(words, k=n)) + extra

        sectors = Sector.values
        orgs = Organisation.objects.bulk_create(
            Organisation(
                name=text(4).title(), sector=rnd.choice(sectors), jurisdiction=rnd.choice(units), description=text(40)
            )
            for _ in range(int(count * 0.4))
        )
        people = Person.objects.bulk_create(
            Person(full_name=text(2).title(), jurisdiction=rnd.choice(units)) for _ in range(int(count * 0.3))
        )
        bodies = Body.objects.bulk_create(
            Body(
                name=f"{text(3).title()} {n}",
                kind=rnd.choice(BodyKind.values),
                jurisdiction=rnd.choice(units),
                mandate=text(80),
            )
            for n in range(int(count * 0.15))
        )
        start = timezone.now()
        meetings = Meeting.objects.bulk_create(
            Meeting(
                body=body,
                title=text(5).capitalize(),
                starts_at=start - dt.timedelta(days=rnd.randint(0, 2000)),
                ends_at=start,
                place=text(2),
            )  # fmt: skip
            for body in (rnd.choice(bodies) for _ in range(count - len(orgs) - len(people) - len(bodies)))
        )
        for body_ in bodies:  # the meetings' documents read the body's jurisdiction
            body_.jurisdiction = next(u for u in units if u.pk == body_.jurisdiction_id)
        by_id = {b.pk: b for b in bodies}
        for m in meetings:
            m.body = by_id[m.body_id]
        sources = {s.kind: s for s in registry.search_sources()}
        paths = index.all_paths()
        for kind, records in (("organisation", orgs), ("person", people), ("body", bodies), ("meeting", meetings)):
            entries = []
            for record in records:
                doc = sources[kind].document(record)
                if doc is not None:
                    entries.append(SearchEntry(kind=kind, object_id=record.pk, **index.entry_values(doc, paths)))
            SearchEntry.objects.bulk_create(entries, batch_size=2000)
        self.stdout.write(
            f"{count} records built and indexed in {time.perf_counter() - started:.1f} s on {connection.vendor} "
            f"({len(orgs)} organisations, {len(people)} people, {len(bodies)} bodies, {len(meetings)} meetings; "
            f"{SearchEntry.objects.count()} entries in the index)"
        )
        return country, [("national coordinator of the country", national), ("local coordinator of a city", local)]

    def _measure(self, user: User, repeat: int) -> None:
        self.stdout.write(f"{'search':<45} {'hits':>7} {'queries':>8} {'p50 ms':>8} {'p95 ms':>8}")
        for params in SEARCHES:
            timings: list[float] = []
            queries = hits = 0
            for run in range(repeat + 1):
                with CaptureQueriesContext(connection) as ctx:
                    t0 = time.perf_counter()
                    results = selectors.run(user, selectors.Query(**params))
                    elapsed = (time.perf_counter() - t0) * 1000
                if run:  # the first run warms the caches
                    timings.append(elapsed)
                queries, hits = len(ctx.captured_queries), results.total
            timings.sort()
            p95 = timings[min(len(timings) - 1, int(round(0.95 * (len(timings) - 1))))]
            label = " ".join(f"{k}={v}" for k, v in params.items())
            self.stdout.write(f"{label:<45} {hits:>7} {queries:>8} {statistics.median(timings):>8.1f} {p95:>8.1f}")
