"""The dashboard page, the list behind each figure, each table as CSV or XLSX, the quarterly report."""

from __future__ import annotations

import datetime as dt
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
from tandem.core import figures as core_figures
from tandem.core.models import Role

from . import panels, pdf, selectors
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


def _extra(jurisdiction: Any) -> dict[str, str]:
    return {"within": str(jurisdiction.uuid)} if jurisdiction is not None else {}


@requires("dashboards.view")
@require_GET
def dashboard(request):
    scope, jurisdiction = _scope(request)
    extra = _extra(jurisdiction)
    context = {
        "panels": panels.build(scope, extra),
        "units": panels.units_table(scope, jurisdiction),
        "title": _title(scope.actor),
        "jurisdiction": jurisdiction,
        "export_query": urlencode(extra),
        "quarters": [k for k, _s, _e in core_figures.quarters(8)][::-1],
    }
    return render(request, "dashboards/dashboard.html", context)


def _figure(key: str) -> selectors.Figure:
    figure = selectors.figures().get(key)
    if figure is None:
        raise Http404
    return figure


@requires("dashboards.view")
@require_GET
def dashboard_figure(request, key):
    """The records counted in one bucket of a figure: exactly those, as the reader may open them."""
    figure = _figure(key)
    scope, jurisdiction = _scope(request)
    labels = {b.key: b.label for b in figure.buckets(scope)}
    bucket = request.GET.get("bucket") or next(iter(labels), "")
    if bucket not in labels:
        raise Http404
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
    """One table of the dashboard as CSV/XLSX: a figure's (``key``) or the units below (``units``)."""
    scope, jurisdiction = _scope(request)
    if key == "units":
        header, rows = panels.units_rows(panels.units_table(scope, jurisdiction))
        return exports.export_response(fmt, "dashboard-units", header, rows, request=request)
    figure = _figure(key)
    header, rows = panels.figure_rows(figure, selectors.figure_table(scope, figure))
    return exports.export_response(fmt, f"dashboard-{figure.key}", header, rows, request=request)


@requires("dashboards.view")
@require_GET
def dashboard_report(request):
    """The quarterly report (PDF): the dashboard as at the end of the chosen quarter (``?period=2026-Q3``)."""
    scope, jurisdiction = _scope(request)
    chosen = request.GET.get("period") or core_figures.quarters(1)[0][0]
    quarter = core_figures.parse_quarter(chosen)
    if quarter is None:
        raise Http404
    key, _start, end = quarter
    with core_figures.as_of(end - dt.timedelta(days=1)):
        built = panels.build(scope, _extra(jurisdiction))
        units = panels.units_table(scope, jurisdiction)
    place = jurisdiction.name if jurisdiction is not None else ", ".join(panels.scope_names(scope))
    return pdf.quarterly_report(
        title=_title(scope.actor), period=key, place=place, panels=built, units=units, link=reverse("dashboard")
    )
