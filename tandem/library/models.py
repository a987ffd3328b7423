"""The knowledge library: items (case studies, guidance, checklists...), their versions,
attachments and search documents, and the checklists coordinators work through.

Who may read an item is decided in ONE place: :mod:`tandem.library.access`.
"""

from __future__ import annotations

import uuid as uuidlib

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from tandem.core.models import Competency as Competency  # one list for every app (re-exported)
from tandem.core.models import Jurisdiction, Organisation, TimeStamped, Versioned

TITLE_MAX = 200
SUMMARY_MAX = 1000
BODY_MAX = 100_000


class Kind(models.TextChoices):
    CASE_STUDY = "case_study", _("Case study")
    GUIDANCE = "guidance", _("Guidance")
    LESSON = "lesson", _("Lesson learned")
    CHECKLIST = "checklist", _("Checklist")
    TOOL = "tool", _("Tool or template")
    POLICY = "policy", _("Policy document")
    EVENT_REPORT = "event_report", _("Event report")


class Language(models.TextChoices):
    ENGLISH = "en", _("English")
    FRENCH = "fr", _("French")


# The PostgreSQL text-search configuration of each language.
SEARCH_CONFIG: dict[str, str] = {Language.ENGLISH.value: "english", Language.FRENCH.value: "french"}


class Visibility(models.TextChoices):
    CLEAR = "clear", _("TLP:CLEAR: every signed-in user")
    GREEN = "green", _("TLP:GREEN: the network's community (users holding a role)")
    COUNTRY = "country", _("The country of the owning jurisdiction")
    SUBTREE = "subtree", _("The owning jurisdiction and the units inside it")


class Audience(models.Model):
    """Who reads a record by the library's rule (:func:`tandem.library.access.audience_q`): its
    ``visibility``, measured from the owning ``jurisdiction``. Library items and events share it."""

    jurisdiction = models.ForeignKey(
        Jurisdiction, on_delete=models.PROTECT, related_name="+", verbose_name=_("owning jurisdiction")
    )
    visibility = models.CharField(_("visibility"), max_length=10, choices=Visibility.choices)

    class Meta:
        abstract = True


class Status(models.TextChoices):
    DRAFT = "draft", _("Draft")
    REVIEW = "review", _("In review")
    PUBLISHED = "published", _("Published")


class Facet(models.TextChoices):
    COMPETENCY = "competency", _("Competency")
    SECTOR = "sector", _("Sector")


class LibraryItem(Audience, TimeStamped, Versioned):
    """One library item. ``jurisdiction`` owns it: its curators publish it and the country and
    subtree visibilities are measured from it. ``countries`` and ``concerns`` say what it is about."""

    uuid = models.UUIDField(default=uuidlib.uuid4, unique=True, editable=False)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    title = models.CharField(_("title"), max_length=TITLE_MAX)
    summary = models.TextField(_("summary"), max_length=SUMMARY_MAX)
    body = models.TextField(_("text"), blank=True, help_text=_("Formatted text (sanitised HTML)."))
    language = models.CharField(_("language"), max_length=5, choices=Language.choices)
    translation_group = models.UUIDField(default=uuidlib.uuid4, editable=False, db_index=True)
    countries = models.ManyToManyField(Jurisdiction, related_name="+", blank=True, verbose_name=_("countries"))
    concerns = models.ManyToManyField(
        Jurisdiction, related_name="+", blank=True, verbose_name=_("jurisdictions concerned")
    )
    author_organisation = models.ForeignKey(
        Organisation,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("author organisation"),
    )
    publication_date = models.DateField(_("publication date"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    proposed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    published_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        db_table = "library_item"  # the search migrations name it
        verbose_name = _("library item")
        verbose_name_plural = _("library items")
        ordering = ["-publication_date", "title", "id"]
        indexes = [
            models.Index(fields=["status", "visibility"], name="library_item_status_vis"),
            models.Index(fields=["kind"], name="library_item_kind"),
            models.Index(fields=["language"], name="library_item_language"),
            models.Index(fields=["publication_date", "id"], name="library_item_pubdate"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["translation_group", "language"], name="library_one_translation_per_language"
            )
        ]

    def __str__(self) -> str:
        return self.title


class ItemTag(models.Model):
    """A competency or a sector an item relates to (one row per value)."""

    item = models.ForeignKey(LibraryItem, on_delete=models.CASCADE, related_name="tags")
    facet = models.CharField(max_length=12, choices=Facet.choices)
    value = models.CharField(max_length=40)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["item", "facet", "value"], name="library_tag_unique")]
        indexes = [models.Index(fields=["facet", "value"], name="library_tag_facet_value")]

    def __str__(self) -> str:
        return f"{self.facet}:{self.value}"


class ItemVersion(models.Model):
    """The content of an item as it stood at one version (kept on every edit)."""

    item = models.ForeignKey(LibraryItem, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    title = models.CharField(max_length=TITLE_MAX)
    summary = models.TextField()
    body = models.TextField(blank=True)
    status = models.CharField(max_length=10, choices=Status.choices)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-number"]
        constraints = [models.UniqueConstraint(fields=["item", "number"], name="library_version_unique")]

    def __str__(self) -> str:
        return f"{self.item_id} v{self.number}"


class ItemAttachment(models.Model):
    uuid = models.UUIDField(default=uuidlib.uuid4, unique=True, editable=False)
    item = models.ForeignKey(LibraryItem, on_delete=models.CASCADE, related_name="attachments")
    storage_name = models.CharField(max_length=64)
    original_name = models.CharField(max_length=255)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    text = models.TextField(blank=True, help_text=_("Text extracted for the search, when it can be."))
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["original_name", "id"]

    def __str__(self) -> str:
        return self.original_name


class SearchDocument(models.Model):
    """What the full-text index holds for one item (kept in step by the services).

    On PostgreSQL a generated ``vector`` column (tsvector, per-language configuration,
    GIN index) is added by the migration; on SQLite an FTS5 table mirrors this one through
    triggers. See :mod:`tandem.library.search`.
    """

    item = models.OneToOneField(LibraryItem, on_delete=models.CASCADE, primary_key=True, related_name="search_document")
    config = models.CharField(max_length=20)
    title = models.TextField()
    summary = models.TextField(blank=True)
    body = models.TextField(blank=True)

    def __str__(self) -> str:
        return self.title


class ChecklistRun(TimeStamped, Versioned):
    """A coordinator working through one of Tandem's checklists for a jurisdiction: the record kept."""

    uuid = models.UUIDField(default=uuidlib.uuid4, unique=True, editable=False)
    checklist = models.CharField(_("checklist"), max_length=40)
    jurisdiction = models.ForeignKey(
        Jurisdiction, on_delete=models.PROTECT, related_name="+", verbose_name=_("jurisdiction")
    )
    started_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    completed_on = models.DateField(_("completed on"), null=True, blank=True)

    class Meta:
        verbose_name = _("checklist record")
        ordering = ["-created_at", "id"]

    def __str__(self) -> str:
        return f"{self.checklist} · {self.jurisdiction_id}"


class ChecklistTick(models.Model):
    run = models.ForeignKey(ChecklistRun, on_delete=models.CASCADE, related_name="ticks")
    step = models.CharField(max_length=40)
    done = models.BooleanField(default=False)
    note = models.TextField(blank=True, max_length=2000)
    done_on = models.DateField(null=True, blank=True)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["run", "step"], name="library_tick_unique")]

    def __str__(self) -> str:
        return self.step
