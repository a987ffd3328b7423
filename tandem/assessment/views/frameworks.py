"""Pages of the frameworks (reference data) and of the comparison between jurisdictions."""

from __future__ import annotations

from django.http import Http404
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from tandem.assessment.permissions import requires
from tandem.core import access as core_access
from tandem.core import exports

from .. import access, selectors


@requires("assessment.view")
@require_GET
def framework_list(request):
    frameworks = access.visible_frameworks(request.user).select_related("supersedes").order_by("name", "-created_at")
    return render(
        request,
        "assessment/framework_list.html",
        {"frameworks": frameworks, "perms_import": core_access.is_admin(request.user)},
    )


@requires("assessment.view")
@require_GET
def framework_detail(request, slug, version):
    """A framework by its key and version (reference data: the same for every role)."""
    framework = core_access.get_visible_or_404(access.visible_frameworks(request.user), slug=slug, version=version)
    items = selectors.items(framework)
    competencies = []
    for comp in selectors.competencies(framework):
        competencies.append((comp, [i for i in items if i.competency_id == comp.pk]))
    return render(
        request,
        "assessment/framework_detail.html",
        {
            "framework": framework,
            "competencies": competencies,
            "levels": selectors.levels(framework),
            "superseded_by": access.visible_frameworks(request.user).filter(supersedes=framework).first(),
            "perms_import": core_access.is_admin(request.user),
        },
    )


@requires("assessment.view")
@require_GET
def framework_export(request, slug, version):
    """The framework as JSON: its description, its scale, its competencies and their statements."""
    import json

    from django.http import HttpResponse

    from .. import files

    framework = core_access.get_visible_or_404(access.visible_frameworks(request.user), slug=slug, version=version)
    data = files.framework_json(
        framework, selectors.competencies(framework), selectors.items(framework), selectors.levels(framework)
    )
    response = HttpResponse(json.dumps(data, ensure_ascii=False, indent=2), content_type="application/json")
    response["Content-Disposition"] = f'attachment; filename="{framework.slug}-{framework.version}.json"'
    response["X-Content-Type-Options"] = "nosniff"
    return response


@requires("assessment.view")
@require_GET
def framework_workbook(request, slug, version):
    """The framework as an XLSX workbook (the shape the import reads)."""
    from django.http import HttpResponse

    from .. import files

    framework = core_access.get_visible_or_404(access.visible_frameworks(request.user), slug=slug, version=version)
    data = files.framework_workbook(
        framework, selectors.competencies(framework), selectors.items(framework), selectors.levels(framework)
    )
    response = HttpResponse(data, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = f'attachment; filename="{framework.slug}-{framework.version}.xlsx"'
    response["X-Content-Type-Options"] = "nosniff"
    return response


@requires("assessment.frameworks")
@require_http_methods(["GET", "POST"])
def framework_import(request):
    """Import a framework (or a new version) from a workbook or a JSON file: all or nothing, every error by row."""
    from django.core.exceptions import ValidationError
    from django.shortcuts import redirect

    from .. import services
    from ..forms import FrameworkImportForm

    form = FrameworkImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            framework = services.framework_import(actor=request.user, raw=upload.read(), name=upload.name)
        except ValidationError as exc:
            for error in exc.messages:
                form.add_error("file", error)
        else:
            return redirect("framework_detail", slug=framework.slug, version=framework.version)
    return render(request, "assessment/framework_import.html", {"form": form})


def _comparison(request):
    rounds = selectors.comparison_rounds(request.user)
    chosen = request.GET.get("round", "")
    if chosen not in rounds:
        chosen = rounds[0] if rounds else ""
    rows = selectors.comparison(request.user, chosen) if chosen else []
    framework = access.visible_frameworks(request.user).filter(slug="tandem-nlc").order_by("-created_at").first()
    competencies = selectors.competencies(framework) if framework is not None else []
    return rounds, chosen, rows, competencies


def _cells(row, competencies) -> list[tuple[str, str]]:
    """(heat class, shown median) per competency, formatted once here rather than by template filters
    in every cell (the table has a row per assessed jurisdiction)."""
    from decimal import ROUND_HALF_UP, Decimal

    from django.utils.formats import number_format

    cells = []
    for c in competencies:
        value = row.medians.get(c.code)
        if value is None:
            cells.append(("none", "—"))
        else:
            exact = Decimal(str(value))
            shown = exact.quantize(Decimal("0.1"), ROUND_HALF_UP)
            cells.append((str(exact.quantize(Decimal(1), ROUND_HALF_UP)), number_format(shown, 1)))
    return cells


@requires("assessment.compare")
@require_GET
def comparison(request):
    rounds, chosen, rows, competencies = _comparison(request)
    table = [(row, _cells(row, competencies)) for row in rows]
    place = request.GET.get("place", "")
    history = selectors.rounds_over_time(request.user, place) if place else []
    return render(
        request,
        "assessment/comparison.html",
        {
            "rounds": rounds,
            "chosen": chosen,
            "table": table,
            "competencies": competencies,
            "history": [(row, _cells(row, competencies)) for row in history],
        },
    )


@requires("assessment.compare")
@require_GET
def comparison_export(request, fmt):
    if fmt not in exports.FORMATS:
        raise Http404
    _rounds, chosen, rows, competencies = _comparison(request)
    header = [_("Jurisdiction"), _("Round"), *(c.name for c in competencies)]
    data = [
        [
            row.jurisdiction.name,
            chosen,
            *("" if row.medians.get(c.code) is None else row.medians[c.code] for c in competencies),
        ]
        for row in rows
    ]
    return exports.export_response(fmt, "assessment-comparison", header, data)
