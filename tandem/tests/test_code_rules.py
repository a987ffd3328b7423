"""Rules about the code itself, checked by reading it (Zulip-style lint as tests)."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
RAW_MANAGER = re.compile(r"\b[A-Z][A-Za-z]+\.objects\b")


def _view_and_api_modules():
    for path in sorted((ROOT / "tandem").rglob("*.py")):
        rel = path.relative_to(ROOT).as_posix()
        if "/tests/" in rel or "/migrations/" in rel:
            continue
        if rel.endswith(("/views.py", "/api.py")) or "/views/" in rel or "/api/" in rel or rel == "tandem/api.py":
            yield path


def test_views_and_api_never_query_models_directly():
    """Views and API endpoints read through tandem.core.access, never Model.objects."""
    offenders = []
    modules = list(_view_and_api_modules())
    assert modules, "no view modules found: the scan would pass vacuously"
    for path in modules:
        for number, line in enumerate(path.read_text().splitlines(), 1):
            if RAW_MANAGER.search(line) and "access-ok" not in line:
                offenders.append(f"{path.relative_to(ROOT)}:{number}: {line.strip()}")
    assert offenders == [], "use tandem.core.access selectors instead:\n" + "\n".join(offenders)


def test_the_scan_catches_a_raw_query():
    assert RAW_MANAGER.search("qs = Organisation.objects.filter(name='x')")
    assert not RAW_MANAGER.search("qs = access.visible_organisations(user)")


def test_templates_have_no_inline_script_style_or_cdn():
    """The CSP forbids inline code; nothing may be fetched from the internet at run time."""
    offenders = []
    for path in sorted([*(ROOT / "templates").rglob("*.html"), *(ROOT / "tandem").glob("*/templates/**/*.html")]):
        text = path.read_text()
        rel = path.relative_to(ROOT)
        if re.search(r"<script(?![^>]*\bsrc=)[^>]*>", text):
            offenders.append(f"{rel}: inline <script>")
        if re.search(r"\son[a-z]+\s*=", text):
            offenders.append(f"{rel}: inline event handler")
        if re.search(r"\sstyle\s*=", text):
            offenders.append(f"{rel}: inline style attribute")
        if re.search(r"(src|href)=\"https?://", text):
            offenders.append(f"{rel}: asset from the internet")
    assert offenders == []


def _manage(*args, **env):
    full_env = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DATABASE_URL", "SECRET_KEY", "DEBUG", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    }
    full_env.update(env)
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=full_env, capture_output=True, text=True, timeout=120
    )


def test_production_refuses_to_start_without_secret_key():
    result = _manage("check", TANDEM_ENV="production", ALLOWED_HOSTS="tandem.example.org")
    assert result.returncode != 0
    assert "SECRET_KEY must be set in production" in result.stderr


def test_deploy_check_is_clean_with_production_settings():
    result = _manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        TANDEM_ENV="production",
        SECRET_KEY="k" * 20 + "-production-test-key-with-enough-entropy-8f3a9c2d7e",
        ALLOWED_HOSTS="tandem.example.org",
    )
    assert result.returncode == 0, result.stdout + result.stderr
