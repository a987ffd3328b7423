"""Action plans: a national plan, local plans aligned to it, indicators, progress and the roadmap.

* ``ActionPlan`` is national (at a country), regional (a region or province that
  localises the national plan) or local (a county, city... below). Regional and local
  plans name the national plan they implement; a local plan may also name the regional
  plan of a unit above it, and then align to that plan's objectives as well.
* National plans have pillars -> objectives; local plans have objectives and
  activities. ``Alignment`` links a local objective or activity to a national
  objective, or marks it as a local innovation.
* ``Indicator`` of a local plan may inherit a national indicator: its definition
  (name, unit, frequency, additive) is copied and locked so values add up the tree.
* ``ReportingPeriod`` carries the progress of a plan for a period (indicator values
  and activity statuses) through draft -> submitted -> reviewed -> accepted.
* ``RoadmapStageChange`` records each jurisdiction's localisation stage over time.

Every record reaches its jurisdiction through ``plan.jurisdiction`` (a path prefix
query), so the access layer scopes them all the same way.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from tandem.core.models import Jurisdiction, Organisation, TimeStamped, Versioned


class PlanLevel(models.TextChoices):
    NATIONAL = "national", _("National")
    REGIONAL = "regional", _("Regional")
    LOCAL = "local", _("Local")


class RoadmapStage(models.TextChoices):
    NOT_STARTED = "not_started", _("Not started")
    CONSULTATION = "consultation", _("Consultation")
    DRAFTED = "drafted", _("Drafted")
    ADOPTED = "adopted", _("Adopted")
    IMPLEMENTING = "implementing", _("Implementing")
    EVALUATED = "evaluated", _("Evaluated")


class ActionPlan(TimeStamped, Versioned):
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    level = models.CharField(_("level"), max_length=10, choices=PlanLevel.choices)
    jurisdiction = models.ForeignKey(
        Jurisdiction, on_delete=models.PROTECT, related_name="action_plans", verbose_name=_("jurisdiction")
    )
    national_plan = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="local_plans",
        verbose_name=_("national plan"),
        limit_choices_to={"level": PlanLevel.NATIONAL},
    )
    regional_plan = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="aligned_local_plans",
        verbose_name=_("regional plan"),
        limit_choices_to={"level": PlanLevel.REGIONAL},
        help_text=_("A local plan may align to the regional plan of a unit above it."),
    )
    title = models.CharField(_("title"), max_length=300)
    legal_instrument = models.CharField(
        _("legal instrument"), max_length=300, blank=True, help_text=_("The decree, law or resolution adopting it.")
    )
    summary = models.TextField(_("summary"), blank=True, max_length=5000)
    period_start = models.DateField(_("period start"))
    period_end = models.DateField(_("period end"))
    owner_body = models.ForeignKey(
        "bodies.Body",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="action_plans",
        verbose_name=_("owning coordination body"),
    )
    visible_to_partners = models.BooleanField(
        _("visible to partners and members"),
        default=False,
        help_text=_("Members, partners and viewers of the jurisdiction may read the plan and its progress."),
    )

    class Meta:
        verbose_name = _("action plan")
        verbose_name_plural = _("action plans")
        ordering = ["title", "id"]
        indexes = [
            models.Index(fields=["jurisdiction", "level"], name="plans_plan_jur_level"),
            models.Index(fields=["national_plan", "jurisdiction"], name="plans_plan_national_jur"),
            models.Index(fields=["title"], name="plans_plan_title"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(period_end__gte=F("period_start")), name="plans_actionplan_period"),
            models.CheckConstraint(
                condition=Q(level=PlanLevel.NATIONAL, national_plan__isnull=True)
                | Q(level__in=[PlanLevel.REGIONAL, PlanLevel.LOCAL], national_plan__isnull=False),
                name="plans_actionplan_national_link",
            ),
            models.CheckConstraint(
                condition=Q(regional_plan__isnull=True) | Q(level=PlanLevel.LOCAL),
                name="plans_actionplan_regional_link",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_national(self) -> bool:
        return self.level == PlanLevel.NATIONAL

    @property
    def is_regional(self) -> bool:
        return self.level == PlanLevel.REGIONAL


class Pillar(TimeStamped, Versioned):
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    plan = models.ForeignKey(ActionPlan, on_delete=models.CASCADE, related_name="pillars", verbose_name=_("plan"))
    code = models.CharField(_("code"), max_length=20)
    title = models.CharField(_("title"), max_length=300)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("pillar")
        verbose_name_plural = _("pillars")
        ordering = ["position", "code", "id"]
        constraints = [models.UniqueConstraint(fields=["plan", "code"], name="plans_pillar_unique_code")]

    @property
    def jurisdiction(self) -> Jurisdiction:
        """The plan's jurisdiction (audit events and access follow it)."""
        return self.plan.jurisdiction

    def __str__(self) -> str:
        return f"{self.code} {self.title}"


