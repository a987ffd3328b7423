"""Lookup endpoint of funding: where an applied-for project takes place, matched as one types.

It answers over the queryset the application form validates against (:func:`call_places`).
The funding source, call, offer and match forms use core's jurisdiction lookups (visible or
managed jurisdictions, as their views' querysets).
"""

from __future__ import annotations

from django.views.decorators.http import require_GET

from tandem.core import access as core_access
from tandem.core import lookups

from . import access
from .permissions import requires


def call_places(user, call):
    """Where a project applying to ``call`` may take place: visible units within the call's."""
    return core_access.visible_jurisdictions(user).filter(path__startswith=call.jurisdiction.path)


@requires("funding.apply")
@require_GET
def funding_lookup_call_places(request, uuid):
    call = core_access.get_visible_or_404(access.visible_calls(request.user), uuid=uuid)
    return lookups.respond(request, call_places(request.user, call), "jurisdiction")
