"""Consistent backups and verified restores (``manage.py backup`` / ``manage.py restore``).

A backup is a folder::

    tandem-20261126T040000Z/
        manifest.json        what is inside: per table its rows and a checksum, per file its sha256
        database.dump        PostgreSQL: pg_dump's custom format (pg_restore reads it)
        database.sqlite3     SQLite: a copy made with SQLite's online backup API
        files/               the uploaded files (MEDIA_ROOT), unless they live in an S3 bucket

Consistency: on PostgreSQL the checksums are computed inside one REPEATABLE READ transaction
whose snapshot pg_dump shares (``--snapshot``), so the manifest describes exactly the rows in the
dump while the site keeps running. On SQLite the manifest is computed from the copy itself.
Files are copied after the database snapshot: every file a row of the snapshot names is already
there (files are written before their row commits and never changed after).

A table's checksum is order-independent: the sha256 (md5 per row on PostgreSQL) of the sorted
digests of its rows' text, so a restored table compares equal whatever its physical order.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import connection

FORMAT = 1
MANIFEST = "manifest.json"
PG_DUMP = "database.dump"
SQLITE_COPY = "database.sqlite3"
FILES = "files"


class BackupError(RuntimeError):
    """A backup or restore that cannot go on; the message says why (no secrets in it)."""


@dataclass(frozen=True)
class Target:
    """A database named by Django settings (``ENGINE``, ``NAME``, ``HOST``…): where to read or write."""

    engine: str  # "postgresql" or "sqlite"
    settings: dict[str, Any]

    @classmethod
    def of(cls, db_settings: dict[str, Any]) -> Target:
        engine = db_settings["ENGINE"]
        if "postgresql" in engine:
            return cls("postgresql", db_settings)
        if "sqlite3" in engine:
            return cls("sqlite", db_settings)
        raise BackupError(f"backups support PostgreSQL and SQLite, not {engine}")

    # --- PostgreSQL ---------------------------------------------------------------------------
    def pg_args(self) -> list[str]:
        s = self.settings
        args = ["--dbname", s["NAME"]]
        if s.get("HOST"):
            args += ["--host", str(s["HOST"])]
        if s.get("PORT"):
            args += ["--port", str(s["PORT"])]
        if s.get("USER"):
            args += ["--username", str(s["USER"])]
        return args

    def pg_env(self) -> dict[str, str]:
        env = dict(os.environ)
        if self.settings.get("PASSWORD"):
            env["PGPASSWORD"] = str(self.settings["PASSWORD"])
        return env

    def pg_connect(self) -> Any:
        import psycopg

        s = self.settings
        return psycopg.connect(
            dbname=s["NAME"],
            host=s.get("HOST") or None,
            port=s.get("PORT") or None,
            user=s.get("USER") or None,
            password=s.get("PASSWORD") or None,
            autocommit=False,
        )


# --- Manifests ----------------------------------------------------------------------------------


def _pg_tables(cursor: Any) -> list[str]:
    cursor.execute(
        "SELECT tablename FROM pg_tables WHERE schemaname = current_schema() ORDER BY tablename",
    )
    return [row[0] for row in cursor.fetchall()]


def pg_table_summary(cursor: Any) -> dict[str, Any]:
    """Rows and checksum of every table, and every sequence's value, in the cursor's snapshot."""
    tables: dict[str, dict[str, Any]] = {}
    for table in _pg_tables(cursor):
        quoted = '"' + table.replace('"', '""') + '"'
        cursor.execute(
            f"SELECT count(*), coalesce(md5(string_agg(d, '' ORDER BY d)), '') "  # noqa: S608 - names from pg_tables
            f"FROM (SELECT md5(t::text) AS d FROM {quoted} AS t) AS rows"
        )
        rows, checksum = cursor.fetchone()
        tables[table] = {"rows": int(rows), "checksum": checksum}
    cursor.execute(
        "SELECT sequencename, coalesce(last_value, 0) FROM pg_sequences "
        "WHERE schemaname = current_schema() ORDER BY sequencename"
    )
    sequences = {name: int(value) for name, value in cursor.fetchall()}
    return {"tables": tables, "sequences": sequences}


def sqlite_table_summary(path: Path) -> dict[str, Any]:
    tables: dict[str, dict[str, Any]] = {}
    db = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        names = [
            row[0]
            for row in db.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name"
            )
        ]
        for table in names:
            quoted = '"' + table.replace('"', '""') + '"'
            digests = sorted(
                hashlib.sha256(repr(row).encode()).hexdigest()
                for row in db.execute(f"SELECT * FROM {quoted}")  # noqa: S608 - names from sqlite_master
            )
            checksum = hashlib.sha256("".join(digests).encode()).hexdigest() if digests else ""
            tables[table] = {"rows": len(digests), "checksum": checksum}
        sequences = {}
        if "sqlite_sequence" in {row[0] for row in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}:
            sequences = {name: int(seq) for name, seq in db.execute("SELECT name, seq FROM sqlite_sequence")}
    finally:
        db.close()
    return {"tables": tables, "sequences": sequences}


def file_digest(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def files_summary(root: Path) -> dict[str, dict[str, Any]]:
    if not root.is_dir():
        return {}
    found = {}
    for path in sorted(p for p in root.rglob("*") if p.is_file()):
        found[path.relative_to(root).as_posix()] = {"bytes": path.stat().st_size, "sha256": file_digest(path)}
    return found


def compare(expected: dict[str, Any], actual: dict[str, Any]) -> list[str]:
    """What differs between two manifests' tables, sequences and files (empty: identical)."""
    problems: list[str] = []
    for part in ("tables", "sequences", "files"):
        want, got = expected.get(part, {}), actual.get(part, {})
        for name in sorted(set(want) | set(got)):
            if name not in got:
                problems.append(f"{part}: {name} is missing")
            elif name not in want:
                problems.append(f"{part}: {name} was not in the backup")
            elif want[name] != got[name]:
                problems.append(f"{part}: {name} differs: {want[name]} != {got[name]}")
    return problems


