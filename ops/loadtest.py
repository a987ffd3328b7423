"""Bounded load test of the production topology (ops/prod.sh), loopback only.

    ops/loadtest.py prepare --users 48            accounts for this run (Django, the server's database)
    ops/loadtest.py run --port 8000 --duration 60 many people at once: sign-in with the second factor,
                                                  then mixed page and API reads and writes
    ops/loadtest.py verify                        every acknowledged write is in the database once

``prepare`` makes, for each simulated person, an account with the role of a demo persona (national,
regional and local coordinators, a body member, partners, a facilitator, a viewer), an enrolled
authenticator (a key only this run knows) and a personal API token. ``run`` signs each in through
the sign-in form and a real TOTP code, then loops without pause for ``--duration`` seconds:
mostly reads (home, lists, a jurisdiction, API lists), and for coordinators writes (a new
organisation through the page form or the API) named ``LT <run> <user> <n>``. It reports
requests/s, p50/p95/p99 and errors, and writes what the server acknowledged to the report.
``verify`` counts those organisations: each acknowledged one exactly once, with its audit record,
and nothing that was not acknowledged.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import secrets
import statistics
import sys
import time
from collections import Counter, defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from httpclient import Client, HttpError, create_organisation, sign_in  # noqa: E402

PERSONAS = [
    "national.ke",
    "regional.ph",
    "local.mombasa",
    "member.mombasa",
    "partner.cso",
    "local.surabaya",
    "facilitator",
    "viewer.skopje",
    "partner.company",
]
COORDINATOR_ROLES = {"national_coordinator", "regional_coordinator", "local_coordinator"}
PASSWORD = "load-test-" + "x" * 12
DEFAULT_STATE = Path(os.environ.get("PROD_DIR", "var/prod")) / "loadtest.json"
READ_PAGES = [
    "/",
    "/organisations/",
    "/people/",
    "/jurisdictions/",
    "/bodies/",
    "/bodies/action-items/",
    "/plans/",
    "/exchange/",
]
READ_API = ["/api/v1/me", "/api/v1/organisations", "/api/v1/bodies"]


# --- prepare / verify (inside Django) ---------------------------------------------------------


def _django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tandem.settings")
    import django

    django.setup()


def prepare(args: argparse.Namespace) -> None:
    _django()
    from django.contrib.auth.hashers import make_password
    from django_otp.plugins.otp_totp.models import TOTPDevice
    from django_otp.util import random_hex

    from tandem.core import services
    from tandem.core.models import RoleAssignment, User

    run = secrets.token_hex(3)
    password_hash = make_password(PASSWORD)  # one Argon2 hash for every account of the run
    grants = {
        g.user.username: g
        for g in RoleAssignment.objects.filter(user__username__in=PERSONAS, revoked_at__isnull=True)
        .select_related("user", "jurisdiction", "organisation")
        .order_by("-id")
    }
    missing = [p for p in PERSONAS if p not in grants]
    if missing:
        raise SystemExit(f"the demo personas {missing} are missing: load the demo first (manage.py load_demo)")
    users = []
    for i in range(args.users):
        grant = grants[PERSONAS[i % len(PERSONAS)]]
        username = f"lt{run}-{grant.user.username}-{i}"
        user = services.user_create(
            actor=None, username=username, password=None, full_name=f"Load Test {i}", email=f"{username}@example.org"
        )
        User.objects.filter(pk=user.pk).update(password=password_hash)
        services.role_grant(
            actor=None, user=user, role=grant.role, jurisdiction=grant.jurisdiction, organisation=grant.organisation
        )
        key = random_hex(20)
        TOTPDevice.objects.create(user=user, key=key, name="Authenticator app", confirmed=True)
        token = services.api_token_create(actor=user, name="load test")
        users.append(
            {
                "username": username,
                "persona": grant.user.username,
                "role": grant.role,
                "totp_key": key,
                "token": token.secret,
                "jurisdiction": str(grant.jurisdiction.uuid),
                "writes": grant.role in COORDINATOR_ROLES,
            }
        )
    Path(args.state).parent.mkdir(parents=True, exist_ok=True)
    Path(args.state).write_text(json.dumps({"run": run, "password": PASSWORD, "users": users}, indent=1))
    print(f"prepared run {run}: {len(users)} accounts ({sum(u['writes'] for u in users)} write) -> {args.state}")


def verify(args: argparse.Namespace) -> int:
    _django()
    from tandem.core.models import AuditAction, AuditEvent, Organisation

    state = json.loads(Path(args.state).read_text())
    report = json.loads(Path(args.report).read_text())
    prefix = f"LT {state['run']} "
    names = list(Organisation.objects.filter(name__startswith=prefix).values_list("name", flat=True))
    counts = Counter(names)
    acknowledged = set(report["acknowledged"])
    unknown = set(report.get("unknown", []))
    duplicated = sorted(n for n, c in counts.items() if c > 1)
    lost = sorted(acknowledged - set(counts))
    unexpected = sorted(set(counts) - acknowledged - unknown)
    created = {str(u) for u in Organisation.objects.filter(name__startswith=prefix).values_list("uuid", flat=True)}
    audited = set(
        AuditEvent.objects.filter(
            object_type="organisation", action=AuditAction.CREATE, object_uuid__in=created
        ).values_list("object_uuid", flat=True)
    )
    unaudited = len(created - audited)
    print(
        f"writes: {len(acknowledged)} acknowledged, {len(counts)} in the database, {len(lost)} lost, "
        f"{len(duplicated)} duplicated, {len(unexpected)} not acknowledged, {unaudited} without their audit record"
        + (f", {len(unknown)} unanswered (kept or not: both fine)" if unknown else "")
    )
    ok = not lost and not duplicated and not unexpected and unaudited == 0
    print("WRITES ACCOUNTED FOR" if ok else "WRITES NOT ACCOUNTED FOR")
    return 0 if ok else 1


# --- run (no Django: an HTTP client) -------------------------------------------------------------


class Stats:
    def __init__(self) -> None:
        self.latencies: dict[str, list[float]] = defaultdict(list)
        self.errors: Counter[str] = Counter()
        self.acknowledged: list[str] = []
        self.unknown: list[str] = []
        self.measuring = False

    def record(self, kind: str, seconds: float) -> None:
        if self.measuring:
            self.latencies[kind].append(seconds)


def _server_cpu_seconds() -> float | None:
    """CPU time used so far by the gunicorn workers and this database's PostgreSQL backends (Linux /proc).

    CPU per request does not depend on what else the machine runs, so it tells what two idle cores
    would serve even when the measured requests/s are crowded out by other work.
    """
    try:
        master = int((DEFAULT_STATE.parent / "run" / "web.pid").read_text())
    except (OSError, ValueError):
        return None
    database = os.environ.get("DATABASE_URL", "").rsplit("/", 1)[-1]
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0.0
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
            fields = stat[stat.rindex(")") + 2 :].split()
            ours = int(fields[1]) == master  # parent pid: a gunicorn worker
            if not ours and database:
                command = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
                ours = command.startswith("postgres:") and f" {database} " in command
            if ours:
                total += (int(fields[11]) + int(fields[12])) / ticks  # utime + stime
        except (OSError, ValueError, IndexError):
            continue
    return total


def _percentile(values: list[float], q: float) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


async def _signed_in(user: dict, password: str, port: int, gate: asyncio.Semaphore, stats: Stats) -> Client | None:
    client = Client("127.0.0.1", port, timeout=60)
    async with gate:
        try:
            await sign_in(client, user["username"], password, user["totp_key"])
        except HttpError as exc:
            stats.errors[f"sign-in: {exc}"] += 1
            await client.close()
            return None
    client.timeout = 30
    return client


async def _person(client: Client, user: dict, args: argparse.Namespace, stats: Stats, stop: float, run: str) -> None:
    rng = random.Random(user["username"])
    api = {"Authorization": f"Bearer {user['token']}"}
    detail = f"/jurisdictions/{user['jurisdiction']}/"
    n = 0
    while time.monotonic() < stop:
        roll = rng.random()
        started = time.monotonic()
        writing = user["writes"] and roll < args.write_share
        name = ""
        try:
            if writing:
                n += 1
                name = f"LT {run} {user['username']} {n}"
                if n % 2:
                    answer = await client.request(
                        "POST",
                        "/organisations/new/",
                        form={"name": name, "sector": "community", "jurisdiction": user["jurisdiction"]},
                    )
                    ok = answer.status == 302 and "/organisations/" in answer.location
                    kind = "write page"
                else:
                    answer = await create_organisation(client, name, user["jurisdiction"], user["token"])
                    ok = answer.status == 201
                    kind = "write api"
                if ok:
                    stats.acknowledged.append(name)
                else:
                    stats.errors[f"{kind}: {answer.status}"] += 1
            elif roll < args.write_share + args.api_share:
                path = rng.choice(READ_API)
                answer = await client.request("GET", path, headers=api)
                kind = "read api"
                if answer.status != 200:
                    stats.errors[f"GET {path}: {answer.status}"] += 1
            else:
                path = rng.choice([*READ_PAGES, detail])
                answer = await client.request("GET", path)
                kind = "read page"
                if answer.status != 200:
                    stats.errors[f"GET {path}: {answer.status}"] += 1
        except HttpError as exc:
            stats.errors[f"no answer: {exc}"] += 1
            if writing:
                stats.unknown.append(name)
            continue
        stats.record(kind, time.monotonic() - started)
    await client.close()


async def _run(args: argparse.Namespace) -> dict:
    state = json.loads(Path(args.state).read_text())
    users = state["users"][: args.users] if args.users else state["users"]
    stats = Stats()
    # Everyone signs in first (password and second factor; a few at a time, as Argon2 is meant to be
    # slow): part of the test, which fails if one is refused, but not of the measured window.
    gate = asyncio.Semaphore(args.sign_in_concurrency)
    signing = time.monotonic()
    clients = await asyncio.gather(*(_signed_in(u, state["password"], args.port, gate, stats) for u in users))
    sign_in_seconds = time.monotonic() - signing
    people = [(c, u) for c, u in zip(clients, users, strict=True) if c is not None]
    stats.measuring = True
    cpu_before = _server_cpu_seconds()
    window_start = time.monotonic()
    stop = window_start + args.duration
    await asyncio.gather(*(_person(c, u, args, stats, stop, state["run"]) for c, u in people))
    window = time.monotonic() - window_start
    cpu_after = _server_cpu_seconds()
    all_latencies = [x for values in stats.latencies.values() for x in values]
    reads = stats.latencies["read page"] + stats.latencies["read api"]
    report = {
        "run": state["run"],
        "users": len(users),
        "signed_in": len(people),
        "sign_in_seconds": round(sign_in_seconds, 1),
        "seconds": round(window, 1),
        "requests": len(all_latencies),
        "requests_per_second": round(len(all_latencies) / window, 1),
        "reads_per_second": round(len(reads) / window, 1),
        "p50_ms": round(1000 * statistics.median(all_latencies), 1) if all_latencies else 0,
        "p95_ms": round(1000 * _percentile(all_latencies, 0.95), 1),
        "p99_ms": round(1000 * _percentile(all_latencies, 0.99), 1),
        "by_kind": {
            kind: {
                "requests": len(values),
                "p50_ms": round(1000 * statistics.median(values), 1),
                "p95_ms": round(1000 * _percentile(values, 0.95), 1),
            }
            for kind, values in sorted(stats.latencies.items())
            if values
        },
        "server_cpu_ms_per_request": (
            round(1000 * (cpu_after - cpu_before) / max(1, sum(len(v) for v in stats.latencies.values())), 1)
            if cpu_before is not None and cpu_after is not None
            else None
        ),
        "errors": sum(stats.errors.values()),
        "error_kinds": dict(stats.errors.most_common(10)),
        "acknowledged": stats.acknowledged,
        "unknown": stats.unknown,
    }
    return report


def run(args: argparse.Namespace) -> int:
    report = asyncio.run(_run(args))
    Path(args.report).write_text(json.dumps(report, indent=1))
    print(
        f"load test: {report['signed_in']}/{report['users']} people signed in with their second factor "
        f"({report['sign_in_seconds']} s), then {report['seconds']} s: {report['requests']} requests, "
        f"{report['requests_per_second']} req/s ({report['reads_per_second']} reads/s), "
        f"p50 {report['p50_ms']} ms, p95 {report['p95_ms']} ms, p99 {report['p99_ms']} ms, "
        f"{report['errors']} errors, {len(report['acknowledged'])} writes acknowledged"
    )
    if report["server_cpu_ms_per_request"]:
        per = report["server_cpu_ms_per_request"]
        print(
            f"  server CPU (gunicorn workers + PostgreSQL backends): {per} ms per request, so two idle cores "
            f"would serve about {round(2000 / per)} req/s of this mix"
        )
    for kind, figures in report["by_kind"].items():
        print(
            f"  {kind:10} {figures['requests']:6} requests  p50 {figures['p50_ms']:7} ms  p95 {figures['p95_ms']:7} ms"
        )
    for kind, count in report["error_kinds"].items():
        print(f"  error x{count}: {kind}")
    if args.min_rps and report["reads_per_second"] < args.min_rps:
        print(f"  below the goal of {args.min_rps} reads/s (reported, not failed: the machine is shared)")
    return 1 if report["errors"] else 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("prepare")
    p.add_argument("--users", type=int, default=48)
    p.add_argument("--state", default=str(DEFAULT_STATE))
    r = sub.add_parser("run")
    r.add_argument("--port", type=int, default=8000)
    r.add_argument("--users", type=int, default=0, help="how many of the prepared accounts (0: all)")
    r.add_argument("--duration", type=float, default=60.0, help="measured seconds (at most 120)")
    r.add_argument("--sign-in-concurrency", type=int, default=4, help="sign-ins at once (before the window)")
    r.add_argument("--write-share", type=float, default=0.1, help="share of a coordinator's requests that write")
    r.add_argument("--api-share", type=float, default=0.25, help="share of requests that read the API")
    r.add_argument("--min-rps", type=float, default=200.0, help="the goal, reported against")
    r.add_argument("--state", default=str(DEFAULT_STATE))
    r.add_argument("--report", default=str(DEFAULT_STATE.with_name("loadtest-report.json")))
    v = sub.add_parser("verify")
    v.add_argument("--state", default=str(DEFAULT_STATE))
    v.add_argument("--report", default=str(DEFAULT_STATE.with_name("loadtest-report.json")))
    args = parser.parse_args()
    if args.command == "run" and not 0 < args.duration <= 120:
        parser.error("--duration must be between 0 and 120 seconds")
    return {"prepare": prepare, "run": run, "verify": verify}[args.command](args) or 0


if __name__ == "__main__":
    sys.exit(main())
