"""Lookup endpoints of assessment: jurisdictions matched as one types.

Each answers over the queryset its form validates against: where an assessment may be opened
(``access.openable_jurisdictions``), and the places of a mapping entry (visible jurisdictions
within the exercise's own).
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.views.decorators.http import require_GET

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


def mapping_places(user, exercise):
    """Where a mapping entry may be placed: the visible jurisdictions within the exercise's."""
    return core_access.visible_jurisdictions(user).filter(path__startswith=exercise.jurisdiction.path)


@requires("assessment.map")
@require_GET
def mapping_lookup_places(request, uuid):
    exercise = core_access.get_visible_or_404(access.visible_mappings(request.user), uuid=uuid)
    access.require_run_mapping(request.user, exercise)
    return lookups.respond(request, mapping_places(request.user, exercise), "jurisdiction")
