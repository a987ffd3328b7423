"""Measure the dashboards at national scale.

    python manage.py bench_dashboards [--jurisdictions 2000] [--repeat 20] [--keep]
    python manage.py bench_dashboards --users national.ke,regional.ph,local.mombasa   (demo data)
    python manage.py bench_dashboards --users scale.national,scale.regional,scale.local (generate_scale)

With ``--users``, measures those existing accounts' dashboards on the data already there (the demo,
or the national-scale dataset). Otherwise builds, inside a transaction that is rolled back afterwards (unless ``--keep``), a country with
``--jurisdictions`` units below it (regions, and cities under them), each city with a roadmap
stage, a body, meetings over the last year, action items (some overdue) and, for half of them, a
local plan; and a national coordinator of that country. Then prints, for the figures alone and
for the whole page (counted afresh, and from the reader's cache), the regional and local
dashboards and the quarterly PDF as its background task builds it, the number of SQL queries and
the p50/p95 times, with the load average before and after. The goal is p95 <= 250 ms on
PostgreSQL for the page.
"""

from __future__ import annotations

import datetime as dt
import os
import random
import statistics
import time
from typing import Any

from django.core.management.base import BaseCommand
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tandem.core import services as core_services
from tandem.core.models import Jurisdiction, JurisdictionKind, Role, User
from tandem.dashboards import cache as dashboards_cache
from tandem.dashboards import panels
from tandem.dashboards.selectors import Scope


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def _client(user: User) -> Client:
    """Signed in, the second factor marked as verified: the pages are measured, not the prompt."""
    from tandem.core.mfa import MFA_SESSION_KEY, VERIFIED

    client = Client()
    client.force_login(user)
    session = client.session
    session[MFA_SESSION_KEY] = VERIFIED
    session.save()
    return client


