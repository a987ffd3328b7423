"""Permission-matrix rows of tandem.dashboards: every signed-in persona has a dashboard of what they
may open (the figures' scoping is tested in test_dashboards.py)."""

from __future__ import annotations

from tandem.tests.matrix import Expect, Op, Row

_page = Expect(anon=302)
_api = Expect(anon=401)

PAGE_ROWS: list[Row] = [
    Row("dashboard", get=_page.read()),
    Row("dashboard_figure", lambda w: {"key": "requests"}, get=_page.read()),
    Row("dashboard_export", lambda w: {"key": "requests", "fmt": "csv"}, get=_page.read()),
    Row("dashboard_export", lambda w: {"key": "units", "fmt": "xlsx"}, get=_page.read()),
    Row("dashboard_report", get=_page.read()),
]

API_OPS: list[Op] = [Op("get", "/api/v1/dashboard", _api.read())]
