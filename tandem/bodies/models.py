"""Coordination bodies and their members.

``Body`` and ``Membership`` are the base that plans (a plan may be owned by a
body) and the exchange (an item may be addressed to a body) build on: add
fields freely, but do not rename or remove these.
"""

from __future__ import annotations

import datetime as dt
import secrets
import uuid
from typing import Any

from django.db import models
from django.db.models import Case, F, Q, Value, When
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _

from tandem.core.models import Jurisdiction, Organisation, Person, Sector, TimeStamped, User, Versioned


class BodyKind(models.TextChoices):
    LOCAL_PREVENTION_NETWORK = "local_prevention_network", _("Local prevention network")
    COORDINATION_COMMITTEE = "coordination_committee", _("Coordination committee")
    ENGAGEMENT_FORUM = "engagement_forum", _("Engagement forum")
    COMMUNITY_ACTION_TEAM = "community_action_team", _("Community action team")
    NATIONAL_LOCAL_PLATFORM = "national_local_platform", _("National-local platform")
    REGIONAL_PLATFORM = "regional_platform", _("Regional platform")
    OTHER = "other", _("Other")


def new_calendar_token() -> str:
    return secrets.token_urlsafe(32)


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
    calendar_token = models.CharField(max_length=64, default=new_calendar_token, editable=False)

    class Meta:
        verbose_name = _("coordination body")
        verbose_name_plural = _("coordination bodies")
        ordering = ["name", "id"]
        indexes = [
            models.Index(fields=["jurisdiction", "kind"], name="bodies_body_jur_kind"),
            # The list's order: the first page is read by index instead of sorting every visible body
            # (a national coordinator's 30,000 at x10: list p50 61 -> 41 ms; regional 61 -> 38, local 47 -> 34).
            models.Index(fields=["name", "id"], name="bodies_body_name_id"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["jurisdiction", "name"],
                condition=Q(archived_at__isnull=True),
                name="bodies_body_unique_active_name",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_archived(self) -> bool:
        return self.archived_at is not None


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

    @property
    def jurisdiction(self) -> Jurisdiction:
        return self.body.jurisdiction


class BodyObjective(TimeStamped):
    """One objective of a body's terms of reference, in order."""

    body = models.ForeignKey(Body, on_delete=models.CASCADE, related_name="objectives", verbose_name=_("body"))
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    text = models.CharField(_("objective"), max_length=500)

    class Meta:
        verbose_name = _("objective")
        verbose_name_plural = _("objectives")
        ordering = ["body", "position", "id"]

    def __str__(self) -> str:
        return self.text


class SeatKind(models.TextChoices):
    CHAIR = "chair", _("Chair")
    CO_CHAIR = "co_chair", _("Co-chair")
    SECRETARIAT = "secretariat", _("Secretariat")
    OTHER = "other", _("Other")


class Seat(TimeStamped):
    """A seat that exists independently of who holds it (e.g. "Co-chair (county commissioner)")."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    body = models.ForeignKey(Body, on_delete=models.CASCADE, related_name="seats", verbose_name=_("body"))
    title = models.CharField(_("title"), max_length=200)
    kind = models.CharField(_("kind"), max_length=20, choices=SeatKind.choices)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("seat")
        verbose_name_plural = _("seats")
        ordering = ["body", "position", "id"]

    def __str__(self) -> str:
        return self.title

    @property
    def jurisdiction(self) -> Jurisdiction:
        return self.body.jurisdiction


class SeatHolding(TimeStamped):
    """Who held a seat, when (history is kept: a new holder ends the previous holding)."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    seat = models.ForeignKey(Seat, on_delete=models.CASCADE, related_name="holdings", verbose_name=_("seat"))
    person = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("person")
    )
    organisation = models.ForeignKey(
        Organisation, null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("organisation")
    )
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end date"), null=True, blank=True)

    class Meta:
        verbose_name = _("seat holding")
        verbose_name_plural = _("seat holdings")
        ordering = ["seat", "-start_date", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=F("start_date")),
                name="bodies_seatholding_date_range",
            ),
            models.CheckConstraint(
                condition=Q(person__isnull=False) | Q(organisation__isnull=False),
                name="bodies_seatholding_holder",
            ),
        ]

    def __str__(self) -> str:
        return " / ".join(str(x) for x in (self.person, self.organisation) if x is not None)