class Command(BaseCommand):
    help = "Query counts and p50/p95 timings of the dashboards on a generated country."

    def add_arguments(self, parser):
        parser.add_argument("--jurisdictions", type=int, default=2000)
        parser.add_argument("--repeat", type=int, default=20)
        parser.add_argument("--seed", type=int, default=16)
        parser.add_argument("--keep", action="store_true", help="Keep the generated country (default: roll back).")
        parser.add_argument("--users", default="", help="Comma-separated usernames: measure their dashboards only.")

    def _measure(self, label: str, fn: Any, repeat: int) -> None:
        first = fn()  # warm up (caches, the session)
        status = getattr(first, "status_code", "")
        if status and status != 200:
            raise RuntimeError(f"{label}: answered {status}")
        times, cpu, queries = [], [], 0
        for _ in range(repeat):
            with CaptureQueriesContext(connection) as ctx:
                start, start_cpu = time.perf_counter(), time.process_time()
                fn()
                times.append((time.perf_counter() - start) * 1000)
                cpu.append((time.process_time() - start_cpu) * 1000)
            queries = len(ctx.captured_queries)
        self.stdout.write(
            f"{label:<40} {queries:>4} queries  p50 {statistics.median(times):7.1f} ms  "
            f"p95 {_percentile(times, 0.95):7.1f} ms  (Python CPU p50 {statistics.median(cpu):6.1f} ms)"
        )

    def _load(self) -> str:
        return "load average " + " ".join(f"{x:.2f}" for x in os.getloadavg())

    def handle(self, *args: Any, **options: Any) -> None:
        self.stdout.write(f"{connection.vendor}; {self._load()}")
        if options["users"]:
            self._existing(options["users"].split(","), options["repeat"])
        else:
            self._generated(options)
        self.stdout.write(self._load())

    def _pages(self, label: str, client: Client, params: dict[str, str], repeat: int) -> None:
        """The page counted afresh (the cache emptied first) and then served from the reader's cache."""

        def fresh() -> Any:
            dashboards_cache.forget_all()
            return client.get("/dashboard/", params, HTTP_HOST="localhost")

        self._measure(f"{label} (counted)", fresh, repeat)
        self._measure(f"{label} (cached)", lambda: client.get("/dashboard/", params, HTTP_HOST="localhost"), repeat)

    def _existing(self, usernames: list[str], repeat: int) -> None:
        from django.utils import translation

        translation.activate("en")
        for username in usernames:
            user = User.objects.get(username=username.strip())
            self._pages(f"{username}: page", _client(user), {}, repeat)
            self._measure(f"{username}: report PDF (task)", lambda u=user: self._report(u), max(3, repeat // 5))

    def _report(self, user: User) -> Any:
        """What the background task does for one report: count as at the quarter's end, draw the PDF."""
        from tandem.core import figures as core_figures
        from tandem.dashboards import pdf

        return pdf.report_bytes(user, None, core_figures.quarters(1)[0][0])

    def _generated(self, options: dict[str, Any]) -> None:
        with transaction.atomic():
            started = time.perf_counter()
            country, national, regional, local, region = self._build(
                options["jurisdictions"], random.Random(options["seed"])
            )
            self.stdout.write(
                f"{connection.vendor}: built {options['jurisdictions']} units below {country.name} "
                f"in {time.perf_counter() - started:.1f} s"
            )
            if connection.vendor == "postgresql":
                with connection.cursor() as cursor:
                    cursor.execute("ANALYZE")
            self._run(national, regional, local, region, options["repeat"])
            if not options["keep"]:
                transaction.set_rollback(True)

    def _run(self, national: User, regional: User, local: User, region: Jurisdiction, repeat: int) -> None:
        from django.utils import translation

        translation.activate("en")
        scope = Scope(national)
        self._measure("figures (selectors, national)", lambda: panels.build(scope, {}), repeat)
        self._measure("units below (national)", lambda: panels.units_table(scope, None), repeat)
        client = _client(national)
        self._pages("national page", client, {}, repeat)
        self._pages("a region's dashboard (drill-down)", client, {"within": str(region.uuid)}, repeat)
        self._measure(
            "figure list (overdue action items)",
            lambda: client.get("/dashboard/overdue_actions/", {"bucket": "31+"}, HTTP_HOST="localhost"),
            repeat,
        )
        self._measure("quarterly report PDF (task)", lambda: self._report(national), max(3, repeat // 5))
        self._pages("regional page", _client(regional), {}, repeat)
        self._pages("local page", _client(local), {}, repeat)

    def _build(self, n: int, rng: random.Random) -> tuple[Jurisdiction, User, User, User, Jurisdiction]:
        from tandem.bodies.models import ActionItem, ActionStatus, Body, BodyKind, Meeting, MeetingStatus
        from tandem.plans.models import ActionPlan, PlanLevel, RoadmapStage, RoadmapStageChange

        network = Jurisdiction.objects.filter(depth=0).first() or core_services.jurisdiction_create(
            actor=None, name="Network", kind=JurisdictionKind.NETWORK, parent=None, audit=False
        )
        stamp = timezone.now().strftime("%H%M%S%f")
        country = core_services.jurisdiction_create(
            actor=None, name=f"Bench country {stamp}", kind=JurisdictionKind.COUNTRY, parent=network, audit=False
        )
        regions_n = max(1, round(n**0.5 / 2))
        units = self._units(country, JurisdictionKind.REGION, [country] * regions_n, "Region")
        cities = self._units(
            country, JurisdictionKind.CITY, [units[i % regions_n] for i in range(n - regions_n)], "City"
        )
        national = User.objects.create_user(username=f"bench-national-{stamp}", password=None)
        regional = User.objects.create_user(username=f"bench-regional-{stamp}", password=None)
        core_services.role_grant(actor=None, user=national, role=Role.NATIONAL_COORDINATOR, jurisdiction=country)
        core_services.role_grant(actor=None, user=regional, role=Role.REGIONAL_COORDINATOR, jurisdiction=units[0])
        local = User.objects.create_user(username=f"bench-local-{stamp}", password=None)
        core_services.role_grant(actor=None, user=local, role=Role.LOCAL_COORDINATOR, jurisdiction=cities[0])
        today = timezone.localdate()
        now = timezone.now()
        stages = [s for s, _label in RoadmapStage.choices]
        RoadmapStageChange.objects.bulk_create(
            RoadmapStageChange(
                jurisdiction=c, stage=rng.choice(stages), date=today - dt.timedelta(days=rng.randint(0, 400))
            )
            for c in cities
        )
        national_plan = ActionPlan.objects.create(
            level=PlanLevel.NATIONAL,
            jurisdiction=country,
            title="Bench national plan",
            period_start=today.replace(month=1, day=1),
            period_end=today.replace(month=12, day=31),
        )
        ActionPlan.objects.bulk_create(
            ActionPlan(
                level=PlanLevel.LOCAL,
                jurisdiction=c,
                national_plan=national_plan,
                title=f"Plan of {c.name}",
                period_start=national_plan.period_start,
                period_end=national_plan.period_end,
            )
            for c in cities[::2]
        )
        bodies = Body.objects.bulk_create(
            Body(name=f"Council of {c.name}", kind=BodyKind.COORDINATION_COMMITTEE, jurisdiction=c) for c in cities
        )
        Meeting.objects.bulk_create(
            Meeting(
                body=b,
                title="Quarterly meeting",
                starts_at=now - dt.timedelta(days=rng.randint(-30, 365)),
                status=MeetingStatus.SCHEDULED,
            )
            for b in bodies
            for _i in range(2)
        )
        ActionItem.objects.bulk_create(
            ActionItem(
                body=b,
                title="Follow up",
                due_date=today + dt.timedelta(days=rng.randint(-60, 60)),
                status=ActionStatus.OPEN,
            )
            for b in bodies
            for _i in range(2)
        )
        return country, national, regional, local, units[0]

    def _units(self, country: Jurisdiction, kind: str, parents: list[Jurisdiction], prefix: str) -> list[Jurisdiction]:
        made = Jurisdiction.objects.bulk_create(
            Jurisdiction(name=f"{prefix} {i}", kind=kind, parent=parent, path="/pending/", depth=parent.depth + 1)
            for i, parent in enumerate(parents)
        )
        if made and made[0].pk is None:  # a database that does not return the new ids
            made = list(Jurisdiction.objects.filter(path="/pending/").order_by("pk"))
        for unit, parent in zip(made, parents, strict=True):
            unit.path = f"{parent.path}{unit.pk}/"
        Jurisdiction.objects.bulk_update(made, ["path"])
        return made
