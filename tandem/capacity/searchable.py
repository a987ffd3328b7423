"""Capacity building in the global search: courses and their sessions (``capacity.access``)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from tandem.core.registry import SearchSource, SearchText

from . import access
from .models import Course, TrainingSession


def _course(c: Course) -> SearchText | None:
    if c.archived_at is not None:
        return None
    return SearchText(
        title=c.title, url_uuid=c.uuid, body=c.summary, jurisdiction_id=c.jurisdiction_id, year=c.created_at.year
    )


def _session(s: TrainingSession) -> SearchText:
    return SearchText(
        title=s.course.title,
        url_uuid=s.uuid,
        summary=f"{s.venue} {s.external_trainers}".strip(),
        jurisdiction_id=s.course.jurisdiction_id,
        year=s.starts_at.year,
    )


SOURCES = [
    SearchSource("course", _("Courses"), "capacity.Course", access.visible_courses, _course, "course_detail"),
    SearchSource(
        "training_session",
        _("Training sessions"),
        "capacity.TrainingSession",
        access.visible_sessions,
        _session,
        "session_detail",
        rows=lambda: TrainingSession.objects.select_related("course"),
        parents=(("capacity.Course", "course"),),
    ),
]
