"""``manage.py bench_scale``: queries and server times of the main pages and API lists on the
national-scale dataset (``manage.py generate_scale``), per persona, against the targets.

Each persona signs in for real: the password form, then a TOTP code from an authenticator
device the benchmark enrols for it (so the second factor is passed, not skipped). API lists
use a token of the same persona; the API rate limits are lifted for the run only (settings
override, production defaults untouched). Every URL is requested ``--warm`` times, then
``--repeat`` times (at least 20 for the figures to mean something): the table gives the status,
the SQL queries of the page (the fewest of the timed requests: once a minute a request also
stamps the session's last activity, BEGIN + UPDATE + COMMIT, which made the slow meeting list
read 6 queries at x0.1 and 9 at x1), p50 and p95 in milliseconds, the target and whether p95 meets it.

The floor (``/__bench__/floor/``, see ``tandem.core.bench_urls``) is the whole middleware stack and
one indexed query; page medians are also compared with it (goal: within 4x).

``--json FILE`` saves the figures; ``--compare FILE`` (a run at another ``--scale``) adds the
change in queries (goal: none) and the ratio of p95 (goal: at most 1.5 for x10 data).
"""

from __future__ import annotations

import gc
import json
import logging
import math
import re
import statistics
import time
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from django.apps import apps
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import NoReverseMatch, reverse
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from tandem.core import services
from tandem.core.mfa import MFA_SESSION_KEY, VERIFIED
from tandem.core.models import User
from tandem.core.scale import PASSWORD, PERSONAS

LIST_TARGET_MS = 100.0
DASHBOARD_TARGET_MS = 250.0
SEARCH_TARGET_MS = 150.0
FLOOR_FACTOR = 4.0

# (URL name, kind): "list" pages answer within LIST_TARGET_MS, "dashboard" within DASHBOARD_TARGET_MS.
PAGES = (
    ("home", "dashboard"),
    ("dashboard", "dashboard"),
    ("plan_matrix", "dashboard"),
    ("plan_rollup", "dashboard"),
    ("plan_roadmap", "dashboard"),
    ("jurisdiction_list", "list"),
    ("organisation_list", "list"),
    ("person_list", "list"),
    ("role_list", "list"),
    ("audit_list", "list"),
    ("body_list", "list"),
    ("meeting_list", "list"),
    ("action_item_list", "list"),
    ("action_item_mine", "list"),
    ("plan_list", "list"),
    ("exchange_inbox", "list"),
    ("exchange_outbox", "list"),
    ("exchange_open_requests", "list"),
    ("notification_list", "list"),
    ("course_list", "list"),
    ("library_search", "list"),
    ("assessment_list", "list"),
    ("funding_offers", "list"),
    ("funding_awards", "list"),
    ("membership_list", "list"),
)
# (detail URL name, list URL name whose page links to a record the persona may open; or a detail
# page found before, for a page linked from a record's page)
DETAILS = (
    ("jurisdiction_detail", "jurisdiction_list"),
    ("organisation_detail", "organisation_list"),
    ("person_detail", "person_list"),
    ("body_detail", "body_list"),
    ("meeting_detail", "meeting_list"),
    ("action_item_detail", "action_item_list"),
    ("plan_detail", "plan_list"),
    ("exchange_detail", "exchange_inbox"),
    ("course_detail", "course_list"),
    ("library_item_detail", "library_search"),
    ("assessment_detail", "assessment_list"),
    ("session_detail", "course_list"),
    ("event_detail", "event_list"),
    ("funding_call_detail", "funding_calls"),
    ("funding_offer_detail", "funding_offers"),
    ("membership_detail", "membership_list"),
    ("agreement_detail", "agreement_list"),
    ("framework_detail", "framework_list"),
    ("funding_award_detail", "funding_awards"),
    ("library_item_versions", "library_item_detail"),
    ("respondent_answers", "assessment_detail"),
)
API_LISTS = (
    ("jurisdictions", "list"),
    ("organisations", "list"),
    ("people", "list"),
    ("bodies", "list"),
    ("bodies/action-items", "list"),
    ("plans", "list"),
    ("exchange/items", "list"),
    ("library/items", "list"),
    ("capacity/courses", "list"),
    ("assessment/assessments", "list"),
    ("dashboard", "dashboard"),
    ("plans/roadmap", "dashboard"),
)
# The global search (page and API), "search" kind (p95 <= SEARCH_TARGET_MS): a word most exchange
# items carry (the counts stop at the cap), a word of every body's name, one record's number.
# Named ``search?q=<words>`` (``--only search`` measures them all). The generator fills the index;
# a dataset generated before it did needs ``manage.py rebuild_search_index``.
SEARCHES = ("report", "network", "22567")
ZERO = "00000000-0000-0000-0000-000000000000"
UUID_RE = "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"