class Objective(TimeStamped, Versioned):
    """A national objective (under a pillar) or a local plan's own objective."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    plan = models.ForeignKey(ActionPlan, on_delete=models.CASCADE, related_name="objectives", verbose_name=_("plan"))
    pillar = models.ForeignKey(
        Pillar, null=True, blank=True, on_delete=models.PROTECT, related_name="objectives", verbose_name=_("pillar")
    )
    code = models.CharField(_("code"), max_length=20)
    text = models.TextField(_("objective"), max_length=2000)

    class Meta:
        verbose_name = _("objective")
        verbose_name_plural = _("objectives")
        ordering = ["code", "id"]
        indexes = [models.Index(fields=["plan", "code"], name="plans_objective_plan_code")]
        constraints = [models.UniqueConstraint(fields=["plan", "code"], name="plans_objective_unique_code")]

    @property
    def jurisdiction(self) -> Jurisdiction:
        """The plan's jurisdiction (audit events and access follow it)."""
        return self.plan.jurisdiction

    def __str__(self) -> str:
        return f"{self.code} {self.text[:80]}"


class IndicatorUnit(models.TextChoices):
    COUNT = "count", _("Count")
    PEOPLE = "people", _("People")
    PERCENT = "percent", _("Percent")
    AMOUNT = "amount", _("Amount of money")
    SCORE = "score", _("Score")
    OTHER = "other", _("Other")


# Units whose values can never be negative.
NON_NEGATIVE_UNITS = frozenset({IndicatorUnit.COUNT, IndicatorUnit.PEOPLE, IndicatorUnit.PERCENT, IndicatorUnit.AMOUNT})


class Frequency(models.TextChoices):
    QUARTERLY = "quarterly", _("Quarterly")
    SEMI_ANNUAL = "semi_annual", _("Every six months")
    ANNUAL = "annual", _("Yearly")


# Fields of an inherited indicator that stay as the national definition.
LOCKED_INDICATOR_FIELDS = ("name", "unit", "frequency", "additive")


class Indicator(TimeStamped, Versioned):
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    plan = models.ForeignKey(ActionPlan, on_delete=models.CASCADE, related_name="indicators", verbose_name=_("plan"))
    objective = models.ForeignKey(
        Objective,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="indicators",
        verbose_name=_("objective"),
    )
    name = models.CharField(_("name"), max_length=300)
    unit = models.CharField(_("unit"), max_length=20, choices=IndicatorUnit.choices)
    baseline = models.DecimalField(_("baseline"), max_digits=16, decimal_places=2, null=True, blank=True)
    target = models.DecimalField(_("target"), max_digits=16, decimal_places=2, null=True, blank=True)
    frequency = models.CharField(_("frequency"), max_length=20, choices=Frequency.choices, default=Frequency.QUARTERLY)
    additive = models.BooleanField(
        _("adds up across localities"), default=False, help_text=_("Local values are summed up the jurisdiction tree.")
    )
    inherited_from = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="inheritors",
        verbose_name=_("national indicator"),
    )

    class Meta:
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")
        ordering = ["name", "id"]
        indexes = [models.Index(fields=["inherited_from", "plan"], name="plans_indicator_inherited")]
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "inherited_from"],
                condition=Q(inherited_from__isnull=False),
                name="plans_indicator_inherit_once",
            ),
        ]

    @property
    def jurisdiction(self) -> Jurisdiction:
        """The plan's jurisdiction (audit events and access follow it)."""
        return self.plan.jurisdiction

    def __str__(self) -> str:
        return self.name

    @property
    def is_inherited(self) -> bool:
        return self.inherited_from_id is not None


class ActivityStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    ONGOING = "ongoing", _("Ongoing")
    COMPLETED = "completed", _("Completed")
    CANCELLED = "cancelled", _("Cancelled")


