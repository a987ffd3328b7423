"""``manage.py bench``: queries and server time of the main pages, per demo persona.

Run it on a database with the demo world (``make bench`` builds a throwaway
SQLite one). Each page is requested once to warm up, then ``--repeat`` times;
the table shows the status, the number of SQL queries of the last request and
the median and worst wall-clock time in milliseconds. Figures, not pass/fail:
compare them between commits.
"""

from __future__ import annotations

import logging
import statistics
import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import NoReverseMatch, reverse

from tandem.core.mfa import MFA_SESSION_KEY, VERIFIED
from tandem.core.models import User

PERSONAS = ("national.ke", "local.mombasa", "member.mombasa")
# URL names without arguments; names an app does not define are skipped.
PAGES = (
    "home",
    "jurisdiction_list",
    "organisation_list",
    "person_list",
    "role_list",
    "audit_list",
    "body_list",
    "action_item_mine",
    "meeting_list",
    "plan_list",
    "plan_matrix",
    "plan_roadmap",
    "exchange_inbox",
    "exchange_outbox",
    "exchange_open_requests",
)


class Command(BaseCommand):
    help = "Print SQL query counts and response times of the main pages for demo personas."

    def add_arguments(self, parser):
        parser.add_argument("--repeat", type=int, default=5, help="timed requests per page (default 5)")
        parser.add_argument("--persona", action="append", help="username to measure as (repeatable)")

    def handle(self, *args, **options):
        repeat = max(1, options["repeat"])
        usernames = options["persona"] or list(PERSONAS)
        users = {u.username: u for u in User.objects.filter(username__in=usernames)}
        missing = [name for name in usernames if name not in users]
        if missing:
            raise CommandError(f"unknown users {', '.join(missing)}: load the demo first (manage.py load_demo)")
        settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
        # A 403 for a persona without the role is a figure here, not a warning.
        logging.getLogger("django.request").setLevel(logging.ERROR)
        urls = []
        for name in PAGES:
            try:
                urls.append((name, reverse(name)))
            except NoReverseMatch:
                continue
        self.stdout.write(f"{'persona':<16} {'page':<24} {'status':>6} {'queries':>7} {'median ms':>9} {'max ms':>7}")
        for username in usernames:
            client = Client()
            client.force_login(users[username])
            # Measure the pages, not the second-factor prompt: mark this session as verified.
            session = client.session
            session[MFA_SESSION_KEY] = VERIFIED
            session.save()
            for name, url in urls:
                client.get(url)  # warm up caches and templates
                timings = []
                for _ in range(repeat):
                    with CaptureQueriesContext(connection) as queries:
                        started = time.perf_counter()
                        response = client.get(url)
                        timings.append((time.perf_counter() - started) * 1000)
                self.stdout.write(
                    f"{username:<16} {name:<24} {response.status_code:>6} {len(queries):>7} "
                    f"{statistics.median(timings):>9.1f} {max(timings):>7.1f}"
                )
