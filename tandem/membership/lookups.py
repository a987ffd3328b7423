"""Lookup endpoint of membership: the jurisdiction an application is for, matched as one types.

It answers over the queryset the application form validates against (``access.applicable_jurisdictions``).
"""

from __future__ import annotations

from django.views.decorators.http import require_GET

from tandem.core import lookups

from . import access
from .permissions import requires


@requires("membership.apply")
@require_GET
def membership_lookup_jurisdictions(request):
    return lookups.respond(request, access.applicable_jurisdictions(request.user), "jurisdiction")
