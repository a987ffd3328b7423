"""Migrate the test database once per run and copy it for each xdist worker.

Migrating a fresh database costs about 24 s of CPU (Django renders the migration state of ~200
models again and again), and pytest-django has every xdist worker do it for its own database.
Under ``pytest -n N`` the first worker to take the lock migrates a template instead, the real
migrations, data migrations and SQL included; every worker then copies it: PostgreSQL with
``CREATE DATABASE … TEMPLATE`` (a file copy on the server), SQLite with the backup API into the
worker's in-memory database. Without xdist, or with ``--reuse-db``, Django's own creation runs.

The template lives for one run: a file in the run's temporary folder (SQLite), a database the
controller drops when the run ends (PostgreSQL, ``drop_templates``).
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import sqlite3
from pathlib import Path

from django.db.backends.base.creation import BaseDatabaseCreation

_original_create_test_db = BaseDatabaseCreation.create_test_db
_shared: Path | None = None
TEMPLATE_SUFFIX = "_template"
# Aliases whose test database this process copied from the run's template (the same rows in every worker).
cloned: set[str] = set()


def install(shared_directory: Path) -> None:
    """Create test databases from a template kept in ``shared_directory`` (one folder per run, shared by
    the run's workers)."""
    global _shared
    _shared = shared_directory
    BaseDatabaseCreation.create_test_db = _create_test_db  # type: ignore[method-assign]


def _engine(creation: BaseDatabaseCreation) -> str | None:
    vendor = creation.connection.vendor
    return vendor if vendor in {"postgresql", "sqlite"} else None


def _template_name(creation: BaseDatabaseCreation) -> str:
    """``test_tandem_gw0`` → ``test_tandem_template`` (SQLite: a file in the run's folder)."""
    assert _shared is not None
    alias = creation.connection.alias
    if creation.connection.vendor == "sqlite":
        return str(_shared / f"template-{alias}.sqlite3")
    name = creation._get_test_db_name()
    worker = os.environ.get("PYTEST_XDIST_WORKER", "")
    if worker and name.endswith(f"_{worker}"):
        name = name[: -len(worker) - 1]
    return name + TEMPLATE_SUFFIX


@contextlib.contextmanager
def locked(path: Path):
    with open(path, "a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _create_test_db(self, verbosity=1, autoclobber=False, serialize=True, keepdb=False):
    if _shared is None or keepdb or _engine(self) is None:
        return _original_create_test_db(self, verbosity, autoclobber, serialize, keepdb)
    from django.conf import settings
    from django.core.management import call_command

    alias = self.connection.alias
    template = _template_name(self)
    ready = _shared / f"template-{alias}.ready"
    with locked(_shared / f"template-{alias}.lock"):
        if not ready.exists():
            _build_template(self, template, verbosity)
            ready.write_text(f"{self.connection.vendor}\n{template}\n")
        name = self._get_test_db_name()
        if self.connection.vendor == "postgresql":
            _clone_postgresql(self, template, name)
    self.connection.close()
    settings.DATABASES[alias]["NAME"] = name
    self.connection.settings_dict["NAME"] = name
    if self.connection.vendor == "sqlite":
        self._create_test_db(verbosity, autoclobber, keepdb)
        self.connection.ensure_connection()
        source = sqlite3.connect(template)
        try:
            source.backup(self.connection.connection)
        finally:
            source.close()
    cloned.add(alias)
    # What Django's create_test_db does after migrating.
    if serialize:
        self.connection._test_serialized_contents = self.serialize_db_to_string()
    call_command("createcachetable", database=alias)
    self.connection.ensure_connection()
    return name


def shared_directory() -> Path | None:
    """The run's folder shared by its workers, when this worker's default database is a copy of the template."""
    from django.db import DEFAULT_DB_ALIAS

    return _shared if DEFAULT_DB_ALIAS in cloned else None


def _build_template(creation: BaseDatabaseCreation, template: str, verbosity: int) -> None:
    """Django's own test database creation (migrations included), under the template's name."""
    test_settings = creation.connection.settings_dict["TEST"]
    worker_name = test_settings.get("NAME")
    test_settings["NAME"] = template
    try:
        _original_create_test_db(creation, verbosity, autoclobber=True, serialize=False, keepdb=False)
    finally:
        test_settings["NAME"] = worker_name
    creation.connection.close()  # PostgreSQL copies a template only while nobody is connected to it


def _clone_postgresql(creation: BaseDatabaseCreation, template: str, name: str) -> None:
    quote = creation.connection.ops.quote_name
    with creation._nodb_cursor() as cursor:
        cursor.execute(f"DROP DATABASE IF EXISTS {quote(name)}")
        cursor.execute(f"CREATE DATABASE {quote(name)} TEMPLATE {quote(template)}")


def drop_templates(shared_directory: Path) -> None:
    """At the end of the run (controller): drop the PostgreSQL templates the workers made."""
    from django.db import connections

    for ready in shared_directory.glob("template-*.ready"):
        vendor, template = ready.read_text().split()[:2]
        alias = ready.name[len("template-") : -len(".ready")]
        if vendor != "postgresql" or alias not in connections:
            continue
        connection = connections[alias]
        with connection.creation._nodb_cursor() as cursor:
            cursor.execute(f"DROP DATABASE IF EXISTS {connection.ops.quote_name(template)}")
        ready.unlink()
