"""Measure the comparison of jurisdictions on the current database (e.g. the demo), then at scale.

    python manage.py bench_assessment [--user national.ke] [--round 2026] [--repeat 5]
                                      [--grow 500] [--respondents 10]

Prints, for the selector alone and for the whole page (and its CSV export), the number of SQL
queries and the median time. ``--grow N`` measures again after adding N assessed jurisdictions
below the user's country, each with that many respondents who answered every statement (inside a
transaction that is rolled back).
"""

from __future__ import annotations

import random
import statistics
import time

from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tandem.assessment import access, selectors, services
from tandem.assessment.models import Answer, Assessment, Level, Respondent, Status
from tandem.core.models import Jurisdiction, Person, Sector, User


class Command(BaseCommand):
    help = "Query counts and timings of the comparison of assessed jurisdictions."

    def add_arguments(self, parser):
        parser.add_argument("--user", default="national.ke")
        parser.add_argument("--round", default="2026")
        parser.add_argument("--repeat", type=int, default=5)
        parser.add_argument("--grow", type=int, default=0, help="Add this many assessed jurisdictions (rolled back).")
        parser.add_argument("--respondents", type=int, default=10, help="Respondents per added assessment.")

    def _measure(self, label, fn, repeat):
        times = []
        queries = 0
        for _ in range(repeat):
            with CaptureQueriesContext(connection) as ctx:
                start = time.perf_counter()
                fn()
                times.append((time.perf_counter() - start) * 1000)
            queries = len(ctx.captured_queries)
        self.stdout.write(f"{label:<40} {queries:>4} queries  median {statistics.median(times):7.1f} ms")

    def handle(self, *args, **options):
        user = User.objects.filter(username=options["user"]).first()
        if user is None:
            raise CommandError("Unknown user (load the demo first: manage.py load_demo).")
        self.run(user, options)
        grow = options["grow"]
        if grow:
            with transaction.atomic():
                self._grow(user, grow, options["respondents"], options["round"])
                self.stdout.write(f"--- after adding {grow} assessed jurisdictions (rolled back afterwards) ---")
                self.run(user, options)
                transaction.set_rollback(True)

    def run(self, user, options):
        from django.test import Client

        chosen = options["round"]
        rows = selectors.comparison(user, chosen)
        answers = Answer.objects.filter(respondent__assessment__in=[r.assessment for r in rows]).count()
        self.stdout.write(f"round {chosen}: {len(rows)} assessed jurisdictions, {answers} answers")
        repeat = options["repeat"]
        self._measure("comparison (selector)", lambda: selectors.comparison(user, chosen), repeat)
        from tandem.core import mfa

        client = Client()
        client.force_login(user)
        session = client.session  # a signed-in coordinator who has passed the second factor
        session[mfa.MFA_SESSION_KEY] = mfa.VERIFIED
        session.save()
        status = client.get("/assessment/compare/", {"round": chosen}, HTTP_HOST="localhost").status_code
        if status != 200:
            raise CommandError(f"The comparison page answered {status}.")
        self._measure(
            "comparison page",
            lambda: client.get("/assessment/compare/", {"round": chosen}, HTTP_HOST="localhost"),
            repeat,
        )
        self._measure(
            "comparison export (CSV)",
            lambda: client.get("/assessment/compare/export/csv/", {"round": chosen}, HTTP_HOST="localhost"),
            repeat,
        )

    def _grow(self, user, n, per, round_label):
        """Jurisdictions below the user's first scope, each assessed (bulk-created: answers in bulk)."""
        from tandem.core import access as core_access
        from tandem.core import services as core_services

        paths = core_access.get_access(user).scope_paths(access.COMPARE_RANK) or []
        parent = Jurisdiction.objects.filter(path__in=paths).order_by("depth").first()
        if parent is None:
            raise CommandError("The user coordinates no jurisdiction.")
        framework = services.tandem_framework()
        items = list(selectors.items(framework))
        rng = random.Random(7)
        now = timezone.now()
        for i in range(n):
            unit = core_services.jurisdiction_create(
                actor=None, name=f"Bench place {i:04d}", kind="district", parent=parent, audit=False
            )
            a = Assessment.objects.create(
                framework=framework, jurisdiction=unit, round_label=round_label, lead=user, status=Status.FINAL
            )
            people = Person.objects.bulk_create(
                [Person(jurisdiction=unit, full_name=f"Bench respondent {i}-{r}") for r in range(per)]
            )
            respondents = Respondent.objects.bulk_create(
                [
                    Respondent(
                        assessment=a,
                        person=p,
                        sector=Sector.YOUTH if r % 2 else Sector.POLICE_SECURITY,
                        level=Level.LOCAL if r % 2 else Level.NATIONAL,
                        submitted_at=now,
                    )
                    for r, p in enumerate(people)
                ]
            )
            Answer.objects.bulk_create(
                [Answer(respondent=r, item=item, score=rng.randint(0, 4)) for r in respondents for item in items]
            )
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
