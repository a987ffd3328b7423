"""Permission-matrix rows of tandem.bodies (collected by tandem/tests/matrix.py)."""

from __future__ import annotations

from tandem.tests.matrix import Op, Row

PAGE_ROWS: list[Row] = []
API_OPS: list[Op] = []
