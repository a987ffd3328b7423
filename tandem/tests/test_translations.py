"""The French catalogue covers the interface and the compiled file matches it."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
# The project catalogue plus one per app (makemessages routes an app's strings to its own).
CATALOGUES = sorted(
    [ROOT / "locale" / "fr" / "LC_MESSAGES" / "django.po", *(ROOT / "tandem").glob("*/locale/fr/LC_MESSAGES/django.po")]
)

TRANS_TAG = re.compile(r"""{%\s*trans(?:late)?\s+(["'])(.+?)\1""")
GETTEXT_CALL = re.compile(r"""\b(?:_|gettext|gettext_lazy|pgettext_lazy)\(\s*(["'])((?:(?!\1).)+)\1\s*[,)]""")


def _catalogue() -> dict[str, str]:
    entries: dict[str, str] = {}
    for po in CATALOGUES:
        entries.update({k: v for k, v in _read_po(po).items() if v or k not in entries})
    return entries


def _read_po(po: Path) -> dict[str, str]:
    entries: dict[str, str] = {}
    msgid = None
    key = None
    buffers: dict[str, str] = {}
    for line in [*po.read_text().splitlines(), ""]:
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
    templates = [*(ROOT / "templates").rglob("*.html"), *(ROOT / "tandem").glob("*/templates/**/*.html")]
    for path in sorted(templates):
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


@pytest.mark.parametrize("po", CATALOGUES, ids=[str(p.relative_to(ROOT)) for p in CATALOGUES])
def test_no_fuzzy_guesses_are_left(po):
    """makemessages guesses near matches and marks them fuzzy; Django would ignore them at run time."""
    fuzzy = [block for block in po.read_text().split("\n\n") if "#, fuzzy" in block]
    assert fuzzy == [], "translate and remove the fuzzy mark:\n" + "\n\n".join(fuzzy)


@pytest.mark.skipif(shutil.which("msgfmt") is None, reason="gettext's msgfmt is not installed")
@pytest.mark.parametrize("po", CATALOGUES, ids=[str(p.relative_to(ROOT)) for p in CATALOGUES])
def test_compiled_catalogue_matches_the_source(tmp_path, po):
    compiled = tmp_path / "django.mo"
    subprocess.run(["msgfmt", "--check", "-o", str(compiled), str(po)], check=True, timeout=60)
    assert compiled.read_bytes() == po.with_suffix(".mo").read_bytes(), "run `manage.py compilemessages -l fr`"
