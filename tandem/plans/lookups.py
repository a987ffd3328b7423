"""Lookup endpoint of plans: the jurisdictions of the plan and roadmap forms, matched as one types.

It answers over the queryset those forms validate against (``access.editable_jurisdictions``).
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.views.decorators.http import require_GET

from tandem.core import lookups

from . import access
from .permissions import requires


@requires("plans.manage")
@require_GET
def plan_lookup_jurisdictions(request):
    if not access.can_create_plans(request.user):
        raise PermissionDenied
    return lookups.respond(request, access.editable_jurisdictions(request.user), "jurisdiction")
