"""Lookup endpoint of capacity building: where a course is published or a session hosted.

It answers over the queryset the course and session forms validate against
(``access.publishable_jurisdictions``).
"""

from __future__ import annotations

from django.views.decorators.http import require_GET

from tandem.core import access as core_access
from tandem.core import lookups

from . import access
from .permissions import requires


@requires("capacity.publish")
@require_GET
def capacity_lookup_hosts(request):
    hosts = access.publishable_jurisdictions(request.user)
    if not hosts.exists():
        raise core_access.PermissionDenied
    return lookups.respond(request, hosts, "jurisdiction")
