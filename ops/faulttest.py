"""Fault test of the production topology: kill -9 a gunicorn worker mid-write, loopback only.

    ops/faulttest.py --port 8000 [--writes 240] [--rows 600]

Needs the accounts of ``ops/loadtest.py prepare`` and the server of ``ops/prod.sh start`` (the same
environment: ``eval "$(ops/prod.sh env)"``). Two cases:

1. A batch of writes: 24 people create organisations through the API at once; a worker that is
   inside a write transaction is killed with SIGKILL. Afterwards every acknowledged organisation
   is there exactly once with its audit record, nothing unacknowledged appeared except requests
   that got no answer, and no organisation lacks its audit record (no partial record).
2. An XLSX import: a local coordinator imports a workbook with ``--rows`` new activities; the
   worker running the import is killed mid-transaction. Afterwards none of the rows is there
   (all or nothing); the same workbook imported again brings all of them.

The worker to kill is found through PostgreSQL: the backend of an open transaction gives its
client port, and ``ss`` names the process holding that port.
"""

from __future__ import annotations

import argparse
import asyncio
import io
import json
import os
import re
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from httpclient import Client, HttpError, create_organisation, sign_in  # noqa: E402

PROD_DIR = Path(os.environ.get("PROD_DIR", "var/prod"))


def _django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tandem.settings")
    import django

    django.setup()


def _workers() -> set[int]:
    master = int((PROD_DIR / "run" / "web.pid").read_text())
    out = subprocess.run(["pgrep", "-P", str(master)], capture_output=True, text=True).stdout  # noqa: S603,S607
    return {int(x) for x in out.split()}


def _worker_in_transaction(min_age: float, must_contain: str = "") -> int | None:
    """The gunicorn worker whose database transaction has been open at least ``min_age`` seconds."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT client_port, query FROM pg_stat_activity WHERE datname = current_database() "
            "AND pid <> pg_backend_pid() AND xact_start IS NOT NULL "
            "AND now() - xact_start >= make_interval(secs => %s) ORDER BY xact_start",
            [min_age],
        )
        rows = cursor.fetchall()
    workers = _workers()
    for port, query in rows:
        if port is None or (must_contain and must_contain not in (query or "")):
            continue
        out = subprocess.run(  # noqa: S603
            ["ss", "-tnpH", f"sport = :{port}"],  # noqa: S607
            capture_output=True,
            text=True,
        ).stdout
        for pid in (int(p) for p in re.findall(r"pid=(\d+)", out)):
            if pid in workers:
                return pid
    return None


async def _kill_when_busy(min_age: float, timeout: float, must_contain: str = "") -> int | None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        pid = await asyncio.to_thread(_worker_in_transaction, min_age, must_contain)
        if pid is not None:
            os.kill(pid, signal.SIGKILL)
            return pid
        await asyncio.sleep(0.02)
    return None


# --- 1. A batch of writes -------------------------------------------------------------------------


async def batch_of_writes(port: int, users: list[dict], count: int, run: str) -> dict:
    acknowledged: list[str] = []
    unanswered: list[str] = []
    refused: list[str] = []
    queue: asyncio.Queue[int] = asyncio.Queue()
    for i in range(count):
        queue.put_nowait(i)

    async def person(user: dict) -> None:
        client = Client("127.0.0.1", port)
        while not queue.empty():
            i = queue.get_nowait()
            name = f"FT {run} {i}"
            try:
                answer = await create_organisation(client, name, user["jurisdiction"], user["token"])
            except HttpError:
                unanswered.append(name)
                continue
            (acknowledged if answer.status == 201 else refused).append(name)
        await client.close()

    killer = asyncio.create_task(_kill_when_busy(0.0, 30.0, "INSERT"))
    await asyncio.gather(*(person(u) for u in users))
    killed = killer.result() if killer.done() else None
    if not killer.done():
        killer.cancel()
    return {"acknowledged": acknowledged, "unanswered": unanswered, "refused": refused, "killed": killed}


def check_writes(run: str, result: dict) -> list[str]:
    from tandem.core.models import AuditAction, AuditEvent, Organisation

    rows = list(Organisation.objects.filter(name__startswith=f"FT {run} ").values_list("name", "uuid"))
    names = [n for n, _u in rows]
    problems = []
    if len(names) != len(set(names)):
        problems.append("an organisation was written twice")
    missing = set(result["acknowledged"]) - set(names)
    if missing:
        problems.append(f"{len(missing)} acknowledged organisations are missing")
    extra = set(names) - set(result["acknowledged"]) - set(result["unanswered"])
    if extra:
        problems.append(f"{len(extra)} organisations appeared that nobody was told about")
    audited = set(
        AuditEvent.objects.filter(
            object_type="organisation", action=AuditAction.CREATE, object_uuid__in=[str(u) for _n, u in rows]
        ).values_list("object_uuid", flat=True)
    )
    if len(audited) != len(rows):
        problems.append(f"{len(rows) - len(audited)} organisations lack their audit record (partial)")
    if result["refused"]:
        problems.append(f"{len(result['refused'])} writes were refused")
    print(
        f"batch of writes: {len(result['acknowledged'])} acknowledged, {len(result['unanswered'])} without an "
        f"answer (worker {result['killed']} killed), {len(names)} in the database "
        f"({len(set(result['unanswered']) & set(names))} of the unanswered committed before the kill), "
        f"{len(audited)} with their audit record"
    )
    return problems


# --- 2. An import -------------------------------------------------------------------------------


def workbook(plan, actor, rows: int, run: str) -> bytes:  # noqa: ANN001
    """The plan's workbook as ``actor`` downloads it (who imports it next), with ``rows`` new activities."""
    from openpyxl import load_workbook

    from tandem.plans import files

    wb = load_workbook(io.BytesIO(files.plan_workbook(plan, actor=actor)))
    sheet = wb["Activities"]
    header = [c.value for c in sheet[1]]
    template = [c.value for c in sheet[2]] if sheet.max_row >= 2 else [None] * len(header)
    # Only new rows: the plan's own rows stay as they are (and cannot make the import fail).
    for title in ("Objectives", "Activities", "Indicators"):
        if wb[title].max_row > 1:
            wb[title].delete_rows(2, wb[title].max_row - 1)
    for i in range(rows):
        row = list(template)
        row[header.index("UUID")] = ""
        row[header.index("Version")] = ""
        row[header.index("Title")] = f"FI {run} {i}"
        row[header.index("Local innovation")] = "yes"
        row[header.index("National objectives")] = ""
        sheet.append(row)
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def multipart(field: str, filename: str, data: bytes) -> tuple[bytes, str]:
    boundary = uuid.uuid4().hex
    body = (
        (
            f'--{boundary}\r\nContent-Disposition: form-data; name="{field}"; filename="{filename}"\r\n'
            "Content-Type: application/vnd.openxmlformats-officedocument.spreadsheetml.sheet\r\n\r\n"
        ).encode()
        + data
        + f"\r\n--{boundary}--\r\n".encode()
    )
    return body, f"multipart/form-data; boundary={boundary}"


