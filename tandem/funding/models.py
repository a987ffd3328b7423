"""Resources and funding: sources, calls for proposals, applications, review, awards, spend.

Who may read what is decided in ONE place: :mod:`tandem.funding.access`. Money is always a
``Decimal`` with an ISO 4217 ``currency``; amounts are never converted between currencies.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from tandem.core.models import Jurisdiction, Organisation, TimeStamped, Versioned

MONEY = {"max_digits": 16, "decimal_places": 2}


class SourceKind(models.TextChoices):
    NATIONAL_BUDGET = "national_budget", _("National budget line")
    DONOR = "donor", _("Donor")
    COMPANY = "company", _("Private company")
    FOUNDATION = "foundation", _("Foundation")


class InKindType(models.TextChoices):
    PEOPLE = "people", _("People")
    MATERIAL = "material", _("Material")
    FACILITIES = "facilities", _("Facilities")
    EXPERTISE = "expertise", _("Expertise")


class FundingSource(TimeStamped, Versioned):
    """Money (``amount`` + ``currency``) or, when ``in_kind`` is set, a contribution in kind
    (``in_kind_type``, ``in_kind_description`` and ``amount`` as its estimated value)."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=20, choices=SourceKind.choices)
    jurisdiction = models.ForeignKey(
        Jurisdiction, on_delete=models.PROTECT, related_name="+", verbose_name=_("owner jurisdiction")
    )
    organisation = models.ForeignKey(
        Organisation, null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("funder")
    )
    amount = models.DecimalField(_("amount or estimated value"), **MONEY)
    currency = models.CharField(_("currency"), max_length=3)
    in_kind = models.BooleanField(_("in kind"), default=False)
    in_kind_type = models.CharField(_("type of contribution"), max_length=20, choices=InKindType.choices, blank=True)
    in_kind_description = models.CharField(_("description of the contribution"), max_length=500, blank=True)
    period_start = models.DateField(_("period start"))
    period_end = models.DateField(_("period end"))
    conditions = models.TextField(_("conditions"), blank=True, max_length=5000)
    serves = models.ManyToManyField(Jurisdiction, blank=True, related_name="+", verbose_name=_("jurisdictions served"))

    class Meta:
        ordering = ["name", "id"]
        verbose_name = _("funding source")
        verbose_name_plural = _("funding sources")
        constraints = [
            models.CheckConstraint(condition=Q(amount__gte=0), name="funding_source_amount_positive"),
            models.CheckConstraint(condition=Q(period_end__gte=models.F("period_start")), name="funding_source_period"),
        ]

    def __str__(self) -> str:
        return self.name


