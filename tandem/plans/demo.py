"""Demo data of tandem.plans, built by ``manage.py load_demo`` after the core directory."""

from __future__ import annotations

from typing import Any


def build(*, admin: Any, seed: int) -> dict[str, int]:
    """Create this app's demo records; return counts to print (name -> number)."""
    return {}
