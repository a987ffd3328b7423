"""Request and answer schemas of the plans API."""

import datetime as dt
from decimal import Decimal
from typing import Any
from uuid import UUID

from ninja import Field, Schema

from tandem.core.api import (
    MAX_OFFSET,
    InSchema,
    JurisdictionRef,
    OrganisationRef,
)

from ..models import (
    ActivityStatus,
    Frequency,
    IndicatorUnit,
    PeriodState,
    PlanLevel,
    ProgressStatus,
    RoadmapStage,
)


class PlanRef(Schema):
    uuid: UUID
    title: str


class PlanBodyRef(Schema):
    uuid: UUID
    name: str


class PlanOut(Schema):
    uuid: UUID
    level: PlanLevel
    title: str
    jurisdiction: JurisdictionRef
    national_plan: PlanRef | None = Field(
        None, description="The national plan a regional or local plan implements (null when you may not read it)."
    )
    regional_plan: PlanRef | None = Field(
        None, description="The regional plan a local plan aligns to (null when you may not read it)."
    )
    owner_body: PlanBodyRef | None = Field(None, description="The coordination body that owns the plan.")
    legal_instrument: str
    summary: str
    period_start: dt.date
    period_end: dt.date
    visible_to_partners: bool
    version: int
    created_at: dt.datetime
    updated_at: dt.datetime

    @staticmethod
    def resolve_national_plan(obj: Any) -> Any:
        return obj.national_plan if getattr(obj, "national_visible", False) else None

    @staticmethod
    def resolve_regional_plan(obj: Any) -> Any:
        return obj.regional_plan if getattr(obj, "regional_visible", False) else None


class PlanIn(InSchema):
    level: PlanLevel
    jurisdiction: UUID
    national_plan: UUID | None = Field(None, description="Required for a regional or local plan.")
    regional_plan: UUID | None = Field(
        None, description="Optional, for a local plan: the regional plan of a unit above it that it aligns to."
    )
    owner_body: UUID | None = Field(
        None, description="An active coordination body of the plan's jurisdiction that owns the plan."
    )
    title: str = Field(min_length=1, max_length=300)
    legal_instrument: str = Field("", max_length=300)
    summary: str = Field("", max_length=5000)
    period_start: dt.date
    period_end: dt.date
    visible_to_partners: bool = False


class PlanPatch(InSchema):
    version: int = Field(ge=1)
    title: str | None = Field(None, min_length=1, max_length=300)
    legal_instrument: str | None = Field(None, max_length=300)
    summary: str | None = Field(None, max_length=5000)
    period_start: dt.date | None = None
    period_end: dt.date | None = None
    visible_to_partners: bool | None = None
    regional_plan: UUID | None = Field(
        None, description="A local plan's regional plan; null removes it (allowed once nothing aligns to it)."
    )


class PlanFilters(Schema):
    q: str | None = Field(None, max_length=100, description="Title or jurisdiction name contains.")
    level: PlanLevel | None = None
    within: UUID | None = Field(None, description="Only plans of this unit and everything below it.")


class PillarIn(InSchema):
    code: str = Field(min_length=1, max_length=20)
    title: str = Field(min_length=1, max_length=300)
    position: int = Field(0, ge=0, le=999)


class PillarOut(Schema):
    uuid: UUID
    code: str
    title: str
    position: int


class ObjectiveRef(Schema):
    uuid: UUID
    code: str


class AlignmentOut(Schema):
    """Only alignments to objectives of plans you may read are listed (see ``plans.access.readable_target_q``)."""

    national_objective: ObjectiveRef | None
    local_innovation: bool
    note: str


class ObjectiveOut(Schema):
    uuid: UUID
    code: str
    text: str
    pillar: PillarOut | None
    alignments: list[AlignmentOut]
    version: int

    @staticmethod
    def resolve_alignments(obj: Any) -> list[Any]:
        return list(obj.alignments.all())


class ObjectiveIn(InSchema):
    code: str = Field(min_length=1, max_length=20)
    text: str = Field(min_length=1, max_length=2000)
    pillar: UUID | None = None


class ObjectivePatch(InSchema):
    version: int = Field(ge=1)
    code: str | None = Field(None, min_length=1, max_length=20)
    text: str | None = Field(None, min_length=1, max_length=2000)
    pillar: UUID | None = Field(None, description="A pillar of the same national plan; null removes it.")


class IndicatorOut(Schema):
    uuid: UUID
    name: str
    unit: IndicatorUnit
    frequency: Frequency
    additive: bool
    baseline: Decimal | None
    target: Decimal | None
    objective: ObjectiveRef | None = None
    inherited_from: UUID | None = Field(
        None, description="The national indicator whose definition this one uses (null when you may not read it)."
    )
    version: int

    @staticmethod
    def resolve_inherited_from(obj: Any) -> Any:
        return obj.inherited_from.uuid if obj.inherited_from_id and getattr(obj, "inherited_visible", False) else None


