"""The French catalogue covers the interface and the compiled file matches it."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PO = ROOT / "locale" / "fr" / "LC_MESSAGES" / "django.po"
MO = PO.with_suffix(".mo")

TRANS_TAG = re.compile(r"""{%\s*trans(?:late)?\s+(["'])(.+?)\1""")
GETTEXT_CALL = re.compile(r"""\b(?:_|gettext|gettext_lazy|pgettext_lazy)\(\s*(["'])((?:(?!\1).)+)\1\s*[,)]""")


def _catalogue() -> dict[str, str]:
    entries: dict[str, str] = {}
    msgid = None
    key = None
    buffers: dict[str, str] = {}
    for line in [*PO.read_text().splitlines(), ""]:
        if line.startswith("msgid "):
            key, buffers = "id", {"id": line[6:].strip()[1:-1], "str": ""}
        elif line.startswith("msgstr") and buffers:
            key = "str"
            buffers["str"] = line.split(" ", 1)[1].strip()[1:-1] if not buffers["str"] else buffers["str"]
        elif line.startswith('"') and key:
            buffers[key] += line.strip()[1:-1]
        elif not line.strip() and buffers:
            msgid = buffers["id"]
            entries[msgid] = buffers["str"]
            buffers, key = {}, None
    return entries


def _sources():
    for path in sorted((ROOT / "templates").rglob("*.html")):
        for match in TRANS_TAG.finditer(path.read_text()):
            yield path, match.group(2)
    for path in sorted((ROOT / "tandem").rglob("*.py")):
        if "/tests/" in path.as_posix() or "/migrations/" in path.as_posix():
            continue
        for match in GETTEXT_CALL.finditer(path.read_text()):
            yield path, match.group(2)


def test_every_marked_string_has_a_french_translation():
    catalogue = _catalogue()
    missing = sorted({f"{p.relative_to(ROOT)}: {s}" for p, s in _sources() if not catalogue.get(s.replace('"', '\\"'))})
    assert missing == [], "run `manage.py makemessages -l fr` and translate:\n" + "\n".join(missing)


@pytest.mark.skipif(shutil.which("msgfmt") is None, reason="gettext's msgfmt is not installed")
def test_compiled_catalogue_matches_the_source(tmp_path):
    compiled = tmp_path / "django.mo"
    subprocess.run(["msgfmt", "--check", "-o", str(compiled), str(PO)], check=True, timeout=60)
    assert compiled.read_bytes() == MO.read_bytes(), "run `manage.py compilemessages -l fr`"
