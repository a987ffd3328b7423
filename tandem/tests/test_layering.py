"""Core does not depend on the apps built on it (checked by reading the code's syntax tree).

``tandem.core`` is the base every app (bodies, plans, exchange, and the ones to come)
builds on; the apps plug into it through ``tandem.core.registry``. No module of core
may import an app or the project's API module, not even late inside a function, nor by
name through ``importlib``. Core's own tests are exempt: they may exercise the whole
project.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
CORE = ROOT / "tandem" / "core"
ALLOWED_PREFIX = "tandem.core"


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts = parts[:-1]
    return ".".join(parts)


def _package(path: Path) -> str:
    """The package relative imports of ``path`` start from."""
    return ".".join(path.relative_to(ROOT).parent.parts)


def _resolve(package: str, node: ast.ImportFrom) -> str:
    """The absolute module an ``ImportFrom`` names (relative imports resolved against ``package``)."""
    if not node.level:
        return node.module or ""
    base = package.split(".")
    base = base[: len(base) - (node.level - 1)]
    return ".".join([*base, node.module] if node.module else base)


def _imported_modules(package: str, tree: ast.AST) -> Iterator[tuple[int, str]]:
    """(line, dotted name) of everything ``tree`` imports, at any depth, and ``import_module("...")`` calls."""
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield node.lineno, alias.name
        elif isinstance(node, ast.ImportFrom):
            target = _resolve(package, node)
            for alias in node.names:
                # ``from tandem import bodies`` imports the module tandem.bodies.
                yield node.lineno, f"{target}.{alias.name}" if target == "tandem" else target
        elif isinstance(node, ast.Call) and getattr(node.func, "attr", getattr(node.func, "id", "")) in {
            "import_module",
            "__import__",
        }:
            if node.args and isinstance(node.args[0], ast.Constant) and isinstance(node.args[0].value, str):
                yield node.lineno, node.args[0].value
            elif node.args and isinstance(node.args[0], ast.JoinedStr):
                head = node.args[0].values[0] if node.args[0].values else None
                prefix = head.value if isinstance(head, ast.Constant) else ""
                # f"tandem.{app}.demo": a module of an app chosen at run time.
                yield node.lineno, f"{prefix}<computed>"


def forbidden_imports(package: str, source: str) -> list[str]:
    """Imports of ``source`` (a module of ``package``) that reach outside ``tandem.core``."""
    found = []
    for line, name in _imported_modules(package, ast.parse(source)):
        if name.startswith("tandem.") and not (name == ALLOWED_PREFIX or name.startswith(ALLOWED_PREFIX + ".")):
            found.append(f"{line}: {name}")
    return found


def _core_modules() -> Iterator[Path]:
    for path in sorted(CORE.rglob("*.py")):
        if "tests" in path.relative_to(CORE).parts:
            continue
        yield path


def test_core_imports_no_app():
    modules = list(_core_modules())
    assert len(modules) > 30, "core's modules were not found: the check would pass vacuously"
    offenders = []
    for path in modules:
        for hit in forbidden_imports(_package(path), path.read_text()):
            offenders.append(f"{path.relative_to(ROOT)}:{hit}")
    assert offenders == [], "core must not import the apps built on it (use tandem.core.registry):\n" + "\n".join(
        offenders
    )


def test_the_check_catches_each_way_of_importing_an_app():
    package = "tandem.core.views"
    caught = [
        "from tandem.bodies.models import Membership",
        "import tandem.exchange.dashboard",
        "from tandem import api",
        "from tandem.api import SESSION_PAGES",
        "def late():\n    from tandem.plans import demo",
        "from ...bodies import access",
        "import importlib\nimportlib.import_module('tandem.funding.demo')",
        "import importlib\nimportlib.import_module(f'tandem.{app}.dashboard')",
    ]
    for source in caught:
        assert forbidden_imports(package, source), source
    allowed = [
        "from tandem.core import access",
        "from .. import access, registry",
        "from ..models import Person",
        "import django.db",
    ]
    for source in allowed:
        assert forbidden_imports(package, source) == [], source


def _core_import_graph() -> dict[str, set[str]]:
    """Module -> the core modules it imports (at any depth: late imports count)."""
    modules = {_module_name(p): p for p in _core_modules()}
    graph = {}
    for name, path in modules.items():
        tree = ast.parse(path.read_text())
        imported = {target for _line, target in _imported_modules(_package(path), tree)}
        for node in ast.walk(tree):  # ``from . import a``: the module tandem.core.a
            if isinstance(node, ast.ImportFrom):
                imported |= {f"{_resolve(_package(path), node)}.{alias.name}" for alias in node.names}
        graph[name] = {m for m in imported if m in modules and m != name}
    return graph


def _cycle(graph: dict[str, set[str]]) -> list[str] | None:
    """One import cycle of ``graph`` (a list of modules ending where it starts), or None."""
    done: set[str] = set()

    def visit(node: str, path: list[str]) -> list[str] | None:
        if node in path:
            return [*path[path.index(node) :], node]
        if node in done:
            return None
        for target in sorted(graph[node]):
            found = visit(target, [*path, node])
            if found:
                return found
        done.add(node)
        return None

    for start in sorted(graph):
        found = visit(start, [])
        if found:
            return found
    return None


def test_core_modules_import_no_cycle():
    """No two core modules need each other (e.g. the sign-in audit and the second factor), not even late."""
    graph = _core_import_graph()
    assert {"tandem.core.access", "tandem.core.user_sessions"} <= graph["tandem.core.mfa"], "the graph misses imports"
    assert _cycle(graph) is None, " -> ".join(_cycle(graph) or [])


def test_the_cycle_check_finds_a_late_import_cycle():
    assert _cycle({"a": {"b"}, "b": {"a"}}) == ["a", "b", "a"]
    assert _cycle({"a": {"b"}, "b": {"c"}, "c": set()}) is None
