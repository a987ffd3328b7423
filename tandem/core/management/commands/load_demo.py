"""``manage.py load_demo``: the demo world, on a database without organisations."""

from __future__ import annotations

import time

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from tandem.core import demo


class Command(BaseCommand):
    help = (
        "Load the demo world (Kenya, the Philippines, Indonesia, North Macedonia; organisations, people and "
        "one login per persona). Does nothing if the database already has organisations."
    )

    def handle(self, *args, **options):
        started = time.monotonic()
        try:
            result = demo.build_demo()
        except demo.DemoConflict as exc:
            raise CommandError(f"Cannot load the demo: {exc}. Use an empty database.") from exc
        except ValidationError as exc:
            raise CommandError("Cannot load the demo: " + "; ".join(exc.messages)) from exc

        if not result.created:
            self.stdout.write(self.style.NOTICE("demo data already present"))
        else:
            self.stdout.write(
                self.style.SUCCESS(
                    f"Demo loaded in {time.monotonic() - started:.1f} s: {result.jurisdictions} jurisdictions, "
                    f"{result.organisations} organisations, {result.people} people, "
                    f"{result.affiliations} affiliations, {result.users} users."
                )
            )
            for name, count in result.extra.items():
                self.stdout.write(f"  {name}: {count}")
        self.print_logins(result.logins, fresh=result.created)

    def print_logins(self, logins: list[tuple[str, str, str, str]], *, fresh: bool) -> None:
        if not logins:
            return
        header = ("username", "role", "jurisdiction", "on behalf of")
        widths = [max(len(row[i]) for row in [header, *logins]) for i in range(len(header))]

        def line(row: tuple[str, ...]) -> str:
            return "  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip()

        self.stdout.write("")
        self.stdout.write("Demo logins:")
        self.stdout.write(line(header))
        self.stdout.write(line(tuple("-" * w for w in widths)))
        for row in logins:
            self.stdout.write(line(row))
        note = "" if fresh else " (unless changed since the demo was loaded)"
        self.stdout.write(f"Password for every demo login: {demo.DEMO_PASSWORD}{note}")
