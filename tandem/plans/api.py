"""The action plans API under ``/api/v1/plans``: plans, objectives, activities, alignment,
indicators, periods and progress, roll-up, alignment matrix and roadmap.

Same rules as the pages (:mod:`tandem.plans.access`): a plan you may not read is
404 exactly like a missing one; reading but not writing it is 403; stale
versions are 409; invalid values (text in a number, a negative count, a
locked period) are 422 and nothing is written.
"""

import datetime as dt
from decimal import Decimal
from typing import Any
from uuid import UUID

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate
from ninja.responses import Status

from tandem.core import access as core_access
from tandem.core.api import (
    InSchema,
    JurisdictionRef,
    OrganisationRef,
    Pagination,
    _actor,
    _reference,
    _save_versioned,
    errors,
)

from . import access, selectors, services
from .models import (
    LOCKED_INDICATOR_FIELDS,
    ActivityStatus,
    Frequency,
    IndicatorUnit,
    PeriodState,
    PlanLevel,
    ProgressStatus,
    RoadmapStage,
)

router = Router(tags=["plans"])


# --- Schemas --------------------------------------------------------------------------------------


class PlanRef(Schema):
    uuid: UUID
    title: str


class BodyRef(Schema):
    uuid: UUID
    name: str


class PlanOut(Schema):
    uuid: UUID
    level: PlanLevel
    title: str
    jurisdiction: JurisdictionRef
    national_plan: PlanRef | None
    owner_body: BodyRef | None = Field(None, description="The coordination body that owns the plan.")
    legal_instrument: str
    summary: str
    period_start: dt.date
    period_end: dt.date
    visible_to_partners: bool
    version: int
    created_at: dt.datetime
    updated_at: dt.datetime


class PlanIn(InSchema):
    level: PlanLevel
    jurisdiction: UUID
    national_plan: UUID | None = None
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
    inherited_from: UUID | None = Field(None, description="The national indicator whose definition this one uses.")
    version: int

    @staticmethod
    def resolve_inherited_from(obj: Any) -> Any:
        return obj.inherited_from.uuid if obj.inherited_from_id else None


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


class StatusIn(InSchema):
    activity: UUID
    status: ProgressStatus | None
    note: str = Field("", max_length=1000)


class ProgressIn(InSchema):
    version: int = Field(ge=1)
    values: list[ValueIn] = Field(default_factory=list, max_length=500)
    statuses: list[StatusIn] = Field(default_factory=list, max_length=500)
    submit: bool = Field(False, description="Submit the period for review after saving.")


class TransitionIn(InSchema):
    version: int = Field(ge=1)
    note: str = Field("", max_length=1000, description="Required when reopening: why.")


class RollupRow(Schema):
    uuid: UUID
    name: str
    total: Decimal
    reporting: int = 0


class LocalityRow(Schema):
    uuid: UUID
    name: str
    region: str
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
    localities: list[LocalityRow]


class RollupFilters(Schema):
    indicator: UUID | None = Field(None, description="An additive national indicator (default: the first you see).")
    period: str | None = Field(None, max_length=20, description="A period label such as 2026-Q1 (default: the latest).")
    accepted: bool = Field(False, description="Only accepted periods.")


class MatrixCell(Schema):
    jurisdiction: UUID
    total: int
    by_status: dict[str, int]


class MatrixRow(Schema):
    objective: ObjectiveRef
    text: str
    total: int
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
    offset: int = Field(0, ge=0, description="First column (30 per page).")


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


# --- Helpers ---------------------------------------------------------------------------------------


def _plan(actor: Any, uuid: UUID) -> Any:
    return access.get_plan_or_404(actor, uuid=uuid)


def _editable(actor: Any, uuid: UUID) -> Any:
    plan = _plan(actor, uuid)
    access.require_edit(actor, plan)
    return plan


def _activities(actor: Any) -> Any:
    return access.visible_activities(actor).prefetch_related("partner_orgs", selectors.alignment_prefetch())


