"""Direct cases of tandem.dashboards.access (collected by tandem/tests/test_access_functions.py):
the national coordinator's quarterly report is theirs; the regional coordinator, who sees the
same places below, does not get it."""

from __future__ import annotations

from tandem.tests.access_cases import Case, ids

COVERED = ["visible_reports"]


def build(w, name: str) -> Case:
    from tandem.dashboards import access
    from tandem.dashboards.tests.matrix_rows import national_report

    if name == "visible_reports":
        return Case(lambda u: ids(access.visible_reports(u)), national_report(w), w.national, w.regional)
    raise KeyError(name)
