"""``manage.py bench_library --items 50000``: search times and query counts of the library.

Builds ``--items`` synthetic published items (English and French, every kind, competency and
visibility, spread over the countries of a small throwaway tree) with bulk inserts, fills the
search index the way the services do, then runs a set of searches as a user with one local role
(so the access rule really filters) and prints, per search, the result count, the SQL queries
(search page + facets + snippets) and the p50 / p95 wall-clock time in milliseconds. Everything
is committed (so that PostgreSQL can VACUUM ANALYZE it like a live table); the items are deleted at
the end unless ``--keep`` is given. Run it on a throwaway database.

Figures, not pass/fail: the issue asks for p95 <= 150 ms at 50,000 items on PostgreSQL.
"""

from __future__ import annotations

import os
import random
import statistics
import time
import uuid as uuidlib

from django.core.management.base import BaseCommand
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from tandem.core import services as core_services
from tandem.core.models import JurisdictionKind, Role, User

from ... import search
from ...models import (
    SEARCH_CONFIG,
    Competency,
    Facet,
    ItemTag,
    Kind,
    LibraryItem,
    SearchDocument,
    Status,
    Visibility,
)

WORDS_EN = [
    "coordination",
    "council",
    "youth",
    "trust",
    "mandate",
    "community",
    "radio",
    "referral",
    "schools",
    "mediators",
    "budget",
    "review",
    "partners",
    "dialogue",
    "prevention",
    "neighbourhood",
    "ward",
    "mayor",
    "governor",
    "training",
    "ethics",
    "data",
    "sharing",
    "agreement",
    "report",
    "template",
    "meeting",
    "minutes",
    "volunteers",
    "women",
    "faith",
    "leaders",
    "police",
    "health",
    "social",
    "services",
]
WORDS_FR = [
    "coordination",
    "conseil",
    "jeunes",
    "confiance",
    "mandat",
    "communauté",
    "radio",
    "orientation",
    "écoles",
    "médiatrices",
    "budget",
    "révision",
    "partenaires",
    "dialogue",
    "prévention",
    "quartier",
    "maire",
    "gouverneur",
    "formation",
    "éthique",
    "données",
    "partage",
    "accord",
    "rapport",
    "modèle",
    "réunion",
    "compte",
    "rendu",
    "bénévoles",
    "femmes",
    "responsables",
    "religieux",
    "police",
    "santé",
]
QUERIES = [
    {"q": "ombudsman"},  # a rare word (one item in 200), as most real searches are
    {"q": "ombudsman", "language": "fr"},
    {"q": "coordination"},  # the broad ones: a small vocabulary, so 30 to 60 % of all items match
    {"q": "youth trust"},
    {"q": "réunion partenaires"},
    {"q": "coordination", "competency": "trust"},
    {"q": "radio", "language": "fr"},
    {"kind": "guidance"},
    {},
]


