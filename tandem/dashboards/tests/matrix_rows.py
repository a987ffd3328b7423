"""Permission-matrix rows of tandem.dashboards: every signed-in persona has a dashboard of what they
may open (the figures' scoping is tested in test_dashboards.py). A quarterly report is its
requester's (the national coordinator's here): everyone else gets the 404 of a missing one."""

from __future__ import annotations

from tandem.tests.matrix import Expect, Op, Row

_page = Expect(anon=302)
_api = Expect(anon=401)


def national_report(w):
    """The national coordinator's quarterly report of the current quarter, built."""
    from tandem.core import figures as core_figures
    from tandem.dashboards import services, tasks

    if not hasattr(w, "dashboard_report"):
        w.dashboard_report = services.report_request(
            actor=w.national, jurisdiction=None, period=core_figures.quarters(1)[0][0]
        )
        tasks.build_report.call(w.dashboard_report.pk)
    return w.dashboard_report


def _report(w):
    return {"uuid": national_report(w).uuid}


def _period(w):
    from tandem.core import figures as core_figures

    return {"period": core_figures.quarters(1)[0][0]}


_only_national = {**_page.statuses(404), "national": 200}

PAGE_ROWS: list[Row] = [
    Row("dashboard", get=_page.read()),
    Row("dashboard_figure", lambda w: {"key": "requests"}, get=_page.read()),
    Row("dashboard_export", lambda w: {"key": "requests", "fmt": "csv"}, get=_page.read()),
    Row("dashboard_export", lambda w: {"key": "units", "fmt": "xlsx"}, get=_page.read()),
    Row("dashboard_report", get=_page.statuses(405, anon=302), post=_page.statuses(302), post_data=_period),
    Row("dashboard_report_status", _report, get=_only_national),
    Row("dashboard_report_download", _report, get=_only_national),
]

API_OPS: list[Op] = [Op("get", "/api/v1/dashboard", _api.read())]
