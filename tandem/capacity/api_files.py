"""More operations of the capacity API (on the same router): course materials, recording attendance.

Materials follow the course: whoever may see the course lists and downloads them (a foreign
material answers 404 like a missing one); those who may edit the course (and, for a session's
file, its organisers) add and remove them. Files pass ``tandem.core.uploads`` before anything
reads them, as on the pages.
"""

import datetime as dt
from uuid import UUID

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, File, Form, Schema
from ninja.files import UploadedFile
from ninja.responses import Status as Reply

from tandem.capacity.permissions import requires
from tandem.core import access as core_access
from tandem.core.api import InSchema, errors, refuse_json_body
from tandem.core.files import file_response
from tandem.core.security import client_ip

from . import access, materials, selectors, services
from .api import AttendanceOut, _actor, _organised, attendance_out, capacity
from .models import PlaceStatus


class MaterialOut(Schema):
    uuid: UUID
    name: str
    content_type: str
    size: int = Field(description="Bytes.")
    session: UUID | None = Field(description="The session it belongs to; null: the whole course.")
    created_at: dt.datetime

    @staticmethod
    def resolve_session(obj) -> UUID | None:
        return obj.session.uuid if obj.session_id else None


def _course(actor, uuid: UUID):
    return core_access.get_visible_or_404(access.visible_courses(actor, include_archived=True), uuid=uuid)


@capacity.get("/courses/{uuid}/materials", response={200: list[MaterialOut], **errors(404)})
@requires("capacity.view")
def material_list(request: HttpRequest, uuid: UUID):
    """The course's files (at most 50), by session then name."""
    actor = _actor(request)
    return list(materials.course_materials(actor, _course(actor, uuid)))


@capacity.post("/courses/{uuid}/materials", response={201: MaterialOut, **errors(403, 404, 422)})
@requires("capacity.publish")
def material_add(
    request: HttpRequest,
    uuid: UUID,
    file: UploadedFile = File(None),  # noqa: B008
    session: UUID | None = Form(None),  # noqa: B008
):
    """Attach a file (multipart field ``file``; ``session``: one of the course's sessions). Same checks as the
    pages: size, type by content, archives; programs, HTML and polyglots refused (422, nothing stored)."""
    refuse_json_body(request)
    actor = _actor(request)
    course = _course(actor, uuid)
    chosen = None
    if session is not None:
        chosen = access.visible_sessions(actor).filter(course=course, uuid=session).first()
        if chosen is None:
            raise ValidationError({"session": [_("Choose a session of this course.")]})
    if not materials.can_manage(actor, course, chosen):
        raise PermissionDenied
    if file is None:
        raise ValidationError({"file": [_("Choose a file to attach.")]})
    try:
        material = materials.material_add(actor=actor, course=course, file=file, session=chosen)
    except ValidationError as exc:
        if hasattr(exc, "error_dict"):
            raise
        raise ValidationError({"file": exc.messages}) from None
    return Reply(201, material)


@capacity.get("/materials/{uuid}/file", response={200: None, **errors(404)})
@requires("capacity.view")
def material_download(request: HttpRequest, uuid: UUID):
    """The file, as a download (``Content-Disposition: attachment``, ``nosniff``, not cached); audited."""
    actor = _actor(request)
    material = core_access.get_visible_or_404(access.visible_materials(actor), uuid=uuid)
    data = materials.material_read(actor=actor, material=material, ip_address=client_ip(request))
    return file_response(data, name=material.name, content_type=material.content_type)


@capacity.post("/materials/{uuid}/remove", response={204: None, **errors(403, 404)})
@requires("capacity.publish")
def material_remove(request: HttpRequest, uuid: UUID):
    """Remove a file: those who may edit the course (or organise the file's session)."""
    actor = _actor(request)
    material = core_access.get_visible_or_404(access.visible_materials(actor), uuid=uuid)
    materials.material_remove(actor=actor, material=material)
    return Reply(204, None)


class SessionAttendanceIn(InSchema):
    day: dt.date = Field(description="A day of the session, in its own time zone.")
    present: list[UUID] = Field(
        max_length=10000, description="The accepted participations present that day; the other accepted ones: absent."
    )


@capacity.post("/sessions/{uuid}/attendance", response={200: AttendanceOut, **errors(403, 404, 422)})
@requires("capacity.publish")
def attendance_record(request: HttpRequest, uuid: UUID, payload: SessionAttendanceIn):
    """The organiser records one day: same rules as the page (a day outside the session, or someone without an
    accepted place, is refused with 422 and nothing is written)."""
    actor = _actor(request)
    session = _organised(actor, uuid)
    wanted = set(payload.present)
    accepted = selectors.session_participants(actor, session).filter(status=PlaceStatus.ACCEPTED)
    present = list(accepted.filter(uuid__in=wanted))
    if len(present) != len(wanted):
        raise ValidationError({"present": [_("Only accepted participants can be marked present.")]})
    services.attendance_record(actor=actor, session=session, day=payload.day, present=present)
    return attendance_out(actor, session)