def _patch_values(payload: InSchema, *, blank: tuple[str, ...] = (), required: tuple[str, ...] = ()) -> dict:
    """The fields a PATCH sent: null clears ``blank`` text fields and is ignored for ``required`` ones."""
    values = payload.model_dump(exclude_unset=True)
    for name in blank:
        if name in values and values[name] is None:
            values[name] = ""
    return {k: v for k, v in values.items() if not (k in required and v is None)}


def _national_objectives(actor: Any, plan: Any, uuids: list[UUID]) -> list[Any]:
    if not uuids:
        return []
    found = list(access.visible_objectives(actor).filter(plan=plan.national_plan, uuid__in=uuids))
    if len(found) != len(set(uuids)):
        raise ValidationError(
            {"national_objectives": _("Choose objectives of the national plan this plan implements.")}
        )
    return found


# --- Plans ---------------------------------------------------------------------------------------


@router.get("", response={200: list[PlanOut], **errors(404, 422)})
@paginate(Pagination)
def plan_list(request: HttpRequest, filters: Query[PlanFilters]):
    """Plans you may read, national first."""
    actor = _actor(request)
    qs = access.visible_plans(actor)
    if filters.q:
        term = filters.q.strip()
        qs = qs.filter(Q(title__icontains=term) | Q(jurisdiction__name__icontains=term))
    if filters.level:
        qs = qs.filter(level=filters.level)
    if filters.within:
        node = core_access.get_visible_or_404(core_access.visible_jurisdictions(actor), uuid=filters.within)
        qs = qs.filter(jurisdiction__path__startswith=node.path)
    return qs.order_by("level", "jurisdiction__name", "title", "id")


@router.post("", response={201: PlanOut, **errors(400, 403, 422)})
def plan_create(request: HttpRequest, payload: PlanIn):
    actor = _actor(request)
    if not access.can_create_plans(actor):
        raise PermissionDenied
    data = payload.model_dump()
    data["jurisdiction"] = _reference(access.editable_jurisdictions(actor), data["jurisdiction"], "jurisdiction")
    data["national_plan"] = _reference(access.visible_national_plans(actor), data["national_plan"], "national_plan")
    data["owner_body"] = _reference(access.owner_body_choices(actor), data["owner_body"], "owner_body")
    plan = services.plan_create(actor=actor, **data)
    return Status(201, _plan(actor, plan.uuid))


@router.get("/rollup", response={200: RollupOut, **errors(404, 422)})
def plan_rollup(request: HttpRequest, filters: Query[RollupFilters]):
    """An additive national indicator summed up the tree: national total, each region's, each locality's."""
    actor = _actor(request)
    indicators = selectors.additive_national_indicators(actor)
    if filters.indicator:
        indicator = core_access.get_visible_or_404(indicators, uuid=filters.indicator)
    else:
        indicator = indicators.first()
    empty = RollupOut(
        indicator=indicator.uuid if indicator else None,
        period=filters.period or "",
        accepted_only=filters.accepted,
        total=None,
        reporting=0,
        regions=[],
        localities=[],
    )
    if indicator is None:
        return empty
    label = filters.period or next(iter(selectors.rollup_labels(actor, indicator)), "")
    if not label:
        return empty
    result = selectors.rollup(actor, indicator, label, accepted_only=filters.accepted)
    return RollupOut(
        indicator=indicator.uuid,
        period=label,
        accepted_only=filters.accepted,
        total=result.total,
        reporting=result.reporting,
        regions=result.regions,
        localities=result.localities,
    )


