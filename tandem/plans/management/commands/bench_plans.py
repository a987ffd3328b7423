"""Measure the alignment matrix and the roll-up on the current database (e.g. the demo).

    python manage.py bench_plans [--user national.ke] [--country KE] [--repeat 5]

Prints, for the selector alone and for the whole page, the number of SQL
queries and the median time.
"""

from __future__ import annotations

import statistics
import time
from decimal import Decimal

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.test import override_settings
from django.test.utils import CaptureQueriesContext

from tandem.core.demo import DEMO_PASSWORD
from tandem.core.management.commands.bench_scale import sign_in
from tandem.core.models import Jurisdiction, User
from tandem.plans import selectors
from tandem.plans.models import ActionPlan, PeriodState, PlanLevel, ReportingPeriod


class Command(BaseCommand):
    help = "Query counts and timings of the alignment matrix and the indicator roll-up."

    def add_arguments(self, parser):
        parser.add_argument("--user", default="national.ke")
        parser.add_argument("--country", default="KE")
        parser.add_argument("--repeat", type=int, default=5)
        parser.add_argument(
            "--grow",
            type=int,
            default=0,
            help="Measure again after adding this many localities with a plan, an aligned activity and a value "
            "(inside a transaction that is rolled back).",
        )

    def _measure(self, label, fn, repeat):
        times = []
        queries = 0
        for _ in range(repeat):
            connection.queries_log.clear()
            with CaptureQueriesContext(connection) as ctx:
                start = time.perf_counter()
                fn()
                times.append((time.perf_counter() - start) * 1000)
            queries = len(ctx.captured_queries)
        self.stdout.write(f"{label:<48} {queries:>4} queries  median {statistics.median(times):7.1f} ms")

    def handle(self, *args, **options):
        self.run(**options)
        grow = options["grow"]
        if grow:
            with transaction.atomic():
                self._grow(options, grow)
                self.stdout.write(f"--- after adding {grow} localities (rolled back afterwards) ---")
                self.run(**options)
                transaction.set_rollback(True)

    def _grow(self, options, n):
        from tandem.core import services as core_services
        from tandem.plans import services

        user = User.objects.get(username=options["user"])
        country = Jurisdiction.objects.get(iso_code=options["country"])
        plan = ActionPlan.objects.get(level=PlanLevel.NATIONAL, jurisdiction=country)
        parents = list(Jurisdiction.objects.filter(parent=country).order_by("name"))
        objectives = list(plan.objectives.order_by("code"))
        indicators = list(plan.indicators.filter(additive=True))
        period = self._period(plan)
        label_dates = (
            ReportingPeriod.objects.filter(plan__national_plan=plan, label=period).values("start", "end").first()
        )
        for i in range(n):
            parent = parents[i % len(parents)]
            unit = core_services.jurisdiction_create(
                actor=None, name=f"Bench unit {i}", kind="district", parent=parent, audit=False
            )
            local = services.plan_create(
                actor=user,
                level=PlanLevel.LOCAL,
                jurisdiction=unit,
                national_plan=plan,
                title=f"Bench plan {i}",
                period_start=plan.period_start,
                period_end=plan.period_end,
            )
            activity = services.activity_create(actor=user, plan=local, title="Bench activity", status="ongoing")
            services.alignment_set(
                actor=user, plan=local, activity=activity, national_objectives=[objectives[i % len(objectives)]]
            )
            inherited = [services.indicator_create(actor=user, plan=local, inherited_from=ind) for ind in indicators]
            reporting = services.period_create(
                actor=user, plan=local, label=period, start=label_dates["start"], end=label_dates["end"]
            )
            services.progress_save(
                actor=user,
                period=reporting,
                expected_version=reporting.version,
                values={ind: (Decimal(i % 50), "") for ind in inherited},
                statuses={},
                submit=True,
            )

        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")  # fresh planner statistics, as autovacuum would give a live database

    @staticmethod
    def _period(plan):
        return (
            ReportingPeriod.objects.filter(plan__national_plan=plan)
            .exclude(state=PeriodState.DRAFT)
            .order_by("-label")
            .values_list("label", flat=True)
            .first()
        )

    def run(self, **options):
        user = User.objects.filter(username=options["user"]).first()
        country = Jurisdiction.objects.filter(iso_code=options["country"]).first()
        if user is None or country is None:
            raise CommandError("Unknown user or country (load the demo first: manage.py load_demo).")
        plan = ActionPlan.objects.filter(level=PlanLevel.NATIONAL, jurisdiction=country).first()
        if plan is None:
            raise CommandError("That country has no national plan.")
        indicator = plan.indicators.filter(additive=True).order_by("name").first()
        period = self._period(plan)
        depth = country.depth + 1
        localities = Jurisdiction.objects.filter(path__startswith=country.path, depth__gt=country.depth).count()
        local_plans = plan.local_plans.count()
        self.stdout.write(
            f"{country.name}: {localities} units below the country, {local_plans} local plans, "
            f"{plan.objectives.count()} national objectives; roll-up of '{indicator}' for {period}"
        )
        repeat = options["repeat"]
        self._measure("matrix (selector)", lambda: selectors.matrix(user, plan, country, depth).rows(), repeat)
        self._measure("roll-up (selector)", lambda: selectors.rollup(user, indicator, period), repeat)
        self._measure("roadmap (selector, evaluated)", lambda: list(selectors.roadmap(user, country, depth)), repeat)
        # Signed in for real (password, then a TOTP code): force_login alone measured the redirect to
        # the second-factor page, not the pages.
        with override_settings(ALLOWED_HOSTS=[*settings.ALLOWED_HOSTS, "testserver"]):
            client = sign_in(user, DEMO_PASSWORD)
        self._measure(
            "matrix page", lambda: client.get("/plans/matrix/", {"plan": str(plan.uuid)}, HTTP_HOST="localhost"), repeat
        )
        self._measure(
            "roll-up page",
            lambda: client.get(
                "/plans/rollup/", {"indicator": str(indicator.uuid), "period": period}, HTTP_HOST="localhost"
            ),
            repeat,
        )
