"""A quarterly report asked for by one person, built in the background (``tasks.build_report``)."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ReportState(models.TextChoices):
    QUEUED = "queued", _("queued")
    RUNNING = "running", _("being built")
    DONE = "done", _("ready")
    FAILED = "failed", _("failed")


class QuarterlyReport(models.Model):
    """The dashboard of ``requester`` (narrowed to ``within``, or their whole scope) as at the end of
    ``period``, as a PDF. Only the requester downloads it, and only while they still hold every role
    they held when they asked (``grants``): the figures are counted with that access."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    requester = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", verbose_name=_("requested by")
    )
    within = models.ForeignKey(
        "core.Jurisdiction",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("jurisdiction"),
    )
    period = models.CharField(_("quarter"), max_length=7)
    language = models.CharField(_("language"), max_length=10, blank=True)
    # The requester's roles when they asked: "role@path" lines, sorted.
    grants = models.TextField(_("roles when requested"), blank=True)
    state = models.CharField(_("state"), max_length=10, choices=ReportState.choices, default=ReportState.QUEUED)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    error = models.CharField(_("error"), max_length=300, blank=True)
    pdf = models.BinaryField(_("PDF"), null=True, blank=True, editable=False)
    created_at = models.DateTimeField(_("requested"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)

    class Meta:
        verbose_name = _("quarterly report")
        verbose_name_plural = _("quarterly reports")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["requester", "-created_at"], name="dashboards_report_requester")]

    def __str__(self) -> str:
        return f"{self.period} ({self.get_state_display()})"

    @property
    def finished(self) -> bool:
        return self.state in (ReportState.DONE, ReportState.FAILED)
