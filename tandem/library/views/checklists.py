"""Checklists Tandem ships, and the records coordinators keep when they work through one."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from tandem.core import access as core_access
from tandem.core.versioning import VersionConflict
from tandem.core.views.utils import add_service_errors
from tandem.library.permissions import requires

from .. import access, checklists, selectors, services
from ..forms import ChecklistStartForm, StepForm


def _checklist_or_404(code: str) -> checklists.Checklist:
    checklist = checklists.get(code)
    if checklist is None:
        raise Http404("Not found")
    return checklist


@requires("library.read")
@require_GET
def checklist_list(request):
    runs = list(selectors.checklist_runs(request.user)[:50])
    return render(
        request,
        "library/checklist_list.html",
        {"checklists": list(checklists.CHECKLISTS.values()), "runs": runs},
    )


@requires("library.read")
@require_GET
def checklist_detail(request, code):
    checklist = _checklist_or_404(code)
    form = ChecklistStartForm()
    form.fields["jurisdiction"].queryset = access.checklist_jurisdictions(request.user)
    runs = list(selectors.checklist_runs(request.user, code)[:50])
    return render(
        request,
        "library/checklist_detail.html",
        {"checklist": checklist, "form": form, "runs": runs, "can_work": form.fields["jurisdiction"].queryset.exists()},
    )


@requires("library.checklists")
@require_POST
def checklist_start(request, code):
    checklist = _checklist_or_404(code)
    form = ChecklistStartForm(request.POST)
    form.fields["jurisdiction"].queryset = access.checklist_jurisdictions(request.user)
    if form.is_valid():
        try:
            run = services.checklist_start(
                actor=request.user, code=checklist.code, jurisdiction=form.cleaned_data["jurisdiction"]
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            return redirect("checklist_run", uuid=run.uuid)
    runs = list(selectors.checklist_runs(request.user, code)[:50])
    return render(
        request, "library/checklist_detail.html", {"checklist": checklist, "form": form, "runs": runs, "can_work": True}
    )


@requires("library.read")
@require_http_methods(["GET", "POST"])
def checklist_run(request, uuid):
    """The record: every step with its tick, note and date; coordinators of the jurisdiction tick."""
    user = request.user
    run = core_access.get_visible_or_404(access.visible_checklist_runs(user), uuid=uuid)
    checklist = _checklist_or_404(run.checklist)
    can_work = access.can_work_checklist(user, run.jurisdiction)
    error = None
    if request.method == "POST":
        access.require_work_checklist(user, run.jurisdiction)
        form = StepForm(request.POST)
        step = request.POST.get("step", "")
        if form.is_valid():
            try:
                services.checklist_tick(
                    actor=user,
                    run=run,
                    step=step,
                    done=form.cleaned_data["done"],
                    note=form.cleaned_data["note"],
                    expected_version=form.cleaned_data["version"],
                )
            except VersionConflict:
                error = _("Someone else ticked this record in the meantime: here it is as saved now.")
            except ValidationError as exc:
                error = " ".join(exc.messages)
            else:
                messages.success(request, _("Saved."))
                return redirect("checklist_run", uuid=run.uuid)
        else:
            error = _("Check the note (at most 2000 characters).")
        run = core_access.get_visible_or_404(access.visible_checklist_runs(user), uuid=uuid)
    context = {
        "run": run,
        "checklist": checklist,
        "steps": selectors.run_steps(run),
        "can_work": can_work,
        "error": error,
    }
    return render(request, "library/checklist_run.html", context, status=200)