@router.get("/matrix", response={200: MatrixOut, **errors(404, 422)})
def plan_matrix(request: HttpRequest, filters: Query[MatrixFilters]):
    """National objectives x localities: aligned local activities by status, and the gaps."""
    actor = _actor(request)
    plans = access.visible_national_plans(actor).order_by("title")
    plan = core_access.get_visible_or_404(plans, uuid=filters.plan) if filters.plan else plans.first()
    if plan is None:
        return MatrixOut(
            plan=None,
            root=None,
            depth=None,
            columns=[],
            rows=[],
            localities=0,
            localities_without_plan=0,
            unaligned_activities=0,
        )
    root = selectors.default_root(actor, plan) or plan.jurisdiction
    if filters.within:
        root = core_access.get_visible_or_404(
            core_access.visible_jurisdictions(actor).filter(path__startswith=plan.jurisdiction.path),
            uuid=filters.within,
        )
    depth = filters.depth if filters.depth is not None and filters.depth > root.depth else root.depth + 1
    result = selectors.matrix(actor, plan, root, depth, offset=filters.offset)
    rows = [
        MatrixRow(
            objective=row["objective"],
            text=row["objective"].text,
            total=row["total"],
            gap=not row["total"],
            cells=[
                MatrixCell(
                    jurisdiction=cell["column"].uuid,
                    total=cell["total"],
                    by_status=result.cells.get((row["objective"].pk, cell["column"].pk), {}),
                )
                for cell in row["cells"]
            ],
        )
        for row in result.rows()
    ]
    return MatrixOut(
        plan=plan,
        root=root,
        depth=depth,
        columns=[MatrixColumn(uuid=c.uuid, name=c.name, has_plan=c.has_plan) for c in result.columns],
        rows=rows,
        localities=result.locality_count,
        localities_without_plan=result.without_plan,
        unaligned_activities=result.unaligned_count,
    )


@router.get("/roadmap", response={200: RoadmapOut, **errors(404, 422)})
def plan_roadmap(request: HttpRequest, filters: Query[RoadmapFilters]):
    """Every unit of a level in a country at its localisation stage, with dates and a timeline."""
    actor = _actor(request)
    countries = selectors.roadmap_countries(actor)
    country = core_access.get_visible_or_404(countries, uuid=filters.country) if filters.country else countries.first()
    if country is None:
        return RoadmapOut(country=None, depth=None, units=[], timeline=[])
    depth = filters.depth if filters.depth is not None and filters.depth > country.depth else country.depth + 1
    units = [
        RoadmapUnit(
            uuid=u.uuid,
            name=u.name,
            current_stage=u.current_stage or RoadmapStage.NOT_STARTED,
            since=u.current_since,
            reached={s.value: getattr(u, f"reached_{s.value}") for s in RoadmapStage if s != RoadmapStage.NOT_STARTED},
        )
        for u in selectors.roadmap(actor, country, depth)[:1000]
    ]
    timeline = list(selectors.roadmap_timeline(actor, country, depth)[:200])
    return RoadmapOut(country=country, depth=depth, units=units, timeline=timeline)


@router.post("/roadmap", response={201: RoadmapChangeOut, **errors(400, 403, 422)})
def roadmap_record(request: HttpRequest, payload: RoadmapIn):
    actor = _actor(request)
    if not access.can_create_plans(actor):
        raise PermissionDenied
    jurisdiction = _reference(access.editable_jurisdictions(actor), payload.jurisdiction, "jurisdiction")
    change = services.roadmap_record(
        actor=actor, jurisdiction=jurisdiction, stage=payload.stage, date=payload.date, note=payload.note
    )
    return Status(201, change)


@router.get("/{uuid}", response={200: PlanOut, **errors(404, 422)})
def plan_detail(request: HttpRequest, uuid: UUID):
    return _plan(_actor(request), uuid)


@router.patch("/{uuid}", response={200: PlanOut, **errors(400, 403, 404, 409, 422)})
def plan_update(request: HttpRequest, uuid: UUID, payload: PlanPatch):
    actor = _actor(request)
    plan = _editable(actor, uuid)
    values = payload.model_dump(exclude_unset=True)
    version = values.pop("version")
    values = {k: ("" if v is None and k in ("legal_instrument", "summary") else v) for k, v in values.items()}
    values = {k: v for k, v in values.items() if v is not None}
    _save_versioned(services.plan_update, actor=actor, plan=plan, expected_version=version, **values)
    return _plan(actor, uuid)


@router.post("/{uuid}/pillars", response={201: PillarOut, **errors(400, 403, 404, 422)})
def pillar_create(request: HttpRequest, uuid: UUID, payload: PillarIn):
    actor = _actor(request)
    plan = _editable(actor, uuid)
    return Status(201, services.pillar_create(actor=actor, plan=plan, **payload.model_dump()))


