"""Queue Tandem's scheduled work (cron, or `--every SECONDS` beside the worker).

    manage.py run_scheduled               # the deadline scan (every hour is plenty)
    manage.py run_scheduled --digest      # the daily digests too (once a day)
    manage.py run_scheduled --every 3600  # loop: the scan every hour, the digests once a day

The work itself runs in the task worker (`manage.py db_worker`, or the RQ worker).
"""

from __future__ import annotations

import time

from django.core.management.base import BaseCommand
from django.utils import timezone

from tandem.notifications import tasks


class Command(BaseCommand):
    help = "Queue the deadline scan (and, with --digest, the daily digests) as background tasks."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--digest", action="store_true", help="Also queue the daily digest e-mails.")
        parser.add_argument("--every", type=int, default=0, help="Repeat every N seconds (digests once a day).")

    def handle(self, *args, digest: bool = False, every: int = 0, **options) -> None:
        last_digest_day = None
        while True:
            scan = tasks.scan_deadlines.enqueue(timezone.localdate().isoformat())
            self.stdout.write(f"deadline scan queued ({scan.id})")
            today = timezone.localdate()
            if digest or (every and last_digest_day != today):
                result = tasks.send_daily_digests.enqueue()
                last_digest_day = today
                self.stdout.write(f"daily digests queued ({result.id})")
            if not every:
                return
            time.sleep(every)
