"""Permission-matrix rows of tandem.plans (collected by tandem/tests/matrix.py).

The Cebu City plan is marked visible to partners: every Philippine persona reads
it, the Kenyan outsider gets 404. Its coordinators (local and above) edit it;
only coordinators above Cebu City (regional, national, admin) review periods.
"""

from __future__ import annotations

from tandem.plans.tests.factories import build_plans
from tandem.tests.matrix import Expect, Op, Row

_page = Expect(anon=302)
statuses, read, read_cebu, coordinators_only, manage_cebu = (
    _page.statuses,
    _page.read,
    _page.read_cebu,
    _page.coordinators_only,
    _page.manage_cebu,
)
REVIEWERS = {"admin", "national", "regional"}


def review_cebu(ok: int = 200) -> dict[str, int]:
    return {**statuses(403, outsider=404), **dict.fromkeys(REVIEWERS, ok)}


def national_edit(ok: int = 200) -> dict[str, int]:
    return {**statuses(403, outsider=404), **dict.fromkeys({"admin", "national"}, ok)}


def _plan(w):
    return {"uuid": build_plans(w).cebu_plan.uuid}


def _national(w):
    return {"uuid": build_plans(w).national_plan.uuid}


def _objective(w):
    return {"uuid": build_plans(w).l1.uuid}


def _indicator(w):
    return {"uuid": build_plans(w).cebu_indicator.uuid}


def _activity(w):
    return {"uuid": build_plans(w).activity.uuid}


def _period(w):
    return {"uuid": build_plans(w).period.uuid}


PAGE_ROWS: list[Row] = [
    Row("plan_list", get=read()),
    Row("plan_export", lambda w: {"fmt": "xlsx"}, get=read()),
    Row("plan_create", get=coordinators_only(), post=coordinators_only()),
    Row("plan_rollup", lambda w: build_plans(w) and {}, get=read()),
    Row("plan_matrix", lambda w: build_plans(w) and {}, get=read()),
    Row("plan_roadmap", get=read()),
    Row("plan_roadmap_record", get=coordinators_only(), post=coordinators_only()),
    Row("plan_detail", _plan, get=read_cebu()),
    Row("plan_edit", _plan, get=manage_cebu(), post=manage_cebu()),
    Row("plan_pillar_create", _national, get=national_edit(), post=national_edit()),
    Row("plan_objective_create", _plan, get=manage_cebu(), post=manage_cebu()),
    Row("plan_indicator_create", _plan, get=manage_cebu(), post=manage_cebu()),
    Row("plan_activity_create", _plan, get=manage_cebu(), post=manage_cebu()),
    Row("plan_period_create", _plan, get=manage_cebu(), post=manage_cebu()),
    Row("plan_workbook", _plan, get=read_cebu()),
    Row("plan_import", _plan, get=manage_cebu(), post=manage_cebu()),
    Row("plan_pdf", _plan, get=read_cebu()),
    Row("plan_objective_edit", _objective, get=manage_cebu(), post=manage_cebu()),
    Row("plan_objective_align", _objective, get=manage_cebu(), post=manage_cebu()),
    Row("plan_indicator_edit", _indicator, get=manage_cebu(), post=manage_cebu()),
    Row("plan_activity_edit", _activity, get=manage_cebu(), post=manage_cebu()),
    Row("plan_activity_align", _activity, get=manage_cebu(), post=manage_cebu()),
    # Viewing a period is reading; saving progress needs a coordinator (an empty POST re-renders with errors).
    Row("period_progress", _period, get=read_cebu(), post=manage_cebu()),
    Row("period_action", lambda w: {**_period(w), "action": "accept"}, get=review_cebu(), post=review_cebu()),
]
API_OPS: list[Op] = []
