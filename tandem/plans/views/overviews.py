"""Pages across plans: roll-up, alignment matrix, roadmap."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from tandem.core import exports
from tandem.core import selectors as core_selectors
from tandem.core.views.listing import within_choices
from tandem.core.views.utils import save_or_show_errors
from tandem.plans.permissions import requires

from .. import access, selectors, services
from ..forms import (
    RoadmapForm,
)
from ..models import RoadmapStage
from ._common import (
    _render_form,
)


@requires("plans.view")
@require_GET
def plan_rollup(request):
    user = request.user
    indicators = list(selectors.additive_national_indicators(user).select_related("plan__jurisdiction")[:200])
    chosen = next((i for i in indicators if str(i.uuid) == request.GET.get("indicator")), None)
    if chosen is None and indicators:
        chosen = indicators[0]
    labels = selectors.cached_rollup_labels(user, chosen) if chosen else []
    label = request.GET.get("period", "")
    if label not in labels:
        label = labels[0] if labels else ""
    accepted_only = request.GET.get("accepted") == "1"
    result = selectors.cached_rollup(user, chosen, label, accepted_only=accepted_only) if chosen and label else None
    fmt = request.GET.get("export", "")
    if fmt in exports.FORMATS and result is not None:
        header = [
            gettext_lazy("Locality"),
            gettext_lazy("Region"),
            gettext_lazy("Plan"),
            gettext_lazy("Value"),
            gettext_lazy("Period state"),
            gettext_lazy("Within"),
        ]
        rows = [
            (r["name"], r["region"] or "", r["plan_title"], r["total"], str(r["state_label"]), r["within"])
            for r in result.localities
        ]
        return exports.export_response(fmt, f"rollup-{label}", header, rows, request=request)
    localities = level = None
    if result is not None:  # one level of units and one page of localities; the export has them all
        level = selectors.rollup_level(result, request.GET.get("area"))
        localities = Paginator(level.localities, settings.TANDEM_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "plans/rollup.html",
        {
            "indicators": indicators,
            "chosen": chosen,
            "labels": labels,
            "label": label,
            "accepted_only": accepted_only,
            "result": result,
            "level": level,
            "localities": localities,
        },
    )


def _int(value, default):
    try:
        return int(value)
    except (TypeError, ValueError):
        return default


@requires("plans.view")
@require_GET
def plan_matrix(request):
    user = request.user
    plans = list(selectors.matrix_plans(user)[:200])
    plan = next((p for p in plans if str(p.uuid) == request.GET.get("plan")), None) or (plans[0] if plans else None)
    hide_empty = request.GET.get("empty") == "hide"
    context = {"plans": plans, "plan": plan, "hide_empty": hide_empty}
    if plan is not None:
        root = core_selectors.resolve_within(user, request.GET.get("within"))
        if root is None or not root.path.startswith(plan.jurisdiction.path):
            root = selectors.default_root(user, plan) or plan.jurisdiction
        depth = _int(request.GET.get("depth"), root.depth + 1)
        depth = min(max(depth, root.depth + 1), root.depth + 4)
        offset = max(_int(request.GET.get("offset"), 0), 0)
        result = selectors.cached_matrix(user, plan, root, depth, offset=offset)
        columns, rows = result.table(hide_empty=hide_empty)
        fmt = request.GET.get("export", "")
        if fmt in exports.FORMATS:
            # The columns shown (this page of units): objective × unit, aligned activities, then the
            # aligned objectives of every unit.
            kind = gettext_lazy("National objective") if plan.is_national else gettext_lazy("Regional objective")
            header = [gettext_lazy("Code"), kind, *(c.name for c in columns)]
            header += [gettext_lazy("All"), gettext_lazy("Aligned objectives")]
            rows = [
                (
                    row["objective"].code,
                    row["objective"].text,
                    *(cell["total"] for cell in row["cells"]),
                    row["total"],
                    row["objectives"],
                )
                for row in rows
            ]
            return exports.export_response(fmt, "alignment-matrix", header, rows, request=request)
        context.update(
            {
                "matrix": result,
                "columns": columns,
                "rows": rows,
                "root": root,
                "depth": depth,
                "depths": [(d, d - root.depth) for d in range(root.depth + 1, root.depth + 5)],
                "within_choices": within_choices(user, root),
                "offset": offset,
                "next_offset": offset + selectors.MATRIX_COLUMNS
                if offset + selectors.MATRIX_COLUMNS < result.locality_count
                else None,
                "prev_offset": max(offset - selectors.MATRIX_COLUMNS, 0) if offset else None,
            }
        )
    return render(request, "plans/matrix.html", context)


@requires("plans.view")
@require_GET
def plan_roadmap(request):
    user = request.user
    countries = list(selectors.roadmap_countries(user))
    country = next((c for c in countries if str(c.uuid) == request.GET.get("country")), None) or (
        countries[0] if countries else None
    )
    context = {"countries": countries, "country": country, "stages": RoadmapStage.choices}
    if country is not None:
        depth = min(max(_int(request.GET.get("depth"), country.depth + 1), country.depth + 1), country.depth + 4)
        units = selectors.roadmap(user, country, depth)
        fmt = request.GET.get("export", "")
        if fmt in exports.FORMATS:
            return _roadmap_export(request, fmt, units)
        page = Paginator(units, settings.TANDEM_PAGE_SIZE).get_page(request.GET.get("page"))
        context.update(
            {
                "depth": depth,
                "depths": [(d, d - country.depth) for d in range(country.depth + 1, country.depth + 5)],
                "page_obj": page,
                "summary": selectors.roadmap_summary(units),
                "timeline": selectors.roadmap_timeline(user, country, depth)[:50],
                "stage_labels": dict(RoadmapStage.choices),
                "can_record": access.can_create_plans(user),
            }
        )
    return render(request, "plans/roadmap.html", context)


def _roadmap_export(request, fmt, units):
    stages = dict(RoadmapStage.choices)
    reached = [value for value, _label in RoadmapStage.choices if value != "not_started"]
    header = [
        gettext_lazy("Unit"),
        gettext_lazy("Current stage"),
        gettext_lazy("Since"),
        *(stages[value] for value in reached),
    ]
    rows = (
        (
            u.name,
            str(stages.get(u.current_stage, stages.get("not_started", ""))),
            u.current_since,
            *(getattr(u, f"reached_{value}", None) for value in reached),
        )
        for u in units
    )
    return exports.export_response(fmt, "roadmap", header, rows, request=request)


@requires("plans.manage")
@require_http_methods(["GET", "POST"])
def roadmap_record(request):
    user = request.user
    if not access.can_create_plans(user):
        raise PermissionDenied
    form = RoadmapForm(request.POST or None, jurisdictions=access.editable_jurisdictions(user))
    if (
        request.method == "POST"
        and form.is_valid()
        and save_or_show_errors(
            request,
            form,
            lambda: services.roadmap_record(actor=user, **form.cleaned_data),
            _("The roadmap stage was recorded."),
        )
    ):
        return redirect("plan_roadmap")
    return _render_form(request, form, title=_("Record a roadmap stage"), cancel_url=reverse("plan_roadmap"))
