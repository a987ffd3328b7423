"""Permission-matrix rows of tandem.plans (collected by tandem/tests/matrix.py).

The Cebu City plan is marked visible to partners: every Philippine persona reads
it, the Kenyan outsider gets 404. Its coordinators (local and above) edit it;
only coordinators above Cebu City (regional, national, admin) review periods.
"""

from __future__ import annotations

from tandem.plans.tests.factories import build_plans, build_regional
from tandem.tests.matrix import COORDINATORS_HERE, Expect, Op, Row

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


# Central Visayas' regional plan (not shared with partners): its coordinators above manage it, the
# local coordinator below reads it, lower roles and other regions do not see it.
REGIONAL_READERS = {"admin", "national", "regional", "local"}
REGIONAL_MANAGERS = {"admin", "national", "regional"}


def read_regional(expect: Expect, ok: int = 200) -> dict[str, int]:
    return {**expect.statuses(404), **dict.fromkeys(REGIONAL_READERS, ok)}


def manage_regional(expect: Expect, ok: int = 200) -> dict[str, int]:
    """Lower roles are refused before any lookup (403); the outsider's coordinator role passes that
    and finds nothing (404); the local coordinator reads the plan but may not change it (403)."""
    return {**expect.statuses(403, outsider=404), **dict.fromkeys(REGIONAL_MANAGERS, ok)}


def _regional(w):
    return {"uuid": build_regional(w).regional_plan.uuid}


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
    Row("plan_lookup_jurisdictions", get=coordinators_only()),
    Row("plan_lookup_national_plans", get=coordinators_only()),
    Row("plan_lookup_regional_plans", get=coordinators_only()),
    Row("plan_lookup_bodies", get=coordinators_only()),
    Row("plan_rollup", lambda w: build_plans(w) and {}, get=read()),
    Row("plan_matrix", lambda w: build_plans(w) and {}, get=read()),
    Row("plan_roadmap", get=read()),
    Row("plan_roadmap_record", get=coordinators_only(), post=coordinators_only()),
    Row("plan_detail", _plan, get=read_cebu()),
    Row("plan_edit", _plan, get=manage_cebu(), post=manage_cebu()),
    Row("plan_detail", _regional, get=read_regional(_page)),
    Row("plan_edit", _regional, get=manage_regional(_page), post=manage_regional(_page)),
    # The Cebu City plan is shared with partners; the regional plan it aligns to is not: only its
    # readers see its title on the local plan's page.
    Row(
        "plan_detail",
        lambda w: {"uuid": build_regional(w).cebu_plan.uuid},
        get=read_cebu(),
        shows=lambda w: "Central Visayas Regional Action Plan",
        shown_to=frozenset(REGIONAL_READERS),
    ),
    # Its activity is aligned to the regional objective R1: only the regional plan's readers see the code.
    Row(
        "plan_detail",
        lambda w: {"uuid": build_regional(w).cebu_plan.uuid},
        get=read_cebu(),
        shows=lambda w: ">R1</abbr>",
        shown_to=frozenset(REGIONAL_READERS),
    ),
    Row("plan_pillar_create", _national, get=national_edit(), post=national_edit()),
    Row("plan_objective_create", _plan, get=manage_cebu(), post=manage_cebu()),
    Row("plan_indicator_create", _plan, get=manage_cebu(), post=manage_cebu()),
    Row("plan_activity_create", _plan, get=manage_cebu(), post=manage_cebu()),
    Row("plan_lookup_organisations", _plan, get=manage_cebu()),
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

_api = Expect(anon=401)
api_statuses = _api.statuses


def api_manage_cebu(ok: int = 200) -> dict[str, int]:
    return _api.manage_cebu(ok)


def api_review_cebu(ok: int = 200) -> dict[str, int]:
    return {**api_statuses(403, outsider=404), **dict.fromkeys(REVIEWERS, ok)}