class Call(TimeStamped, Versioned):
    """A call for proposals. ``jurisdiction`` is the root of the eligible subtree."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    title = models.CharField(_("title"), max_length=300)
    purpose = models.TextField(_("purpose"), max_length=5000)
    jurisdiction = models.ForeignKey(
        Jurisdiction, on_delete=models.PROTECT, related_name="+", verbose_name=_("eligible jurisdictions")
    )
    sources = models.ManyToManyField(FundingSource, related_name="calls", verbose_name=_("funding sources"))
    eligible_sectors = models.JSONField(_("eligible applicant sectors"), default=list, blank=True)
    plan_objectives = models.ManyToManyField(
        "plans.Objective", blank=True, related_name="+", verbose_name=_("plan objectives served")
    )
    budget = models.DecimalField(_("budget"), **MONEY)
    min_grant = models.DecimalField(_("minimum grant"), **MONEY)
    max_grant = models.DecimalField(_("maximum grant"), **MONEY)
    currency = models.CharField(_("currency"), max_length=3)
    opens_at = models.DateTimeField(_("opens"))
    closes_at = models.DateTimeField(_("closes"))
    required_documents = models.TextField(_("required documents"), blank=True, max_length=2000)
    publishable = models.BooleanField(_("publish awards as open data (360Giving)"), default=False)
    manager = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("manager")
    )
    release_comments = models.BooleanField(_("release anonymised comments to applicants"), default=False)

    class Meta:
        ordering = ["-opens_at", "id"]
        verbose_name = _("call for proposals")
        verbose_name_plural = _("calls for proposals")
        constraints = [
            models.CheckConstraint(condition=Q(closes_at__gt=models.F("opens_at")), name="funding_call_dates"),
            models.CheckConstraint(condition=Q(min_grant__gte=0), name="funding_call_min_positive"),
            models.CheckConstraint(condition=Q(max_grant__gte=models.F("min_grant")), name="funding_call_min_max"),
            models.CheckConstraint(condition=Q(budget__gte=models.F("max_grant")), name="funding_call_budget"),
        ]

    def __str__(self) -> str:
        return self.title


class Criterion(models.Model):
    """A scoring criterion of a call (part of the call: weights are decimals, scores 0..max_score)."""

    call = models.ForeignKey(Call, on_delete=models.CASCADE, related_name="criteria", verbose_name=_("call"))
    name = models.CharField(_("criterion"), max_length=200)
    weight = models.DecimalField(_("weight"), max_digits=6, decimal_places=2)
    max_score = models.PositiveSmallIntegerField(_("maximum score"), default=5)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "id"]
        verbose_name = _("criterion")
        verbose_name_plural = _("criteria")
        constraints = [models.CheckConstraint(condition=Q(weight__gt=0), name="funding_criterion_weight")]

    def __str__(self) -> str:
        return self.name


class ApplicationStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    WITHDRAWN = "withdrawn", _("Withdrawn")
    AWARDED = "awarded", _("Awarded")
    DECLINED = "declined", _("Declined")
    WAITLISTED = "waitlisted", _("Wait-listed")


class Application(TimeStamped, Versioned):
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    call = models.ForeignKey(Call, on_delete=models.PROTECT, related_name="applications", verbose_name=_("call"))
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="+", verbose_name=_("applicant organisation")
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("submitted by")
    )
    title = models.CharField(_("project title"), max_length=300)
    summary = models.TextField(_("project summary"), max_length=5000)
    jurisdiction = models.ForeignKey(
        Jurisdiction, on_delete=models.PROTECT, related_name="+", verbose_name=_("jurisdiction")
    )
    plan_objectives = models.ManyToManyField(
        "plans.Objective", blank=True, related_name="+", verbose_name=_("plan objectives")
    )
    plan_activities = models.ManyToManyField(
        "plans.Activity", blank=True, related_name="+", verbose_name=_("plan activities")
    )
    amount_requested = models.DecimalField(_("amount requested"), **MONEY)
    co_funding = models.DecimalField(_("co-funding"), default=0, **MONEY)
    co_funding_note = models.CharField(_("co-funding from"), max_length=300, blank=True)
    status = models.CharField(
        _("status"), max_length=12, choices=ApplicationStatus.choices, default=ApplicationStatus.DRAFT
    )
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    decision_reason = models.TextField(_("decision reason"), blank=True, max_length=2000)

    class Meta:
        ordering = ["-created_at", "id"]
        verbose_name = _("application")
        verbose_name_plural = _("applications")
        constraints = [
            models.CheckConstraint(condition=Q(amount_requested__gte=0), name="funding_application_amount"),
            models.CheckConstraint(condition=Q(co_funding__gte=0), name="funding_application_cofunding"),
        ]

    def __str__(self) -> str:
        return self.title


class BudgetLine(models.Model):
    """A line of an application's budget (part of the application)."""

    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="budget_lines", verbose_name=_("application")
    )
    category = models.CharField(_("category"), max_length=200)
    amount = models.DecimalField(_("amount"), **MONEY)

    class Meta:
        ordering = ["id"]
        verbose_name = _("budget line")
        verbose_name_plural = _("budget lines")
        constraints = [models.CheckConstraint(condition=Q(amount__gte=0), name="funding_budget_line_amount")]

    def __str__(self) -> str:
        return self.category


class ApplicationDocument(TimeStamped):
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="documents", verbose_name=_("application")
    )
    name = models.CharField(_("file name"), max_length=200)
    content_type = models.CharField(max_length=100)
    data = models.BinaryField()

    class Meta:
        ordering = ["id"]
        verbose_name = _("document")
        verbose_name_plural = _("documents")

    def __str__(self) -> str:
        return self.name


class ReviewAssignment(TimeStamped):
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="assignments", verbose_name=_("application")
    )
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("reviewer")
    )
    assigned_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    completed_at = models.DateTimeField(_("completed"), null=True, blank=True)

    class Meta:
        ordering = ["id"]
        verbose_name = _("review assignment")
        verbose_name_plural = _("review assignments")
        constraints = [
            models.UniqueConstraint(fields=["application", "reviewer"], name="funding_one_assignment_per_reviewer")
        ]

    def __str__(self) -> str:
        return f"{self.application} / {self.reviewer}"


