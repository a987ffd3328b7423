"""Backups restore: backup -> restore into a second, empty database -> every table and file compares equal.

Runs on the suite's database engine: SQLite (the backup API; restored into a file) and PostgreSQL
(pg_dump sharing the checksum transaction's snapshot; restored with pg_restore into a database
made for the test). The rows must be committed for pg_dump to see them, so these tests are
transactional.
"""

from __future__ import annotations

import json
import shutil

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from tandem.core import backups, services
from tandem.core.models import Organisation, Sector

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def second_database(tmp_path):
    """Settings of an empty database beside the test database (same engine), dropped afterwards."""
    if connection.vendor == "sqlite":
        yield {"ENGINE": "django.db.backends.sqlite3", "NAME": str(tmp_path / "restored.sqlite3")}
        return
    import psycopg

    live = connection.settings_dict
    name = f"{live['NAME']}_restored"
    admin_settings = {**live, "NAME": "postgres"}
    admin = backups.Target.of(admin_settings).pg_connect()
    admin.autocommit = True
    admin.execute(psycopg.sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(psycopg.sql.Identifier(name)))
    admin.execute(psycopg.sql.SQL("CREATE DATABASE {}").format(psycopg.sql.Identifier(name)))
    try:
        yield {**live, "NAME": name}
    finally:
        admin.execute(psycopg.sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(psycopg.sql.Identifier(name)))
        admin.close()


def _url(db_settings: dict) -> str:
    if "sqlite3" in db_settings["ENGINE"]:
        return f"sqlite:///{db_settings['NAME']}"
    host = db_settings.get("HOST") or "127.0.0.1"
    port = db_settings.get("PORT") or 5432
    user = db_settings.get("USER") or "postgres"
    password = f":{db_settings['PASSWORD']}" if db_settings.get("PASSWORD") else ""
    return f"postgres://{user}{password}@{host}:{port}/{db_settings['NAME']}"


@pytest.fixture
def uploads(settings, tmp_path):
    media = tmp_path / "media"
    (media / "exchange").mkdir(parents=True)
    (media / "library").mkdir(parents=True)
    (media / "exchange" / "a1b2").write_bytes(b"%PDF-1.4 an attachment\n")
    (media / "library" / "c3d4").write_bytes(bytes(range(256)) * 64)
    settings.MEDIA_ROOT = media
    return media


def test_backup_then_restore_into_a_second_database_compares_equal(world, uploads, second_database, tmp_path):
    services.organisation_create(
        actor=world.local, jurisdiction=world.cebu_city, name="Backed-up Ünïcode Org", sector=Sector.COMMUNITY
    )
    call_command("backup", output=tmp_path / "backups")
    (folder,) = (tmp_path / "backups").iterdir()
    manifest = backups.read_manifest(folder)
    assert manifest["engine"] == ("sqlite" if connection.vendor == "sqlite" else "postgresql")
    assert manifest["tables"]["core_organisation"]["rows"] == Organisation.objects.count() > 0
    assert manifest["tables"]["core_auditevent"]["rows"] > 0
    assert set(manifest["files"]) == {"exchange/a1b2", "library/c3d4"}

    restored_media = tmp_path / "restored-media"
    call_command("restore", str(folder), database_url=_url(second_database), media_root=restored_media)

    restored = backups.summary_of(backups.Target.of(second_database))
    assert restored["tables"] == manifest["tables"]  # every table: same rows, same checksum
    assert restored["sequences"] == manifest["sequences"]
    assert backups.files_summary(restored_media) == manifest["files"]
    assert (restored_media / "library" / "c3d4").read_bytes() == (uploads / "library" / "c3d4").read_bytes()


def test_the_manifest_describes_the_database_it_was_taken_from(world, uploads, tmp_path):
    folder = backups.backup(tmp_path)
    manifest = backups.read_manifest(folder)
    if connection.vendor == "postgresql":
        live = backups.summary_of(backups.Target.of(connection.settings_dict))
        assert live["tables"] == manifest["tables"]
    assert sum(t["rows"] for t in manifest["tables"].values()) > 100
    assert not list(tmp_path.glob("*.partial"))


def test_restore_refuses_a_database_that_is_not_empty(world, uploads, second_database, tmp_path):
    folder = backups.backup(tmp_path / "b")
    assert backups.restore(folder, db_settings=second_database, media_root=tmp_path / "m1") == []
    with pytest.raises(backups.BackupError, match="not empty"):
        backups.restore(folder, db_settings=second_database, media_root=tmp_path / "m2")


def test_a_damaged_backup_is_refused_before_anything_is_written(world, uploads, second_database, tmp_path):
    folder = backups.backup(tmp_path / "b")
    (folder / "files" / "library" / "c3d4").write_bytes(b"tampered")
    with pytest.raises(CommandError, match="damaged"):
        call_command("restore", str(folder), database_url=_url(second_database), media_root=tmp_path / "m")
    assert not (tmp_path / "m").exists()
    manifest = json.loads((folder / "manifest.json").read_text())
    shutil.copy(folder / manifest["database"]["file"], tmp_path / "copy")
    (folder / manifest["database"]["file"]).write_bytes(b"not a database")
    with pytest.raises(backups.BackupError, match="damaged"):
        backups.restore(folder, db_settings=second_database, media_root=tmp_path / "m")


def test_compare_names_what_differs():
    expected = {"tables": {"a": {"rows": 1, "checksum": "x"}, "b": {"rows": 0, "checksum": ""}}, "files": {}}
    actual = {"tables": {"a": {"rows": 2, "checksum": "y"}, "c": {"rows": 0, "checksum": ""}}, "files": {}}
    problems = backups.compare(expected, actual)
    assert any(p.startswith("tables: a differs") for p in problems)
    assert "tables: b is missing" in problems
    assert "tables: c was not in the backup" in problems
