"""Course materials: add a file, download it, remove it (with confirmation)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from tandem.capacity.permissions import requires
from tandem.core import access as core_access
from tandem.core.files import file_response
from tandem.core.security import client_ip
from tandem.core.views.utils import save_or_show_errors

from .. import access, materials
from ..forms import MaterialForm, MaterialRemoveForm
from ._common import get_course


def _material(request, uuid):
    return core_access.get_visible_or_404(access.visible_materials(request.user), uuid=uuid)


@requires("capacity.publish")
@require_http_methods(["GET", "POST"])
def material_add(request, uuid):
    user = request.user
    course = get_course(request, uuid)
    sessions = access.visible_sessions(user).filter(course=course, archived_at__isnull=True)
    if not materials.can_manage(user, course) and not access.organised_sessions(user).filter(course=course).exists():
        raise PermissionDenied
    form = MaterialForm(request.POST or None, request.FILES or None, sessions=sessions)
    if request.method == "POST" and form.is_valid():

        def save():
            materials.material_add(
                actor=user, course=course, file=form.cleaned_data["file"], session=form.cleaned_data["session"]
            )

        if save_or_show_errors(request, form, save, _("File added.")):
            return redirect(reverse("course_detail", args=[course.uuid]) + "#materials")
    return render(
        request,
        "capacity/form.html",
        {
            "form": form,
            "title": _("Add a file to %(title)s") % {"title": course.title},
            "cancel_url": reverse("course_detail", args=[course.uuid]),
            "multipart": True,
            "button": _("Add the file"),
        },
    )


@requires("capacity.view")
@require_GET
def material_download(request, uuid):
    material = _material(request, uuid)
    data = materials.material_read(actor=request.user, material=material, ip_address=client_ip(request))
    return file_response(data, name=material.name, content_type=material.content_type)


@requires("capacity.publish")
@require_http_methods(["GET", "POST"])
def material_remove(request, uuid):
    user = request.user
    material = _material(request, uuid)
    if not materials.can_manage(user, material.course, material.session):
        raise PermissionDenied
    form = MaterialRemoveForm(request.POST or None)
    done = reverse("course_detail", args=[material.course.uuid]) + "#materials"
    if (
        request.method == "POST"
        and form.is_valid()
        and save_or_show_errors(
            request, form, lambda: materials.material_remove(actor=user, material=material), _("File removed.")
        )
    ):
        return redirect(done)
    return render(
        request,
        "capacity/form.html",
        {
            "form": form,
            "title": _("Remove %(name)s") % {"name": material.name},
            "explanation": _("Whoever sees the course will no longer find this file. This cannot be undone."),
            "cancel_url": done,
            "button": _("Remove"),
            "danger": True,
        },
    )
