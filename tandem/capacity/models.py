"""Capacity building: the training catalogue, sessions, participants, attendance, feedback, certificates.

A course belongs to an owner jurisdiction and is visible to a country, to the owner's
subtree, or to the whole network (see :mod:`tandem.capacity.access`). A participation
keeps a snapshot of the person's sector, organisation, jurisdiction and level as they
were at registration, so the reach figures do not move when the person does later.
"""

from __future__ import annotations

import secrets
import uuid

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from tandem.core.models import (
    Competency,
    GovernmentLevel,
    Jurisdiction,
    Organisation,
    Person,
    Sector,
    TimeStamped,
    Versioned,
)

RATING_MIN = 1
RATING_MAX = 5
MAX_OBJECTIVES = 20


class CourseDelivery(models.TextChoices):
    IN_PERSON = "in_person", _("In person")
    ONLINE = "online", _("Online")
    BLENDED = "blended", _("Blended")


class CourseVisibility(models.TextChoices):
    COUNTRY = "country", _("The owner's country")
    SUBTREE = "subtree", _("The owner jurisdiction and below")
    NETWORK = "network", _("The whole network")


class PlaceStatus(models.TextChoices):
    NOMINATED = "nominated", _("Nominated")
    REQUESTED = "requested", _("Requested")
    ACCEPTED = "accepted", _("Accepted")
    WAITLISTED = "waitlisted", _("Wait-listed")
    DECLINED = "declined", _("Declined")
    WITHDRAWN = "withdrawn", _("Withdrawn")


OPEN_STATUSES = (PlaceStatus.NOMINATED, PlaceStatus.REQUESTED, PlaceStatus.ACCEPTED, PlaceStatus.WAITLISTED)


def level_of(jurisdiction: Jurisdiction) -> str:
    """The level a jurisdiction works at: country and above national, depth 2 regional, deeper local."""
    if jurisdiction.depth <= 1:
        return GovernmentLevel.NATIONAL
    if jurisdiction.depth == 2:
        return GovernmentLevel.REGIONAL
    return GovernmentLevel.LOCAL


class Course(TimeStamped, Versioned):
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    title = models.CharField(_("title"), max_length=200)
    summary = models.TextField(_("summary"), max_length=5000, blank=True)
    jurisdiction = models.ForeignKey(
        Jurisdiction, on_delete=models.PROTECT, related_name="+", verbose_name=_("owner jurisdiction")
    )
    level = models.CharField(_("level"), max_length=20, choices=GovernmentLevel.choices)
    languages = models.CharField(
        _("languages"), max_length=60, blank=True, help_text=_("Language codes separated by commas, e.g. en, fr.")
    )
    duration_hours = models.PositiveSmallIntegerField(_("duration (hours)"), default=1)
    delivery = models.CharField(_("delivery"), max_length=20, choices=CourseDelivery.choices)
    visibility = models.CharField(_("visible to"), max_length=20, choices=CourseVisibility.choices)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    archived_at = models.DateTimeField(_("archived"), null=True, blank=True)
    # The assessment framework items it addresses (a weak item of an assessment suggests the course).
    framework_items = models.ManyToManyField(
        "assessment.Item", blank=True, related_name="+", verbose_name=_("framework items it addresses")
    )

    class Meta:
        verbose_name = _("course")
        verbose_name_plural = _("courses")
        ordering = ["title", "id"]

    def __str__(self) -> str:
        return self.title

    @property
    def language_list(self) -> list[str]:
        return [code.strip() for code in self.languages.split(",") if code.strip()]


class LearningObjective(models.Model):
    course = models.ForeignKey(Course, on_delete=models.CASCADE, related_name="learning_objectives")
    position = models.PositiveSmallIntegerField(default=0)
    text = models.CharField(_("learning objective"), max_length=500)

    class Meta:
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return self.text


class CourseCompetency(models.Model):
    course = models.ForeignKey(Course, on_delete=models.CASCADE, related_name="course_competencies")
    competency = models.CharField(_("competency"), max_length=20, choices=Competency.choices)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["course", "competency"], name="capacity_course_competency")]

    def __str__(self) -> str:
        return self.get_competency_display()


class CourseAudience(models.Model):
    course = models.ForeignKey(Course, on_delete=models.CASCADE, related_name="audience_sectors")
    sector = models.CharField(_("sector"), max_length=30, choices=Sector.choices)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["course", "sector"], name="capacity_course_sector")]

    def __str__(self) -> str:
        return self.get_sector_display()


