"""Measure the funding totals on the current database (e.g. the demo), then at scale.

    python manage.py bench_funding [--user national.ke] [--repeat 5] [--grow 50000] [--explain]

Prints the number of SQL queries and the median time of the totals (the selector alone and the
whole page), first on the data as it is ("before"), then, with ``--grow N``, after adding N
awards with a payment and a submitted spend report each, spread over 200 new localities of the
user's country ("after"; inside a transaction that is rolled back). ``--explain`` prints the
plan of each totals query (EXPLAIN ANALYZE on PostgreSQL) at the largest size measured.
"""

from __future__ import annotations

import statistics
import time

from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tandem.core.models import Jurisdiction, User
from tandem.funding import selectors
from tandem.funding.models import Application, Award, BudgetLine, Call, Payment, SpendLine, SpendReport

PLACES = 200


class Command(BaseCommand):
    help = "Query counts and timings of the funding totals, on the data as it is and after growing it."

    def add_arguments(self, parser):
        parser.add_argument("--user", default="national.ke")
        parser.add_argument("--repeat", type=int, default=5)
        parser.add_argument("--grow", type=int, default=0, help="Awards to add (rolled back afterwards).")
        parser.add_argument("--explain", action="store_true", help="Print the plan of each totals query.")

    def handle(self, *args, **options):
        user = User.objects.filter(username=options["user"]).first()
        if user is None:
            raise CommandError("Unknown user (load the demo first: manage.py load_demo).")
        self.stdout.write(f"before: {Award.objects.count()} awards")
        self.run(user, options, explain=options["explain"] and not options["grow"])
        grow = options["grow"]
        if grow:
            with transaction.atomic():
                self._grow(user, grow)
                self.stdout.write(f"after: {Award.objects.count()} awards (rolled back afterwards)")
                self.run(user, options, explain=options["explain"])
                transaction.set_rollback(True)

    def _measure(self, label, fn, repeat):
        fn()  # warm: the access object, the caches, the planner
        times = []
        queries = 0
        for _ in range(repeat):
            with CaptureQueriesContext(connection) as ctx:
                start = time.perf_counter()
                fn()
                times.append((time.perf_counter() - start) * 1000)
            queries = len(ctx.captured_queries)
        self.stdout.write(f"  {label:<28} {queries:>4} queries  median {statistics.median(times):8.1f} ms")
        return ctx.captured_queries

    def run(self, user, options, *, explain):
        from django.test import Client

        repeat = options["repeat"]
        captured = self._measure("totals (selector)", lambda: selectors.totals(user), repeat)
        from tandem.core.mfa import MFA_SESSION_KEY, VERIFIED

        client = Client()
        client.force_login(user)
        session = client.session
        session[MFA_SESSION_KEY] = VERIFIED  # a complete sign-in (coordinators have a second factor)
        session.save()

        def page():
            response = client.get("/funding/totals/", HTTP_HOST="localhost")
            if response.status_code != 200:
                raise CommandError(f"The totals page answered {response.status_code}.")

        self._measure("totals page", page, repeat)
        if explain:
            self._explain(captured)

    def _explain(self, queries):
        prefix = "EXPLAIN ANALYZE " if connection.vendor == "postgresql" else "EXPLAIN QUERY PLAN "
        for i, query in enumerate(queries, 1):
            sql = query["sql"]
            if not sql.lstrip().upper().startswith("SELECT"):
                continue
            self.stdout.write(f"--- query {i} ({query['time']} s): {sql[:160]}…")
            with connection.cursor() as cursor:
                cursor.execute(prefix + sql)
                for row in cursor.fetchall():
                    self.stdout.write("    " + " ".join(str(c) for c in row))

    def _grow(self, user, n):
        from tandem.core import services as core_services
        from tandem.core.models import JurisdictionKind

        call = Call.objects.order_by("id").first()
        award = Award.objects.select_related("application", "source").order_by("id").first()
        if call is None or award is None:
            raise CommandError("No call or award to copy (load the demo first).")
        country = Jurisdiction.objects.get(path=call.jurisdiction.country_path or call.jurisdiction.path)
        places = [
            core_services.jurisdiction_create(
                actor=None, name=f"Bench place {i}", kind=JurisdictionKind.DISTRICT, parent=country, audit=False
            )
            for i in range(PLACES)
        ]
        model = award.application
        objectives = list(model.plan_objectives.values_list("id", flat=True))
        now = timezone.now()
        apps = Application.objects.bulk_create(
            (
                Application(
                    call=call,
                    organisation_id=model.organisation_id,
                    submitted_by_id=model.submitted_by_id,
                    title=f"Bench project {i}",
                    summary="Bench",
                    jurisdiction=places[i % PLACES],
                    amount_requested=10000,
                    status="awarded",
                )
                for i in range(n)
            ),
            batch_size=2000,
        )
        Application.plan_objectives.through.objects.bulk_create(
            (
                Application.plan_objectives.through(application_id=a.pk, objective_id=o)
                for a in apps
                for o in objectives
            ),
            batch_size=5000,
        )
        lines = BudgetLine.objects.bulk_create(
            (BudgetLine(application=a, category="Venue", amount=10000) for a in apps), batch_size=5000
        )
        awards = Award.objects.bulk_create(
            (
                Award(
                    application=a,
                    source_id=award.source_id,
                    call=call,
                    jurisdiction=a.jurisdiction,
                    amount=10000,
                    currency=call.currency,
                    awarded_at=now,
                    paid=5000,  # the running sums the services keep (the payment and report below)
                    spent=1000,
                )
                for a in apps
            ),
            batch_size=5000,
        )
        Payment.objects.bulk_create(
            (Payment(award=w, amount=5000, paid_on=now.date(), recorded_by=user) for w in awards), batch_size=5000
        )
        reports = SpendReport.objects.bulk_create(
            (SpendReport(award=w, due_date=now.date(), submitted_at=now) for w in awards), batch_size=5000
        )
        SpendLine.objects.bulk_create(
            (SpendLine(report=r, budget_line=b, amount=1000) for r, b in zip(reports, lines, strict=True)),
            batch_size=5000,
        )
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")  # fresh planner statistics, as autovacuum would give a live database
