"""Lookup endpoints of assessment: jurisdictions and coordination bodies matched as one types.

Each answers over the queryset its form validates against: where an assessment may be opened
(``access.openable_jurisdictions``), the body it may name (the visible bodies), the places
of a mapping entry (visible jurisdictions within the exercise's own, ``core.lookups.places_within``),
and the body a recommendation becomes an action item of (``views._common.recommendation_bodies``).
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.views.decorators.http import require_GET

from tandem.bodies import access as bodies_access
from tandem.core import access as core_access
from tandem.core import lookups

from . import access
from .permissions import requires


@requires("assessment.run")
@require_GET
def assessment_lookup_jurisdictions(request):
    jurisdictions = access.openable_jurisdictions(request.user)
    if not jurisdictions.exists():
        raise PermissionDenied
    return lookups.respond(request, jurisdictions, "jurisdiction")


def assessment_bodies(user):
    """The coordination bodies a new assessment may name: those the user sees."""
    return bodies_access.visible_bodies(user).order_by("name", "id")


@requires("assessment.run")
@require_GET
def assessment_lookup_bodies(request):
    if not access.openable_jurisdictions(request.user).exists():
        raise PermissionDenied
    return lookups.respond(request, assessment_bodies(request.user), "body")


@requires("assessment.map")
@require_GET
def mapping_lookup_places(request, uuid):
    exercise = core_access.get_visible_or_404(access.visible_mappings(request.user), uuid=uuid)
    access.require_run_mapping(request.user, exercise)
    return lookups.respond(request, lookups.places_within(request.user, exercise.jurisdiction), "jurisdiction")


@requires("assessment.run")
@require_GET
def recommendation_lookup_bodies(request, uuid):
    from .views._common import recommendation_bodies  # the views import this module

    _recommendation, bodies = recommendation_bodies(request, uuid)
    return lookups.respond(request, bodies, "body")
