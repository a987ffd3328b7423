"""Measure the reach page on the current database (e.g. the demo), then at scale.

    python manage.py bench_capacity [--user national.ke] [--repeat 5] [--grow 100000] [--explain]

Prints the number of SQL queries and the median time of the reach figures (the selector alone
and the whole page) by sector, jurisdiction and competency, first on the data as it is
("before"), then, with ``--grow N``, after adding N trained participants (a person, an accepted
place and a certificate each) in sessions of the user's country's first course, hosted in 200
new localities of that country ("after"; inside a transaction that is rolled back).
``--explain`` prints the plan of each reach query (EXPLAIN ANALYZE on PostgreSQL) at the largest
size measured.
"""

from __future__ import annotations

import datetime as dt
import time

from django.core.management.base import CommandError
from django.db import connection, transaction
from django.utils import timezone

from tandem.capacity import selectors
from tandem.capacity.models import Certificate, Course, Participation, PlaceStatus, TrainingSession
from tandem.core.models import GovernmentLevel, Jurisdiction, Person, Sector, User
from tandem.funding.management.commands import bench_funding

PLACES = 200
PER_SESSION = 200
DIMENSIONS = ("sector", "jurisdiction", "competency")


class Command(bench_funding.Command):
    """The funding bench's arguments, measure and plan printing; the reach figures and their growth."""

    help = "Query counts and timings of the reach figures, on the data as it is and after growing it."

    def handle(self, *args, **options):
        user = User.objects.filter(username=options["user"]).first()
        if user is None:
            raise CommandError("Unknown user (load the demo first: manage.py load_demo).")
        self.stdout.write(f"before: {self._size()}")
        self.run(user, options, explain=options["explain"] and not options["grow"])
        if options["grow"]:
            with transaction.atomic():
                started = time.perf_counter()
                self._grow(user, options["grow"])
                built = time.perf_counter() - started
                self.stdout.write(f"after: {self._size()} (built in {built:.0f} s; rolled back afterwards)")
                self.run(user, options, explain=options["explain"])
                transaction.set_rollback(True)

    def _size(self) -> str:
        return (
            f"{Certificate.objects.count()} certificates, {Participation.objects.count()} participations, "
            f"{Jurisdiction.objects.count()} jurisdictions"
        )

    def run(self, user, options, *, explain):
        from django.test import Client

        from tandem.core.mfa import MFA_SESSION_KEY, VERIFIED

        client = Client()
        client.force_login(user)
        session = client.session
        session[MFA_SESSION_KEY] = VERIFIED  # a complete sign-in (coordinators have a second factor)
        session.save()
        for dimension in DIMENSIONS:
            captured = self._measure(
                f"reach by {dimension} (selector)", lambda d=dimension: selectors.reach_rows(user, d), options["repeat"]
            )

            def page(d=dimension):
                response = client.get("/training/reach/", {"dimension": d}, HTTP_HOST="localhost")
                if response.status_code != 200:
                    raise CommandError(f"The reach page answered {response.status_code}.")

            self._measure(f"reach page by {dimension}", page, options["repeat"])
            if explain:
                self._explain(captured)

    def _grow(self, user, n):
        from tandem.core import services as core_services
        from tandem.core.models import JurisdictionKind

        course = Course.objects.filter(jurisdiction__kind=JurisdictionKind.COUNTRY).order_by("id").first()
        if course is None:
            raise CommandError("No national course to copy (load the demo first).")
        country = course.jurisdiction
        places = [
            core_services.jurisdiction_create(
                actor=None, name=f"Bench place {i}", kind=JurisdictionKind.DISTRICT, parent=country, audit=False
            )
            for i in range(PLACES)
        ]
        sectors = list(Sector.values)
        people = Person.objects.bulk_create(
            (Person(full_name=f"Bench trainee {i}", jurisdiction=places[i % PLACES]) for i in range(n)),
            batch_size=5000,
        )
        start = timezone.now() - dt.timedelta(days=200)
        count = -(-n // PER_SESSION)
        sessions = TrainingSession.objects.bulk_create(
            (
                TrainingSession(
                    course=course,
                    host=places[i % PLACES],
                    starts_at=start + dt.timedelta(days=i % 180),
                    ends_at=start + dt.timedelta(days=i % 180, hours=8),
                    venue="Bench hall",
                    places=PER_SESSION,
                    registration_deadline=start - dt.timedelta(days=7),
                )
                for i in range(count)
            ),
            batch_size=5000,
        )
        participations = Participation.objects.bulk_create(
            (
                Participation(
                    session=sessions[i // PER_SESSION],
                    person=person,
                    status=PlaceStatus.ACCEPTED,
                    sector=sectors[i % len(sectors)],
                    jurisdiction=person.jurisdiction,
                    jurisdiction_path=person.jurisdiction.path,
                    level=GovernmentLevel.LOCAL,
                )
                for i, person in enumerate(people)
            ),
            batch_size=5000,
        )
        Certificate.objects.bulk_create(
            (
                Certificate(
                    participation=p,
                    full_name=p.person.full_name,
                    course_title=course.title,
                    completed_on=p.session.ends_at.date(),
                )
                for p in participations
            ),
            batch_size=5000,
        )
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")  # fresh planner statistics, as autovacuum would give a live database
