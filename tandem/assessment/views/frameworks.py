"""Pages of the frameworks (reference data) and of the comparison between jurisdictions."""

from __future__ import annotations

from django.http import Http404
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from tandem.assessment.permissions import requires
from tandem.core import access as core_access
from tandem.core import exports

from .. import access, selectors


@requires("assessment.view")
@require_GET
def framework_list(request):
    frameworks = access.visible_frameworks(request.user).order_by("name", "-created_at")
    return render(request, "assessment/framework_list.html", {"frameworks": frameworks})


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
        {"framework": framework, "competencies": competencies, "levels": selectors.levels(framework)},
    )


def _comparison(request):
    rounds = selectors.comparison_rounds(request.user)
    chosen = request.GET.get("round", "")
    if chosen not in rounds:
        chosen = rounds[0] if rounds else ""
    rows = selectors.comparison(request.user, chosen) if chosen else []
    framework = access.visible_frameworks(request.user).filter(slug="tandem-nlc").order_by("-created_at").first()
    competencies = selectors.competencies(framework) if framework is not None else []
    return rounds, chosen, rows, competencies


@requires("assessment.compare")
@require_GET
def comparison(request):
    rounds, chosen, rows, competencies = _comparison(request)
    table = [(row, [row.medians.get(c.code) for c in competencies]) for row in rows]
    return render(
        request,
        "assessment/comparison.html",
        {"rounds": rounds, "chosen": chosen, "table": table, "competencies": competencies},
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
