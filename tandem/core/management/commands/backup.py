"""Write a consistent backup: the database, the uploaded files and a manifest of checksums."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from tandem.core import backups


class Command(BaseCommand):
    help = (
        "Back up the database (pg_dump on PostgreSQL, SQLite's backup API on SQLite) and the uploaded "
        "files into a new folder, with a manifest of row counts and checksums per table and file."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--output", type=Path, default=None, help="parent folder (default: TANDEM_BACKUP_DIR)")

    def handle(self, *args: Any, **options: Any) -> None:
        output = options["output"] or Path(settings.TANDEM_BACKUP_DIR)
        try:
            folder = backups.backup(output)
        except backups.BackupError as exc:
            raise CommandError(str(exc)) from exc
        manifest = backups.read_manifest(folder)
        rows = sum(t["rows"] for t in manifest["tables"].values())
        self.stdout.write(
            f"Backup written to {folder}: {len(manifest['tables'])} tables, {rows} rows, "
            f"{len(manifest['files'])} files ({manifest['files_location']})."
        )