async def import_killed_then_whole(port: int, user: dict, password: str, plan_uuid: str, data: bytes) -> dict:
    client = Client("127.0.0.1", port, timeout=300)
    await sign_in(client, user["username"], password, user["totp_key"])
    body, content_type = multipart("file", "plan.xlsx", data)
    path = f"/plans/{plan_uuid}/import/"
    killer = asyncio.create_task(_kill_when_busy(0.1, 120.0, "plans_"))
    outcome = {}
    try:
        answer = await client.request("POST", path, body=body, content_type=content_type)
        outcome["first"] = f"answered {answer.status}"
    except HttpError as exc:
        outcome["first"] = f"no answer ({exc})"
    await asyncio.sleep(0.2)
    outcome["killed"] = killer.result() if killer.done() else None
    if not killer.done():
        killer.cancel()
    outcome["after_kill"] = await asyncio.to_thread(_count_rows, plan_uuid)
    # The same person, still signed in (the session is in the database), imports again.
    answer = await client.request("POST", path, body=body, content_type=content_type)
    outcome["second"] = f"answered {answer.status}"
    await client.close()
    return outcome


def _count_rows(plan_uuid: str) -> int:
    from django.db import close_old_connections

    from tandem.plans.models import Activity

    close_old_connections()
    return Activity.objects.filter(plan__uuid=plan_uuid, title__startswith=f"FI {_RUN[0]} ").count()


_RUN = [""]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--port", type=int, default=8000)
    parser.add_argument("--writes", type=int, default=240)
    parser.add_argument("--rows", type=int, default=600)
    parser.add_argument("--state", default=str(PROD_DIR / "loadtest.json"))
    args = parser.parse_args()
    _django()
    from tandem.core.models import RoleAssignment
    from tandem.plans.models import ActionPlan, PlanLevel

    state = json.loads(Path(args.state).read_text())
    run = _RUN[0] = uuid.uuid4().hex[:6]
    problems: list[str] = []

    writers = [u for u in state["users"] if u["writes"]][:24]
    result = asyncio.run(batch_of_writes(args.port, writers, args.writes, run))
    if result["killed"] is None:
        problems.append("no worker was caught inside a write transaction (nothing killed)")
    problems += check_writes(run, result)

    local = next(u for u in state["users"] if u["persona"] == "local.mombasa")
    grant = RoleAssignment.objects.filter(user__username=local["username"]).select_related("jurisdiction").get()
    plan = ActionPlan.objects.filter(jurisdiction=grant.jurisdiction, level=PlanLevel.LOCAL).first()
    if plan is None:
        problems.append("the demo has no local plan for the import")
    else:
        data = workbook(plan, grant.user, args.rows, run)
        outcome = asyncio.run(import_killed_then_whole(args.port, local, state["password"], str(plan.uuid), data))
        whole = _count_rows(str(plan.uuid))
        print(
            f"import of {args.rows} rows: first {outcome['first']}, worker {outcome['killed']} killed, "
            f"{outcome['after_kill']} rows after the kill; imported again: {outcome['second']}, {whole} rows"
        )
        if outcome["killed"] is None:
            problems.append("the import's worker was not caught mid-transaction (nothing killed)")
        if outcome["after_kill"] not in (0, args.rows):
            problems.append(f"a partial import: {outcome['after_kill']} of {args.rows} rows")
        elif outcome["after_kill"] == args.rows:
            print("  (the import committed a moment before the kill: all of it is there, which is allowed)")
        if whole != outcome["after_kill"] + args.rows:
            problems.append(f"the second import brought {whole - outcome['after_kill']} rows, not {args.rows}")
    for problem in problems:
        print(f"FAULT TEST PROBLEM: {problem}")
    print("FAULT TEST PASSED" if not problems else "FAULT TEST FAILED")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