@dataclass
class Figure:
    persona: str
    page: str
    kind: str
    status: int
    queries: int
    p50: float
    p95: float

    @property
    def target(self) -> float:
        targets = {"dashboard": DASHBOARD_TARGET_MS, "search": SEARCH_TARGET_MS, "floor": 0.0}
        return targets.get(self.kind, LIST_TARGET_MS)


def detail_pattern(url: str) -> str:
    """A regular expression matching ``url`` (reversed with the ZERO uuid) with any uuid in its place.

    The parts around the uuid are escaped separately: ``re.escape`` escapes the uuid's hyphens too,
    so escaping the whole URL first left nothing to replace (no detail page was ever found)."""
    return UUID_RE.join(re.escape(part) for part in url.split(ZERO))


def sign_in(user: User, password: str) -> Client:
    """A test client signed in as ``user`` for real: the password form, then a TOTP code from an
    authenticator device enrolled for the benchmark (named "bench", replaced on each run)."""
    client = Client()
    response = client.post(reverse("login"), {"username": user.username, "password": password})
    if response.status_code != 302:
        raise CommandError(f"{user.username}: the password was refused (status {response.status_code})")
    TOTPDevice.objects.filter(user=user, name="bench").delete()
    device = TOTPDevice.objects.create(user=user, name="bench", confirmed=True)
    code = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift).token()
    client.post(reverse("mfa_verify"), {"code": f"{code:0{device.digits}d}"})
    if client.session.get(MFA_SESSION_KEY) != VERIFIED:
        raise CommandError(f"{user.username}: the second factor was not accepted")
    return client


def _p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[max(0, math.ceil(0.95 * len(ordered)) - 1)]


