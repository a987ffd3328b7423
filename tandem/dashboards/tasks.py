"""Background work of the dashboards, through Django's Tasks API (django-tasks), as the
notifications app does.

``build_report`` builds one ``QuarterlyReport``'s PDF with its requester's access. A failure is
tried again later (``TANDEM_TASK_MAX_ATTEMPTS`` in all); then the report shows "failed" to its
requester, the error is logged and the task ends FAILED in the task results: never lost silently.
A report whose requester may no longer see it (roles changed, place out of scope) is not built.
"""

from __future__ import annotations

import datetime as dt
import logging

from django.conf import settings
from django.db import transaction
from django.utils import timezone, translation
from django_tasks import task

from tandem.core import tasks as core_tasks

from . import access, pdf
from .models import QuarterlyReport, ReportState

logger = logging.getLogger(__name__)


class ReportFailed(RuntimeError):
    """Every attempt to build a quarterly report failed."""


def enqueue_report(report_id: int, *, delay: dt.timedelta | None = None) -> None:
    core_tasks.enqueue(build_report, report_id, delay=delay)


def enqueue_on_commit(report_id: int) -> None:
    transaction.on_commit(lambda: enqueue_report(report_id))


def _update(report: QuarterlyReport, **fields) -> None:
    QuarterlyReport.objects.filter(pk=report.pk).update(**fields)


@task()
def build_report(report_id: int) -> str:
    report = QuarterlyReport.objects.select_related("requester", "within").filter(pk=report_id).first()
    if report is None or report.finished:
        return "skipped"
    user = report.requester
    if not access.visible_reports(user).filter(pk=report.pk).exists():
        _update(report, state=ReportState.FAILED, error="access changed", finished_at=timezone.now())
        return "not built: the requester may no longer see it"
    attempts = report.attempts + 1
    _update(report, state=ReportState.RUNNING, attempts=attempts)
    try:
        with translation.override(report.language or settings.LANGUAGE_CODE):
            data = pdf.report_bytes(user, report.within, report.period)
    except Exception as exc:
        error = f"{type(exc).__name__}: {exc}"[:300]
        if attempts < settings.TANDEM_TASK_MAX_ATTEMPTS:
            _update(report, state=ReportState.QUEUED, error=error)
            enqueue_report(report.pk, delay=dt.timedelta(seconds=15 * 2**attempts))
            return f"attempt {attempts} failed, retrying"
        _update(report, state=ReportState.FAILED, error=error, finished_at=timezone.now())
        logger.error("quarterly report %s failed after %d attempts: %s", report.uuid, attempts, error)
        raise ReportFailed(error) from exc
    _update(report, state=ReportState.DONE, pdf=data, error="", finished_at=timezone.now())
    return "built"
