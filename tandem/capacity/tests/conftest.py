"""Fixtures of the capacity tests."""

from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def _in_english():
    from django.utils import translation

    with translation.override("en"):  # messages asserted in English whatever an earlier test activated
        yield