class Command(BaseCommand):
    help = "Queries per request, p50 and p95 of the main pages and API lists on the national-scale dataset."

    def add_arguments(self, parser):
        parser.add_argument("--repeat", type=int, default=20, help="timed requests per URL (default 20)")
        parser.add_argument("--warm", type=int, default=2, help="untimed requests first (default 2)")
        parser.add_argument("--persona", action="append", help="username to measure as (repeatable)")
        parser.add_argument("--only", action="append", help="measure only these URL names or API paths")
        parser.add_argument("--json", help="save the figures to this file")
        parser.add_argument("--compare", help="figures of another run (e.g. at --scale 0.1) to compare with")

    def handle(self, *args, **options):
        repeat = max(1, options["repeat"])
        usernames = options["persona"] or [name for name, _role, _level in PERSONAS]
        users = {u.username: u for u in User.objects.filter(username__in=usernames)}
        missing = [name for name in usernames if name not in users]
        if missing:
            raise CommandError(f"unknown users {', '.join(missing)}: run manage.py generate_scale first")
        # A 403 or 404 for a persona is a figure here, not a log line.
        logging.getLogger("django.request").setLevel(logging.CRITICAL)
        figures: list[Figure] = []
        lifted = "1000000/minute"
        with override_settings(
            ROOT_URLCONF="tandem.core.bench_urls",
            ALLOWED_HOSTS=[*settings.ALLOWED_HOSTS, "testserver"],
            API_RATE_LIMIT=lifted,
            API_RATE_LIMIT_PER_ADDRESS=lifted,
        ):
            self._search_index_note()
            self._header()
            # As production's workers do once the app is loaded (ops/gunicorn.conf.py, post_worker_init):
            # Django's and the app's objects leave the collector's reach, so a page that builds many rows
            # does not pay for a full collection walking them all (the national roll-up's p95).
            gc.collect()
            gc.freeze()
            try:
                for username in usernames:
                    figures.extend(self._persona(users[username], repeat, options["warm"], options["only"]))
            finally:
                gc.unfreeze()  # a command run inside another process (a test) leaves it as it was
        self._summary(figures)
        if options["compare"]:
            self._compare(figures, options["compare"])
        if options["json"]:
            Path(options["json"]).write_text(json.dumps([asdict(f) for f in figures], indent=1))
            self.stdout.write(f"Figures saved to {options['json']}")

    # --- signing in --------------------------------------------------------------------------

    def _sign_in(self, user: User) -> Client:
        return sign_in(user, PASSWORD)

    # --- measuring ---------------------------------------------------------------------------

    def _measure(
        self, client: Client, url: str, repeat: int, warm: int, **headers: Any
    ) -> tuple[int, int, list[float]]:
        for _ in range(warm):
            client.get(url, **headers)
        timings = []
        status, counts = 0, []
        for _ in range(repeat):
            with CaptureQueriesContext(connection) as captured:
                started = time.perf_counter()
                response = client.get(url, **headers)
                timings.append((time.perf_counter() - started) * 1000)
            status = response.status_code
            counts.append(len(captured))
        return status, min(counts), timings

    def _urls(self, client: Client, only: list[str] | None) -> list[tuple[str, str, str]]:
        urls = [("floor", reverse("bench_floor"), "floor")]
        for name, kind in PAGES:
            path, _sep, query = name.partition("?")  # a page with a query: "search?q=..."
            try:
                urls.append((name, reverse(path) + (f"?{query}" if query else ""), kind))
            except NoReverseMatch:
                continue
        found_urls: dict[str, str] = {}
        for detail, list_name in DETAILS:
            try:
                pattern = detail_pattern(reverse(detail, kwargs={"uuid": ZERO}))
                page = client.get(found_urls[list_name] if list_name in found_urls else reverse(list_name))
            except NoReverseMatch:
                continue
            found = re.search(pattern, page.content.decode()) if page.status_code == 200 else None
            if found:
                urls.append((detail, found.group(0), "list"))
                found_urls[detail] = found.group(0)
        for words in SEARCHES:
            try:
                urls.append((f"search?q={words}", reverse("search") + "?" + urlencode({"q": words}), "search"))
            except NoReverseMatch:
                continue
        if only:
            urls = [u for u in urls if u[0] in only or u[2] == "floor" or (u[2] == "search" and "search" in only)]
        return urls

    def _persona(self, user: User, repeat: int, warm: int, only: list[str] | None) -> list[Figure]:
        client = self._sign_in(user)
        figures = []
        for name, url, kind in self._urls(client, only):
            status, queries, timings = self._measure(client, url, repeat, warm)
            figures.append(self._row(user.username, name, kind, status, queries, timings))
        token = services.api_token_create(actor=user, name="bench").secret
        api = Client()
        searches = [(f"search?q={w}", "search/?" + urlencode({"q": w}), "search") for w in SEARCHES]
        for path, query, kind in [(p, p, k) for p, k in API_LISTS] + searches:
            name = f"api/{path}"
            if only and name not in only and not (kind == "search" and ("search" in only or "api/search" in only)):
                continue
            auth = {"HTTP_AUTHORIZATION": f"Bearer {token}"}
            status, queries, timings = self._measure(api, f"/api/v1/{query}", repeat, warm, **auth)
            figures.append(self._row(user.username, name, kind, status, queries, timings))
        return figures

    # --- output ------------------------------------------------------------------------------

    def _search_index_note(self) -> None:
        """Say so when the search index is nearly empty (the generator writes records without it):
        the search rows would then measure an empty index."""
        try:
            entries = apps.get_model("search", "SearchEntry")._default_manager.count()
        except LookupError:
            return
        if entries < 1000:
            self.stdout.write(
                f"The search index holds {entries} entries: run manage.py rebuild_search_index first, "
                "or the search rows measure an empty index."
            )

    def _header(self) -> None:
        self.stdout.write(
            f"{'persona':<15} {'page':<28} {'kind':<9} {'status':>6} {'queries':>7} {'p50 ms':>8} {'p95 ms':>8} "
            f"{'target':>6}  verdict"
        )

    def _row(self, persona: str, page: str, kind: str, status: int, queries: int, timings: list[float]) -> Figure:
        figure = Figure(persona, page, kind, status, queries, statistics.median(timings), _p95(timings))
        verdict = "" if kind == "floor" else "ok" if figure.p95 <= figure.target else "MISS"
        target = f"{figure.target:>6.0f}" if figure.target else f"{'-':>6}"
        self.stdout.write(
            f"{persona:<15} {page:<28} {kind:<9} {status:>6} {queries:>7} {figure.p50:>8.1f} {figure.p95:>8.1f} "
            f"{target}  {verdict}"
        )
        return figure

    def _summary(self, figures: list[Figure]) -> None:
        measured = [f for f in figures if f.kind != "floor"]
        misses = [f for f in measured if f.p95 > f.target]
        floors = {f.persona: f.p50 for f in figures if f.kind == "floor"}
        slow = [f for f in measured if floors.get(f.persona) and f.p50 > FLOOR_FACTOR * floors[f.persona]]
        errors = [f for f in measured if f.status >= 400]
        self.stdout.write("")
        self.stdout.write(
            f"{len(measured)} URLs; p95 within target: {len(measured) - len(misses)}/{len(measured)} "
            f"(lists and details <= {LIST_TARGET_MS:.0f} ms, matrix and dashboards <= {DASHBOARD_TARGET_MS:.0f} ms, "
            f"search <= {SEARCH_TARGET_MS:.0f} ms)"
        )
        self.stdout.write(
            "floor p50: " + ", ".join(f"{p} {ms:.1f} ms" for p, ms in floors.items()) + f"; p50 within "
            f"{FLOOR_FACTOR:g}x the floor: {len(measured) - len(slow)}/{len(measured)}"
        )
        if errors:
            self.stdout.write(
                "answers 4xx/5xx (the persona may not open them): "
                + ", ".join(f"{f.persona} {f.page} {f.status}" for f in errors)
            )
        for f in misses:
            self.stdout.write(f"MISS {f.persona} {f.page}: p95 {f.p95:.1f} ms > {f.target:.0f} ms")

    def _compare(self, figures: list[Figure], path: str) -> None:
        try:
            other = {(row["persona"], row["page"]): row for row in json.loads(Path(path).read_text())}
        except (OSError, ValueError) as exc:
            raise CommandError(f"cannot read {path}: {exc}") from exc
        self.stdout.write("")
        self.stdout.write(f"Compared with {path}:")
        self.stdout.write(
            f"{'persona':<15} {'page':<28} {'queries':>7} {'before':>7} {'p95 ms':>8} {'before':>8} {'ratio':>6}"
        )
        changed = 0
        for f in figures:
            row = other.get((f.persona, f.page))
            if row is None:
                continue
            changed += row["queries"] != f.queries
            ratio = f.p95 / row["p95"] if row["p95"] else 0.0
            self.stdout.write(
                f"{f.persona:<15} {f.page:<28} {f.queries:>7} {row['queries']:>7} {f.p95:>8.1f} {row['p95']:>8.1f} "
                f"{ratio:>6.2f}"
            )
        self.stdout.write(f"URLs whose query count changed: {changed}")
