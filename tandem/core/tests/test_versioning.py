"""One way to edit a versioned record: ``tandem.core.versioning``.

The behaviour (a stale save changes nothing and says what changed; the API
answers 409) is tested per record in each app; here: the module itself, and a
scan that no other code writes a ``version``.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from django import forms
from django.apps import apps

from tandem.core import services, versioning
from tandem.core.models import AuditEvent

ROOT = Path(__file__).resolve().parents[3]

# Files that still write versions by hand (none left).
PENDING: set[str] = set()


def _version_writes(tree: ast.AST) -> list[tuple[int, str]]:
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.AugAssign) and isinstance(node.target, ast.Attribute) and node.target.attr == "version":
            found.append((node.lineno, "version += ..."))
        elif isinstance(node, ast.Assign):
            for target in node.targets:
                if isinstance(target, ast.Attribute) and target.attr == "version":
                    found.append((node.lineno, "x.version = ..."))
        elif isinstance(node, ast.Call):
            func = node.func
            name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
            if name == "F" and node.args and isinstance(node.args[0], ast.Constant) and node.args[0].value == "version":
                found.append((node.lineno, 'F("version")'))
            for keyword in node.keywords:
                if name == "update" and keyword.arg == "version" and isinstance(keyword.value, ast.BinOp):
                    found.append((node.lineno, ".update(version=...)"))
                if keyword.arg == "update_fields" and "'version'" in ast.unparse(keyword.value):
                    found.append((node.lineno, "update_fields with version"))
    return found


def test_versioned_models_are_written_only_through_core_versioning():
    versioned = [m for m in apps.get_models() if any(f.name == "version" for f in m._meta.fields)]
    assert len(versioned) >= 10, "the scan would pass vacuously"
    offenders = []
    for path in sorted((ROOT / "tandem").rglob("*.py")):
        rel = path.relative_to(ROOT).as_posix()
        if "/tests/" in rel or "/migrations/" in rel or rel == "tandem/core/versioning.py" or rel in PENDING:
            continue
        for line, what in _version_writes(ast.parse(path.read_text())):
            offenders.append(f"{rel}:{line}: {what}")
    assert offenders == [], "write versioned records with tandem.core.versioning:\n" + "\n".join(offenders)


@pytest.mark.parametrize(
    "code",
    [
        "obj.version += 1",
        "obj.version = obj.version + 1",
        "Model.objects.filter(pk=1).update(version=F('version') + 1)",
        "Model.objects.filter(pk=1).update(version=obj.version + 1)",
        "obj.save(update_fields=['name', 'version'])",
    ],
)
def test_the_scan_catches_a_hand_rolled_version(code):
    assert _version_writes(ast.parse(code))


def test_the_scan_ignores_reads():
    code = "if obj.version != expected: pass\nversion = obj.version\ninitial.update(version=obj.version)"
    assert not _version_writes(ast.parse(code))


@pytest.mark.django_db
def test_update_writes_changed_fields_bumps_once_and_audits_in_one_row(world):
    org = world.city_hall
    before = AuditEvent.objects.filter(object_uuid=str(org.uuid)).count()
    saved = versioning.update(
        actor=world.regional, obj=org, expected_version=org.version, values={"name": "New name", "sector": org.sector}
    )
    assert saved.version == org.version + 1
    events = AuditEvent.objects.filter(object_uuid=str(org.uuid)).order_by("-id")
    assert events.count() == before + 1
    assert events.first().changes == {"name": ["Cebu City Hall", "New name"]}  # only what changed


@pytest.mark.django_db
def test_update_without_a_change_writes_nothing(world):
    org = world.city_hall
    saved = versioning.update(actor=world.regional, obj=org, expected_version=org.version, values={"name": org.name})
    assert saved.version == org.version


@pytest.mark.django_db
def test_a_stale_update_raises_the_conflict_with_what_changed_and_writes_nothing(world):
    org = world.city_hall
    services.organisation_update(actor=world.regional, organisation=org, expected_version=1, name="First")
    with pytest.raises(versioning.VersionConflict) as caught:
        versioning.update(actor=world.regional, obj=org, expected_version=1, values={"name": "Second"})
    conflict = caught.value
    assert conflict.current.version == 2 and conflict.expected_version == 1
    assert conflict.changed == {"name": ("Cebu City Hall", "First")}
    org.refresh_from_db()
    assert org.name == "First" and org.version == 2


def _post(data):
    from django.contrib.messages.storage.fallback import FallbackStorage
    from django.test import RequestFactory

    request = RequestFactory().post("/edit/", data)
    request.session = {}
    request._messages = FallbackStorage(request)
    return request


class _Form(forms.Form):
    name = forms.CharField(label="Name")
    partners = forms.MultipleChoiceField(label="Partners", choices=[("a", "A"), ("b", "B"), ("c", "C")])
    version = forms.IntegerField(widget=forms.HiddenInput)


def test_the_page_helper_shows_a_conflict_and_keeps_every_entry_of_the_user():
    """On a stale save the form comes back with all the user's entries (every selected
    partner, not only the last: a QueryDict flattened with ``.dict()`` lost them) on top
    of the current version, and the table says what changed."""
    from types import SimpleNamespace

    from tandem.core.views.versioned import versioned_form

    current = SimpleNamespace(version=3, name="Theirs", partners=["a"], _meta=None)

    def save(data, version):
        raise versioning.VersionConflict(current, {"name": ("Before", "Theirs")}, version)

    edit = versioned_form(
        _post({"name": "Mine", "partners": ["b", "c"], "version": "2"}), _Form, record=current, save=save
    )
    assert not edit.saved
    assert edit.form.data.getlist("partners") == ["b", "c"] and edit.form.data["version"] == "3"
    assert edit.form.is_valid()
    [row] = edit.conflict.rows
    assert (row.label, row.started, row.now, row.yours) == ("Name", "Before", "Theirs", "Mine")


def test_the_page_helper_saves_with_the_version_the_user_started_from():
    from types import SimpleNamespace

    from tandem.core.views.versioned import versioned_form

    calls = []
    edit = versioned_form(
        _post({"name": "Mine", "partners": ["a"], "version": "2"}),
        _Form,
        record=SimpleNamespace(version=2),
        save=lambda data, version: calls.append((data, version)),
    )
    assert edit.saved and calls == [({"name": "Mine", "partners": ["a"]}, 2)]
