"""The plans API for activities and their alignment."""

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

from .. import access, services
from ._common import (
    _activities,
    _editable,
    _national_objectives,
    _patch_values,
    _plan,
)
from .schemas import (
    ActivityIn,
    ActivityOut,
    ActivityPatch,
    AlignmentIn,
)

router = Router(tags=["plans"])


@router.get("/{uuid}/activities", response={200: list[ActivityOut], **errors(404, 422)})
@requires("plans.view")
def activity_list(request: HttpRequest, uuid: UUID):
    actor = _actor(request)
    plan = _plan(actor, uuid)
    return list(_activities(actor).filter(plan=plan).select_related("objective").order_by("title"))


@router.post("/{uuid}/activities", response={201: ActivityOut, **errors(400, 403, 404, 422)})
@requires("plans.manage")
def activity_create(request: HttpRequest, uuid: UUID, payload: ActivityIn):
    actor = _actor(request)
    plan = _editable(actor, uuid)
    if plan.is_national:
        raise ValidationError({"__all__": _("Activities belong to regional and local plans.")})
    data = payload.model_dump()
    targets = _national_objectives(actor, plan, data.pop("national_objectives"))
    innovation = data.pop("local_innovation")
    orgs = core_access.visible_organisations(actor)
    data["objective"] = _reference(plan.objectives.all(), data["objective"], "objective")
    data["responsible_org"] = _reference(orgs, data["responsible_org"], "responsible_org")
    partner_ids = data.pop("partner_orgs")
    partners = list(orgs.filter(uuid__in=partner_ids))
    if len(partners) != len(set(partner_ids)):
        raise ValidationError({"partner_orgs": _("Not found.")})
    if data["start_date"] and data["end_date"] and data["end_date"] < data["start_date"]:
        raise ValidationError({"end_date": _("The end date cannot be before the start date.")})
    activity = services.activity_create(actor=actor, plan=plan, partner_orgs=partners, **data)
    services.alignment_set(
        actor=actor, plan=plan, activity=activity, national_objectives=targets, local_innovation=innovation
    )
    return Status(201, _activities(actor).select_related("objective").get(pk=activity.pk))


@router.patch("/activities/{uuid}", response={200: ActivityOut, **errors(400, 403, 404, 409, 422)})
@requires("plans.manage")
def activity_update(request: HttpRequest, uuid: UUID, payload: ActivityPatch):
    """Edit an activity; ``partner_orgs`` replaces the partners when sent. Alignment has its own PUT."""
    actor = _actor(request)
    activity = core_access.get_visible_or_404(access.visible_activities(actor), uuid=uuid)
    plan = activity.plan
    access.require_edit(actor, plan)
    values = _patch_values(
        payload, blank=("description", "budget_source", "currency"), required=("title", "status", "partner_orgs")
    )
    version = values.pop("version")
    orgs = core_access.visible_organisations(actor)
    if "objective" in values:
        values["objective"] = _reference(plan.objectives.all(), values["objective"], "objective")
    if "responsible_org" in values:
        values["responsible_org"] = _reference(orgs, values["responsible_org"], "responsible_org")
    partners = None
    if "partner_orgs" in values:
        partner_ids = values.pop("partner_orgs")
        partners = list(orgs.filter(uuid__in=partner_ids))
        if len(partners) != len(set(partner_ids)):
            raise ValidationError({"partner_orgs": _("Not found.")})
    services.activity_update(
        actor=actor,
        activity=activity,
        expected_version=version,
        partner_orgs=partners,
        **values,
    )
    return _activities(actor).select_related("objective").get(pk=activity.pk)


@router.put("/activities/{uuid}/alignment", response={200: ActivityOut, **errors(400, 403, 404, 422)})
@requires("plans.manage")
def activity_align(request: HttpRequest, uuid: UUID, payload: AlignmentIn):
    """Replace an activity's alignment: national objectives, or a local innovation."""
    actor = _actor(request)
    activity = core_access.get_visible_or_404(access.visible_activities(actor), uuid=uuid)
    plan = activity.plan
    access.require_edit(actor, plan)
    targets = _national_objectives(actor, plan, payload.national_objectives)
    services.alignment_set(
        actor=actor,
        plan=plan,
        activity=activity,
        national_objectives=targets,
        local_innovation=payload.local_innovation,
        note=payload.note,
    )
    return _activities(actor).select_related("objective").get(pk=activity.pk)