def new_token() -> str:
    return secrets.token_urlsafe(24)


class TrainingSession(TimeStamped, Versioned):
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    course = models.ForeignKey(Course, on_delete=models.PROTECT, related_name="sessions", verbose_name=_("course"))
    host = models.ForeignKey(
        Jurisdiction, on_delete=models.PROTECT, related_name="+", verbose_name=_("host jurisdiction")
    )
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    time_zone = models.CharField(_("time zone"), max_length=60, default="UTC")
    venue = models.CharField(_("venue"), max_length=300, blank=True)
    online_link = models.URLField(_("online link"), blank=True)
    places = models.PositiveSmallIntegerField(_("places"))
    registration_deadline = models.DateTimeField(_("registration deadline"))
    required_share = models.PositiveSmallIntegerField(
        _("attendance required for a certificate (%)"), default=80, help_text=_("Share of the session's days.")
    )
    external_trainers = models.CharField(_("external trainers"), max_length=500, blank=True)
    session_trainers = models.ManyToManyField(Person, blank=True, related_name="+", verbose_name=_("trainers"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    cancelled_at = models.DateTimeField(_("cancelled"), null=True, blank=True)
    cancellation_reason = models.TextField(_("reason for cancelling"), max_length=1000, blank=True)
    archived_at = models.DateTimeField(_("archived"), null=True, blank=True)

    class Meta:
        verbose_name = _("training session")
        verbose_name_plural = _("training sessions")
        ordering = ["starts_at", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(ends_at__gt=F("starts_at")), name="capacity_session_ends_after_start"),
            models.CheckConstraint(condition=Q(places__gt=0), name="capacity_session_places_positive"),
            models.CheckConstraint(condition=Q(required_share__lte=100), name="capacity_session_share_percent"),
        ]

    def __str__(self) -> str:
        return f"{self.course.title} · {self.starts_at:%Y-%m-%d}"


class CourseMaterial(TimeStamped):
    """A file of a course (and, when ``session`` is set, of one of its sessions): checked by
    ``tandem.core.uploads`` before anything reads it; served only as a download."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    course = models.ForeignKey(Course, on_delete=models.CASCADE, related_name="materials")
    session = models.ForeignKey(
        TrainingSession,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="materials",
        verbose_name=_("session"),
    )
    name = models.CharField(_("file name"), max_length=200)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField(default=0)
    data = models.BinaryField()
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("course material")
        verbose_name_plural = _("course materials")
        ordering = ["name", "id"]

    def __str__(self) -> str:
        return self.name


class Participation(TimeStamped, Versioned):
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    session = models.ForeignKey(TrainingSession, on_delete=models.PROTECT, related_name="participations")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+", verbose_name=_("person"))
    status = models.CharField(_("status"), max_length=20, choices=PlaceStatus.choices)
    nominated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # The snapshot, as the directory said at registration.
    sector = models.CharField(_("sector"), max_length=30, choices=Sector.choices, blank=True)
    organisation = models.ForeignKey(Organisation, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    organisation_name = models.CharField(_("organisation"), max_length=200, blank=True)
    jurisdiction = models.ForeignKey(Jurisdiction, on_delete=models.PROTECT, related_name="+")
    jurisdiction_path = models.CharField(max_length=255)
    level = models.CharField(_("level"), max_length=20, choices=GovernmentLevel.choices)

    class Meta:
        verbose_name = _("participation")
        verbose_name_plural = _("participations")
        ordering = ["created_at", "id"]
        constraints = [models.UniqueConstraint(fields=["session", "person"], name="capacity_one_place_per_person")]
        indexes = [
            models.Index(fields=["jurisdiction_path"], name="capacity_part_path", opclasses=["varchar_pattern_ops"]),
            models.Index(fields=["session", "status"], name="capacity_part_session_status"),
        ]

    def __str__(self) -> str:
        return f"{self.person} · {self.session}"


class AttendanceDay(models.Model):
    participation = models.ForeignKey(Participation, on_delete=models.CASCADE, related_name="days")
    day = models.DateField(_("day"))
    present = models.BooleanField(_("present"), default=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["participation", "day"], name="capacity_attendance_day")]
        ordering = ["day"]

    def __str__(self) -> str:
        return f"{self.participation} · {self.day}"


class Feedback(TimeStamped):
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    participation = models.OneToOneField(Participation, on_delete=models.CASCADE, related_name="feedback")
    comment = models.TextField(_("comment"), max_length=3000, blank=True)

    def __str__(self) -> str:
        return f"{self.participation}"


class ObjectiveRating(models.Model):
    feedback = models.ForeignKey(Feedback, on_delete=models.CASCADE, related_name="ratings")
    objective = models.ForeignKey(LearningObjective, on_delete=models.CASCADE, related_name="+")
    rating = models.PositiveSmallIntegerField(_("rating"))
    confidence_before = models.PositiveSmallIntegerField(_("confidence before"))
    confidence_after = models.PositiveSmallIntegerField(_("confidence after"))

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["feedback", "objective"], name="capacity_one_rating_per_objective"),
            *(
                models.CheckConstraint(
                    condition=Q(**{f"{name}__gte": RATING_MIN, f"{name}__lte": RATING_MAX}),
                    name=f"capacity_{name}_on_scale",
                )
                for name in ("rating", "confidence_before", "confidence_after")
            ),
        ]

    def __str__(self) -> str:
        return f"{self.objective}: {self.rating}"


def new_code() -> str:
    """A verification code: 15 characters of an unambiguous alphabet (about 75 bits), in groups of five."""
    alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
    raw = "".join(secrets.choice(alphabet) for _ in range(15))
    return "-".join(raw[i : i + 5] for i in range(0, 15, 5))


class Certificate(models.Model):
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    participation = models.OneToOneField(Participation, on_delete=models.PROTECT, related_name="certificate")
    code = models.CharField(max_length=20, unique=True, default=new_code, editable=False)
    full_name = models.CharField(max_length=200)
    course_title = models.CharField(max_length=200)
    completed_on = models.DateField()
    issued_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("certificate")
        verbose_name_plural = _("certificates")

    def __str__(self) -> str:
        return self.code


class CalendarFeed(models.Model):
    """The private link of a user's feed of the sessions they hold a place in."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    token = models.CharField(max_length=64, unique=True, default=new_token)

    def __str__(self) -> str:
        return f"feed of {self.user_id}"


class Urgency(models.TextChoices):
    LOW = "low", _("Low")
    MEDIUM = "medium", _("Medium")
    HIGH = "high", _("High")


class TrainingNeed(TimeStamped, Versioned):
    """A jurisdiction's need for training, raised by its coordinator to the level above."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    jurisdiction = models.ForeignKey(Jurisdiction, on_delete=models.PROTECT, related_name="+")
    competency = models.CharField(_("competency"), max_length=20, choices=Competency.choices)
    sector = models.CharField(_("sector"), max_length=30, choices=Sector.choices, blank=True)
    people_count = models.PositiveIntegerField(_("number of people"))
    urgency = models.CharField(_("urgency"), max_length=10, choices=Urgency.choices)
    description = models.TextField(_("description"), max_length=3000, blank=True)
    raised_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    answer = models.TextField(_("answer"), max_length=3000, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    answered_at = models.DateTimeField(_("answered"), null=True, blank=True)
    # The exchange request the coordinator raised it as (a draft until they send it from the preview).
    exchange_item = models.ForeignKey(
        "exchange.ExchangeItem", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("training need")
        verbose_name_plural = _("training needs")
        ordering = ["-created_at", "id"]
        constraints = [models.CheckConstraint(condition=Q(people_count__gt=0), name="capacity_need_people_positive")]

    def __str__(self) -> str:
        return f"{self.get_competency_display()} · {self.jurisdiction}"


class SharingRequirement(TimeStamped):
    """ "Ready to share": in a country, sending at AMBER and above needs a valid completion of ``course``
    (a certificate no older than ``valid_days``) or an exemption. One per country."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    country = models.OneToOneField(Jurisdiction, on_delete=models.PROTECT, related_name="+")
    course = models.ForeignKey(Course, on_delete=models.PROTECT, related_name="+", verbose_name=_("required course"))
    valid_days = models.PositiveIntegerField(_("a completion is valid for (days)"), default=365)
    set_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = _("sharing requirement")
        verbose_name_plural = _("sharing requirements")

    def __str__(self) -> str:
        return f"{self.country}: {self.course}"


class SharingExemption(TimeStamped):
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    requirement = models.ForeignKey(SharingRequirement, on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    reason = models.CharField(_("reason"), max_length=500)
    granted_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = _("sharing exemption")
        verbose_name_plural = _("sharing exemptions")
        constraints = [models.UniqueConstraint(fields=["requirement", "user"], name="capacity_one_exemption")]

    def __str__(self) -> str:
        return f"{self.user} · {self.requirement}"
