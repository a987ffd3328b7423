"""The dashboard page, the list behind each figure, each table as CSV or XLSX, the quarterly report."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from tandem.core import access as core_access
from tandem.core import exports
from tandem.core import figures as core_figures

from . import access, cache, panels, selectors, services
from .models import ReportState
from .permissions import requires

PAGE = 50
# While a report is being built its page reloads itself this often (an HTTP Refresh: no JavaScript).
REFRESH_SECONDS = 3


def _scope(request, data: Any = None) -> tuple[selectors.Scope, Any]:
    """The reader's scope, narrowed to ``?within=<jurisdiction uuid>`` (one they may see; else 404)."""
    actor = getattr(request, "access", request.user)
    within = (request.GET if data is None else data).get("within")
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
        **panels.dashboard(scope, jurisdiction, extra),
        "cache_minutes": cache.seconds() // 60,
        "title": panels.title(scope.actor),
        "jurisdiction": jurisdiction,
        "export_query": urlencode(extra),
        "quarters": [k for k, _s, _e in core_figures.quarters(8)][::-1],
        "reports": list(access.visible_reports(scope.actor).defer("pdf").select_related("within")[:5]),
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
@require_POST
def dashboard_report(request):
    """Ask for the quarterly report (PDF) of the dashboard as at the end of a quarter (``period=2026-Q3``):
    it is built in the background; its page shows how far it is and then links to the file."""
    scope, jurisdiction = _scope(request, request.POST)
    try:
        report = services.report_request(
            actor=scope.actor, jurisdiction=jurisdiction, period=request.POST.get("period", "")
        )
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
        return redirect(panels.dashboard_url(jurisdiction))
    return redirect("dashboard_report_status", uuid=report.uuid)


def _report(request, uuid) -> Any:
    actor = getattr(request, "access", request.user)
    return core_access.get_visible_or_404(access.visible_reports(actor).select_related("within"), uuid=uuid)


@requires("dashboards.view")
@require_GET
def dashboard_report_status(request, uuid):
    """The state of one's report: queued, being built, ready (with its link) or failed."""
    report = _report(request, uuid)
    response = render(
        request,
        "dashboards/report.html",
        {"report": report, "refresh": REFRESH_SECONDS, "back": panels.dashboard_url(report.within)},
    )
    if not report.finished:
        response["Refresh"] = str(REFRESH_SECONDS)
    return response


@requires("dashboards.view")
@require_GET
def dashboard_report_download(request, uuid):
    """The report's PDF, to the person who asked for it only (while they still may see its scope)."""
    report = _report(request, uuid)
    if report.state != ReportState.DONE or report.pdf is None:
        raise Http404
    response = HttpResponse(bytes(report.pdf), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="dashboard-{report.period}.pdf"'
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "no-store"
    return response
