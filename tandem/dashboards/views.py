"""The dashboard page, the list behind each figure, and each figure's table as CSV or XLSX."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from tandem.core import access as core_access
from tandem.core import exports
from tandem.core.models import Role

from . import charts, selectors
from .permissions import requires

PAGE = 50


def _title(actor) -> str:
    mine = core_access.get_access(actor)
    if mine.is_admin:
        return _("Network dashboard")
    roles = {g.role for g in mine.grants}
    if Role.NATIONAL_COORDINATOR in roles:
        return _("National dashboard")
    if Role.REGIONAL_COORDINATOR in roles:
        return _("Regional dashboard")
    return _("Local dashboard")


def _scope(request) -> tuple[selectors.Scope, Any]:
    """The reader's scope, narrowed to ``?within=<jurisdiction uuid>`` (one they may see; else 404)."""
    actor = getattr(request, "access", request.user)
    within = request.GET.get("within")
    if not within:
        return selectors.Scope(actor), None
    jurisdiction = core_access.get_visible_or_404(core_access.visible_jurisdictions(actor), uuid=within)
    return selectors.Scope(actor, within=jurisdiction.path), jurisdiction


def _below(scope: selectors.Scope, jurisdiction: Any) -> list:
    """The units one level below the dashboard's (a region's dashboard for each): one query."""
    mine = core_access.get_access(scope.actor)
    parents = [jurisdiction.pk] if jurisdiction is not None else [g.jurisdiction_id for g in mine.grants]
    return list(
        core_access.visible_jurisdictions(scope.actor).filter(parent_id__in=parents, valid_to__isnull=True)[:200]
    )


@requires("dashboards.view")
@require_GET
def dashboard(request):
    scope, jurisdiction = _scope(request)
    extra = {"within": str(jurisdiction.uuid)} if jurisdiction is not None else {}
    panels = []
    for figure in selectors.FIGURES.values():
        rows = selectors.figure_table(scope, figure)
        for row in rows:
            query = urlencode({"bucket": row["key"], **extra})
            row["url"] = reverse("dashboard_figure", args=[figure.key]) + "?" + query
        total = sum(r["count"] for r in rows)
        panels.append({"figure": figure, "rows": rows, "chart": charts.bars(rows), "total": total})
    context = {
        "panels": panels,
        "title": _title(scope.actor),
        "jurisdiction": jurisdiction,
        "below": _below(scope, jurisdiction),
        "export_query": urlencode(extra),
    }
    return render(request, "dashboards/dashboard.html", context)


def _figure(key: str) -> selectors.Figure:
    figure = selectors.FIGURES.get(key)
    if figure is None:
        raise Http404
    return figure


@requires("dashboards.view")
@require_GET
def dashboard_figure(request, key):
    """The records counted in one bucket of a figure: exactly those, as the reader may open them."""
    figure = _figure(key)
    labels = {b.key: b.label for b in figure.buckets()}
    bucket = request.GET.get("bucket") or next(iter(labels))
    if bucket not in labels:
        raise Http404
    scope, jurisdiction = _scope(request)
    page = Paginator(figure.records(scope, bucket), PAGE).get_page(request.GET.get("page"))
    entries = [figure.describe(record, bucket) for record in page]
    return render(
        request,
        "dashboards/figure.html",
        {
            "figure": figure,
            "bucket": bucket,
            "bucket_label": labels[bucket],
            "page_obj": page,
            "entries": entries,
            "jurisdiction": jurisdiction,
        },
    )


@requires("dashboards.view")
@require_GET
def dashboard_export(request, key, fmt):
    figure = _figure(key)
    scope, _jurisdiction = _scope(request)
    rows = selectors.figure_table(scope, figure)
    return exports.export_response(
        fmt,
        f"dashboard-{figure.key}",
        [str(figure.title), _("Number")],
        [[str(r["label"]), r["count"]] for r in rows],
    )
