"""The plans API for reporting periods, progress and its review."""

from typing import Any
from uuid import UUID

from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _
from ninja import Router
from ninja.responses import Status

from tandem.core import access as core_access
from tandem.core.api import (
    _actor,
    errors,
)
from tandem.plans.permissions import requires

from .. import access, services
from ._common import (
    _editable,
    _plan,
)
from .schemas import (
    PeriodDetailOut,
    PeriodIn,
    PeriodOut,
    ProgressIn,
    TransitionIn,
)

router = Router(tags=["plans"])


@router.get("/{uuid}/periods", response={200: list[PeriodOut], **errors(404, 422)})
@requires("plans.view")
def period_list(request: HttpRequest, uuid: UUID):
    plan = _plan(_actor(request), uuid)
    return list(plan.periods.order_by("start"))


@router.post("/{uuid}/periods", response={201: PeriodOut, **errors(400, 403, 404, 422)})
@requires("plans.manage")
def period_create(request: HttpRequest, uuid: UUID, payload: PeriodIn):
    actor = _actor(request)
    plan = _editable(actor, uuid)
    return Status(201, services.period_create(actor=actor, plan=plan, **payload.model_dump()))


def _period(actor: Any, uuid: UUID) -> Any:
    return core_access.get_visible_or_404(access.visible_periods(actor), uuid=uuid)


@router.get("/periods/{uuid}", response={200: PeriodDetailOut, **errors(404, 422)})
@requires("plans.view")
def period_detail(request: HttpRequest, uuid: UUID):
    """A period with its indicator values, activity statuses and history."""
    return _period(_actor(request), uuid)


@router.put("/periods/{uuid}/progress", response={200: PeriodDetailOut, **errors(400, 403, 404, 409, 422)})
@requires("plans.manage")
def period_progress(request: HttpRequest, uuid: UUID, payload: ProgressIn):
    """Save all values and statuses of a draft period at once (all or nothing); optionally submit it."""
    actor = _actor(request)
    period = _period(actor, uuid)
    plan = period.plan
    access.require_edit(actor, plan)
    indicators = {str(i.uuid): i for i in plan.indicators.all()}
    activities = {str(a.uuid): a for a in plan.activities.all()}
    problems: dict[str, str] = {}
    values = {}
    for row in payload.values:
        indicator = indicators.get(str(row.indicator))
        if indicator is None:
            problems[str(row.indicator)] = _("This indicator is not part of the plan.")
        else:
            values[indicator] = (row.value, row.note)
    statuses = {}
    for row in payload.statuses:
        activity = activities.get(str(row.activity))
        if activity is None:
            problems[str(row.activity)] = _("This activity is not part of the plan.")
        else:
            statuses[activity] = (row.status, row.note)
    if problems:
        raise ValidationError(problems)
    services.progress_save(
        actor=actor,
        period=period,
        expected_version=payload.version,
        values=values,
        statuses=statuses,
        submit=payload.submit,
    )
    return _period(actor, uuid)


def _transition(request: HttpRequest, uuid: UUID, payload: TransitionIn, action: str) -> Any:
    actor = _actor(request)
    period = _period(actor, uuid)
    if action == "submit":
        services.period_submit(actor=actor, period=period, expected_version=payload.version)
    elif action == "review":
        services.period_review(actor=actor, period=period, expected_version=payload.version, note=payload.note)
    elif action == "accept":
        services.period_accept(actor=actor, period=period, expected_version=payload.version, note=payload.note)
    elif action == "reopen":
        services.period_reopen(actor=actor, period=period, expected_version=payload.version, reason=payload.note)
    else:  # pragma: no cover - the routes below name every action
        raise Http404
    return _period(actor, uuid)


@router.post("/periods/{uuid}/submit", response={200: PeriodDetailOut, **errors(400, 403, 404, 409, 422)})
@requires("plans.manage")
def period_submit(request: HttpRequest, uuid: UUID, payload: TransitionIn):
    """Draft -> submitted (the plan's coordinators)."""
    return _transition(request, uuid, payload, "submit")


@router.post("/periods/{uuid}/review", response={200: PeriodDetailOut, **errors(400, 403, 404, 409, 422)})
@requires("plans.review")
def period_review(request: HttpRequest, uuid: UUID, payload: TransitionIn):
    """Submitted -> reviewed (a coordinator of the level above)."""
    return _transition(request, uuid, payload, "review")


@router.post("/periods/{uuid}/accept", response={200: PeriodDetailOut, **errors(400, 403, 404, 409, 422)})
@requires("plans.review")
def period_accept(request: HttpRequest, uuid: UUID, payload: TransitionIn):
    """Submitted or reviewed -> accepted and locked (a coordinator of the level above)."""
    return _transition(request, uuid, payload, "accept")


@router.post("/periods/{uuid}/reopen", response={200: PeriodDetailOut, **errors(400, 403, 404, 409, 422)})
@requires("plans.review")
def period_reopen(request: HttpRequest, uuid: UUID, payload: TransitionIn):
    """Back to draft for corrections (the reviewer only; ``note`` says why and is kept)."""
    return _transition(request, uuid, payload, "reopen")
