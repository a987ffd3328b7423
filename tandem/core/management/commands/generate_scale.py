"""``manage.py generate_scale --profile national [--scale F] [--seed N]``: the national-scale dataset.

One country (Scaleland, ``XS``) with the directory, bodies, plans, exchange and the newer
apps' records at the sizes of a large national network (see ``tandem.core.scale`` and each
app's ``scale.py``), plus the benchmark personas (``scale.national``, ``scale.regional``,
``scale.local``, ``scale.member``; password ``scale-bench-2026``). ``--scale 0.1`` and
``--scale 10`` multiply every count. Run it on an empty, migrated database; PostgreSQL
for real figures (SQLite works, slower).
"""

from __future__ import annotations

import os
import time

from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction

from tandem.core import registry, scale


class Command(BaseCommand):
    help = "Build the national-scale dataset (deterministic, bulk inserts) for manage.py bench_scale."

    def add_arguments(self, parser):
        parser.add_argument("--profile", choices=["national"], default="national")
        parser.add_argument("--scale", type=float, default=1.0, help="multiply every count (default 1)")
        parser.add_argument("--seed", type=int, default=2026)
        parser.add_argument(
            "--if-missing", action="store_true", help="do nothing when the dataset's country exists already"
        )

    def handle(self, *args, **options):
        if options["scale"] <= 0:
            raise CommandError("--scale must be positive")
        if options["if_missing"] and scale.present():
            self.stdout.write("The national-scale dataset is there already: nothing to do.")
            return
        world = scale.World(scale=options["scale"], seed=options["seed"], out=self.stdout)
        cpu = time.process_time()
        backend = _backend_cpu()
        self.stdout.write(
            f"Generating the {options['profile']} profile at x{options['scale']:g} (seed {options['seed']})"
        )
        try:
            with transaction.atomic():
                scale.build(world, registry.functions("scale_builder"))
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        scale.vacuum(world)
        elapsed = time.perf_counter() - world.started
        self._summary(world)
        load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
        cpu = time.process_time() - cpu
        self.stdout.write(
            self.style.SUCCESS(
                f"{world.rows:,} rows in {elapsed:.1f} s ({world.rows / elapsed:,.0f} rows/s, load average {load})"
            )
        )
        if backend is not None:
            backend = (_backend_cpu() or backend) - backend
            self.stdout.write(
                f"CPU time: this process {cpu:.1f} s, the database's session {backend:.1f} s: "
                f"{world.rows / (cpu + backend):,.0f} rows per CPU-second (what an otherwise idle machine approaches)"
            )
        self.stdout.write(f"Logins (password {scale.PASSWORD}): {', '.join(world.personas)}")

    def _summary(self, world: scale.World) -> None:
        """Rows, seconds and rows/s of each step (wall time, the database's work included)."""
        self.stdout.write(f"  {'step':<34} {'rows':>10} {'s':>7} {'rows/s':>10}")
        for label, (rows, seconds) in world.stats.items():
            rate = f"{rows / seconds:,.0f}" if rows and seconds else ""
            self.stdout.write(f"  {label:<34} {int(rows):>10,} {seconds:>7.2f} {rate:>10}")


def _backend_cpu() -> float | None:
    """CPU seconds used so far by this connection's PostgreSQL backend, when it runs on this
    machine and /proc shows it (Linux); otherwise None."""
    if connection.vendor != "postgresql":
        return None
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        pid = cursor.fetchone()[0]
    try:
        with open(f"/proc/{pid}/stat") as stat:
            fields = stat.read().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
