"""Assessments in the global search (``assessment.access.visible_assessments``: their managers and
invited respondents)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from tandem.core.registry import SearchSource, SearchText

from . import access
from .models import Assessment


def _assessment(a: Assessment) -> SearchText:
    return SearchText(
        title=f"{a.framework.name} · {a.round_label}",
        url_uuid=a.uuid,
        summary=a.jurisdiction.name,
        jurisdiction_id=a.jurisdiction_id,
        year=a.created_at.year,
    )


SOURCES = [
    SearchSource(
        "assessment",
        _("Assessments"),
        "assessment.Assessment",
        access.visible_assessments,
        _assessment,
        "assessment_detail",
        rows=lambda: Assessment.objects.select_related("framework", "jurisdiction"),
        parents=(("assessment.Framework", "framework"), ("core.Jurisdiction", "jurisdiction")),
    ),
]
