"""CPU per request of the load test's mix of reads, per page and per persona (figures, not a test).

    manage.py bench_requests                       the demo personas (load_demo), 20 requests per URL
    manage.py bench_requests --scale               the generate_scale personas instead
    manage.py bench_requests --profile --url home  cProfile (CPU time) of the requests, hottest functions

The URLs are those ``ops/loadtest.py`` mixes (home, the main lists, the user's jurisdiction, the API
lists), requested in-process through Django's whole middleware stack by a client that signed in with
its second factor. For each it prints queries, this process's CPU per request (Python: middleware,
session, access, views, templates) and the database server's CPU for the same requests (the
PostgreSQL backend of this connection, read from /proc; SQLite runs inside the process). CPU time
is what the machine's load does not distort: two idle cores serve about 2000 / (python + database)
requests per second of a URL.
"""

from __future__ import annotations

import cProfile
import io
import os
import pstats
import statistics
import time
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext, override_settings

from tandem.core import services
from tandem.core.demo import DEMO_PASSWORD
from tandem.core.models import ApiToken, RoleAssignment, User

from .bench_scale import sign_in

DEMO_PERSONAS = ("national.ke", "regional.ph", "local.mombasa", "member.mombasa", "partner.cso")
SCALE_PERSONAS = ("scale.national", "scale.regional", "scale.local", "scale.member")
PAGES = {
    "home": "/",
    "organisations": "/organisations/",
    "people": "/people/",
    "jurisdictions": "/jurisdictions/",
    "bodies": "/bodies/",
    "action items": "/bodies/action-items/",
    "plans": "/plans/",
    "exchange": "/exchange/",
}
API = {"api me": "/api/v1/me", "api organisations": "/api/v1/organisations", "api bodies": "/api/v1/bodies"}
# Not in the load test's mix; measured when asked for (--url audit).
EXTRA = {"audit": "/audit/"}


def _backend_cpu() -> float:
    """CPU seconds used so far by this connection's PostgreSQL backend (0 on SQLite or without /proc)."""
    if connection.vendor != "postgresql":
        return 0.0
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        pid = cursor.fetchone()[0]
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return 0.0
    fields = stat[stat.rindex(")") + 2 :].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


class Command(BaseCommand):
    help = "CPU per request of the load test's reads, per URL and persona."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--repeat", type=int, default=20)
        parser.add_argument("--scale", action="store_true", help="the generate_scale personas, not the demo's")
        parser.add_argument("--persona", action="append", help="only these usernames")
        parser.add_argument("--url", action="append", help="only these URL labels (home, people, api me ...)")
        parser.add_argument("--profile", action="store_true", help="cProfile (CPU time) the requests, print the top")
        parser.add_argument("--top", type=int, default=35)

    def handle(self, *args: Any, **options: Any) -> None:
        from tandem.core.scale import PASSWORD as SCALE_PASSWORD

        names = options["persona"] or (SCALE_PERSONAS if options["scale"] else DEMO_PERSONAS)
        password = SCALE_PASSWORD if options["scale"] else DEMO_PASSWORD
        urls = {**PAGES, **API}
        wanted = options["url"] or list(urls)
        urls.update(EXTRA)
        unknown = [w for w in wanted if w not in urls]
        if unknown:
            raise CommandError(f"unknown URL labels {unknown}; choose from {list(urls)}")
        lifted = "1000000/minute"
        totals: dict[str, list[float]] = {}
        profiler = cProfile.Profile(time.process_time) if options["profile"] else None  # CPU: the machine is shared
        with override_settings(API_RATE_LIMIT=lifted, API_RATE_LIMIT_PER_ADDRESS=lifted):
            for username in names:
                user = User.objects.filter(username=username).first()
                if user is None:
                    raise CommandError(f"no user {username}: load the demo (or generate_scale with --scale)")
                client = sign_in(user, password)
                first = (
                    RoleAssignment.objects.filter(user=user, revoked_at__isnull=True)
                    .select_related("jurisdiction")
                    .first()
                )
                per_user = dict(urls)
                wanted_here = list(wanted)
                if first is not None:  # the load test also reads each person's own jurisdiction
                    per_user["jurisdiction"] = f"/jurisdictions/{first.jurisdiction.uuid}/"
                    if not options["url"]:
                        wanted_here.append("jurisdiction")
                token = services.api_token_create(actor=user, name="bench requests")
                headers = {"HTTP_AUTHORIZATION": f"Bearer {token.secret}"}
                try:
                    self.stdout.write(f"\n{username}")
                    for label in wanted_here:
                        extra = headers if label in API else {}
                        if profiler is not None:
                            client.get(per_user[label], **extra)
                            profiler.enable()
                            for _ in range(options["repeat"]):
                                client.get(per_user[label], **extra)
                            profiler.disable()
                            continue
                        figures = self._measure(client, per_user[label], options["repeat"], extra)
                        totals.setdefault(label, []).append(figures["python"] + figures["database"])
                        self.stdout.write(
                            f"  {label:18} {figures['status']} {figures['queries']:3} queries  "
                            f"python {figures['python']:6.1f} ms  database {figures['database']:5.1f} ms  "
                            f"{figures['kb']:6.1f} KB"
                        )
                finally:
                    ApiToken.objects.filter(pk=token.token.pk).delete()
        if profiler is not None:
            out = io.StringIO()
            stats = pstats.Stats(profiler, stream=out)
            stats.sort_stats("cumulative").print_stats(options["top"])
            stats.sort_stats("tottime").print_stats(options["top"])
            self.stdout.write(out.getvalue())
        if totals:
            mean = statistics.mean(statistics.mean(v) for v in totals.values())
            self.stdout.write(
                f"\nMean CPU per request over URLs and personas: {mean:.1f} ms "
                f"(two idle cores: about {2000 / mean:.0f} req/s); load average {os.getloadavg()[0]:.2f}"
            )

    def _measure(self, client: Client, url: str, repeat: int, headers: dict) -> dict[str, Any]:
        response = client.get(url, **headers)  # warm: caches, connection, first-use imports
        python, database = [], []
        for _ in range(repeat):
            db_before = _backend_cpu()
            started = time.process_time()
            response = client.get(url, **headers)
            python.append(1000 * (time.process_time() - started))
            database.append(1000 * (_backend_cpu() - db_before))
        queries = []
        for _ in range(3):  # counted apart: capturing queries costs CPU of its own
            with CaptureQueriesContext(connection) as captured:
                client.get(url, **headers)
            queries.append(len(captured))
        return {
            "status": response.status_code,
            "queries": min(queries),
            "python": statistics.median(python),
            "database": statistics.mean(database),  # clock ticks are coarse (10 ms): a mean, not a median
            "kb": len(response.content) / 1024,
        }
