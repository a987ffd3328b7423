"""The event report: the generated page, its summary (versioned), the PDF and publication."""

from __future__ import annotations

from types import SimpleNamespace

from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from tandem.core.versioning import VersionConflict
from tandem.core.views.versioned import versioned_form
from tandem.events.permissions import requires

from .. import access, pdf, selectors, services
from ..forms import ReportForm
from ..models import ReportStatus
from ._common import get_event, get_managed_event


def _report_or_404(request, event):
    report = selectors.report_of(request.user, event)
    if report is None and not access.can_manage(request.user, event):
        raise Http404
    return report


@requires("events.view")
@require_GET
def report_detail(request, uuid):
    user = request.user
    event = get_event(request, uuid)
    report = _report_or_404(request, event)
    with translation.override(event.language):  # the report's labels in the event's language
        data = selectors.report_data(user, event, report)
    manager = access.can_manage(user, event)
    return render(
        request,
        "events/report.html",
        {
            "event": event,
            "report": report,
            "data": data,
            "manager": manager,
            "versions": selectors.report_versions(report) if report and manager else [],
            "published": report is not None and report.status == ReportStatus.PUBLISHED,
        },
    )


@requires("events.organise")
@require_http_methods(["GET", "POST"])
def report_edit(request, uuid):
    user = request.user
    event = get_managed_event(request, uuid)
    report = selectors.report_of(user, event)
    if report is None and request.method == "POST":
        report = services.report_start(actor=user, event=event)  # the first save creates the draft
    if report is None:
        report = SimpleNamespace(version=1, summary="")  # nothing is written by a GET
    edit = versioned_form(
        request,
        ReportForm,
        record=report,
        initial={"summary": report.summary},
        save=lambda data, version: services.report_update(
            actor=user, report=report, expected_version=version, summary=data["summary"]
        ),
    )
    if edit.saved:
        return redirect("event_report", uuid=event.uuid)
    return render(
        request,
        "events/form.html",
        edit.context(
            title=_("The report's summary"), lead=event.title, cancel_url=reverse("event_report", args=[event.uuid])
        ),
    )


@requires("events.view")
@require_GET
def report_pdf(request, uuid):
    user = request.user
    event = get_event(request, uuid)
    report = _report_or_404(request, event)
    data = selectors.report_data(user, event, report)
    with translation.override(event.language):
        status = str(ReportStatus(report.status).label) if report else str(ReportStatus.DRAFT.label)
        doc = pdf.report(data, status=status)
        return doc.response(f"event-report-{event.starts_at:%Y%m%d}.pdf")


@requires("events.organise")
@require_POST
def report_publish(request, uuid):
    from django.contrib import messages
    from django.core.exceptions import ValidationError

    user = request.user
    event = get_managed_event(request, uuid)
    report = selectors.report_of(user, event)
    if report is None:
        messages.error(request, _("Write the summary before publishing."))
        return redirect("event_report", uuid=event.uuid)
    try:
        version = int(request.POST.get("version", ""))
    except ValueError:
        version = -1
    data = selectors.report_data(user, event, report)
    try:
        services.report_publish(
            actor=user, report=report, expected_version=version, body_html=selectors.report_html(data)
        )
    except VersionConflict:
        messages.error(request, _("Someone changed the report in the meantime: check it and publish again."))
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("The report is published in the library."))
    return redirect("event_report", uuid=event.uuid)
