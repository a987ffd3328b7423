"""Course materials: files attached to a course, and optionally to one of its sessions.

* Who sees a material: whoever sees the course (its sessions go with it), so the course page
  lists them and the download is fetched through :func:`visible_materials` (a foreign material
  answers 404 like a missing one).
* Who adds or removes one: those who may edit the course (coordinators and facilitators over its
  owner jurisdiction); for a session's material, also the session's organisers.
* Every file passes ``tandem.core.uploads`` (size, type by content, archives, polyglots) before
  anything reads it; it is stored in the database and always served as a download.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from tandem.core import uploads
from tandem.core.access import Actor
from tandem.core.models import AuditAction, User
from tandem.core.services import audit_read, audit_record

from . import access
from .models import Course, CourseMaterial, TrainingSession

MATERIAL_TYPES = frozenset({"pdf", "png", "jpeg", "docx", "xlsx", "pptx", "odt", "ods", "text"})
MAX_MATERIALS = 50  # per course


def can_manage(actor: Actor, course: Course, session: TrainingSession | None = None) -> bool:
    """May the actor add or remove this course's (or this session's) materials?"""
    if access.can_publish(actor, course.jurisdiction):
        return True
    return session is not None and access.can_organise(actor, session)


def material_add(*, actor: User, course: Course, file: Any, session: TrainingSession | None = None) -> CourseMaterial:
    """Attach a checked file to the course (or to one of its sessions)."""
    with transaction.atomic():
        if session is not None and session.course_id != course.pk:
            raise ValidationError({"session": _("Choose a session of this course.")})
        if not can_manage(actor, course, session):
            raise PermissionDenied
        if file is None:
            raise ValidationError({"file": _("Choose a file to attach.")})
        checked = uploads.read_upload(file, allowed=MATERIAL_TYPES)  # before anything reads the file
        locked = Course.objects.select_for_update().get(pk=course.pk)  # the count below stays true
        if CourseMaterial.objects.filter(course=locked).count() >= MAX_MATERIALS:
            raise ValidationError(
                {"file": _("A course holds at most %(n)d files; remove one first.") % {"n": MAX_MATERIALS}}
            )
        material = CourseMaterial.objects.create(
            course=locked,
            session=session,
            name=checked.name,
            content_type=checked.content_type,
            size=len(checked.data),
            data=checked.data,
            uploaded_by=actor,
        )
        audit_record(
            actor=actor,
            action=AuditAction.CREATE,
            obj=material,
            jurisdiction=course.jurisdiction,
            changes={"name": material.name, "size": material.size, "session": str(session.uuid) if session else ""},
        )
    return material


@transaction.atomic
def material_remove(*, actor: User, material: CourseMaterial) -> None:
    if not can_manage(actor, material.course, material.session):
        raise PermissionDenied
    audit_record(
        actor=actor,
        action=AuditAction.DELETE,
        obj=material,
        jurisdiction=material.course.jurisdiction,
        changes={"name": material.name},
    )
    material.delete()


@transaction.atomic
def material_read(*, actor: User, material: CourseMaterial, ip_address: str | None = None) -> bytes:
    """The file's bytes; the read is recorded."""
    if not access.visible_materials(actor).filter(pk=material.pk).exists():
        raise PermissionDenied
    audit_read(
        actor=actor,
        what="course_material",
        obj=material,
        jurisdiction=material.course.jurisdiction,
        ip_address=ip_address,
    )
    return bytes(material.data)


def course_materials(actor: Actor, course: Course) -> QuerySet[CourseMaterial]:
    """The course's materials the actor may see, without their bytes (one query)."""
    return (
        access.visible_materials(actor).filter(course=course).defer("data").order_by("session__starts_at", "name", "id")
    )


__all__ = [
    "MATERIAL_TYPES",
    "can_manage",
    "course_materials",
    "material_add",
    "material_read",
    "material_remove",
]
