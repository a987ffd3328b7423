"""``manage.py bench_pdf``: CPU time to draw and write a PDF document (``tandem.core.pdf``).

No database needed. Draws a one-page document (title, a heading, a paragraph with Greek and
Cyrillic, a field, a 20-row table) and a long one (a 200-row table over several pages),
``--repeat`` times each after one warm-up, and prints the CPU milliseconds per document
(``time.process_time``: the machine's load does not change it) and the size of the file.
Figures, not pass/fail.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from django.core.management.base import BaseCommand

from tandem.core.pdf import PdfDocument


def _short() -> bytes:
    doc = PdfDocument(title="Minutes of the council", subtitle="Meeting 3", marking="TLP:AMBER", context="Cebu City")
    doc.heading("Decisions")
    doc.paragraph("The council agreed the plan. Ελληνικά, кириллица. " * 20)
    doc.field("Chair", "Maria Santos")
    doc.table(["Organisation", "Sector"], [["Cebu City Hall", "Local government"]] * 20)
    return bytes(doc.output())


def _long() -> bytes:
    doc = PdfDocument(title="Action items", context="Cebu City")
    doc.table(["#", "Action"], [[str(i), "Follow up with the barangay council " * 3] for i in range(200)])
    return bytes(doc.output())


class Command(BaseCommand):
    help = "CPU milliseconds per PDF document (short and long), after one warm-up."

    def add_arguments(self, parser):
        parser.add_argument("--repeat", type=int, default=20)

    def handle(self, *args, repeat: int, **options):
        documents: list[tuple[str, Callable[[], bytes]]] = [("short (1 page)", _short), ("long (200 rows)", _long)]
        self.stdout.write(f"{'document':<18} {'CPU ms/doc':>10} {'bytes':>8}")
        for name, draw in documents:
            size = len(draw())  # warm-up: fonts parsed, modules imported
            started = time.process_time()
            for _ in range(repeat):
                draw()
            per_doc = (time.process_time() - started) / repeat * 1000
            self.stdout.write(f"{name:<18} {per_doc:>10.1f} {size:>8}")
