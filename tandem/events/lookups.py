"""Lookup endpoints of events: the owning jurisdiction and the place of an event, and a guest's
country, matched as one types.

Each answers over the queryset the event forms validate against (``access.organiser_jurisdictions``,
``selectors.place_choices`` and ``selectors.country_choices``).
"""

from __future__ import annotations

from django.views.decorators.http import require_GET

from tandem.core import access as core_access
from tandem.core import lookups

from . import access, selectors
from .permissions import requires


def _organiser(request):
    jurisdictions = access.organiser_jurisdictions(request.user)
    if not jurisdictions.exists():
        raise core_access.PermissionDenied
    return jurisdictions


@requires("events.organise")
@require_GET
def event_lookup_jurisdictions(request):
    return lookups.respond(request, _organiser(request), "jurisdiction")


@requires("events.organise")
@require_GET
def event_lookup_places(request):
    _organiser(request)
    return lookups.respond(request, selectors.place_choices(request.user), "jurisdiction")


@requires("events.organise")
@require_GET
def event_lookup_countries(request):
    """A guest's country (the participants page of an event the user organises)."""
    _organiser(request)
    return lookups.respond(request, selectors.country_choices(), "jurisdiction")
