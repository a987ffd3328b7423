"""The dashboard page, the list behind each figure, and each figure's table as CSV or XLSX."""

from __future__ import annotations

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


@requires("dashboards.view")
@require_GET
def dashboard(request):
    actor = getattr(request, "access", request.user)
    panels = []
    for figure in selectors.FIGURES.values():
        rows = selectors.figure_table(actor, figure)
        for row in rows:
            row["url"] = reverse("dashboard_figure", args=[figure.key]) + "?" + urlencode({"bucket": row["key"]})
        panels.append(
            {"figure": figure, "rows": rows, "chart": charts.bars(rows), "total": sum(r["count"] for r in rows)}
        )
    return render(request, "dashboards/dashboard.html", {"panels": panels, "title": _title(actor)})


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
    actor = getattr(request, "access", request.user)
    page = Paginator(figure.records(actor, bucket), PAGE).get_page(request.GET.get("page"))
    entries = [figure.describe(record, bucket) for record in page]
    return render(
        request,
        "dashboards/figure.html",
        {"figure": figure, "bucket": bucket, "bucket_label": labels[bucket], "page_obj": page, "entries": entries},
    )


@requires("dashboards.view")
@require_GET
def dashboard_export(request, key, fmt):
    figure = _figure(key)
    rows = selectors.figure_table(getattr(request, "access", request.user), figure)
    return exports.export_response(
        fmt,
        f"dashboard-{figure.key}",
        [str(figure.title), _("Number")],
        [[str(r["label"]), r["count"]] for r in rows],
    )
