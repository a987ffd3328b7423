"""Restore a backup into an empty database and media folder, then prove it matches the manifest."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import dj_database_url
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from tandem.core import backups


class Command(BaseCommand):
    help = (
        "Restore a backup folder (manage.py backup) into an EMPTY database (the configured one, or "
        "--database-url) and media folder, then compare every table's rows and checksum and every "
        "file with the manifest. Exits non-zero on any difference."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("backup", type=Path, help="the backup folder (tandem-<time>)")
        parser.add_argument("--database-url", default="", help="target database (default: the configured one)")
        parser.add_argument("--media-root", type=Path, default=None, help="target media folder (default: MEDIA_ROOT)")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["database_url"]:
            db_settings = dj_database_url.parse(options["database_url"])
        else:
            db_settings = dict(connection.settings_dict)
            connection.close()  # the target must be empty: nothing of ours holds it open
        media_root = options["media_root"] or Path(settings.MEDIA_ROOT)
        try:
            problems = backups.restore(options["backup"], db_settings=db_settings, media_root=media_root)
        except backups.BackupError as exc:
            raise CommandError(str(exc)) from exc
        if problems:
            for line in problems[:50]:
                self.stderr.write(line)
            raise CommandError(f"the restored data differs from the backup in {len(problems)} place(s)")
        manifest = backups.read_manifest(options["backup"])
        self.stdout.write(
            f"Restored {options['backup']}: {len(manifest['tables'])} tables and {len(manifest['files'])} files "
            "match the manifest (row counts and checksums)."
        )
