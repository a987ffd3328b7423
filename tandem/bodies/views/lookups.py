"""Lookup endpoint of the bodies: organisations a body's manager may seat or make owners."""

from __future__ import annotations

from django.views.decorators.http import require_GET

from tandem.core import lookups

from .. import access
from ..permissions import requires


@requires("bodies.action_log")
@require_GET
def body_lookup_organisations(request, uuid):
    """The same queryset the member, seat and action-item forms validate against (the keeper of
    the body's action log picks an item's owner from it; for those who run the body it is
    ``member_candidates``)."""
    body = access.get_body_or_404(request.user, uuid)
    access.require_action_log(request.user, body)
    return lookups.respond(request, access.owner_candidates(request.user, body).order_by("name", "id"), "organisation")
