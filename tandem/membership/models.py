"""Membership of the network: a local authority applies, a facilitator decides, and the
membership keeps a history of its statuses. Membership is free: there is no payment anywhere."""

from __future__ import annotations

import uuid as uuidlib

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from tandem.core.models import Jurisdiction, Organisation, Person, TimeStamped, Versioned


class Status(models.TextChoices):
    APPLIED = "applied", _("Applied")
    INFO_REQUESTED = "info_requested", _("Information requested")
    MEMBER = "member", _("Member")
    DECLINED = "declined", _("Declined")
    LAPSED = "lapsed", _("Lapsed")
    LEFT = "left", _("Left")


# A jurisdiction has at most one membership in these statuses (a second application is refused).
OPEN_STATUSES = (Status.APPLIED, Status.INFO_REQUESTED, Status.MEMBER)


class NetworkMembership(TimeStamped, Versioned):
    uuid = models.UUIDField(default=uuidlib.uuid4, unique=True, editable=False)
    jurisdiction = models.ForeignKey(
        Jurisdiction, on_delete=models.PROTECT, related_name="+", verbose_name=_("jurisdiction")
    )
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="+", verbose_name=_("authority")
    )
    focal_point = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+", verbose_name=_("focal point"))
    commitments = models.TextField(_("commitments"), max_length=5000)
    applied_on = models.DateField(_("applied on"))
    joined_on = models.DateField(_("joined on"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.APPLIED)
    reason = models.TextField(_("reason or request"), blank=True, max_length=5000)
    applied_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("membership")
        ordering = ["-applied_on", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["jurisdiction"],
                condition=Q(status__in=["applied", "info_requested", "member"]),
                name="membership_one_open_per_jurisdiction",
            )
        ]
        indexes = [models.Index(fields=["status"], name="membership_status")]

    def __str__(self) -> str:
        return str(self.organisation_id)


class StatusChange(models.Model):
    membership = models.ForeignKey(NetworkMembership, on_delete=models.CASCADE, related_name="history")
    status = models.CharField(max_length=20, choices=Status.choices)
    reason = models.TextField(blank=True)
    changed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    changed_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["changed_at", "id"]

    def __str__(self) -> str:
        return self.status