class MeetingStatus(models.TextChoices):
    SCHEDULED = "scheduled", _("Scheduled")
    HELD = "held", _("Held")
    CANCELLED = "cancelled", _("Cancelled")


class Meeting(TimeStamped, Versioned):
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    body = models.ForeignKey(Body, on_delete=models.CASCADE, related_name="meetings", verbose_name=_("body"))
    title = models.CharField(_("title"), max_length=200)
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"), null=True, blank=True)
    time_zone = models.CharField(_("time zone"), max_length=64, default="UTC")
    place = models.CharField(_("place"), max_length=300, blank=True)
    online_link = models.URLField(_("online link"), blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=MeetingStatus.choices, default=MeetingStatus.SCHEDULED
    )

    class Meta:
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")
        ordering = ["-starts_at", "-id"]
        indexes = [
            models.Index(fields=["body", "starts_at"], name="bodies_meeting_body_start"),
            # The meeting list's order (newest first, either way): its page reads 25 index entries.
            models.Index(fields=["starts_at", "id"], name="bodies_meeting_start_id"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__isnull=True) | Q(ends_at__gte=F("starts_at")),
                name="bodies_meeting_time_range",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def jurisdiction(self) -> Jurisdiction:
        return self.body.jurisdiction


MAX_AGENDA_ITEMS = 50
MAX_AGENDA_ITEM_CHARS = 1000


class AgendaItem(models.Model):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="agenda_items")
    position = models.PositiveSmallIntegerField(default=0)
    text = models.CharField(_("agenda item"), max_length=MAX_AGENDA_ITEM_CHARS)

    class Meta:
        ordering = ["meeting", "position", "id"]

    def __str__(self) -> str:
        return self.text


class Attendance(models.Model):
    """A member's invitation to a meeting and whether they came (and who represented them)."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="attendances")
    membership = models.ForeignKey(Membership, on_delete=models.CASCADE, related_name="attendances")
    invited = models.BooleanField(_("invited"), default=True)
    attended = models.BooleanField(_("attended"), default=False)

    class Meta:
        ordering = ["meeting", "membership__organisation__name", "id"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "membership"], name="bodies_attendance_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.membership_id} @ {self.meeting_id}"


class MinutesStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    APPROVED = "approved", _("Approved")


MAX_MINUTES_CHARS = 100_000


class MinutesVersion(TimeStamped, Versioned):
    """Minutes of a meeting. Approved versions are frozen; an amendment starts a new version."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="minutes", verbose_name=_("meeting"))
    number = models.PositiveIntegerField(_("version number"))
    text = models.TextField(_("minutes"), max_length=MAX_MINUTES_CHARS, blank=True)
    status = models.CharField(_("status"), max_length=20, choices=MinutesStatus.choices, default=MinutesStatus.DRAFT)
    approved_at = models.DateTimeField(_("approved"), null=True, blank=True)
    approved_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("approved by")
    )

    class Meta:
        verbose_name = _("minutes")
        verbose_name_plural = _("minutes")
        ordering = ["meeting", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "number"], name="bodies_minutesversion_unique_number"),
        ]

    def __str__(self) -> str:
        return f"{self.meeting} · {self.number}"

    @property
    def jurisdiction(self) -> Jurisdiction:
        return self.meeting.body.jurisdiction