class IndicatorIn(InSchema):
    inherited_from: UUID | None = Field(None, description="Copy a national indicator's definition (then locked).")
    name: str = Field("", max_length=300)
    unit: IndicatorUnit | None = None
    frequency: Frequency = Frequency.QUARTERLY
    additive: bool = False
    baseline: Decimal | None = Field(None, max_digits=16, decimal_places=2)
    target: Decimal | None = Field(None, max_digits=16, decimal_places=2)


class IndicatorPatch(InSchema):
    version: int = Field(ge=1)
    name: str | None = Field(None, min_length=1, max_length=300)
    unit: IndicatorUnit | None = None
    frequency: Frequency | None = None
    additive: bool | None = None
    baseline: Decimal | None = Field(None, max_digits=16, decimal_places=2)
    target: Decimal | None = Field(None, max_digits=16, decimal_places=2)
    objective: UUID | None = Field(None, description="An objective of the same plan; null removes it.")


class ActivityOut(Schema):
    uuid: UUID
    title: str
    description: str
    objective: ObjectiveRef | None
    responsible_org: OrganisationRef | None
    partner_orgs: list[OrganisationRef]
    budget: Decimal | None
    currency: str = Field(description="ISO 4217 code of the budget; empty when there is no budget.")
    budget_source: str
    start_date: dt.date | None
    end_date: dt.date | None
    status: ActivityStatus
    alignments: list[AlignmentOut]
    version: int

    @staticmethod
    def resolve_partner_orgs(obj: Any) -> list[Any]:
        return list(obj.partner_orgs.all())

    @staticmethod
    def resolve_alignments(obj: Any) -> list[Any]:
        return list(obj.alignments.all())


class ActivityIn(InSchema):
    title: str = Field(min_length=1, max_length=300)
    description: str = Field("", max_length=5000)
    objective: UUID | None = Field(None, description="A local objective of the same plan.")
    responsible_org: UUID | None = None
    partner_orgs: list[UUID] = Field(default_factory=list, max_length=50)
    budget: Decimal | None = Field(None, ge=0, max_digits=16, decimal_places=2)
    currency: str = Field(
        "", max_length=3, description="ISO 4217 code of the budget; empty: the currency of the plan's country."
    )
    budget_source: str = Field("", max_length=200)
    start_date: dt.date | None = None
    end_date: dt.date | None = None
    status: ActivityStatus = ActivityStatus.PLANNED
    national_objectives: list[UUID] = Field(default_factory=list, max_length=50)
    local_innovation: bool = False


class ActivityPatch(InSchema):
    version: int = Field(ge=1)
    title: str | None = Field(None, min_length=1, max_length=300)
    description: str | None = Field(None, max_length=5000)
    objective: UUID | None = Field(None, description="A local objective of the same plan; null removes it.")
    responsible_org: UUID | None = None
    partner_orgs: list[UUID] | None = Field(None, max_length=50, description="Replaces the partners when sent.")
    budget: Decimal | None = Field(None, ge=0, max_digits=16, decimal_places=2)
    currency: str | None = Field(None, max_length=3, description="ISO 4217 code of the budget.")
    budget_source: str | None = Field(None, max_length=200)
    start_date: dt.date | None = None
    end_date: dt.date | None = None
    status: ActivityStatus | None = None


class AlignmentIn(InSchema):
    national_objectives: list[UUID] = Field(default_factory=list, max_length=50)
    local_innovation: bool = False
    note: str = Field("", max_length=500)


class PeriodOut(Schema):
    uuid: UUID
    label: str
    start: dt.date
    end: dt.date
    state: PeriodState
    submitted_at: dt.datetime | None
    reviewed_at: dt.datetime | None
    accepted_at: dt.datetime | None
    version: int


class PeriodIn(InSchema):
    label: str = Field(min_length=1, max_length=20)
    start: dt.date
    end: dt.date


class ValueOut(Schema):
    indicator: UUID
    value: Decimal
    note: str

    @staticmethod
    def resolve_indicator(obj: Any) -> Any:
        return obj.indicator.uuid


class StatusOut(Schema):
    activity: UUID
    status: ProgressStatus
    note: str

    @staticmethod
    def resolve_activity(obj: Any) -> Any:
        return obj.activity.uuid


class PeriodEventOut(Schema):
    from_state: PeriodState
    to_state: PeriodState
    at: dt.datetime
    note: str