# --- Backup -------------------------------------------------------------------------------------


def _uploads_in_bucket() -> bool:
    return bool(getattr(settings, "TANDEM_S3_BUCKET", ""))


@contextmanager
def _pg_snapshot(target: Target) -> Iterator[tuple[Any, str]]:
    db = target.pg_connect()
    try:
        with db.cursor() as cursor:
            cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            cursor.execute("SELECT pg_export_snapshot()")
            snapshot = cursor.fetchone()[0]
            yield cursor, snapshot
    finally:
        db.rollback()
        db.close()


def backup(output_root: Path, *, db_settings: dict[str, Any] | None = None, media_root: Path | None = None) -> Path:
    """Write a backup folder under ``output_root``; returns its path."""
    target = Target.of(db_settings or connection.settings_dict)
    media = Path(media_root or settings.MEDIA_ROOT)
    stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%S%fZ")
    folder = Path(output_root) / f"tandem-{stamp}"
    partial = folder.with_name(folder.name + ".partial")
    partial.mkdir(parents=True)
    manifest: dict[str, Any] = {"format": FORMAT, "created_at": stamp, "engine": target.engine}
    if target.engine == "postgresql":
        dump = partial / PG_DUMP
        with _pg_snapshot(target) as (cursor, snapshot):
            manifest.update(pg_table_summary(cursor))
            result = subprocess.run(  # noqa: S603 - fixed program, arguments from settings
                ["pg_dump", "--format=custom", "--no-owner", "--no-acl", f"--snapshot={snapshot}", "--file", str(dump)]
                + target.pg_args(),
                env=target.pg_env(),
                capture_output=True,
                text=True,
                timeout=6 * 3600,
            )
        if result.returncode != 0:
            shutil.rmtree(partial, ignore_errors=True)
            raise BackupError(f"pg_dump failed: {result.stderr.strip()[-500:]}")
        manifest["database"] = {"file": PG_DUMP, "sha256": file_digest(dump)}
    else:
        copy = partial / SQLITE_COPY
        _sqlite_copy_from_django(copy, target)
        manifest.update(sqlite_table_summary(copy))
        manifest["database"] = {"file": SQLITE_COPY, "sha256": file_digest(copy)}
    if _uploads_in_bucket():
        manifest["files_location"] = "s3"
        manifest["files"] = {}
    else:
        manifest["files_location"] = "local"
        if media.is_dir():
            shutil.copytree(media, partial / FILES)
        manifest["files"] = files_summary(partial / FILES)
    (partial / MANIFEST).write_text(json.dumps(manifest, indent=1, sort_keys=True))
    partial.rename(folder)
    return folder


