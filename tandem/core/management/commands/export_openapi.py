"""Write the API's OpenAPI document to docs/openapi.json (committed; a test compares it)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand
from django.urls import resolve, reverse

DEFAULT_PATH = Path(settings.BASE_DIR) / "docs" / "openapi.json"


def mounted_api() -> Any:
    """The NinjaAPI mounted under the ``api`` URL namespace (found through the URLconf: core imports no API module)."""
    view = resolve(reverse("api:openapi-json")).func
    return view.keywords["api"]  # type: ignore[attr-defined]  # ninja's schema view: partial(openapi_json, api=...)


def openapi_document() -> str:
    """The schema as committed: sorted keys, two-space indent, trailing newline."""
    api = mounted_api()
    return json.dumps(api.get_openapi_schema(), sort_keys=True, indent=2, ensure_ascii=False, default=str) + "\n"


class Command(BaseCommand):
    help = "Write the OpenAPI document of /api/v1/ to docs/openapi.json."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--output", default=str(DEFAULT_PATH), help="Where to write (default: docs/openapi.json).")
        parser.add_argument("--check", action="store_true", help="Do not write; exit 1 if the file is out of date.")

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["output"])
        document = openapi_document()
        current = path.read_text(encoding="utf-8") if path.exists() else None
        if options["check"]:
            if current != document:
                self.stderr.write(f"{path} is out of date: run `python manage.py export_openapi`.")
                raise SystemExit(1)
            self.stdout.write(f"{path} is up to date.")
            return
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(document, encoding="utf-8")
        self.stdout.write(self.style.SUCCESS(f"Wrote {path}."))
