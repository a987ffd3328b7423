"""The tests that read the demo world go to one xdist worker; every other test is handed out one at a time.

Building the demo (``_demo_snapshot``) takes 40 to 80 s. With ``--dist load`` both workers took demo
tests first (the first tests of the suite's order are dealt to the workers in turn), so one built
the demo while the other waited for it, idle, 55 s on SQLite and 83 s on PostgreSQL per run. Here
the demo tests are one unit of work, given to the first worker; the other runs the rest meanwhile.

xdist's own ``--dist loadgroup`` does this with ``xdist_group`` marks, but it tags a test by
rewriting ``item._nodeid``, which pytest 9 no longer reads (a node's id is now ``item._id``): the
marks were silently ignored. Instead each worker writes the ids of the demo tests it collected to
the run's shared folder (the one ``tandem.tests.template_db`` uses), and this scheduler, which runs
in the controller once every worker has collected the same tests, reads them. Without the file
(a worker could not write it) every test is its own unit, as with ``--dist load``: slower, never wrong.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from xdist.scheduler.loadscope import LoadScopeScheduling

FILE = "demo-tests.txt"
GROUP = "demo world"


def record(shared: Path, nodeids: list[str]) -> None:
    """In a worker: save the ids of the tests that read the demo (every worker collects the same ones)."""
    partial = shared / f"{FILE}.{os.getpid()}"
    partial.write_text("\n".join(nodeids))
    os.replace(partial, shared / FILE)


class DemoGroupScheduling(LoadScopeScheduling):
    """``LoadScopeScheduling`` with every test its own unit, but for the demo tests: one unit, run first
    (units are handed out in the suite's order, the biggest first; a worker gets another when it
    has two tests left)."""

    def __init__(self, config: Any, log: Any = None) -> None:
        super().__init__(config, log)
        self._demo: set[str] | None = None

    def _demo_tests(self) -> set[str]:
        if self._demo is None:
            factory = getattr(self.config, "_tmp_path_factory", None)
            path = factory.getbasetemp() / FILE if factory is not None else None
            self._demo = set(path.read_text().split("\n")) if path is not None and path.exists() else set()
        return self._demo

    def _split_scope(self, nodeid: str) -> str:
        return GROUP if nodeid in self._demo_tests() else nodeid