def _create_anywhere(ok: int, foreign: int) -> dict[str, int]:
    return {**api_statuses(403), **dict.fromkeys(COORDINATORS_HERE, ok), "outsider": foreign}


def _submitted(w):
    """The Cebu City period with a value, submitted for review."""
    from decimal import Decimal

    from tandem.plans import services
    from tandem.plans.models import ReportingPeriod

    build_plans(w)
    period = ReportingPeriod.objects.get(pk=w.period.pk)
    if period.state == "draft":
        period = services.progress_save(
            actor=w.local,
            period=period,
            expected_version=period.version,
            values={w.cebu_indicator: (Decimal(12), "")},
            statuses={},
            submit=True,
        )
    return period


def _version(w):
    from tandem.plans.models import ReportingPeriod

    return {"version": ReportingPeriod.objects.get(pk=w.period.pk).version, "note": "Checked"}


def _current(model_name, attribute):
    """A PATCH body with the record's current version (a lambda for an Op)."""

    def body(w):
        from tandem.plans import models

        obj = getattr(build_plans(w), attribute)
        return {"version": getattr(models, model_name).objects.get(pk=obj.pk).version}

    return body


def _patch(model_name, attribute, **fields):
    current = _current(model_name, attribute)
    return lambda w: {**current(w), **fields}


