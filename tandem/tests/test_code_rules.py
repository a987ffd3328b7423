"""Rules about the code itself, checked by reading it (Zulip-style lint as tests)."""

from __future__ import annotations

import ast
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
# Modules that serve users (pages, API, forms, dashboard panels, files and exports) and the apps'
# registrations with core (audit scopes, contact scopes) read
# scoped records only through the access layer and the selectors built on it.
SCANNED_NAMES = (
    "views",
    "api",
    "apps",
    "forms",
    "dashboard",
    "figures",
    "files",
    "exports",
    "ics",
    "pdf",
    "context_processors",
)
SCANNED_PREFIXES = ("forms_",)
QUERYSET_METHODS = {
    "all",
    "filter",
    "exclude",
    "get",
    "count",
    "exists",
    "values",
    "values_list",
    "order_by",
    "first",
    "last",
    "iterator",
    "aggregate",
    "annotate",
    "select_related",
    "prefetch_related",
    "in_bulk",
    "latest",
    "earliest",
    "create",
    "update",
    "delete",
    "get_or_create",
    "update_or_create",
    "bulk_create",
    "distinct",
    "only",
    "defer",
}
# Related managers that are safe to follow from a record the actor may see: the related rows are
# parts of that record, shown with it under its own rule. Any other related manager (``body.meetings``,
# ``person.affiliations``, ``jurisdiction.children``...) reaches rows with rules of their own and must
# go through the access layer. (parent model, accessor) -> why.
PARTS_OF_THEIR_PARENT: dict[tuple[str, str], str] = {
    ("bodies.Body", "objectives"): "a body's stated objectives are part of its mandate, visible with the body",
    ("bodies.Meeting", "agenda_items"): "the agenda is part of the meeting, under the body's internals rule",
    **{
        ("plans.ActionPlan", accessor): "the parts of a plan are read with the plan"
        for accessor in ("pillars", "objectives", "indicators", "activities", "alignments", "periods")
    },
    ("plans.Pillar", "objectives"): "the parts of a plan are read with the plan",
    ("plans.Objective", "indicators"): "the parts of a plan are read with the plan",
    ("plans.Objective", "activities"): "the parts of a plan are read with the plan",
    ("plans.Objective", "alignments"): "the parts of a plan are read with the plan",
    ("plans.Indicator", "values"): "the parts of a plan are read with the plan",
    ("plans.Activity", "alignments"): "the parts of a plan are read with the plan",
    ("plans.Activity", "partner_orgs"): "the partner names the plan's author chose are part of the activity",
    ("plans.ReportingPeriod", "events"): "a period's review history is part of the period",
    ("plans.ReportingPeriod", "values"): "a period's reported values are part of the period",
    ("plans.ReportingPeriod", "activity_progress"): "a period's reported progress is part of the period",
    **{
        ("exchange.ExchangeItem", accessor): "parts of an exchange item, read under the item's TLP and audience"
        for accessor in ("recipients", "replies", "acknowledgements", "attachments", "label_changes")
    },
    ("exchange.Reply", "attachments"): "a reply's files are part of the reply, read under the item's rule",
    ("exchange.SharingAgreement", "party_organisations"): "the parties are part of the agreement",
    ("exchange.SharingAgreement", "party_jurisdictions"): "the parties are part of the agreement",
    **{
        ("capacity.Course", accessor): "a course's objectives, competencies and audience are part of the course"
        for accessor in ("learning_objectives", "course_competencies", "audience_sectors")
    },
    ("capacity.TrainingSession", "session_trainers"): "the trainers named on a session are published with it",
    **{
        ("library.LibraryItem", accessor): "parts of a library item, read under the item's visibility"
        for accessor in ("tags", "versions", "attachments", "countries", "concerns")
    },
    ("library.ChecklistRun", "ticks"): "a checklist record's ticks are the record",
    ("membership.NetworkMembership", "history"): "a membership's status history is part of the membership",
}


def _scanned_modules():
    for path in sorted((ROOT / "tandem").rglob("*.py")):
        rel = path.relative_to(ROOT).as_posix()
        if "/tests/" in rel or "/migrations/" in rel or "/management/" in rel:
            continue
        parts = rel[: -len(".py")].split("/")
        if any(p in SCANNED_NAMES or p.startswith(SCANNED_PREFIXES) for p in parts[1:]):
            yield path


def _unsafe_related_managers() -> set[str]:
    """Names of related managers on Tandem's models (reverse foreign keys, many-to-many) that reach
    rows with a visibility rule of their own: on some model, the accessor is not a part of its parent."""
    from django.apps import apps

    names = set()
    for model in apps.get_models():
        if not model.__module__.startswith("tandem."):
            continue
        for f in model._meta.get_fields():
            if f.is_relation and (f.one_to_many or f.many_to_many):
                accessor = f.get_accessor_name() if hasattr(f, "get_accessor_name") else f.name
                if accessor and (model._meta.label, accessor) not in PARTS_OF_THEIR_PARENT:
                    names.add(accessor)
    return names


