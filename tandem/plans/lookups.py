"""Lookup endpoints of plans: the jurisdictions, national and regional plans and owning bodies of the
plan and roadmap forms, matched as one types.

Each answers over the queryset its form validates against (``access.editable_jurisdictions``, the
plans the user may read, ``access.owner_body_choices``), so it never names what the user may not see.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.views.decorators.http import require_GET

from tandem.core import lookups

from . import access
from .models import PlanLevel
from .permissions import requires


@requires("plans.manage")
@require_GET
def plan_lookup_jurisdictions(request):
    if not access.can_create_plans(request.user):
        raise PermissionDenied
    return lookups.respond(request, access.editable_jurisdictions(request.user), "jurisdiction")


@requires("plans.manage")
@require_GET
def plan_lookup_national_plans(request):
    if not access.can_create_plans(request.user):
        raise PermissionDenied
    return lookups.respond(request, access.visible_national_plans(request.user), "plan")


@requires("plans.manage")
@require_GET
def plan_lookup_regional_plans(request):
    if not access.can_create_plans(request.user):
        raise PermissionDenied
    return lookups.respond(request, access.visible_plans(request.user).filter(level=PlanLevel.REGIONAL), "plan")


@requires("plans.manage")
@require_GET
def plan_lookup_bodies(request):
    if not access.can_create_plans(request.user):
        raise PermissionDenied
    return lookups.respond(request, access.owner_body_choices(request.user).select_related("jurisdiction"), "body")
