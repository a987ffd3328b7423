"""Notifications: one per recipient and event, and each user's choices per kind and channel."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .kinds import KIND_CHOICES


class Notification(models.Model):
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications", verbose_name=_("recipient")
    )
    kind = models.CharField(_("kind"), max_length=40, choices=KIND_CHOICES)
    # The event that caused it: never twice for the same recipient, kind and key.
    event_key = models.CharField(max_length=200)
    object_type = models.CharField(max_length=40)
    object_uuid = models.UUIDField()
    # Shown in the notification centre only while the recipient may open the record.
    title = models.CharField(_("title"), max_length=300, blank=True)
    url = models.CharField(max_length=300, blank=True)
    # The record's TLP label; a restricted record's title never goes into an e-mail.
    label = models.CharField(_("label"), max_length=20, blank=True)
    restricted = models.BooleanField(default=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True, db_index=True)
    # In the centre only if the recipient wants it there, and (daily digest) from the next day on.
    in_app = models.BooleanField(default=True)
    show_after = models.DateTimeField(null=True, blank=True)
    read_at = models.DateTimeField(_("read"), null=True, blank=True)
    # E-mail: "" (none due), pending, digest, sent, failed (after every attempt; shown to the recipient).
    email_status = models.CharField(_("e-mail"), max_length=10, blank=True)
    email_attempts = models.PositiveSmallIntegerField(default=0)
    email_error = models.CharField(max_length=300, blank=True)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["recipient", "kind", "event_key"], name="notifications_once_per_event")
        ]
        indexes = [models.Index(fields=["recipient", "read_at"], name="notifications_unread")]

    def __str__(self) -> str:
        return f"{self.kind} {self.object_type}:{self.object_uuid}"


class Frequency(models.TextChoices):
    IMMEDIATELY = "immediately", _("Immediately")
    DAILY = "daily", _("In a daily digest")
    NEVER = "never", _("Never")


class Preference(models.Model):
    """A user's choice for one kind; without a row: in the app and by e-mail immediately."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_preferences"
    )
    kind = models.CharField(_("kind"), max_length=40, choices=KIND_CHOICES)
    in_app = models.CharField(_("in Tandem"), max_length=12, choices=Frequency.choices, default=Frequency.IMMEDIATELY)
    email = models.CharField(_("by e-mail"), max_length=12, choices=Frequency.choices, default=Frequency.IMMEDIATELY)

    class Meta:
        verbose_name = _("notification preference")
        verbose_name_plural = _("notification preferences")
        constraints = [models.UniqueConstraint(fields=["user", "kind"], name="notifications_one_preference")]

    def __str__(self) -> str:
        return f"{self.user_id} {self.kind}"
