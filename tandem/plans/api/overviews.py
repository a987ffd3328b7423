"""The plans API across plans: roll-up, alignment matrix, roadmap."""

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from ninja import Query, Router
from ninja.responses import Status

from tandem.core import access as core_access
from tandem.core.api import (
    _actor,
    _reference,
    errors,
)
from tandem.plans.permissions import requires

from .. import access, selectors, services
from ..models import (
    RoadmapStage,
)
from .schemas import (
    MatrixCell,
    MatrixColumn,
    MatrixFilters,
    MatrixOut,
    MatrixRow,
    RoadmapChangeOut,
    RoadmapFilters,
    RoadmapIn,
    RoadmapOut,
    RoadmapUnit,
    RollupFilters,
    RollupOut,
)

router = Router(tags=["plans"])


@router.get("/rollup", response={200: RollupOut, **errors(404, 422)})
@requires("plans.view")
def plan_rollup(request: HttpRequest, filters: Query[RollupFilters]):
    """An additive national indicator summed up the tree: national total, each region's, each locality's."""
    actor = _actor(request)
    indicators = selectors.additive_national_indicators(actor).select_related("plan__jurisdiction")
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
    label = filters.period or next(iter(selectors.cached_rollup_labels(actor, indicator)), "")
    if not label:
        return empty
    result = selectors.cached_rollup(actor, indicator, label, accepted_only=filters.accepted)
    return RollupOut(
        indicator=indicator.uuid,
        period=label,
        accepted_only=filters.accepted,
        total=result.total,
        reporting=result.reporting,
        regions=result.regions,
        areas=result.areas,
        localities=result.localities,
    )


@router.get("/matrix", response={200: MatrixOut, **errors(404, 422)})
@requires("plans.view")
def plan_matrix(request: HttpRequest, filters: Query[MatrixFilters]):
    """A national or regional plan's objectives x localities: aligned activities by status, and the gaps."""
    actor = _actor(request)
    plans = selectors.matrix_plans(actor)
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
    result = selectors.cached_matrix(actor, plan, root, depth, offset=filters.offset)
    rows = [
        MatrixRow(
            objective=row["objective"],
            text=row["objective"].text,
            total=row["total"],
            objectives=row["objectives"],
            gap=not row["total"],
            cells=[
                MatrixCell(
                    jurisdiction=cell["column"].uuid,
                    total=cell["total"],
                    objectives=cell["objectives"],
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
@requires("plans.view")
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
@requires("plans.manage")
def roadmap_record(request: HttpRequest, payload: RoadmapIn):
    actor = _actor(request)
    if not access.can_create_plans(actor):
        raise PermissionDenied
    jurisdiction = _reference(access.editable_jurisdictions(actor), payload.jurisdiction, "jurisdiction")
    change = services.roadmap_record(
        actor=actor, jurisdiction=jurisdiction, stage=payload.stage, date=payload.date, note=payload.note
    )
    return Status(201, change)