def _sqlite_copy_from_django(copy: Path, target: Target) -> None:
    """SQLite's online backup of the database Django uses (consistent while others write)."""
    if target.settings is connection.settings_dict:
        connection.ensure_connection()
        _sqlite_copy(connection.connection, copy)
        return
    source = sqlite3.connect(target.settings["NAME"])
    try:
        _sqlite_copy(source, copy)
    finally:
        source.close()


def _sqlite_copy(source: sqlite3.Connection, path: Path) -> None:
    """Copy with SQLite's backup API into ``path``; the copy keeps no write-ahead log beside it."""
    destination = sqlite3.connect(path)
    try:
        source.backup(destination)
        destination.execute("PRAGMA journal_mode=DELETE")
    finally:
        destination.close()


# --- Restore ------------------------------------------------------------------------------------


def read_manifest(folder: Path) -> dict[str, Any]:
    path = Path(folder) / MANIFEST
    if not path.is_file():
        raise BackupError(f"{folder} has no {MANIFEST}: not a Tandem backup")
    manifest = json.loads(path.read_text())
    if manifest.get("format") != FORMAT:
        raise BackupError(f"unknown backup format {manifest.get('format')!r}")
    return manifest


def _check_backup_files(folder: Path, manifest: dict[str, Any]) -> None:
    dump = folder / manifest["database"]["file"]
    if not dump.is_file() or file_digest(dump) != manifest["database"]["sha256"]:
        raise BackupError("the database file of the backup is missing or damaged (checksum)")
    damaged = compare({"files": manifest.get("files", {})}, {"files": files_summary(folder / FILES)})
    if damaged:
        raise BackupError("the files of the backup are damaged: " + "; ".join(damaged[:5]))


def summary_of(target: Target) -> dict[str, Any]:
    if target.engine == "postgresql":
        db = target.pg_connect()
        try:
            with db.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
                return pg_table_summary(cursor)
        finally:
            db.rollback()
            db.close()
    return sqlite_table_summary(Path(target.settings["NAME"]))


def _is_empty(target: Target) -> bool:
    if target.engine == "postgresql":
        db = target.pg_connect()
        try:
            with db.cursor() as cursor:
                return not _pg_tables(cursor)
        finally:
            db.rollback()
            db.close()
    path = Path(target.settings["NAME"])
    if not path.exists() or path.stat().st_size == 0:
        return True
    db = sqlite3.connect(path)
    try:
        return db.execute("SELECT count(*) FROM sqlite_master WHERE type = 'table'").fetchone()[0] == 0
    finally:
        db.close()


def restore(folder: Path, *, db_settings: dict[str, Any], media_root: Path) -> list[str]:
    """Load a backup into an empty database and media folder; returns the differences found (none: [])."""
    folder = Path(folder)
    manifest = read_manifest(folder)
    target = Target.of(db_settings)
    if target.engine != manifest["engine"]:
        raise BackupError(f"this backup is of {manifest['engine']}; the target database is {target.engine}")
    _check_backup_files(folder, manifest)
    if not _is_empty(target):
        raise BackupError("the target database is not empty: restore only into an empty database")
    media_root = Path(media_root)
    if manifest.get("files") and media_root.is_dir() and any(media_root.iterdir()):
        raise BackupError(f"the media folder {media_root} is not empty")
    if target.engine == "postgresql":
        result = subprocess.run(  # noqa: S603 - fixed program, arguments from settings
            ["pg_restore", "--no-owner", "--no-acl", "--exit-on-error", "--single-transaction"]
            + target.pg_args()
            + [str(folder / PG_DUMP)],
            env=target.pg_env(),
            capture_output=True,
            text=True,
            timeout=6 * 3600,
        )
        if result.returncode != 0:
            raise BackupError(f"pg_restore failed: {result.stderr.strip()[-500:]}")
    else:
        path = Path(target.settings["NAME"])
        path.parent.mkdir(parents=True, exist_ok=True)
        source = sqlite3.connect(f"file:{folder / SQLITE_COPY}?mode=ro", uri=True)
        try:
            _sqlite_copy(source, path)
        finally:
            source.close()
    if (folder / FILES).is_dir():
        shutil.copytree(folder / FILES, media_root, dirs_exist_ok=True)
    restored = summary_of(target)
    restored["files"] = files_summary(media_root) if manifest.get("files") else {}
    return compare(manifest, restored)
