"""Courses: the catalogue entry, its learning objectives, competencies, audience sectors and framework items."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from tandem.core import versioning
from tandem.core.models import AuditAction, Jurisdiction, Sector, User
from tandem.core.services import audit_record

from .. import access
from ..models import MAX_OBJECTIVES, Competency, Course, CourseAudience, CourseCompetency, LearningObjective

COURSE_FIELDS = {"title", "summary", "level", "languages", "duration_hours", "delivery", "visibility"}


def choosable_items(actor: Any) -> Any:
    """Framework items a course may name: those of the assessment frameworks the actor reads."""
    from tandem.assessment.access import visible_frameworks
    from tandem.assessment.models import Item

    return Item.objects.filter(competency__framework__in=visible_frameworks(actor).values("id")).select_related(
        "competency", "competency__framework"
    )


def _set_items(actor: Any, course: Course, items: Iterable[Any] | None) -> None:
    if items is None:
        return
    wanted = {item.pk for item in items}
    if len(wanted) > 50:
        raise ValidationError({"framework_items": _("At most 50 framework items.")})
    if wanted and choosable_items(actor).filter(pk__in=wanted).count() != len(wanted):
        raise ValidationError({"framework_items": _("Choose framework items from the list.")})
    course.framework_items.set(list(wanted))


def _set_parts(course: Course, objectives: list[str] | None, competencies: list[str] | None, sectors: list[str] | None):
    if objectives is not None:
        cleaned = [o.strip() for o in objectives if o and o.strip()]
        if len(cleaned) > MAX_OBJECTIVES:
            raise ValidationError({"objectives": _("At most %(n)d learning objectives.") % {"n": MAX_OBJECTIVES}})
        if any(len(o) > 500 for o in cleaned):
            raise ValidationError({"objectives": _("Each learning objective can have at most 500 characters.")})
        existing = list(LearningObjective.objects.filter(course=course).order_by("position", "id"))
        # Keep the rows of unchanged objectives, so ratings already given stay attached to them.
        for i, text in enumerate(cleaned):
            if i < len(existing):
                if existing[i].text != text or existing[i].position != i:
                    existing[i].text, existing[i].position = text, i
                    existing[i].save(update_fields=["text", "position"])
            else:
                LearningObjective.objects.create(course=course, position=i, text=text)
        for extra in existing[len(cleaned) :]:
            extra.delete()
    if competencies is not None:
        unknown = set(competencies) - set(Competency.values)
        if unknown:
            raise ValidationError({"competencies": _("Unknown competency.")})
        CourseCompetency.objects.filter(course=course).delete()
        CourseCompetency.objects.bulk_create([CourseCompetency(course=course, competency=c) for c in set(competencies)])
    if sectors is not None:
        if set(sectors) - set(Sector.values):
            raise ValidationError({"sectors": _("Unknown sector.")})
        CourseAudience.objects.filter(course=course).delete()
        CourseAudience.objects.bulk_create([CourseAudience(course=course, sector=s) for s in set(sectors)])


@transaction.atomic
def course_create(
    *,
    actor: User,
    jurisdiction: Jurisdiction,
    title: str,
    level: str,
    delivery: str,
    visibility: str,
    summary: str = "",
    languages: str = "",
    duration_hours: int = 1,
    objectives: list[str] | None = None,
    competencies: list[str] | None = None,
    sectors: list[str] | None = None,
    framework_items: Iterable[Any] | None = None,
) -> Course:
    access.require_publish(actor, jurisdiction)
    course = Course(
        title=title.strip(),
        summary=summary,
        jurisdiction=jurisdiction,
        level=level,
        languages=languages,
        duration_hours=duration_hours,
        delivery=delivery,
        visibility=visibility,
        created_by=actor,
    )
    course.full_clean()
    course.save()
    _set_parts(course, objectives or [], competencies or [], sectors or [])
    _set_items(actor, course, framework_items)
    audit_record(actor=actor, action=AuditAction.CREATE, obj=course, changes={"title": course.title})
    return course


@transaction.atomic
def course_update(
    *,
    actor: User,
    course: Course,
    expected_version: int,
    objectives: list[str] | None = None,
    competencies: list[str] | None = None,
    sectors: list[str] | None = None,
    framework_items: Iterable[Any] | None = None,
    **values: Any,
) -> Course:
    access.require_publish(actor, course.jurisdiction)
    if set(values) - COURSE_FIELDS:
        raise ValueError(f"cannot update {set(values) - COURSE_FIELDS}")
    updated = versioning.update(actor=actor, model=Course, obj=course, expected_version=expected_version, values=values)
    if framework_items is not None:
        framework_items = list(framework_items)
        _set_items(actor, updated, framework_items)
        audit_record(
            actor=actor,
            action=AuditAction.UPDATE,
            obj=updated,
            changes={"framework_items": sorted(f"{i.competency.framework.slug}:{i.code}" for i in framework_items)},
        )
    if objectives is not None or competencies is not None or sectors is not None:
        _set_parts(updated, objectives, competencies, sectors)
        audit_record(
            actor=actor,
            action=AuditAction.UPDATE,
            obj=updated,
            changes={
                k: v
                for k, v in {"objectives": objectives, "competencies": competencies, "sectors": sectors}.items()
                if v is not None
            },
        )
    return updated
