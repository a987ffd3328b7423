"""Helpers shared by the modules of the assessment API."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.utils.translation import gettext as _

from tandem.core import access as core_access

from .. import access, selectors
from ..models import Assessment, Competency, Respondent


def assessment_of(actor: Any, uuid: UUID) -> Assessment:
    """The assessment if the actor may see it; a 404 like a missing one otherwise."""
    return core_access.get_visible_or_404(access.visible_assessments(actor), uuid=uuid)


def managed(actor: Any, uuid: UUID) -> Assessment:
    """404 outside the actor's view, then 403 for one they see but may not run."""
    assessment = assessment_of(actor, uuid)
    access.require_manage(actor, assessment)
    return assessment


def own_sheet(actor: Any, uuid: UUID) -> tuple[Assessment, Respondent]:
    """The assessment and the actor's own invitation to answer it (404 if not invited, like a missing one)."""
    assessment = assessment_of(actor, uuid)
    respondent = access.own_respondent(actor, assessment)
    if respondent is None:
        raise Http404("Not found")
    return assessment, respondent


def follow_up_readable(actor: Any, assessment: Assessment) -> None:
    """Findings and recommendations: to those who run it; to respondents once it is final (else 403)."""
    if not access.can_see_results(actor, assessment):
        raise PermissionDenied


def competency_by_code(assessment: Assessment, code: str | None, field: str) -> Competency | None:
    """A competency of the assessment's framework named by its code (422 on ``field`` if unknown)."""
    if not code:
        return None
    for competency in selectors.competencies(assessment.framework):
        if competency.code == code:
            return competency
    raise ValidationError({field: [_("This competency is not in the assessment's framework.")]})