class PeriodDetailOut(PeriodOut):
    plan: PlanRef
    values: list[ValueOut]
    statuses: list[StatusOut]
    events: list[PeriodEventOut]

    @staticmethod
    def resolve_values(obj: Any) -> list[Any]:
        return list(obj.values.select_related("indicator"))

    @staticmethod
    def resolve_statuses(obj: Any) -> list[Any]:
        return list(obj.activity_progress.select_related("activity"))

    @staticmethod
    def resolve_events(obj: Any) -> list[Any]:
        return list(obj.events.order_by("at", "id"))


class ValueIn(InSchema):
    indicator: UUID
    value: Decimal | None = Field(description="A number; null clears the value.", max_digits=16, decimal_places=2)
    note: str = Field("", max_length=1000)


class PlanStatusIn(InSchema):
    activity: UUID
    status: ProgressStatus | None
    note: str = Field("", max_length=1000)


class ProgressIn(InSchema):
    version: int = Field(ge=1)
    values: list[ValueIn] = Field(default_factory=list, max_length=500)
    statuses: list[PlanStatusIn] = Field(default_factory=list, max_length=500)
    submit: bool = Field(False, description="Submit the period for review after saving.")


class TransitionIn(InSchema):
    version: int = Field(ge=1)
    note: str = Field("", max_length=1000, description="Required when reopening: why.")


class RollupRow(Schema):
    uuid: UUID
    name: str
    total: Decimal
    reporting: int = 0


class RollupAreaRow(Schema):
    uuid: UUID
    name: str
    level: int = Field(description="1 for a region, 2 for the level below it (a province), and so on.")
    within: str = Field(description="The names of the units above it, below the national level.")
    total: Decimal
    reporting: int = 0


class LocalityRow(Schema):
    uuid: UUID
    name: str
    region: str
    within: str = Field("", description="The names of the units above it, below the national level.")
    plan_uuid: UUID
    plan_title: str
    state: PeriodState
    total: Decimal


class RollupOut(Schema):
    indicator: UUID | None
    period: str
    accepted_only: bool
    total: Decimal | None
    reporting: int
    regions: list[RollupRow]
    areas: list[RollupAreaRow] = Field(
        default_factory=list, description="Every unit between the national level and the reporting plans."
    )
    localities: list[LocalityRow]


class RollupFilters(Schema):
    indicator: UUID | None = Field(None, description="An additive national indicator (default: the first you see).")
    period: str | None = Field(None, max_length=20, description="A period label such as 2026-Q1 (default: the latest).")
    accepted: bool = Field(False, description="Only accepted periods.")


class MatrixCell(Schema):
    jurisdiction: UUID
    total: int = Field(description="Activities aligned to the objective in this unit.")
    by_status: dict[str, int]
    objectives: int = Field(0, description="Regional and local objectives aligned to the objective in this unit.")


class MatrixRow(Schema):
    objective: ObjectiveRef
    text: str
    total: int = Field(description="Activities aligned to the objective in every unit.")
    objectives: int = Field(0, description="Regional and local objectives aligned to the objective in every unit.")
    gap: bool
    cells: list[MatrixCell]


class MatrixColumn(Schema):
    uuid: UUID
    name: str
    has_plan: bool


class MatrixOut(Schema):
    plan: PlanRef | None
    root: JurisdictionRef | None
    depth: int | None
    columns: list[MatrixColumn]
    rows: list[MatrixRow]
    localities: int
    localities_without_plan: int
    unaligned_activities: int


class MatrixFilters(Schema):
    plan: UUID | None = Field(None, description="A national plan (default: the first you see).")
    within: UUID | None = Field(None, description="Columns under this unit (default: the plan's country).")
    depth: int | None = Field(None, ge=0, le=20, description="Depth of the columns (default: one level below).")
    offset: int = Field(0, ge=0, le=MAX_OFFSET, description="First column (30 per page).")


class RoadmapUnit(Schema):
    uuid: UUID
    name: str
    current_stage: RoadmapStage
    since: dt.date | None
    reached: dict[str, dt.date | None]


class RoadmapChangeOut(Schema):
    jurisdiction: JurisdictionRef
    stage: RoadmapStage
    date: dt.date
    note: str


class RoadmapOut(Schema):
    country: JurisdictionRef | None
    depth: int | None
    units: list[RoadmapUnit]
    timeline: list[RoadmapChangeOut]


class RoadmapFilters(Schema):
    country: UUID | None = None
    depth: int | None = Field(None, ge=0, le=20)


class RoadmapIn(InSchema):
    jurisdiction: UUID
    stage: RoadmapStage
    date: dt.date
    note: str = Field("", max_length=500)