class ConflictDeclaration(TimeStamped):
    """What the reviewer declared before seeing the application (one per assignment)."""

    assignment = models.OneToOneField(
        ReviewAssignment, on_delete=models.CASCADE, related_name="declaration", verbose_name=_("assignment")
    )
    has_conflict = models.BooleanField(_("I have a conflict of interest"))
    detected = models.BooleanField(_("detected by Tandem"), default=False)
    note = models.CharField(_("note"), max_length=1000, blank=True)

    class Meta:
        verbose_name = _("conflict declaration")
        verbose_name_plural = _("conflict declarations")

    def __str__(self) -> str:
        return str(self.assignment)


class Score(TimeStamped):
    assignment = models.ForeignKey(
        ReviewAssignment, on_delete=models.CASCADE, related_name="scores", verbose_name=_("assignment")
    )
    criterion = models.ForeignKey(Criterion, on_delete=models.PROTECT, related_name="+", verbose_name=_("criterion"))
    value = models.PositiveSmallIntegerField(_("score"))
    comment = models.TextField(_("comment"), blank=True, max_length=2000)

    class Meta:
        ordering = ["criterion__position", "id"]
        verbose_name = _("score")
        verbose_name_plural = _("scores")
        constraints = [models.UniqueConstraint(fields=["assignment", "criterion"], name="funding_one_score")]

    def __str__(self) -> str:
        return f"{self.criterion}: {self.value}"


class Award(TimeStamped, Versioned):
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    application = models.OneToOneField(
        Application, on_delete=models.PROTECT, related_name="award", verbose_name=_("application")
    )
    source = models.ForeignKey(FundingSource, on_delete=models.PROTECT, related_name="+", verbose_name=_("source"))
    # Copied from the application / call so that the totals group without joins.
    call = models.ForeignKey(Call, on_delete=models.PROTECT, related_name="+", verbose_name=_("call"))
    jurisdiction = models.ForeignKey(
        Jurisdiction, on_delete=models.PROTECT, related_name="+", verbose_name=_("jurisdiction")
    )
    amount = models.DecimalField(_("amount awarded"), **MONEY)
    currency = models.CharField(_("currency"), max_length=3)
    conditions = models.TextField(_("conditions"), blank=True, max_length=2000)
    awarded_at = models.DateTimeField(_("awarded"))
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    # Running sums kept by the payment and spend-report services under the award's row lock, so
    # that the totals add up awards only (one scan) instead of joining payments and spend lines.
    paid = models.DecimalField(_("paid"), default=0, editable=False, **MONEY)
    spent = models.DecimalField(_("spent (submitted reports)"), default=0, editable=False, **MONEY)

    class Meta:
        ordering = ["-awarded_at", "id"]
        verbose_name = _("award")
        verbose_name_plural = _("awards")
        constraints = [models.CheckConstraint(condition=Q(amount__gt=0), name="funding_award_amount")]

    def __str__(self) -> str:
        return f"{self.application} ({self.amount} {self.currency})"


class Tranche(TimeStamped):
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    award = models.ForeignKey(Award, on_delete=models.CASCADE, related_name="tranches", verbose_name=_("award"))
    amount = models.DecimalField(_("amount"), **MONEY)
    due_date = models.DateField(_("due"))
    condition = models.CharField(_("condition"), max_length=300, blank=True)

    class Meta:
        ordering = ["due_date", "id"]
        verbose_name = _("tranche")
        verbose_name_plural = _("tranches")
        constraints = [models.CheckConstraint(condition=Q(amount__gt=0), name="funding_tranche_amount")]

    def __str__(self) -> str:
        return f"{self.amount} {self.award.currency} ({self.due_date})"


class Payment(TimeStamped):
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    award = models.ForeignKey(Award, on_delete=models.CASCADE, related_name="payments", verbose_name=_("award"))
    tranche = models.ForeignKey(
        Tranche, null=True, blank=True, on_delete=models.PROTECT, related_name="payments", verbose_name=_("tranche")
    )
    amount = models.DecimalField(_("amount"), **MONEY)
    paid_on = models.DateField(_("paid on"))
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["paid_on", "id"]
        verbose_name = _("payment")
        verbose_name_plural = _("payments")
        constraints = [models.CheckConstraint(condition=Q(amount__gt=0), name="funding_payment_amount")]

    def __str__(self) -> str:
        return f"{self.amount} ({self.paid_on})"


