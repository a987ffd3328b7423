"""A plan's files: the XLSX workbook, its import, the PDF."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from tandem.core import selectors as core_selectors
from tandem.plans.permissions import requires

from .. import access, files
from ..forms import (
    PlanImportForm,
)
from ._common import (
    _editable_plan,
)


@requires("plans.view")
@require_GET
def plan_xlsx(request, uuid):
    plan = access.get_plan_or_404(request.user, uuid=uuid)
    return files.plan_workbook_response(plan, actor=request.user)


@requires("plans.manage")
@require_http_methods(["GET", "POST"])
def plan_import(request, uuid):
    user = request.user
    plan = _editable_plan(request, uuid)
    if plan.is_national:
        raise Http404
    form = PlanImportForm(request.POST or None, request.FILES or None)
    report = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        report = files.import_plan_workbook(
            actor=user, plan=plan, raw=upload.read(settings.TANDEM_IMPORT_MAX_BYTES + 1)
        )
        if report.ok:
            messages.success(
                request, _("The workbook was imported: %(n)d rows updated or added.") % {"n": report.changed}
            )
            return redirect("plan_detail", uuid=plan.uuid)
    return render(
        request,
        "plans/plan_import.html",
        {"plan": plan, "form": form, "report": report, "crumbs": core_selectors.breadcrumb(user, plan.jurisdiction)},
    )


@requires("plans.view")
@require_GET
def plan_pdf(request, uuid):
    plan = access.get_plan_or_404(request.user, uuid=uuid)
    return files.plan_pdf_response(plan, actor=request.user)
