"""Records of the NLC assessment toolkit.

* ``Framework`` → ``Competency`` → ``Item``, with its ``ScaleLevel`` rows: the checklist as
  versioned data (network-wide reference data, read by every role). A framework in use is never
  edited, only superseded by a new version.
* ``Assessment`` of a jurisdiction (optionally of one coordination body) for a round, led by one
  user; ``Respondent`` rows invited from the directory; one ``Answer`` per respondent and item.
* ``EvidenceLink`` from a respondent to a Tandem record they can see (kind + identifier, resolved
  through the reader's own scope whenever it is shown).
* ``Finding`` (validation outcome) and ``Recommendation`` (optionally turned into an action item).
"""

from __future__ import annotations

import uuid

from django.db import models
from django.db.models import Q
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from tandem.core.models import Jurisdiction, Person, Sector, TimeStamped, User, Versioned


def _localised(obj: object, field: str) -> str:
    """The French text when the page is in French and it exists, else the English one."""
    lang = (get_language() or "en")[:2]
    if lang == "fr":
        text = getattr(obj, f"{field}_fr", "")
        if text:
            return str(text)
    return str(getattr(obj, f"{field}_en", ""))


class Framework(TimeStamped):
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    slug = models.SlugField(_("key"), max_length=60)
    name = models.CharField(_("name"), max_length=200)
    version = models.CharField(_("version"), max_length=20)
    languages = models.CharField(_("languages"), max_length=40, default="en,fr")
    source = models.TextField(_("source"), max_length=2000, blank=True)
    licence = models.TextField(_("licence and citation"), max_length=2000, blank=True)
    is_official = models.BooleanField(_("official text"), default=False)
    author_statement = models.TextField(_("who wrote it"), max_length=2000)
    supersedes = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("supersedes")
    )

    class Meta:
        verbose_name = _("framework")
        verbose_name_plural = _("frameworks")
        ordering = ["name", "-created_at"]
        constraints = [models.UniqueConstraint(fields=["slug", "version"], name="assessment_framework_version")]

    def __str__(self) -> str:
        return f"{self.name} {self.version}"


class Competency(models.Model):
    framework = models.ForeignKey(
        Framework, on_delete=models.CASCADE, related_name="competencies", verbose_name=_("framework")
    )
    code = models.CharField(_("code"), max_length=30)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    name_en = models.CharField(_("name (English)"), max_length=200)
    name_fr = models.CharField(_("name (French)"), max_length=200, blank=True)
    guidance_en = models.TextField(_("guidance (English)"), max_length=4000, blank=True)
    guidance_fr = models.TextField(_("guidance (French)"), max_length=4000, blank=True)

    class Meta:
        verbose_name = _("competency")
        verbose_name_plural = _("competencies")
        ordering = ["framework", "position", "code"]
        constraints = [models.UniqueConstraint(fields=["framework", "code"], name="assessment_competency_code")]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return _localised(self, "name")

    @property
    def guidance(self) -> str:
        return _localised(self, "guidance")


class Item(models.Model):
    competency = models.ForeignKey(
        Competency, on_delete=models.CASCADE, related_name="items", verbose_name=_("competency")
    )
    code = models.CharField(_("code"), max_length=30)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    statement_en = models.TextField(_("statement (English)"), max_length=1000)
    statement_fr = models.TextField(_("statement (French)"), max_length=1000, blank=True)
    guidance_en = models.TextField(_("guidance (English)"), max_length=4000, blank=True)
    guidance_fr = models.TextField(_("guidance (French)"), max_length=4000, blank=True)

    class Meta:
        verbose_name = _("item")
        verbose_name_plural = _("items")
        ordering = ["competency__position", "position", "code"]
        constraints = [models.UniqueConstraint(fields=["competency", "code"], name="assessment_item_code")]

    def __str__(self) -> str:
        return f"{self.code} {self.statement}"

    @property
    def statement(self) -> str:
        return _localised(self, "statement")

    @property
    def guidance(self) -> str:
        return _localised(self, "guidance")