class SpendReport(TimeStamped):
    """A report the grantee owes by ``due_date``; ``submitted_at`` is set when it is filed."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    award = models.ForeignKey(Award, on_delete=models.CASCADE, related_name="reports", verbose_name=_("award"))
    due_date = models.DateField(_("due"))
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    narrative = models.TextField(_("narrative progress"), blank=True, max_length=10000)

    class Meta:
        ordering = ["due_date", "id"]
        verbose_name = _("spend report")
        verbose_name_plural = _("spend reports")

    def __str__(self) -> str:
        return f"{self.award} ({self.due_date})"


class SpendLine(models.Model):
    report = models.ForeignKey(SpendReport, on_delete=models.CASCADE, related_name="lines", verbose_name=_("report"))
    budget_line = models.ForeignKey(
        BudgetLine, on_delete=models.PROTECT, related_name="spend", verbose_name=_("budget line")
    )
    amount = models.DecimalField(_("amount spent"), **MONEY)

    class Meta:
        ordering = ["id"]
        verbose_name = _("spend line")
        verbose_name_plural = _("spend lines")
        constraints = [models.CheckConstraint(condition=Q(amount__gte=0), name="funding_spend_amount")]

    def __str__(self) -> str:
        return f"{self.budget_line}: {self.amount}"


class Receipt(TimeStamped):
    """A receipt filed with a spend report (part of the report; downloaded by its ``uuid``)."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    report = models.ForeignKey(SpendReport, on_delete=models.CASCADE, related_name="receipts", verbose_name=_("report"))
    name = models.CharField(_("file name"), max_length=200)
    content_type = models.CharField(max_length=100)
    data = models.BinaryField()

    class Meta:
        ordering = ["id"]
        verbose_name = _("receipt")
        verbose_name_plural = _("receipts")

    def __str__(self) -> str:
        return self.name


# --- Private-sector partners: offers and matches to local needs -----------------------------


class OfferKind(models.TextChoices):
    MENTORING = "mentoring", _("Mentoring")
    VENUE = "venue", _("Venues")
    JOBS = "jobs", _("Jobs and apprenticeships")
    TRAINING = "training", _("Training")
    FUNDING = "funding", _("Funding")
    EQUIPMENT = "equipment", _("Equipment")


class Offer(TimeStamped, Versioned):
    """What an organisation (a company, mostly) offers as a resource partner."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="+", verbose_name=_("organisation")
    )
    jurisdiction = models.ForeignKey(
        Jurisdiction, on_delete=models.PROTECT, related_name="+", verbose_name=_("jurisdiction")
    )
    kind = models.CharField(_("kind"), max_length=20, choices=OfferKind.choices)
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True, max_length=3000)
    served_places = models.ManyToManyField(
        Jurisdiction, blank=True, related_name="+", verbose_name=_("jurisdictions served")
    )
    sectors = models.JSONField(_("sectors served"), default=list, blank=True)
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["organisation__name", "title", "id"]
        verbose_name = _("offer")
        verbose_name_plural = _("offers")

    def __str__(self) -> str:
        return self.title


class MatchStatus(models.TextChoices):
    PROPOSED = "proposed", _("Proposed")
    ACCEPTED = "accepted", _("Accepted")
    DECLINED = "declined", _("Declined")
    DELIVERED = "delivered", _("Delivered")


class Match(TimeStamped, Versioned):
    """A coordinator proposes an offer for a local need; the company accepts or declines;
    the coordinator records delivery."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    offer = models.ForeignKey(Offer, on_delete=models.PROTECT, related_name="matches", verbose_name=_("offer"))
    activity = models.ForeignKey(
        "plans.Activity",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("plan activity"),
    )
    # A request for support or resources of the exchange. Its title is never copied here: it is
    # shown through the exchange's own rule, and a match on a request one may not read is hidden.
    request = models.ForeignKey(
        "exchange.ExchangeItem",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("exchange request"),
    )
    need = models.CharField(_("local need"), max_length=300, blank=True)
    jurisdiction = models.ForeignKey(Jurisdiction, on_delete=models.PROTECT, related_name="+", verbose_name=_("where"))
    proposed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    status = models.CharField(_("status"), max_length=12, choices=MatchStatus.choices, default=MatchStatus.PROPOSED)
    note = models.CharField(_("note"), max_length=500, blank=True)

    class Meta:
        ordering = ["-created_at", "id"]
        verbose_name = _("match")
        verbose_name_plural = _("matches")

    def __str__(self) -> str:
        # Never the exchange request's title: this text lands in the audit log.
        need = self.need or _("a request of the exchange")
        return f"{self.offer} → {need}"
