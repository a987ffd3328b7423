"""Writes of the dashboards: asking for a quarterly report (built by ``tasks.build_report``)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _

from tandem.core import access as core_access
from tandem.core import figures as core_figures

from . import tasks
from .access import grants_text
from .models import QuarterlyReport

# Reports a person may have waiting or being built at once (a queue is not a download button).
MAX_PENDING = 3


def report_request(*, actor: Any, jurisdiction: Any, period: str) -> QuarterlyReport:
    """Queue the quarterly report of ``actor``'s dashboard (narrowed to ``jurisdiction``) for ``period``."""
    if core_figures.parse_quarter(period) is None:
        raise ValidationError({"period": _("Choose a quarter.")})
    user_id = core_access.get_access(actor).pk
    if user_id is None:
        raise ValidationError(_("Sign in first."))
    with transaction.atomic():
        pending = QuarterlyReport.objects.filter(requester_id=user_id, state__in=["queued", "running"])
        if pending.count() >= MAX_PENDING:
            raise ValidationError(
                _("You have %(n)s reports being built already: wait for one to finish.") % {"n": MAX_PENDING}
            )
        report = QuarterlyReport.objects.create(
            requester_id=user_id,
            within=jurisdiction,
            period=period,
            language=translation.get_language() or "",
            grants=grants_text(actor),
        )
        tasks.enqueue_on_commit(report.pk)
    return report
