"""Workshops and events: the event, its agenda, participants, breakout groups with their outcomes
and commitments, and the generated report.

Who may read an event is decided in ONE place: :mod:`tandem.events.access` (which reuses the
library's visibility rule: network-wide, community, country or jurisdiction subtree).
"""

from __future__ import annotations

import uuid as uuidlib

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from tandem.core.models import GovernmentLevel, Jurisdiction, Organisation, Person, Sector, TimeStamped, Versioned
from tandem.library.models import Audience, Language

TITLE_MAX = 200
TEXT_MAX = 5000
SUMMARY_MAX = 20_000


class Kind(models.TextChoices):
    WORKSHOP = "workshop", _("Workshop")
    SUMMIT = "summit", _("Summit")
    DIALOGUE = "dialogue", _("Dialogue")
    TRAINING_DAY = "training_day", _("Training day")
    EXCHANGE_VISIT = "exchange_visit", _("Exchange visit")


class OrganisationRole(models.TextChoices):
    ORGANISER = "organiser", _("Organiser")
    PARTNER = "partner", _("Partner")
    FUNDER = "funder", _("Funder")


class ParticipantStatus(models.TextChoices):
    INVITED = "invited", _("Invited")
    REGISTERED = "registered", _("Registered")
    CONFIRMED = "confirmed", _("Confirmed")
    ATTENDED = "attended", _("Attended")
    DECLINED = "declined", _("Declined")


class OutcomeKind(models.TextChoices):
    CHALLENGE = "challenge", _("Challenge")
    COLLABORATION = "collaboration", _("Area of collaboration")


class ReportStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PUBLISHED = "published", _("Published")


class Event(Audience, TimeStamped, Versioned):
    """One event. ``jurisdiction`` owns it: its organisers (coordinators and facilitators over it)
    manage it, and the country and subtree visibilities are measured from it."""

    uuid = models.UUIDField(default=uuidlib.uuid4, unique=True, editable=False)
    title = models.CharField(_("title"), max_length=TITLE_MAX)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    time_zone = models.CharField(_("time zone"), max_length=60, default="UTC")
    place = models.ForeignKey(
        Jurisdiction, null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("city")
    )
    online = models.BooleanField(_("online"), default=False)
    venue = models.CharField(_("venue"), max_length=300, blank=True)
    host = models.ForeignKey(
        Organisation, null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("host")
    )
    language = models.CharField(_("report language"), max_length=5, choices=Language.choices, default=Language.ENGLISH)
    languages = models.CharField(_("languages spoken"), max_length=200, blank=True)
    objectives = models.TextField(_("objectives"), blank=True, max_length=TEXT_MAX)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("event")
        verbose_name_plural = _("events")
        ordering = ["-starts_at", "id"]
        indexes = [models.Index(fields=["starts_at", "id"], name="events_event_starts")]
        constraints = [
            models.CheckConstraint(condition=Q(ends_at__gte=models.F("starts_at")), name="events_ends_after")
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def objective_list(self) -> list[str]:
        return [line.strip() for line in self.objectives.splitlines() if line.strip()]


class EventOrganisation(models.Model):
    """An organiser, partner or funder of an event (part of the event)."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="+")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    role = models.CharField(max_length=10, choices=OrganisationRole.choices)

    class Meta:
        ordering = ["role", "organisation__name", "id"]
        constraints = [
            models.UniqueConstraint(fields=["event", "organisation", "role"], name="events_organisation_unique")
        ]

    def __str__(self) -> str:
        return f"{self.role}:{self.organisation_id}"


class AgendaSession(models.Model):
    """One session of the agenda (part of the event): inside the event's dates."""

    uuid = models.UUIDField(default=uuidlib.uuid4, unique=True, editable=False)
    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="+")
    title = models.CharField(_("title"), max_length=TITLE_MAX)
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    speakers = models.CharField(_("speakers"), max_length=500, blank=True)
    room = models.CharField(_("room"), max_length=200, blank=True)

    class Meta:
        ordering = ["starts_at", "id"]

    def __str__(self) -> str:
        return self.title