class Activity(TimeStamped, Versioned):
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    plan = models.ForeignKey(ActionPlan, on_delete=models.CASCADE, related_name="activities", verbose_name=_("plan"))
    objective = models.ForeignKey(
        Objective,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="activities",
        verbose_name=_("local objective"),
    )
    title = models.CharField(_("title"), max_length=300)
    description = models.TextField(_("description"), blank=True, max_length=5000)
    responsible_org = models.ForeignKey(
        Organisation,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="responsible_activities",
        verbose_name=_("responsible organisation"),
    )
    partner_orgs = models.ManyToManyField(
        Organisation, blank=True, related_name="partner_activities", verbose_name=_("partner organisations")
    )
    budget = models.DecimalField(_("budget"), max_digits=16, decimal_places=2, null=True, blank=True)
    currency = models.CharField(
        _("currency"), max_length=3, blank=True, help_text=_("ISO 4217 code of the budget, for example KES.")
    )
    budget_source = models.CharField(_("budget source"), max_length=200, blank=True)
    start_date = models.DateField(_("start"), null=True, blank=True)
    end_date = models.DateField(_("end"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=ActivityStatus.choices, default=ActivityStatus.PLANNED
    )

    class Meta:
        verbose_name = _("activity")
        verbose_name_plural = _("activities")
        ordering = ["title", "id"]
        indexes = [
            models.Index(fields=["plan", "status"], name="plans_activity_plan_status"),
            # The activities an offer of funding may meet (``funding.selectors.unfunded_activities``), in
            # their order: without it, all of them were read to find the few with no budget (x10: 1,000,000
            # read, 41 ms, for an empty list).
            models.Index(
                fields=["title", "id"],
                condition=models.Q(budget__isnull=True) & ~models.Q(status="cancelled"),
                name="plans_activity_unfunded",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(start_date__isnull=True) | Q(end_date__gte=F("start_date")),
                name="plans_activity_dates",
            ),
            models.CheckConstraint(condition=Q(budget__isnull=True) | Q(budget__gte=0), name="plans_activity_budget"),
            models.CheckConstraint(
                condition=Q(budget__isnull=True) | ~Q(currency=""), name="plans_activity_budget_currency"
            ),
        ]

    @property
    def jurisdiction(self) -> Jurisdiction:
        """The plan's jurisdiction (audit events and access follow it)."""
        return self.plan.jurisdiction

    def __str__(self) -> str:
        return self.title


class Alignment(TimeStamped):
    """A local objective or activity -> a national objective, or flagged a local innovation."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    plan = models.ForeignKey(ActionPlan, on_delete=models.CASCADE, related_name="alignments", verbose_name=_("plan"))
    local_objective = models.ForeignKey(
        Objective,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="alignments",
        verbose_name=_("local objective"),
    )
    activity = models.ForeignKey(
        Activity, null=True, blank=True, on_delete=models.CASCADE, related_name="alignments", verbose_name=_("activity")
    )
    national_objective = models.ForeignKey(
        Objective,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="aligned",
        verbose_name=_("national objective"),
    )
    local_innovation = models.BooleanField(_("local innovation"), default=False)
    note = models.CharField(_("note"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("alignment")
        verbose_name_plural = _("alignments")
        ordering = ["id"]
        indexes = [
            models.Index(fields=["national_objective", "activity"], name="plans_alignment_nat_act"),
            models.Index(fields=["plan"], name="plans_alignment_plan"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(local_objective__isnull=True, activity__isnull=False)
                | Q(local_objective__isnull=False, activity__isnull=True),
                name="plans_alignment_one_subject",
            ),
            models.CheckConstraint(
                condition=Q(national_objective__isnull=True, local_innovation=True)
                | Q(national_objective__isnull=False, local_innovation=False),
                name="plans_alignment_target",
            ),
            models.UniqueConstraint(
                fields=["activity", "national_objective"],
                condition=Q(activity__isnull=False),
                name="plans_alignment_unique_activity",
            ),
            models.UniqueConstraint(
                fields=["local_objective", "national_objective"],
                condition=Q(local_objective__isnull=False),
                name="plans_alignment_unique_objective",
            ),
        ]

    @property
    def jurisdiction(self) -> Jurisdiction:
        """The plan's jurisdiction (audit events and access follow it)."""
        return self.plan.jurisdiction

    def __str__(self) -> str:
        subject = self.activity or self.local_objective
        target = self.national_objective.code if self.national_objective_id else _("local innovation")
        return f"{subject} -> {target}"


class PeriodState(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    REVIEWED = "reviewed", _("Reviewed")
    ACCEPTED = "accepted", _("Accepted")


class ReportingPeriod(TimeStamped, Versioned):
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    plan = models.ForeignKey(ActionPlan, on_delete=models.CASCADE, related_name="periods", verbose_name=_("plan"))
    label = models.CharField(_("label"), max_length=20, help_text=_("For example 2026-Q1."))
    start = models.DateField(_("start"))
    end = models.DateField(_("end"))
    state = models.CharField(_("state"), max_length=12, choices=PeriodState.choices, default=PeriodState.DRAFT)
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    reviewed_at = models.DateTimeField(_("reviewed"), null=True, blank=True)
    accepted_at = models.DateTimeField(_("accepted"), null=True, blank=True)

    class Meta:
        verbose_name = _("reporting period")
        verbose_name_plural = _("reporting periods")
        ordering = ["start", "id"]
        indexes = [
            models.Index(fields=["label", "state"], name="plans_period_label_state"),
            models.Index(fields=["plan", "start"], name="plans_period_plan_start"),
        ]
        constraints = [
            models.UniqueConstraint(fields=["plan", "label"], name="plans_reportingperiod_unique_label"),
            models.CheckConstraint(condition=Q(end__gte=F("start")), name="plans_reportingperiod_dates"),
        ]

    @property
    def jurisdiction(self) -> Jurisdiction:
        """The plan's jurisdiction (audit events and access follow it)."""
        return self.plan.jurisdiction

    def __str__(self) -> str:
        return f"{self.plan} · {self.label}"

    @property
    def is_editable(self) -> bool:
        return self.state == PeriodState.DRAFT


class PeriodEvent(models.Model):
    """The history of a period: each submission, review, acceptance and reopening."""

    period = models.ForeignKey(
        ReportingPeriod, on_delete=models.CASCADE, related_name="events", verbose_name=_("period")
    )
    from_state = models.CharField(_("from"), max_length=12, choices=PeriodState.choices)
    to_state = models.CharField(_("to"), max_length=12, choices=PeriodState.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("by")
    )
    at = models.DateTimeField(_("when"), auto_now_add=True)
    note = models.CharField(_("note"), max_length=1000, blank=True)

    class Meta:
        verbose_name = _("period event")
        verbose_name_plural = _("period events")
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.period} · {self.from_state} -> {self.to_state}"

    @property
    def is_reopening(self) -> bool:
        return self.to_state == PeriodState.DRAFT


class IndicatorValue(TimeStamped):
    period = models.ForeignKey(
        ReportingPeriod, on_delete=models.CASCADE, related_name="values", verbose_name=_("period")
    )
    indicator = models.ForeignKey(
        Indicator, on_delete=models.CASCADE, related_name="values", verbose_name=_("indicator")
    )
    value = models.DecimalField(_("value"), max_digits=16, decimal_places=2)
    note = models.CharField(_("note"), max_length=1000, blank=True)

    class Meta:
        verbose_name = _("indicator value")
        verbose_name_plural = _("indicator values")
        indexes = [models.Index(fields=["indicator", "period"], name="plans_value_indicator_period")]
        constraints = [models.UniqueConstraint(fields=["period", "indicator"], name="plans_indicatorvalue_unique")]

    def __str__(self) -> str:
        return f"{self.indicator} · {self.value}"


class ProgressStatus(models.TextChoices):
    ON_TRACK = "on_track", _("On track")
    AT_RISK = "at_risk", _("At risk")
    OFF_TRACK = "off_track", _("Off track")


class ActivityProgress(TimeStamped):
    period = models.ForeignKey(
        ReportingPeriod, on_delete=models.CASCADE, related_name="activity_progress", verbose_name=_("period")
    )
    activity = models.ForeignKey(
        Activity, on_delete=models.CASCADE, related_name="progress", verbose_name=_("activity")
    )
    status = models.CharField(_("status"), max_length=12, choices=ProgressStatus.choices)
    note = models.CharField(_("note"), max_length=1000, blank=True)

    class Meta:
        verbose_name = _("activity progress")
        verbose_name_plural = _("activity progress")
        constraints = [models.UniqueConstraint(fields=["period", "activity"], name="plans_activityprogress_unique")]

    def __str__(self) -> str:
        return f"{self.activity} · {self.status}"


class RoadmapStageChange(TimeStamped):
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    jurisdiction = models.ForeignKey(
        Jurisdiction, on_delete=models.PROTECT, related_name="roadmap_changes", verbose_name=_("jurisdiction")
    )
    stage = models.CharField(_("stage"), max_length=20, choices=RoadmapStage.choices)
    date = models.DateField(_("date"))
    note = models.CharField(_("note"), max_length=500, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("roadmap stage change")
        verbose_name_plural = _("roadmap stage changes")
        ordering = ["date", "id"]
        # A place's latest stage before a day (``-date, -id``, the dashboard's coverage asks it
        # for every unit, five times) is the first entry of a backward scan: no sort per unit.
        indexes = [models.Index(fields=["jurisdiction", "date", "id"], name="plans_roadmap_jur_date_id")]

    def __str__(self) -> str:
        return f"{self.jurisdiction} · {self.get_stage_display()} · {self.date}"
