"""``manage.py bench_forms``: size and time of the form pages that offer records, on a big directory.

Run it on a demo database (``load_demo``). With ``--organisations``/``--people`` it
first adds that many organisations and people (bulk inserts, names prefixed
``Bench``) spread over the jurisdictions of ``--country`` (default Kenya), so that
a select listing every record of the country would be megabytes long. It then
prints, per page and persona: the status, the bytes of the page, the number of
``<option>`` elements, the SQL queries, the median time and the median CPU time of this
process (which the machine's load distorts less). Figures, not pass/fail.
"""

from __future__ import annotations

import contextlib
import logging
import statistics
import time
from typing import Any

from django.apps import apps
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import NoReverseMatch, reverse

from tandem.core.mfa import MFA_SESSION_KEY, VERIFIED
from tandem.core.models import Jurisdiction, Organisation, Person, Sector, User

PREFIX = "Bench"
SECTORS = [value for value, _label in Sector.choices]


def _model(label: str) -> Any:
    try:
        return apps.get_model(label)
    except LookupError:
        return None


class Command(BaseCommand):
    help = "Print bytes, options, queries and time of the pages whose forms offer organisations and people."

    def add_arguments(self, parser):
        parser.add_argument("--organisations", type=int, default=0, help="bench organisations to add first")
        parser.add_argument("--people", type=int, default=0, help="bench people to add first")
        parser.add_argument("--country", default="Kenya", help="country that receives them (default Kenya)")
        parser.add_argument("--repeat", type=int, default=3, help="timed requests per page (default 3)")
        parser.add_argument("--persona", action="append", help="username to measure as (repeatable)")

    def handle(self, *args, **options):
        country = Jurisdiction.objects.filter(depth=1, name=options["country"]).first()
        if country is None:
            raise CommandError(f"no country {options['country']!r}: load the jurisdictions and the demo first")
        self._grow(country, options["organisations"], options["people"])
        usernames = options["persona"] or ["national.ke", "local.mombasa"]
        users = {u.username: u for u in User.objects.filter(username__in=usernames)}
        settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
        logging.getLogger("django.request").setLevel(logging.ERROR)
        in_country = {"jurisdiction__path__startswith": country.path}
        self.stdout.write(
            f"directory of {country.name}: {Organisation.objects.filter(**in_country).count()} organisations, "
            f"{Person.objects.filter(**in_country).count()} people, "
            f"{Jurisdiction.objects.filter(path__startswith=country.path).count()} jurisdictions"
        )
        pages = self._pages(country)
        self.stdout.write(
            f"{'persona':<15} {'page':<28} {'status':>6} {'bytes':>10} {'options':>8} {'queries':>7} {'median ms':>9} "
            f"{'CPU ms':>7}"
        )
        for username in usernames:
            user = users.get(username)
            if user is None:
                self.stdout.write(f"{username}: no such user (skipped)")
                continue
            client = Client()
            client.force_login(user)
            session = client.session
            session[MFA_SESSION_KEY] = VERIFIED  # measure the pages, not the second-factor prompt
            session.save()
            for name, url in pages:
                client.get(url)
                timings, cpu = [], []
                for _ in range(max(1, options["repeat"])):
                    with CaptureQueriesContext(connection) as queries:
                        started, cpu_started = time.perf_counter(), time.process_time()
                        response = client.get(url)
                        timings.append((time.perf_counter() - started) * 1000)
                        cpu.append((time.process_time() - cpu_started) * 1000)
                body = response.content
                self.stdout.write(
                    f"{username:<15} {name:<28} {response.status_code:>6} {len(body):>10} "
                    f"{body.count(b'<option'):>8} {len(queries):>7} {statistics.median(timings):>9.1f} "
                    f"{statistics.median(cpu):>7.1f}"
                )

    @transaction.atomic
    def _grow(self, country: Jurisdiction, organisations: int, people: int) -> None:
        if not organisations and not people:
            return
        places = list(Jurisdiction.objects.filter(path__startswith=country.path).order_by("path"))
        started = time.perf_counter()
        start = Organisation.objects.filter(name__startswith=PREFIX).count()
        Organisation.objects.bulk_create(
            [
                Organisation(
                    name=f"{PREFIX} organisation {start + i:06d}",
                    sector=SECTORS[i % len(SECTORS)],
                    jurisdiction=places[i % len(places)],
                )
                for i in range(organisations)
            ],
            batch_size=2000,
        )
        start = Person.objects.filter(full_name__startswith=PREFIX).count()
        Person.objects.bulk_create(
            [
                Person(full_name=f"{PREFIX} person {start + i:06d}", jurisdiction=places[i % len(places)])
                for i in range(people)
            ],
            batch_size=2000,
        )
        self.stdout.write(
            f"added {organisations} organisations and {people} people in {time.perf_counter() - started:.1f} s"
        )

    def _pages(self, country: Jurisdiction) -> list[tuple[str, str]]:
        """The pages to measure; those whose app or record is missing are skipped."""
        in_country = {"jurisdiction__path__startswith": country.path}
        pages: list[tuple[str, str]] = []

        def add(name: str, **kwargs: Any) -> None:
            with contextlib.suppress(NoReverseMatch):
                pages.append((name, reverse(name, kwargs=kwargs or None)))

        add("organisation_create")
        person = Person.objects.filter(**in_country).exclude(full_name__startswith=PREFIX).first()
        if person is not None:
            add("affiliation_create", uuid=person.uuid)
        add("invitation_create")
        body_model = _model("bodies.Body")
        body = body_model and body_model.objects.filter(**in_country, archived_at__isnull=True).first()
        if body is not None:
            add("action_item_create", uuid=body.uuid)
            add("membership_create", uuid=body.uuid)
        plan_model = _model("plans.ActionPlan")
        if plan_model is not None:
            local = plan_model.objects.filter(**in_country, level="local").first()
            if local is not None:
                add("plan_activity_create", uuid=local.uuid)
            national = plan_model.objects.filter(**in_country, level="national").first()
            if national is not None:
                add("plan_detail", uuid=national.uuid)
        add("plan_rollup")
        add("exchange_compose")
        add("membership_apply")
        # Forms whose jurisdiction fields listed the whole tree (5,000 units nationally).
        for name in (
            "plan_create",
            "plan_roadmap_record",
            "body_create",
            "course_create",
            "event_create",
            "library_item_create",
            "assessment_create",
            "funding_source_create",
            "funding_call_create",
            "funding_offer_create",
            "agreement_create",
            "need_create",
        ):
            add(name)
        event_model = _model("events.Event")
        event = event_model and event_model.objects.filter(**in_country).order_by("pk").first()
        if event is not None:
            add("participant_list", uuid=event.uuid)  # the invitation form: people and organisations
        course_model = _model("capacity.Course")
        course = course_model and course_model.objects.filter(**in_country).first()
        if course is not None:
            add("session_create", uuid=course.uuid)
        return pages