class Participant(TimeStamped):
    """Someone invited from the directory (``person``) or added as a guest (name only)."""

    uuid = models.UUIDField(default=uuidlib.uuid4, unique=True, editable=False)
    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="+")
    person = models.ForeignKey(Person, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    name = models.CharField(_("name"), max_length=200)
    role = models.CharField(_("role"), max_length=200, blank=True, help_text=_("For example: Mayor, Governor."))
    organisation = models.ForeignKey(
        Organisation, null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("organisation")
    )
    organisation_name = models.CharField(_("organisation"), max_length=200, blank=True)
    country = models.ForeignKey(Jurisdiction, on_delete=models.PROTECT, related_name="+", verbose_name=_("country"))
    level = models.CharField(_("level"), max_length=10, choices=GovernmentLevel.choices)
    sector = models.CharField(_("sector"), max_length=30, choices=Sector.choices, blank=True)
    status = models.CharField(
        _("status"), max_length=12, choices=ParticipantStatus.choices, default=ParticipantStatus.INVITED
    )
    registered_at = models.DateTimeField(null=True, blank=True)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    attended_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("participant")
        ordering = ["country__name", "name", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["event", "person"], condition=Q(person__isnull=False), name="events_person_once"
            )
        ]

    def __str__(self) -> str:
        return self.name


class Breakout(TimeStamped):
    """A breakout group (for example one per country), with its members and a rapporteur."""

    uuid = models.UUIDField(default=uuidlib.uuid4, unique=True, editable=False)
    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="+")
    name = models.CharField(_("name"), max_length=200)
    country = models.ForeignKey(
        Jurisdiction, null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("country")
    )
    rapporteur = models.ForeignKey(
        Participant, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("rapporteur")
    )
    members = models.ManyToManyField(Participant, related_name="+", blank=True, verbose_name=_("members"))

    class Meta:
        ordering = ["name", "id"]
        constraints = [models.UniqueConstraint(fields=["event", "name"], name="events_breakout_name_unique")]

    def __str__(self) -> str:
        return self.name


class Outcome(models.Model):
    """A challenge identified or an area of collaboration drafted by a breakout (part of it)."""

    breakout = models.ForeignKey(Breakout, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=15, choices=OutcomeKind.choices)
    text = models.TextField(max_length=TEXT_MAX)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["kind", "id"]

    def __str__(self) -> str:
        return self.text[:60]


class Commitment(TimeStamped, Versioned):
    """What someone undertook in a breakout; it may become an action item of a coordination body
    or a follow-up exchange request (the link is kept, the follow-up's status shown)."""

    uuid = models.UUIDField(default=uuidlib.uuid4, unique=True, editable=False)
    breakout = models.ForeignKey(Breakout, on_delete=models.CASCADE, related_name="+")
    text = models.TextField(_("commitment"), max_length=TEXT_MAX)
    owner = models.CharField(_("owner"), max_length=200)
    owner_organisation = models.ForeignKey(
        Organisation, null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("organisation")
    )
    due_date = models.DateField(_("due date"), null=True, blank=True)
    action_item = models.ForeignKey(
        "bodies.ActionItem", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    exchange_item = models.ForeignKey(
        "exchange.ExchangeItem", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["due_date", "id"]

    def __str__(self) -> str:
        return self.text[:60]


class EventReport(TimeStamped, Versioned):
    """The event's report: generated from the event's records, with a summary edited before
    publication (versions kept); published, it becomes a library item."""

    uuid = models.UUIDField(default=uuidlib.uuid4, unique=True, editable=False)
    event = models.OneToOneField(Event, on_delete=models.CASCADE, related_name="+")
    summary = models.TextField(_("summary"), blank=True, max_length=SUMMARY_MAX)
    status = models.CharField(max_length=10, choices=ReportStatus.choices, default=ReportStatus.DRAFT)
    library_item = models.ForeignKey(
        "library.LibraryItem", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    published_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("event report")

    def __str__(self) -> str:
        return f"report {self.event_id}"


class ReportVersion(models.Model):
    """The report's summary as it stood at one version (kept on every edit)."""

    report = models.ForeignKey(EventReport, on_delete=models.CASCADE, related_name="+")
    number = models.PositiveIntegerField()
    summary = models.TextField(blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-number"]
        constraints = [models.UniqueConstraint(fields=["report", "number"], name="events_report_version_unique")]

    def __str__(self) -> str:
        return f"{self.report_id} v{self.number}"
