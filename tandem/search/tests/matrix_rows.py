"""Permission-matrix rows of tandem.search (collected by tandem/tests/matrix.py).

Every signed-in persona may search; what each finds is tested in test_search.py (the leak tests).
"""

from __future__ import annotations

from tandem.tests.matrix import Expect, Op, Row

_page = Expect(anon=302)
_api = Expect(anon=401)

PAGE_ROWS: list[Row] = [Row("search", get=_page.read())]

API_OPS: list[Op] = [Op("get", "/api/v1/search/", _api.read())]
