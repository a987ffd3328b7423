"""Shared vocabulary of the page and API permission matrices.

Records named in matrix URLs live in Cebu City: visible to the Philippine cast,
a 404 for the Kenyan outsider. Pages send anonymous visitors to sign in (302);
the API answers them 401.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass, field

from django.conf import settings

from tandem.conftest import PERSONAS

# Apps beside core that contribute rows: each has ``tandem/<app>/tests/matrix_rows.py``
# with ``PAGE_ROWS: list[Row]`` and ``API_OPS: list[Op]`` (every app of settings.TANDEM_APPS).
MATRIX_APPS = settings.TANDEM_APPS

ANON = "anonymous"
EVERYONE = [ANON, *PERSONAS]
COORDINATORS_HERE = {"admin", "national", "regional", "local"}  # coordinators whose scope covers Cebu City
COORDINATORS_ANYWHERE = COORDINATORS_HERE | {"outsider"}


class Expect:
    def __init__(self, anon: int):
        self.anon = anon

    def statuses(self, default: int, anon: int | None = None, **override: int) -> dict[str, int]:
        result = dict.fromkeys(PERSONAS, default)
        result[ANON] = self.anon if anon is None else anon
        result.update(override)
        return result

    def read(self) -> dict[str, int]:
        """A list: every signed-in persona reads (scoped)."""
        return self.statuses(200)

    def read_cebu(self) -> dict[str, int]:
        """Detail of a Cebu City record: the outsider gets 404."""
        return self.statuses(200, outsider=404)

    def coordinators_only(self, ok: int = 200) -> dict[str, int]:
        return {**self.statuses(403), **dict.fromkeys(COORDINATORS_ANYWHERE, ok)}

    def manage_cebu(self, ok: int = 200) -> dict[str, int]:
        """Manage a Cebu City record: coordinators above it, 403 for lower roles, 404 outside."""
        return {**self.statuses(403, outsider=404), **dict.fromkeys(COORDINATORS_HERE, ok)}


@dataclass
class Row:
    """One URL name of the page matrix: expected status per persona for GET and POST."""

    name: str
    kwargs: Callable = field(default=lambda w: {})
    get: dict[str, int] | None = None
    post: dict[str, int] | None = None
    post_data: Callable = field(default=lambda w: {})
    # Optional: a text (e.g. a contact's e-mail) that a GET answered 200 shows exactly to ``shown_to``.
    shows: Callable | None = None
    shown_to: frozenset[str] = frozenset()


@dataclass
class Op:
    """One operation of the API matrix (path as in the OpenAPI document, with {uuid})."""

    method: str
    path: str
    expected: dict[str, int]
    uuid: Callable = field(default=lambda w: None)
    body: Callable = field(default=lambda w: None)


def app_rows(attribute: str) -> list:
    """The rows every app in MATRIX_APPS contributes (``PAGE_ROWS`` or ``API_OPS``)."""
    rows: list = []
    for app in MATRIX_APPS:
        module = importlib.import_module(f"tandem.{app}.tests.matrix_rows")
        rows.extend(getattr(module, attribute))
    return rows
