"""Lookup endpoint of the bodies: organisations a body's manager may seat or make owners."""

from __future__ import annotations

from django.views.decorators.http import require_GET

from tandem.core import lookups

from .. import access
from ..permissions import requires
from ._common import _country_organisations


@requires("bodies.manage")
@require_GET
def body_lookup_organisations(request, uuid):
    """The same queryset the member, seat and action-item forms validate against."""
    body = access.get_body_or_404(request.user, uuid)
    access.require_manage(request.user, body)
    return lookups.respond(request, _country_organisations(request.user, body), "organisation")
