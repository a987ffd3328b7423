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


def _for_plan_creators(request, choices, kind: str):
    """Only those who may create plans search the form's choices (``choices(user)``, built after the check)."""
    if not access.can_create_plans(request.user):
        raise PermissionDenied
    return lookups.respond(request, choices(request.user), kind)


@requires("plans.manage")
@require_GET
def plan_lookup_jurisdictions(request):
    return _for_plan_creators(request, access.editable_jurisdictions, "jurisdiction")


@requires("plans.manage")
@require_GET
def plan_lookup_national_plans(request):
    return _for_plan_creators(request, access.visible_national_plans, "plan")


@requires("plans.manage")
@require_GET
def plan_lookup_regional_plans(request):
    return _for_plan_creators(request, lambda user: access.visible_plans(user).filter(level=PlanLevel.REGIONAL), "plan")


@requires("plans.manage")
@require_GET
def plan_lookup_bodies(request):
    return _for_plan_creators(
        request, lambda user: access.owner_body_choices(user).select_related("jurisdiction"), "body"
    )
