"""The plans API for objectives and indicators."""

from typing import Any
from uuid import UUID

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Router
from ninja.responses import Status

from tandem.core import access as core_access
from tandem.core.api import (
    _actor,
    _reference,
    errors,
)
from tandem.plans.permissions import requires

from .. import access, selectors, services
from ..models import (
    LOCKED_INDICATOR_FIELDS,
    PlanLevel,
)
from ._common import (
    _editable,
    _national_objectives,
    _patch_values,
    _plan,
)
from .schemas import (
    AlignmentIn,
    IndicatorIn,
    IndicatorOut,
    IndicatorPatch,
    ObjectiveIn,
    ObjectiveOut,
    ObjectivePatch,
)

router = Router(tags=["plans"])


@router.get("/{uuid}/objectives", response={200: list[ObjectiveOut], **errors(404, 422)})
@requires("plans.view")
def objective_list(request: HttpRequest, uuid: UUID):
    actor = _actor(request)
    plan = _plan(actor, uuid)
    return list(
        plan.objectives.select_related("pillar").prefetch_related(selectors.alignment_prefetch(actor)).order_by("code")
    )


@router.post("/{uuid}/objectives", response={201: ObjectiveOut, **errors(400, 403, 404, 422)})
@requires("plans.manage")
def objective_create(request: HttpRequest, uuid: UUID, payload: ObjectiveIn):
    actor = _actor(request)
    plan = _editable(actor, uuid)
    pillar = _reference(plan.pillars.all(), payload.pillar, "pillar")
    objective = services.objective_create(actor=actor, plan=plan, code=payload.code, text=payload.text, pillar=pillar)
    return Status(201, objective)


@router.patch("/objectives/{uuid}", response={200: ObjectiveOut, **errors(400, 403, 404, 409, 422)})
@requires("plans.manage")
def objective_update(request: HttpRequest, uuid: UUID, payload: ObjectivePatch):
    """Edit an objective; send the ``version`` you read (409 with what changed when stale)."""
    actor = _actor(request)
    objective = core_access.get_visible_or_404(access.visible_objectives(actor), uuid=uuid)
    access.require_edit(actor, objective.plan)
    values = _patch_values(payload, required=("code", "text"))
    version = values.pop("version")
    if "pillar" in values:
        values["pillar"] = _reference(objective.plan.pillars.all(), values["pillar"], "pillar")
    services.objective_update(actor=actor, objective=objective, expected_version=version, **values)
    return _objective_out(actor, objective)


def _objective_out(actor, objective):
    return (
        access.visible_objectives(actor)
        .select_related("pillar")
        .prefetch_related(selectors.alignment_prefetch(actor))
        .get(pk=objective.pk)
    )


@router.put("/objectives/{uuid}/alignment", response={200: ObjectiveOut, **errors(400, 403, 404, 422)})
@requires("plans.manage")
def objective_align(request: HttpRequest, uuid: UUID, payload: AlignmentIn):
    """Replace a regional or local objective's alignment: objectives of the national plan (or of the
    regional plan a local plan aligns to), or a local innovation."""
    actor = _actor(request)
    objective = core_access.get_visible_or_404(access.visible_objectives(actor), uuid=uuid)
    plan = objective.plan
    access.require_edit(actor, plan)
    services.alignment_set(
        actor=actor,
        plan=plan,
        local_objective=objective,
        national_objectives=_national_objectives(actor, plan, payload.national_objectives),
        local_innovation=payload.local_innovation,
        note=payload.note,
    )
    return _objective_out(actor, objective)


@router.get("/{uuid}/indicators", response={200: list[IndicatorOut], **errors(404, 422)})
@requires("plans.view")
def indicator_list(request: HttpRequest, uuid: UUID):
    actor = _actor(request)
    plan = _plan(actor, uuid)
    indicators = plan.indicators.select_related("inherited_from", "objective").order_by("name")
    return list(access.with_inherited_visible(actor, indicators))


@router.patch("/indicators/{uuid}", response={200: IndicatorOut, **errors(400, 403, 404, 409, 422)})
@requires("plans.manage")
def indicator_update(request: HttpRequest, uuid: UUID, payload: IndicatorPatch):
    """Edit an indicator; an inherited one keeps the national definition (name, unit, frequency, additive)."""
    actor = _actor(request)
    indicator = core_access.get_visible_or_404(access.visible_indicators(actor), uuid=uuid)
    access.require_edit(actor, indicator.plan)
    values = _patch_values(payload, required=("name", "unit", "frequency", "additive"))
    version = values.pop("version")
    if indicator.is_inherited:
        sent = payload.model_fields_set & set(LOCKED_INDICATOR_FIELDS)
        if sent:
            message = _("This is the national definition; it cannot be changed locally.")
            raise ValidationError(dict.fromkeys(sorted(sent), message))
    if "objective" in values:
        values["objective"] = _reference(indicator.plan.objectives.all(), values["objective"], "objective")
    services.indicator_update(actor=actor, indicator=indicator, expected_version=version, **values)
    return _indicator_out(actor, indicator)


def _indicator_out(actor: Any, indicator: Any) -> Any:
    indicators = access.visible_indicators(actor).select_related("inherited_from", "objective")
    return access.with_inherited_visible(actor, indicators).get(pk=indicator.pk)


@router.post("/{uuid}/indicators", response={201: IndicatorOut, **errors(400, 403, 404, 422)})
@requires("plans.manage")
def indicator_create(request: HttpRequest, uuid: UUID, payload: IndicatorIn):
    actor = _actor(request)
    plan = _editable(actor, uuid)
    data = payload.model_dump()
    data["inherited_from"] = _reference(
        access.visible_indicators(actor).filter(plan__level=PlanLevel.NATIONAL),
        data["inherited_from"],
        "inherited_from",
    )
    if data["inherited_from"] is None and (not data["name"] or not data["unit"]):
        raise ValidationError({"name": _("Give a name and a unit, or the national indicator to inherit.")})
    data["unit"] = data["unit"] or ""
    return Status(201, _indicator_out(actor, services.indicator_create(actor=actor, plan=plan, **data)))