@router.get("/{uuid}/objectives", response={200: list[ObjectiveOut], **errors(404, 422)})
def objective_list(request: HttpRequest, uuid: UUID):
    plan = _plan(_actor(request), uuid)
    return list(
        plan.objectives.select_related("pillar").prefetch_related(selectors.alignment_prefetch()).order_by("code")
    )


@router.post("/{uuid}/objectives", response={201: ObjectiveOut, **errors(400, 403, 404, 422)})
def objective_create(request: HttpRequest, uuid: UUID, payload: ObjectiveIn):
    actor = _actor(request)
    plan = _editable(actor, uuid)
    pillar = _reference(plan.pillars.all(), payload.pillar, "pillar")
    objective = services.objective_create(actor=actor, plan=plan, code=payload.code, text=payload.text, pillar=pillar)
    return Status(201, objective)


@router.patch("/objectives/{uuid}", response={200: ObjectiveOut, **errors(400, 403, 404, 409, 422)})
def objective_update(request: HttpRequest, uuid: UUID, payload: ObjectivePatch):
    """Edit an objective; send the ``version`` you read (409 with what changed when stale)."""
    actor = _actor(request)
    objective = core_access.get_visible_or_404(access.visible_objectives(actor), uuid=uuid)
    access.require_edit(actor, objective.plan)
    values = _patch_values(payload, required=("code", "text"))
    version = values.pop("version")
    if "pillar" in values:
        values["pillar"] = _reference(objective.plan.pillars.all(), values["pillar"], "pillar")
    _save_versioned(services.objective_update, actor=actor, objective=objective, expected_version=version, **values)
    return (
        access.visible_objectives(actor)
        .select_related("pillar")
        .prefetch_related(selectors.alignment_prefetch())
        .get(pk=objective.pk)
    )


@router.get("/{uuid}/indicators", response={200: list[IndicatorOut], **errors(404, 422)})
def indicator_list(request: HttpRequest, uuid: UUID):
    plan = _plan(_actor(request), uuid)
    return list(plan.indicators.select_related("inherited_from", "objective").order_by("name"))


@router.patch("/indicators/{uuid}", response={200: IndicatorOut, **errors(400, 403, 404, 409, 422)})
def indicator_update(request: HttpRequest, uuid: UUID, payload: IndicatorPatch):
    """Edit an indicator; an inherited one keeps the national definition (name, unit, frequency, additive)."""
    actor = _actor(request)
    indicator = core_access.get_visible_or_404(access.visible_indicators(actor), uuid=uuid)
    access.require_edit(actor, indicator.plan)
    values = _patch_values(payload, required=("name", "unit", "frequency", "additive"))
    version = values.pop("version")
    if indicator.is_inherited:
        sent = payload.model_fields_set & set(LOCKED_INDICATOR_FIELDS)
        if sent:
            message = _("This is the national definition; it cannot be changed locally.")
            raise ValidationError(dict.fromkeys(sorted(sent), message))
    if "objective" in values:
        values["objective"] = _reference(indicator.plan.objectives.all(), values["objective"], "objective")
    _save_versioned(services.indicator_update, actor=actor, indicator=indicator, expected_version=version, **values)
    return access.visible_indicators(actor).select_related("inherited_from", "objective").get(pk=indicator.pk)


@router.post("/{uuid}/indicators", response={201: IndicatorOut, **errors(400, 403, 404, 422)})
def indicator_create(request: HttpRequest, uuid: UUID, payload: IndicatorIn):
    actor = _actor(request)
    plan = _editable(actor, uuid)
    data = payload.model_dump()
    data["inherited_from"] = _reference(
        access.visible_indicators(actor).filter(plan__level=PlanLevel.NATIONAL),
        data["inherited_from"],
        "inherited_from",
    )
    if data["inherited_from"] is None and (not data["name"] or not data["unit"]):
        raise ValidationError({"name": _("Give a name and a unit, or the national indicator to inherit.")})
    data["unit"] = data["unit"] or ""
    return Status(201, services.indicator_create(actor=actor, plan=plan, **data))


@router.get("/{uuid}/activities", response={200: list[ActivityOut], **errors(404, 422)})
def activity_list(request: HttpRequest, uuid: UUID):
    actor = _actor(request)
    plan = _plan(actor, uuid)
    return list(_activities(actor).filter(plan=plan).select_related("objective").order_by("title"))


