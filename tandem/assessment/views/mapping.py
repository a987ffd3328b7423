"""Pages of mapping exercises: list, open, detail (with the assessments of the places covered), edit, entries."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from tandem.assessment.permissions import requires
from tandem.bodies import access as bodies_access
from tandem.core import access as core_access
from tandem.core import lookups
from tandem.core.views.utils import save_or_show_errors
from tandem.core.views.versioned import versioned_form

from .. import access, selectors, services
from ..forms import MappingEditForm, MappingEntryForm, MappingForm
from ..models import EntryKind


def _mapping(request, uuid):
    return core_access.get_visible_or_404(access.visible_mappings(request.user), uuid=uuid)


@requires("assessment.view")
@require_GET
def mapping_list(request):
    return render(
        request,
        "assessment/mapping_list.html",
        {
            "mappings": access.visible_mappings(request.user).order_by("-created_at", "id"),
            "may_map": access.mappable_jurisdictions(request.user).exists(),
        },
    )


@requires("assessment.map")
@require_http_methods(["GET", "POST"])
def mapping_create(request):
    places = access.mappable_jurisdictions(request.user)
    if not places.exists():
        raise PermissionDenied
    form = MappingForm(request.POST or None)
    form.fields["jurisdiction"].queryset = places
    if request.method == "POST" and form.is_valid():
        created = {}

        def save():
            created["m"] = services.mapping_create(
                actor=request.user, jurisdiction=form.cleaned_data["jurisdiction"], title=form.cleaned_data["title"]
            )

        if save_or_show_errors(request, form, save, _("Mapping opened.")):
            return redirect("mapping_detail", uuid=created["m"].uuid)
    return render(request, "assessment/form.html", {"form": form, "title": _("Open a mapping exercise")})


@requires("assessment.view")
@require_GET
def mapping_detail(request, uuid):
    user = request.user
    exercise = _mapping(request, uuid)
    entries = list(access.visible_mapping_entries(user).filter(exercise=exercise).prefetch_related("places"))
    framework = services.tandem_framework()
    competencies = selectors.competencies(framework)
    covered = selectors.covered_assessments(user, exercise.jurisdiction)
    meeting = None
    if exercise.validation_meeting_id is not None:  # shown only to readers who may see that meeting
        meeting = bodies_access.visible_meetings(user).filter(pk=exercise.validation_meeting_id).first()
    return render(
        request,
        "assessment/mapping_detail.html",
        {
            "exercise": exercise,
            "meeting": meeting,
            "manage": access.can_run_mapping(user, exercise),
            "strengths": [e for e in entries if e.kind == EntryKind.STRENGTH],
            "obstacles": [e for e in entries if e.kind == EntryKind.OBSTACLE],
            "competencies": competencies,
            "covered": [(row, [row.medians.get(c.code) for c in competencies]) for row in covered],
        },
    )


@requires("assessment.map")
@require_http_methods(["GET", "POST"])
def mapping_edit(request, uuid):
    user = request.user
    exercise = _mapping(request, uuid)
    access.require_run_mapping(user, exercise)

    def make_form(*args, **kwargs):
        form = MappingEditForm(*args, **kwargs)
        form.fields["expert"].queryset = core_access.visible_people(user).order_by("full_name", "id")
        form.fields["validation_meeting"].queryset = (
            bodies_access.visible_meetings(user)
            .filter(body__jurisdiction__path__startswith=exercise.jurisdiction.path)
            .order_by("-starts_at")
        )
        return form

    edit = versioned_form(
        request,
        make_form,
        record=exercise,
        initial={
            "title": exercise.title,
            "expert": exercise.expert_id,
            "desk_review": exercise.desk_review,
            "validation_meeting": exercise.validation_meeting_id,
            "report": exercise.report,
        },
        save=lambda data, version: services.mapping_update(
            actor=user, exercise=exercise, expected_version=version, values=data
        ),
    )
    if edit.saved:
        return redirect("mapping_detail", uuid=exercise.uuid)
    return render(request, "assessment/form.html", edit.context(title=exercise.title))


@requires("assessment.map")
@require_http_methods(["GET", "POST"])
def mapping_entry_add(request, uuid):
    user = request.user
    exercise = _mapping(request, uuid)
    access.require_run_mapping(user, exercise)
    form = MappingEntryForm(request.POST or None)
    form.fields["competency"].queryset = selectors.competency_queryset(services.tandem_framework())
    form.fields["places"].queryset = lookups.places_within(user, exercise.jurisdiction)
    lookups.point(form, ["places"], uuid=exercise.uuid)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        saved = save_or_show_errors(
            request,
            form,
            lambda: services.mapping_entry_add(
                actor=user,
                exercise=exercise,
                kind=data["kind"],
                competency=data["competency"],
                text=data["text"],
                evidence=data["evidence"],
                places=list(data["places"]),
            ),
            _("Entry added."),
        )
        if saved:
            return redirect("mapping_detail", uuid=exercise.uuid)
    return render(request, "assessment/form.html", {"form": form, "title": _("Add a strength or an obstacle")})


@requires("assessment.view")
@require_GET
def mapping_pdf(request, uuid):
    """The mapping report as PDF (TLP:AMBER): to everyone who may see the exercise."""
    from .. import pdf

    user = request.user
    exercise = _mapping(request, uuid)
    entries = list(
        access.visible_mapping_entries(user).filter(exercise=exercise).prefetch_related("places").order_by("kind", "id")
    )
    competencies = selectors.competencies(services.tandem_framework())
    covered = selectors.covered_assessments(user, exercise.jurisdiction)
    return pdf.mapping_report(user, exercise, entries, covered, competencies)