P = "/api/v1/plans"
API_OPS: list[Op] = [
    Op("get", P, api_statuses(200)),
    Op(
        "post",
        P,
        _create_anywhere(201, 422),
        body=lambda w: {
            "level": "local",
            "jurisdiction": str(w.cebu_city.uuid),
            "national_plan": str(build_plans(w).national_plan.uuid),
            "title": "Second Cebu plan",
            "period_start": "2026-01-01",
            "period_end": "2026-12-31",
        },
    ),
    Op("get", f"{P}/rollup", api_statuses(200), uuid=lambda w: build_plans(w) and None),
    Op("get", f"{P}/matrix", api_statuses(200), uuid=lambda w: build_plans(w) and None),
    Op("get", f"{P}/roadmap", api_statuses(200)),
    Op(
        "post",
        f"{P}/roadmap",
        _create_anywhere(201, 422),
        body=lambda w: {"jurisdiction": str(w.cebu_city.uuid), "stage": "consultation", "date": "2025-06-01"},
    ),
    Op("get", f"{P}/{{uuid}}", _api.read_cebu(), uuid=lambda w: build_plans(w).cebu_plan.uuid),
    Op("get", f"{P}/{{uuid}}", read_regional(_api), uuid=lambda w: build_regional(w).regional_plan.uuid),
    Op(
        "patch",
        f"{P}/{{uuid}}",
        manage_regional(_api),
        uuid=lambda w: build_regional(w).regional_plan.uuid,
        body=lambda w: {"version": build_regional(w).regional_plan.version, "summary": "Adopted by the RDC"},
    ),
    Op(
        "patch",
        f"{P}/{{uuid}}",
        api_manage_cebu(),
        uuid=lambda w: build_plans(w).cebu_plan.uuid,
        body=lambda w: {"version": 1, "legal_instrument": "City Ordinance 2026-14"},
    ),
    Op(
        "post",
        f"{P}/{{uuid}}/pillars",
        {**api_statuses(403, outsider=404), "admin": 201, "national": 201},
        uuid=lambda w: build_plans(w).national_plan.uuid,
        body=lambda w: {"code": "P9", "title": "Media and online"},
    ),
    Op("get", f"{P}/{{uuid}}/objectives", _api.read_cebu(), uuid=lambda w: build_plans(w).cebu_plan.uuid),
    Op(
        "post",
        f"{P}/{{uuid}}/objectives",
        api_manage_cebu(201),
        uuid=lambda w: build_plans(w).cebu_plan.uuid,
        body=lambda w: {"code": "C9", "text": "Safe spaces for dialogue"},
    ),
    Op("get", f"{P}/{{uuid}}/indicators", _api.read_cebu(), uuid=lambda w: build_plans(w).cebu_plan.uuid),
    Op(
        "post",
        f"{P}/{{uuid}}/indicators",
        api_manage_cebu(201),
        uuid=lambda w: build_plans(w).cebu_plan.uuid,
        body=lambda w: {"name": "Dialogue sessions held", "unit": "count", "additive": True},
    ),
    Op("get", f"{P}/{{uuid}}/activities", _api.read_cebu(), uuid=lambda w: build_plans(w).cebu_plan.uuid),
    Op(
        "post",
        f"{P}/{{uuid}}/activities",
        api_manage_cebu(201),
        uuid=lambda w: build_plans(w).cebu_plan.uuid,
        body=lambda w: {"title": "Interfaith youth camp", "national_objectives": [str(w.n2.uuid)], "budget": "2500.00"},
    ),
    Op(
        "patch",
        f"{P}/objectives/{{uuid}}",
        api_manage_cebu(),
        uuid=lambda w: build_plans(w).l1.uuid,
        body=_patch("Objective", "l1", text="Youth centres in every barangay by 2027"),
    ),
    Op(
        "put",
        f"{P}/objectives/{{uuid}}/alignment",
        api_manage_cebu(),
        uuid=lambda w: build_plans(w).l1.uuid,
        body=lambda w: {"national_objectives": [str(w.n1.uuid), str(w.n2.uuid)]},
    ),
    Op(
        "patch",
        f"{P}/indicators/{{uuid}}",
        api_manage_cebu(),
        uuid=lambda w: build_plans(w).cebu_indicator.uuid,
        body=_patch("Indicator", "cebu_indicator", target="650"),
    ),
    Op(
        "patch",
        f"{P}/activities/{{uuid}}",
        api_manage_cebu(),
        uuid=lambda w: build_plans(w).activity.uuid,
        body=_patch("Activity", "activity", status="completed", budget="160000"),
    ),
    Op(
        "put",
        f"{P}/activities/{{uuid}}/alignment",
        api_manage_cebu(),
        uuid=lambda w: build_plans(w).activity.uuid,
        body=lambda w: {"national_objectives": [str(w.n1.uuid), str(w.n3.uuid)]},
    ),
    Op("get", f"{P}/{{uuid}}/periods", _api.read_cebu(), uuid=lambda w: build_plans(w).cebu_plan.uuid),
    Op(
        "post",
        f"{P}/{{uuid}}/periods",
        api_manage_cebu(201),
        uuid=lambda w: build_plans(w).cebu_plan.uuid,
        body=lambda w: {"label": "2026-Q2", "start": "2026-04-01", "end": "2026-06-30"},
    ),
    Op("get", f"{P}/periods/{{uuid}}", _api.read_cebu(), uuid=lambda w: build_plans(w).period.uuid),
    Op(
        "put",
        f"{P}/periods/{{uuid}}/progress",
        api_manage_cebu(),
        uuid=lambda w: build_plans(w).period.uuid,
        body=lambda w: {
            "version": 1,
            "values": [{"indicator": str(w.cebu_indicator.uuid), "value": "42"}],
            "statuses": [{"activity": str(w.activity.uuid), "status": "at_risk"}],
        },
    ),
    Op(
        "post",
        f"{P}/periods/{{uuid}}/submit",
        api_manage_cebu(),
        uuid=lambda w: build_plans(w).period.uuid,
        body=_version,
    ),
    Op("post", f"{P}/periods/{{uuid}}/review", api_review_cebu(), uuid=lambda w: _submitted(w).uuid, body=_version),
    Op("post", f"{P}/periods/{{uuid}}/accept", api_review_cebu(), uuid=lambda w: _submitted(w).uuid, body=_version),
    Op("post", f"{P}/periods/{{uuid}}/reopen", api_review_cebu(), uuid=lambda w: _submitted(w).uuid, body=_version),
]