class _Scan(ast.NodeVisitor):
    def __init__(self, source: str, accessors: set[str]) -> None:
        self.lines = source.splitlines()
        self.accessors = accessors
        self.found: list[tuple[int, str]] = []
        self._parents: dict[ast.AST, ast.AST] = {}

    def scan(self, tree: ast.AST) -> list[tuple[int, str]]:
        for parent in ast.walk(tree):
            for child in ast.iter_child_nodes(parent):
                self._parents[child] = parent
        self.visit(tree)
        return self.found

    def _flag(self, node: ast.AST, what: str) -> None:
        line = self.lines[node.lineno - 1]
        if "access-ok:" not in line:
            self.found.append((node.lineno, f"{what}: {line.strip()}"))

    def visit_Attribute(self, node: ast.Attribute) -> None:
        parent = self._parents.get(node)
        if node.attr in ("_default_manager", "_base_manager"):
            self._flag(node, f"model manager {node.attr}")
        elif node.attr == "objects" and _model_like(node.value):
            # ``Model.objects.none()`` (an empty choice list filled by the access layer) is the one safe use.
            is_none = isinstance(parent, ast.Attribute) and parent.attr == "none"
            if not is_none:
                self._flag(node, "Model.objects")
        elif (
            node.attr in self.accessors
            and isinstance(parent, ast.Attribute)
            and parent.attr in QUERYSET_METHODS
            and isinstance(self._parents.get(parent), ast.Call)
            and not _model_like(node.value)
        ):
            self._flag(node, f"related manager .{node.attr}")
        self.generic_visit(node)


def _model_like(node: ast.AST) -> bool:
    name = node.attr if isinstance(node, ast.Attribute) else node.id if isinstance(node, ast.Name) else ""
    return bool(name[:1].isupper())


def test_user_facing_modules_read_only_through_the_access_layer():
    """Views, API, forms, dashboards, files and exports never query scoped models behind the access layer.

    Flags ``Model.objects`` (but ``Model.objects.none()``), ``_default_manager``/``_base_manager``,
    and related managers (``body.memberships.filter(...)``), which bypass the actor's scope.
    A line may carry ``# access-ok: <reason>`` when it is audited safe.
    """
    accessors = _unsafe_related_managers()
    assert {"memberships", "affiliations", "meetings", "children"} <= accessors, "the related-manager list looks wrong"
    modules = list(_scanned_modules())
    assert len(modules) > 20, "the scan found too few modules: it would pass vacuously"
    offenders = []
    for path in modules:
        source = path.read_text()
        for number, what in _Scan(source, accessors).scan(ast.parse(source)):
            offenders.append(f"{path.relative_to(ROOT)}:{number}: {what}")
    assert offenders == [], "read through tandem.core.access (or mark an audited line access-ok: why):\n" + "\n".join(
        offenders
    )


@pytest.mark.parametrize(
    ("code", "flagged"),
    [
        ("qs = Organisation.objects.filter(name='x')", True),
        ("qs = models.Organisation.objects.all()", True),
        ("qs = Body._default_manager.all()", True),
        ("rows = body.memberships.filter(end_date=None)", True),
        ("n = person.affiliations.count()", True),
        ("field = forms.ModelChoiceField(queryset=Person.objects.none())", False),
        ("qs = access.visible_organisations(user)", False),
        ("qs = Organisation.objects.all()  # access-ok: the public sector list", False),
    ],
)
def test_the_scan_catches_raw_queries(code, flagged):
    found = _Scan(code, {"memberships", "affiliations"}).scan(ast.parse(code))
    assert bool(found) is flagged, found


def test_every_choice_field_starts_empty():
    """A form's record choices are empty until the view fills them from the actor's scope (fail closed)."""
    import importlib

    from django import forms

    offenders = []
    for path in _scanned_modules():
        if "forms" not in path.stem:
            continue
        module = importlib.import_module(path.relative_to(ROOT).with_suffix("").as_posix().replace("/", "."))
        for name, cls in vars(module).items():
            if not (isinstance(cls, type) and issubclass(cls, forms.BaseForm)) or cls.__module__ != module.__name__:
                continue
            for field_name, field in cls.base_fields.items():
                qs = getattr(field, "queryset", None)
                if isinstance(field, forms.ModelChoiceField) and qs is not None and not qs.query.is_empty():
                    offenders.append(f"{module.__name__}.{name}.{field_name}")
    assert offenders == []


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


def test_no_module_is_over_800_lines():
    """A module past 800 lines becomes a package by concern (DESIGN.md); tests and migrations aside."""
    long = []
    for path in sorted((ROOT / "tandem").rglob("*.py")):
        rel = path.relative_to(ROOT).as_posix()
        if "/tests/" in rel or "/migrations/" in rel:
            continue
        lines = len(path.read_text().splitlines())
        if lines > 800:
            long.append(f"{rel}: {lines} lines")
    assert long == []
