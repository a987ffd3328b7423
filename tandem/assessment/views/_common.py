"""Helpers shared by the assessment pages."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied

from tandem.core import access as core_access

from .. import access
from ..models import Assessment, Recommendation


def get_assessment(request: Any, uuid: Any) -> Assessment:
    """The assessment if the user may see it; a 404 like a missing one otherwise."""
    return core_access.get_visible_or_404(access.visible_assessments(request.user), uuid=uuid)


def get_managed(request: Any, uuid: Any) -> Assessment:
    """404 outside the user's view, then 403 for one they see but may not run."""
    assessment = get_assessment(request, uuid)
    access.require_manage(request.user, assessment)
    return assessment


def managed_bodies(user: Any, assessment: Assessment) -> Any:
    """Bodies in the assessed jurisdiction the user may add action items to: those they run and those
    whose action log they keep (the Secretariat seat); the bodies' service checks it again."""
    from tandem.bodies import access as bodies_access

    return (
        bodies_access.visible_bodies(user)
        .filter(bodies_access.action_item_writer_q(user), jurisdiction__path__startswith=assessment.jurisdiction.path)
        .order_by("name")
    )


def editable_plans(user: Any, assessment: Assessment) -> Any:
    """Plans of the assessed jurisdiction that the user may edit (the plans' service will let them add an activity)."""
    from tandem.plans import access as plans_access

    plans = plans_access.visible_plans(user).filter(jurisdiction_id=assessment.jurisdiction_id)
    return plans.filter(pk__in=[p.pk for p in plans if plans_access.can_edit_plan(user, p)]).order_by("title")


def recommendation_bodies(request: Any, uuid: Any) -> tuple[Recommendation, Any]:
    """The recommendation (404 outside the user's view; 403 if they may not run its assessment) and
    the bodies it may become an action item of (403 if none): the page's choices and its lookup's."""
    recommendation = core_access.get_visible_or_404(access.visible_recommendations(request.user), uuid=uuid)
    access.require_manage(request.user, recommendation.assessment)
    bodies = managed_bodies(request.user, recommendation.assessment)
    if not bodies.exists():
        raise PermissionDenied
    return recommendation, bodies
