"""Coordination bodies and their members.

``Body`` and ``Membership`` are the base that plans (a plan may be owned by a
body) and the exchange (an item may be addressed to a body) build on: add
fields freely, but do not rename or remove these.
"""

from __future__ import annotations

import uuid

from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from tandem.core.models import Jurisdiction, Organisation, Person, Sector, TimeStamped, Versioned


class BodyKind(models.TextChoices):
    LOCAL_PREVENTION_NETWORK = "local_prevention_network", _("Local prevention network")
    COORDINATION_COMMITTEE = "coordination_committee", _("Coordination committee")
    ENGAGEMENT_FORUM = "engagement_forum", _("Engagement forum")
    COMMUNITY_ACTION_TEAM = "community_action_team", _("Community action team")
    NATIONAL_LOCAL_PLATFORM = "national_local_platform", _("National-local platform")
    REGIONAL_PLATFORM = "regional_platform", _("Regional platform")
    OTHER = "other", _("Other")


class Body(TimeStamped, Versioned):
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("type"), max_length=40, choices=BodyKind.choices)
    jurisdiction = models.ForeignKey(
        Jurisdiction, on_delete=models.PROTECT, related_name="bodies", verbose_name=_("jurisdiction")
    )
    mandate = models.TextField(_("mandate and terms of reference"), blank=True, max_length=20000)
    mandate_reviewed_on = models.DateField(_("mandate last reviewed"), null=True, blank=True)
    archived_at = models.DateTimeField(_("archived"), null=True, blank=True)

    class Meta:
        verbose_name = _("coordination body")
        verbose_name_plural = _("coordination bodies")
        ordering = ["name", "id"]
        indexes = [models.Index(fields=["jurisdiction", "kind"], name="bodies_body_jur_kind")]
        constraints = [
            models.UniqueConstraint(
                fields=["jurisdiction", "name"],
                condition=Q(archived_at__isnull=True),
                name="bodies_body_unique_active_name",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Membership(TimeStamped, Versioned):
    """An organisation's seat at the table, from ``start_date`` to ``end_date`` (history is kept)."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    body = models.ForeignKey(Body, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("body"))
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="body_memberships", verbose_name=_("organisation")
    )
    person = models.ForeignKey(
        Person,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="body_memberships",
        verbose_name=_("representative"),
    )
    role = models.CharField(_("role"), max_length=100, blank=True)
    sector = models.CharField(_("sector"), max_length=30, choices=Sector.choices)
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end date"), null=True, blank=True)

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        ordering = ["body", "organisation__name", "-start_date", "id"]
        indexes = [
            models.Index(fields=["body", "end_date"], name="bodies_membership_body_end"),
            models.Index(fields=["organisation", "end_date"], name="bodies_membership_org_end"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=F("start_date")),
                name="bodies_membership_date_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organisation} @ {self.body}"