class Decision(TimeStamped):
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="decisions", verbose_name=_("meeting"))
    number = models.PositiveIntegerField(_("number"))
    text = models.TextField(_("decision"), max_length=5000)

    class Meta:
        verbose_name = _("decision")
        verbose_name_plural = _("decisions")
        ordering = ["meeting", "number"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "number"], name="bodies_decision_unique_number"),
        ]

    def __str__(self) -> str:
        return f"{self.number}. {self.text[:80]}"

    @property
    def jurisdiction(self) -> Jurisdiction:
        return self.meeting.body.jurisdiction


class ActionStatus(models.TextChoices):
    OPEN = "open", _("Open")
    IN_PROGRESS = "in_progress", _("In progress")
    DONE = "done", _("Done")
    DROPPED = "dropped", _("Dropped")


CLOSED_STATUSES = (ActionStatus.DONE, ActionStatus.DROPPED)


def action_item_order(*, indexed: bool = True) -> tuple[dict[str, Any], tuple[str, ...]]:
    """How action item lists sort: open ones first, then by due date (none last), then id.

    Returned as annotations and the ``order_by`` keys naming them, so deep pages continue from a
    cursor on those keys (``tandem.core.pagination``; no key is ever NULL). On PostgreSQL the index
    ``bodies_action_open_due`` (migration 0003) holds exactly these expressions, so a page of a long
    list is read in order from it instead of sorting every visible item. ``indexed=False`` spells the
    same order by the closed statuses, which the index does not hold: for a short list ("my action
    items"), where PostgreSQL would otherwise walk the whole index looking for the user's few items
    (it cannot estimate how few), rather than read them by owner and sort them.
    """
    if indexed:
        rank = When(status__in=[ActionStatus.OPEN, ActionStatus.IN_PROGRESS], then=Value(0))
        open_first = Case(rank, default=Value(1), output_field=models.IntegerField())
    else:
        rank = When(status__in=list(CLOSED_STATUSES), then=Value(1))
        open_first = Case(rank, default=Value(0), output_field=models.IntegerField())
    due = Coalesce("due_date", Value(dt.date.max, output_field=models.DateField()))
    return {"closed_rank": open_first, "due_key": due}, ("closed_rank", "due_key", "id")


class ActionItem(TimeStamped, Versioned):
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    body = models.ForeignKey(Body, on_delete=models.CASCADE, related_name="action_items", verbose_name=_("body"))
    meeting = models.ForeignKey(
        Meeting,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="action_items",
        verbose_name=_("meeting"),
    )
    decision = models.ForeignKey(
        Decision,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="action_items",
        verbose_name=_("decision"),
    )
    title = models.CharField(_("title"), max_length=300)
    owner_organisation = models.ForeignKey(
        Organisation,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("owner organisation"),
    )
    owner_person = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("owner person")
    )
    due_date = models.DateField(_("due date"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=20, choices=ActionStatus.choices, default=ActionStatus.OPEN)
    completed_on = models.DateField(_("completed on"), null=True, blank=True)

    class Meta:
        verbose_name = _("action item")
        verbose_name_plural = _("action items")
        ordering = ["due_date", "id"]
        indexes = [
            models.Index(fields=["body", "status"], name="bodies_action_body_status"),
            models.Index(fields=["owner_organisation", "status"], name="bodies_action_org_status"),
            # The open items by due date with their body: the dashboard counts the overdue ones
            # (and the reader's due this week) from the index alone.
            models.Index(
                fields=["due_date", "body", "id"],
                condition=~Q(status__in=CLOSED_STATUSES),
                name="bodies_action_overdue",
            ),
            # The same per body: the dashboard of a region or a municipality counts the overdue items
            # of its few bodies, reading only those bodies' open items from the index.
            models.Index(
                fields=["body", "due_date", "id"],
                condition=~Q(status__in=CLOSED_STATUSES),
                name="bodies_action_body_overdue",
            ),
            # The API list's order: its first page reads 50 index entries, not every visible item sorted.
            models.Index(fields=["due_date", "id"], name="bodies_action_due_id"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def jurisdiction(self) -> Jurisdiction:
        return self.body.jurisdiction

    @property
    def is_closed(self) -> bool:
        return self.status in CLOSED_STATUSES