@router.post("/{uuid}/activities", response={201: ActivityOut, **errors(400, 403, 404, 422)})
def activity_create(request: HttpRequest, uuid: UUID, payload: ActivityIn):
    actor = _actor(request)
    plan = _editable(actor, uuid)
    if plan.is_national:
        raise ValidationError({"__all__": _("Activities belong to local plans.")})
    data = payload.model_dump()
    targets = _national_objectives(actor, plan, data.pop("national_objectives"))
    innovation = data.pop("local_innovation")
    orgs = core_access.visible_organisations(actor)
    data["objective"] = _reference(plan.objectives.all(), data["objective"], "objective")
    data["responsible_org"] = _reference(orgs, data["responsible_org"], "responsible_org")
    partner_ids = data.pop("partner_orgs")
    partners = list(orgs.filter(uuid__in=partner_ids))
    if len(partners) != len(set(partner_ids)):
        raise ValidationError({"partner_orgs": _("Not found.")})
    if data["start_date"] and data["end_date"] and data["end_date"] < data["start_date"]:
        raise ValidationError({"end_date": _("The end date cannot be before the start date.")})
    activity = services.activity_create(actor=actor, plan=plan, partner_orgs=partners, **data)
    services.alignment_set(
        actor=actor, plan=plan, activity=activity, national_objectives=targets, local_innovation=innovation
    )
    return Status(201, _activities(actor).select_related("objective").get(pk=activity.pk))


@router.patch("/activities/{uuid}", response={200: ActivityOut, **errors(400, 403, 404, 409, 422)})
def activity_update(request: HttpRequest, uuid: UUID, payload: ActivityPatch):
    """Edit an activity; ``partner_orgs`` replaces the partners when sent. Alignment has its own PUT."""
    actor = _actor(request)
    activity = core_access.get_visible_or_404(access.visible_activities(actor), uuid=uuid)
    plan = activity.plan
    access.require_edit(actor, plan)
    values = _patch_values(
        payload, blank=("description", "budget_source"), required=("title", "status", "partner_orgs")
    )
    version = values.pop("version")
    orgs = core_access.visible_organisations(actor)
    if "objective" in values:
        values["objective"] = _reference(plan.objectives.all(), values["objective"], "objective")
    if "responsible_org" in values:
        values["responsible_org"] = _reference(orgs, values["responsible_org"], "responsible_org")
    partners = None
    if "partner_orgs" in values:
        partner_ids = values.pop("partner_orgs")
        partners = list(orgs.filter(uuid__in=partner_ids))
        if len(partners) != len(set(partner_ids)):
            raise ValidationError({"partner_orgs": _("Not found.")})
    _save_versioned(
        services.activity_update,
        actor=actor,
        activity=activity,
        expected_version=version,
        partner_orgs=partners,
        **values,
    )
    return _activities(actor).select_related("objective").get(pk=activity.pk)


@router.put("/activities/{uuid}/alignment", response={200: ActivityOut, **errors(400, 403, 404, 422)})
def activity_align(request: HttpRequest, uuid: UUID, payload: AlignmentIn):
    """Replace an activity's alignment: national objectives, or a local innovation."""
    actor = _actor(request)
    activity = core_access.get_visible_or_404(access.visible_activities(actor), uuid=uuid)
    plan = activity.plan
    access.require_edit(actor, plan)
    targets = _national_objectives(actor, plan, payload.national_objectives)
    services.alignment_set(
        actor=actor,
        plan=plan,
        activity=activity,
        national_objectives=targets,
        local_innovation=payload.local_innovation,
        note=payload.note,
    )
    return _activities(actor).select_related("objective").get(pk=activity.pk)


@router.get("/{uuid}/periods", response={200: list[PeriodOut], **errors(404, 422)})
def period_list(request: HttpRequest, uuid: UUID):
    plan = _plan(_actor(request), uuid)
    return list(plan.periods.order_by("start"))