class Command(BaseCommand):
    help = "Benchmark the library search (p50/p95 and query counts) on N synthetic items."

    def add_arguments(self, parser):
        parser.add_argument("--items", type=int, default=50000)
        parser.add_argument("--repeat", type=int, default=20, help="timed runs per search (default 20)")
        parser.add_argument("--keep", action="store_true", help="keep the synthetic records (default: roll back)")
        parser.add_argument("--seed", type=int, default=7)
        parser.add_argument(
            "--reuse", action="store_true", help="measure on the items a run with --keep left (build nothing)"
        )

    def handle(self, *args, **options):
        if options["reuse"]:
            reader = User.objects.filter(username__startswith="bench-reader-").latest("pk")
            user, network = reader, None
            self.stdout.write(f"{LibraryItem.objects.count()} items (kept from an earlier run)")
        else:
            with transaction.atomic():
                user, network = self._build(options["items"], random.Random(options["seed"]))  # noqa: S311
        self.stdout.write(f"load average: {' '.join(f'{x:.1f}' for x in os.getloadavg())}")
        if connection.vendor == "postgresql" and network is not None:
            with connection.cursor() as cursor:
                for table in (
                    "core_jurisdiction",
                    "library_item",
                    "library_searchdocument",
                    "library_itemtag",
                    "library_item_countries",
                ):
                    cursor.execute(f"VACUUM ANALYZE {table}")
        self._measure(user, max(2, options["repeat"]))
        if not options["keep"] and network is not None:
            # The synthetic items go; the small tree and the two bench users stay (the audit log,
            # append-only, names them).
            LibraryItem.objects.filter(jurisdiction__path__startswith=network.path).delete()

    def _build(self, count: int, rnd: random.Random) -> tuple[User, object]:
        started = time.perf_counter()
        mk = core_services.jurisdiction_create
        tag = uuidlib.uuid4().hex[:6]
        network = mk(actor=None, name=f"Bench network {tag}", kind=JurisdictionKind.NETWORK, parent=None, audit=False)
        countries = [
            mk(actor=None, name=f"Bench country {i} {tag}", kind=JurisdictionKind.COUNTRY, parent=network, audit=False)
            for i in range(4)
        ]
        cities = [
            mk(actor=None, name=f"Bench city {c.pk}-{i}", kind=JurisdictionKind.CITY, parent=c, audit=False)
            for c in countries
            for i in range(3)
        ]
        owner = User.objects.create_user(username=f"bench-owner-{tag}", password=None)
        reader = User.objects.create_user(username=f"bench-reader-{tag}", password=None)
        core_services.role_grant(actor=None, user=reader, role=Role.LOCAL_COORDINATOR, jurisdiction=cities[0])
        units = [network, *countries, *cities]
        kinds, comps, vis = Kind.values, Competency.values, Visibility.values
        batch = 2000
        for start in range(0, count, batch):
            items = []
            for _ in range(min(batch, count - start)):
                language = rnd.choice(("en", "fr"))
                words = WORDS_EN if language == "en" else WORDS_FR
                items.append(
                    LibraryItem(
                        kind=rnd.choice(kinds),
                        title=" ".join(rnd.sample(words, 5)).capitalize(),
                        summary=" ".join(rnd.sample(words, 14)) + (" ombudsman" if rnd.random() < 0.005 else ""),
                        body="<p>" + " ".join(rnd.choices(words, k=120)) + "</p>",
                        language=language,
                        jurisdiction=rnd.choice(units),
                        visibility=rnd.choice(vis),
                        status=Status.PUBLISHED,
                        proposed_by=owner,
                        publication_date=f"{rnd.randint(2015, 2026)}-0{rnd.randint(1, 9)}-1{rnd.randint(0, 9)}",
                    )
                )
            created = LibraryItem.objects.bulk_create(items)
            ItemTag.objects.bulk_create(
                [
                    ItemTag(item=i, facet=Facet.COMPETENCY, value=v)
                    for i in created
                    for v in rnd.sample(comps, rnd.randint(1, 3))
                ]
            )
            through = LibraryItem.countries.through
            through.objects.bulk_create(
                [through(libraryitem_id=i.pk, jurisdiction_id=rnd.choice(countries).pk) for i in created]
            )
            SearchDocument.objects.bulk_create(
                [
                    SearchDocument(
                        item=i,
                        config=SEARCH_CONFIG[i.language],
                        title=i.title,
                        summary=i.summary,
                        body=i.body[3:-4],
                    )
                    for i in created
                ]
            )
        self.stdout.write(
            f"{count} items built in {time.perf_counter() - started:.1f} s on {connection.vendor} "
            f"(reader: a local coordinator of one city)"
        )
        return reader, network

    def _measure(self, user: User, repeat: int) -> None:
        self.stdout.write(f"{'search':<45} {'hits':>7} {'queries':>8} {'p50 ms':>8} {'p95 ms':>8}")
        for params in QUERIES:
            filters = search.Filters(**params)
            timings = []
            queries = hits = 0
            for run in range(repeat + 1):
                with CaptureQueriesContext(connection) as ctx:
                    t0 = time.perf_counter()
                    found = search.find(user, filters)  # what the page and the API read
                    facets = found.facets()
                    hits = f"{facets.total}{'+' if facets.capped else ''}"
                    page = list(found.ranked()[:20])
                    search.snippets(page, filters)
                    elapsed = (time.perf_counter() - t0) * 1000
                if run:  # the first run warms the caches
                    timings.append(elapsed)
                queries = len(ctx.captured_queries)
            timings.sort()
            p95 = timings[min(len(timings) - 1, int(round(0.95 * (len(timings) - 1))))]
            label = " ".join(f"{k}={v}" for k, v in params.items()) or "(browse)"
            self.stdout.write(f"{label:<45} {hits:>7} {queries:>8} {statistics.median(timings):>8.1f} {p95:>8.1f}")