class ScaleLevel(models.Model):
    framework = models.ForeignKey(
        Framework, on_delete=models.CASCADE, related_name="levels", verbose_name=_("framework")
    )
    value = models.PositiveSmallIntegerField(_("value"))
    label_en = models.CharField(_("label (English)"), max_length=100)
    label_fr = models.CharField(_("label (French)"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("scale level")
        verbose_name_plural = _("scale levels")
        ordering = ["framework", "value"]
        constraints = [models.UniqueConstraint(fields=["framework", "value"], name="assessment_level_value")]

    def __str__(self) -> str:
        return f"{self.value} {self.label}"

    @property
    def label(self) -> str:
        return _localised(self, "label")


class Status(models.TextChoices):
    DRAFT = "draft", _("Draft")
    COLLECTING = "collecting", _("Collecting answers")
    VALIDATION = "validation", _("Validation")
    FINAL = "final", _("Final")


class Assessment(TimeStamped, Versioned):
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    framework = models.ForeignKey(
        Framework, on_delete=models.PROTECT, related_name="assessments", verbose_name=_("framework")
    )
    jurisdiction = models.ForeignKey(
        Jurisdiction, on_delete=models.PROTECT, related_name="assessments", verbose_name=_("jurisdiction")
    )
    body = models.ForeignKey(
        "bodies.Body",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="assessments",
        verbose_name=_("coordination body"),
    )
    round_label = models.CharField(_("round"), max_length=40)
    lead = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+", verbose_name=_("lead"))
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.DRAFT)
    validation_meeting = models.ForeignKey(
        "bodies.Meeting",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("validation meeting"),
    )
    finalised_at = models.DateTimeField(_("finalised"), null=True, blank=True)

    class Meta:
        verbose_name = _("assessment")
        verbose_name_plural = _("assessments")
        ordering = ["-round_label", "jurisdiction__name", "id"]
        indexes = [models.Index(fields=["jurisdiction", "round_label"], name="assessment_jur_round")]

    def __str__(self) -> str:
        return f"{self.jurisdiction} · {self.round_label}"


class Level(models.TextChoices):
    NATIONAL = "national", _("National")
    LOCAL = "local", _("Local")


class Respondent(TimeStamped, Versioned):
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    assessment = models.ForeignKey(
        Assessment, on_delete=models.CASCADE, related_name="respondents", verbose_name=_("assessment")
    )
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+", verbose_name=_("person"))
    sector = models.CharField(_("sector"), max_length=30, choices=Sector.choices)
    level = models.CharField(_("level"), max_length=10, choices=Level.choices)
    strengths = models.TextField(_("strengths"), max_length=5000, blank=True)
    obstacles = models.TextField(_("obstacles"), max_length=5000, blank=True)
    submitted_at = models.DateTimeField(_("answered"), null=True, blank=True)

    class Meta:
        verbose_name = _("respondent")
        verbose_name_plural = _("respondents")
        ordering = ["assessment", "id"]
        constraints = [models.UniqueConstraint(fields=["assessment", "person"], name="assessment_respondent_once")]

    def __str__(self) -> str:
        return str(self.person)

    @property
    def jurisdiction(self) -> Jurisdiction:
        return self.assessment.jurisdiction


class Answer(models.Model):
    respondent = models.ForeignKey(
        Respondent, on_delete=models.CASCADE, related_name="answers", verbose_name=_("respondent")
    )
    item = models.ForeignKey(Item, on_delete=models.PROTECT, related_name="+", verbose_name=_("item"))
    score = models.PositiveSmallIntegerField(_("score"), null=True, blank=True)
    dont_know = models.BooleanField(_("don't know"), default=False)
    evidence = models.TextField(_("evidence"), max_length=2000, blank=True)

    class Meta:
        verbose_name = _("answer")
        verbose_name_plural = _("answers")
        constraints = [
            models.UniqueConstraint(fields=["respondent", "item"], name="assessment_answer_once"),
            models.CheckConstraint(
                condition=Q(score__isnull=True, dont_know=True) | Q(score__isnull=False, dont_know=False),
                name="assessment_answer_score_or_dont_know",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.item.code}: {'?' if self.dont_know else self.score}"


class EvidenceKind(models.TextChoices):
    MEETING = "meeting", _("Meeting")
    DECISION = "decision", _("Decision")
    EXCHANGE_ITEM = "exchange_item", _("Exchange item")
    ACTIVITY = "activity", _("Plan activity")
    AGREEMENT = "agreement", _("Sharing agreement")


class EvidenceLink(TimeStamped):
    """A respondent's link to a Tandem record; shown only to readers who may see that record."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    respondent = models.ForeignKey(
        Respondent, on_delete=models.CASCADE, related_name="evidence_links", verbose_name=_("respondent")
    )
    competency = models.ForeignKey(
        Competency, null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("competency")
    )
    kind = models.CharField(_("kind"), max_length=20, choices=EvidenceKind.choices)
    target_uuid = models.UUIDField(_("record"))

    class Meta:
        verbose_name = _("evidence link")
        verbose_name_plural = _("evidence links")
        ordering = ["respondent", "id"]
        constraints = [
            models.UniqueConstraint(fields=["respondent", "kind", "target_uuid"], name="assessment_evidence_once")
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.target_uuid}"

    @property
    def jurisdiction(self) -> Jurisdiction:
        return self.respondent.assessment.jurisdiction


class Outcome(models.TextChoices):
    PENDING = "pending", _("Not yet discussed")
    CONFIRMED = "confirmed", _("Confirmed")
    AMENDED = "amended", _("Amended")
    REJECTED = "rejected", _("Rejected")


class Finding(TimeStamped, Versioned):
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    assessment = models.ForeignKey(
        Assessment, on_delete=models.CASCADE, related_name="findings", verbose_name=_("assessment")
    )
    competency = models.ForeignKey(
        Competency, null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("competency")
    )
    text = models.TextField(_("finding"), max_length=4000)
    outcome = models.CharField(_("outcome"), max_length=20, choices=Outcome.choices, default=Outcome.PENDING)
    note = models.TextField(_("note from the meeting"), max_length=4000, blank=True)

    class Meta:
        verbose_name = _("finding")
        verbose_name_plural = _("findings")
        ordering = ["assessment", "id"]

    def __str__(self) -> str:
        return self.text[:80]

    @property
    def jurisdiction(self) -> Jurisdiction:
        return self.assessment.jurisdiction


class Recommendation(TimeStamped):
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    assessment = models.ForeignKey(
        Assessment, on_delete=models.CASCADE, related_name="recommendations", verbose_name=_("assessment")
    )
    competency = models.ForeignKey(Competency, on_delete=models.PROTECT, related_name="+", verbose_name=_("competency"))
    text = models.TextField(_("recommendation"), max_length=4000)
    action_item = models.ForeignKey(
        "bodies.ActionItem",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("action item"),
    )
    activity = models.ForeignKey(
        "plans.Activity",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("plan activity"),
    )

    class Meta:
        verbose_name = _("recommendation")
        verbose_name_plural = _("recommendations")
        ordering = ["assessment", "id"]

    def __str__(self) -> str:
        return self.text[:80]

    @property
    def jurisdiction(self) -> Jurisdiction:
        return self.assessment.jurisdiction


class EntryKind(models.TextChoices):
    STRENGTH = "strength", _("Strength")
    OBSTACLE = "obstacle", _("Obstacle")


class MappingExercise(TimeStamped, Versioned):
    """A mapping of a country or region with local experts: desk review, strengths and obstacles,
    a validation meeting and a report."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    jurisdiction = models.ForeignKey(
        Jurisdiction, on_delete=models.PROTECT, related_name="mapping_exercises", verbose_name=_("country or region")
    )
    title = models.CharField(_("title"), max_length=200)
    lead = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+", verbose_name=_("lead"))
    expert = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("desk review by")
    )
    desk_review = models.TextField(_("desk review"), max_length=20000, blank=True)
    validation_meeting = models.ForeignKey(
        "bodies.Meeting",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("validation meeting"),
    )
    report = models.TextField(_("mapping report"), max_length=50000, blank=True)

    class Meta:
        verbose_name = _("mapping exercise")
        verbose_name_plural = _("mapping exercises")
        ordering = ["-created_at", "id"]

    def __str__(self) -> str:
        return self.title


class MappingEntry(TimeStamped):
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    exercise = models.ForeignKey(
        MappingExercise, on_delete=models.CASCADE, related_name="entries", verbose_name=_("mapping exercise")
    )
    kind = models.CharField(_("kind"), max_length=10, choices=EntryKind.choices)
    competency = models.ForeignKey(Competency, on_delete=models.PROTECT, related_name="+", verbose_name=_("competency"))
    places = models.ManyToManyField(Jurisdiction, related_name="+", verbose_name=_("jurisdictions"))
    text = models.TextField(_("text"), max_length=4000)
    evidence = models.TextField(_("evidence"), max_length=4000, blank=True)

    class Meta:
        verbose_name = _("mapping entry")
        verbose_name_plural = _("mapping entries")
        ordering = ["exercise", "kind", "id"]

    def __str__(self) -> str:
        return self.text[:80]

    @property
    def jurisdiction(self) -> Jurisdiction:
        return self.exercise.jurisdiction