@router.post("/{uuid}/periods", response={201: PeriodOut, **errors(400, 403, 404, 422)})
def period_create(request: HttpRequest, uuid: UUID, payload: PeriodIn):
    actor = _actor(request)
    plan = _editable(actor, uuid)
    return Status(201, services.period_create(actor=actor, plan=plan, **payload.model_dump()))


def _period(actor: Any, uuid: UUID) -> Any:
    return core_access.get_visible_or_404(access.visible_periods(actor), uuid=uuid)


@router.get("/periods/{uuid}", response={200: PeriodDetailOut, **errors(404, 422)})
def period_detail(request: HttpRequest, uuid: UUID):
    """A period with its indicator values, activity statuses and history."""
    return _period(_actor(request), uuid)


@router.put("/periods/{uuid}/progress", response={200: PeriodDetailOut, **errors(400, 403, 404, 409, 422)})
def period_progress(request: HttpRequest, uuid: UUID, payload: ProgressIn):
    """Save all values and statuses of a draft period at once (all or nothing); optionally submit it."""
    actor = _actor(request)
    period = _period(actor, uuid)
    plan = period.plan
    access.require_edit(actor, plan)
    indicators = {str(i.uuid): i for i in plan.indicators.all()}
    activities = {str(a.uuid): a for a in plan.activities.all()}
    problems: dict[str, str] = {}
    values = {}
    for row in payload.values:
        indicator = indicators.get(str(row.indicator))
        if indicator is None:
            problems[str(row.indicator)] = _("This indicator is not part of the plan.")
        else:
            values[indicator] = (row.value, row.note)
    statuses = {}
    for row in payload.statuses:
        activity = activities.get(str(row.activity))
        if activity is None:
            problems[str(row.activity)] = _("This activity is not part of the plan.")
        else:
            statuses[activity] = (row.status, row.note)
    if problems:
        raise ValidationError(problems)
    services.progress_save(
        actor=actor,
        period=period,
        expected_version=payload.version,
        values=values,
        statuses=statuses,
        submit=payload.submit,
    )
    return _period(actor, uuid)


def _transition(request: HttpRequest, uuid: UUID, payload: TransitionIn, action: str) -> Any:
    actor = _actor(request)
    period = _period(actor, uuid)
    if action == "submit":
        services.period_submit(actor=actor, period=period, expected_version=payload.version)
    elif action == "review":
        services.period_review(actor=actor, period=period, expected_version=payload.version, note=payload.note)
    elif action == "accept":
        services.period_accept(actor=actor, period=period, expected_version=payload.version, note=payload.note)
    elif action == "reopen":
        services.period_reopen(actor=actor, period=period, expected_version=payload.version, reason=payload.note)
    else:  # pragma: no cover - the routes below name every action
        raise Http404
    return _period(actor, uuid)


@router.post("/periods/{uuid}/submit", response={200: PeriodDetailOut, **errors(400, 403, 404, 409, 422)})
def period_submit(request: HttpRequest, uuid: UUID, payload: TransitionIn):
    """Draft -> submitted (the plan's coordinators)."""
    return _transition(request, uuid, payload, "submit")


@router.post("/periods/{uuid}/review", response={200: PeriodDetailOut, **errors(400, 403, 404, 409, 422)})
def period_review(request: HttpRequest, uuid: UUID, payload: TransitionIn):
    """Submitted -> reviewed (a coordinator of the level above)."""
    return _transition(request, uuid, payload, "review")


@router.post("/periods/{uuid}/accept", response={200: PeriodDetailOut, **errors(400, 403, 404, 409, 422)})
def period_accept(request: HttpRequest, uuid: UUID, payload: TransitionIn):
    """Submitted or reviewed -> accepted and locked (a coordinator of the level above)."""
    return _transition(request, uuid, payload, "accept")


@router.post("/periods/{uuid}/reopen", response={200: PeriodDetailOut, **errors(400, 403, 404, 409, 422)})
def period_reopen(request: HttpRequest, uuid: UUID, payload: TransitionIn):
    """Back to draft for corrections (the reviewer only; ``note`` says why and is kept)."""
    return _transition(request, uuid, payload, "reopen")


ROUTERS: list[tuple[str, Router]] = [("plans", router)]
