"""Lookup endpoint of the library: the owning jurisdiction of an item, matched as one types.

It answers over the queryset the item form validates against (``access.proposable_jurisdictions``).
The jurisdictions an item concerns are any visible ones (``core``'s ``lookup_jurisdictions``).
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.views.decorators.http import require_GET

from tandem.core import lookups

from . import access
from .permissions import requires


@requires("library.propose")
@require_GET
def library_lookup_jurisdictions(request):
    if not access.can_propose_anywhere(request.user):
        raise PermissionDenied
    return lookups.respond(request, access.proposable_jurisdictions(request.user), "jurisdiction")
