"""The plans API for plans themselves and their pillars."""

from uuid import UUID

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Query, Router
from ninja.pagination import paginate
from ninja.responses import Status

from tandem.core import access as core_access
from tandem.core.api import (
    Pagination,
    _actor,
    _reference,
    errors,
)
from tandem.plans.permissions import requires

from .. import access, selectors, services
from ..models import PlanLevel
from ._common import (
    _editable,
    _plan,
)
from .schemas import (
    PillarIn,
    PillarOut,
    PlanFilters,
    PlanIn,
    PlanOut,
    PlanPatch,
)

router = Router(tags=["plans"])


@router.get("", response={200: list[PlanOut], **errors(404, 422)})
@paginate(Pagination)
@requires("plans.view")
def plan_list(request: HttpRequest, filters: Query[PlanFilters]):
    """Plans you may read, national first."""
    actor = _actor(request)
    node = None
    if filters.within:
        node = core_access.get_visible_or_404(core_access.visible_jurisdictions(actor), uuid=filters.within)
    plans = selectors.filter_plans(actor, term=filters.q or "", level=filters.level or "", within=node)
    return access.with_plans_above(actor, plans)


@router.post("", response={201: PlanOut, **errors(400, 403, 422)})
@requires("plans.manage")
def plan_create(request: HttpRequest, payload: PlanIn):
    actor = _actor(request)
    if not access.can_create_plans(actor):
        raise PermissionDenied
    data = payload.model_dump()
    data["jurisdiction"] = _reference(access.editable_jurisdictions(actor), data["jurisdiction"], "jurisdiction")
    data["national_plan"] = _reference(access.visible_national_plans(actor), data["national_plan"], "national_plan")
    regional = access.visible_plans(actor).filter(level=PlanLevel.REGIONAL)
    data["regional_plan"] = _reference(regional, data["regional_plan"], "regional_plan")
    data["owner_body"] = _reference(access.owner_body_choices(actor), data["owner_body"], "owner_body")
    plan = services.plan_create(actor=actor, **data)
    return Status(201, _plan(actor, plan.uuid))


@router.get("/{uuid}", response={200: PlanOut, **errors(404, 422)})
@requires("plans.view")
def plan_detail(request: HttpRequest, uuid: UUID):
    return _plan(_actor(request), uuid)


@router.patch("/{uuid}", response={200: PlanOut, **errors(400, 403, 404, 409, 422)})
@requires("plans.manage")
def plan_update(request: HttpRequest, uuid: UUID, payload: PlanPatch):
    actor = _actor(request)
    plan = _editable(actor, uuid)
    values = payload.model_dump(exclude_unset=True)
    version = values.pop("version")
    regional = {}
    if "regional_plan" in values:
        uuid_ = values.pop("regional_plan")
        candidates = selectors.regional_plans_above(actor, plan)
        if uuid_ is not None and candidates is None:
            raise ValidationError({"regional_plan": _("Only a local plan aligns to a regional plan.")})
        regional["regional_plan"] = _reference(candidates, uuid_, "regional_plan") if uuid_ else None
    values = {k: ("" if v is None and k in ("legal_instrument", "summary") else v) for k, v in values.items()}
    values = {k: v for k, v in values.items() if v is not None} | regional
    services.plan_update(actor=actor, plan=plan, expected_version=version, **values)
    return _plan(actor, uuid)


@router.post("/{uuid}/pillars", response={201: PillarOut, **errors(400, 403, 404, 422)})
@requires("plans.manage")
def pillar_create(request: HttpRequest, uuid: UUID, payload: PillarIn):
    actor = _actor(request)
    plan = _editable(actor, uuid)
    return Status(201, services.pillar_create(actor=actor, plan=plan, **payload.model_dump()))
