"""API of funding under ``/api/v1/funding/``: the same rules as the pages (tandem.funding.access).

A call, application or award the token's user may not read answers 404 exactly like a missing
one. Amounts travel as strings ("1500.00"): they are Decimals with an ISO 4217 currency, never
floating-point numbers; a wrong precision or a negative amount is a 422.
"""

import datetime as dt
from decimal import Decimal
from typing import Any, Literal
from uuid import UUID

from django.http import HttpRequest
from ninja import Router, Schema
from ninja.pagination import paginate
from ninja.responses import Status

from tandem.core import access as core_access
from tandem.core.api import InSchema, JurisdictionRef, OrganisationRef, Pagination, _actor, _reference, errors
from tandem.funding.permissions import requires

from . import access, selectors, services

router = Router(tags=["funding"])


class CallOut(Schema):
    uuid: UUID
    title: str
    purpose: str
    jurisdiction: JurisdictionRef
    currency: str
    budget: str
    min_grant: str
    max_grant: str
    opens_at: dt.datetime
    closes_at: dt.datetime
    publishable: bool

    @staticmethod
    def resolve_budget(obj: Any) -> str:
        return str(obj.budget)

    @staticmethod
    def resolve_min_grant(obj: Any) -> str:
        return str(obj.min_grant)

    @staticmethod
    def resolve_max_grant(obj: Any) -> str:
        return str(obj.max_grant)


class ApplicationOut(Schema):
    uuid: UUID
    call: UUID
    title: str
    summary: str
    organisation: OrganisationRef
    jurisdiction: JurisdictionRef
    amount_requested: str
    currency: str
    status: str
    version: int

    @staticmethod
    def resolve_call(obj: Any) -> UUID:
        return obj.call.uuid

    @staticmethod
    def resolve_amount_requested(obj: Any) -> str:
        return str(obj.amount_requested)

    @staticmethod
    def resolve_currency(obj: Any) -> str:
        return obj.call.currency


class BudgetLineIn(InSchema):
    category: str
    amount: str


class ApplicationIn(InSchema):
    organisation: UUID
    title: str
    summary: str
    jurisdiction: UUID
    amount_requested: str
    budget_lines: list[BudgetLineIn]
    co_funding: str = "0"
    co_funding_note: str = ""
    objectives: list[UUID] = []


class FundingDecisionIn(InSchema):
    version: int
    decision: Literal["awarded", "declined", "waitlisted"]
    amount: str | None = None
    source: UUID | None = None
    conditions: str = ""
    reason: str = ""


class AwardOut(Schema):
    uuid: UUID
    application: UUID
    amount: str
    currency: str
    state: str
    awarded_at: dt.datetime

    @staticmethod
    def resolve_application(obj: Any) -> UUID:
        return obj.application.uuid

    @staticmethod
    def resolve_amount(obj: Any) -> str:
        return str(obj.amount)


class TotalLineOut(Schema):
    key: str
    label: str
    currency: str
    committed: str
    disbursed: str
    spent: str


class TotalsOut(Schema):
    by_jurisdiction: list[TotalLineOut]
    by_source: list[TotalLineOut]
    by_objective: list[TotalLineOut]
    by_call: list[TotalLineOut]
    by_currency: list[TotalLineOut]
    in_kind: list[TotalLineOut]


def _lines(lines: list[Any]) -> list[dict[str, str]]:
    return [
        {
            "key": ln.key,
            "label": str(ln.label),
            "currency": ln.currency,
            "committed": str(ln.committed),
            "disbursed": str(ln.disbursed),
            "spent": str(ln.spent),
        }
        for ln in lines
    ]


@router.get("/calls", response={200: list[CallOut], **errors(422)})
@paginate(Pagination)
@requires("funding.view")
def call_list(request: HttpRequest):
    """The calls in your view: open where you work, the ones you manage or review."""
    return selectors.calls_for(_actor(request))


@router.get("/calls/{uuid}", response={200: CallOut, **errors(404)})
@requires("funding.view")
def call_detail(request: HttpRequest, uuid: UUID):
    return core_access.get_visible_or_404(access.visible_calls(_actor(request)), uuid=uuid)


@router.post("/calls/{uuid}/applications", response={201: ApplicationOut, **errors(403, 404, 422)})
@requires("funding.apply")
def application_create(request: HttpRequest, uuid: UUID, payload: ApplicationIn):
    """Save a draft application for an organisation you act for (submit it with the pages)."""
    actor = _actor(request)
    call = core_access.get_visible_or_404(access.visible_calls(actor), uuid=uuid)
    organisation = _reference(core_access.visible_organisations(actor), payload.organisation, "organisation")
    jurisdiction = _reference(core_access.visible_jurisdictions(actor), payload.jurisdiction, "jurisdiction")
    objectives = [_reference(selectors.call_objectives(actor, call), o, "objectives") for o in payload.objectives]
    application = services.application_save(
        actor=actor,
        call=call,
        organisation=organisation,
        title=payload.title,
        summary=payload.summary,
        jurisdiction=jurisdiction,
        amount_requested=payload.amount_requested,
        budget_lines=[(b.category, b.amount) for b in payload.budget_lines],
        co_funding=payload.co_funding,
        co_funding_note=payload.co_funding_note,
        objectives=objectives,
    )
    return Status(201, application)


@router.get("/applications", response={200: list[ApplicationOut], **errors(422)})
@paginate(Pagination)
@requires("funding.view")
def application_list(request: HttpRequest):
    """Your organisations' applications, those of the calls you manage, and those you review."""
    return selectors.applications_for(_actor(request))


@router.get("/applications/{uuid}", response={200: ApplicationOut, **errors(404)})
@requires("funding.view")
def application_detail(request: HttpRequest, uuid: UUID):
    return core_access.get_visible_or_404(access.visible_applications(_actor(request)), uuid=uuid)


@router.post("/applications/{uuid}/decision", response={200: ApplicationOut, **errors(403, 404, 409, 422)})
@requires("funding.manage")
def application_decide(request: HttpRequest, uuid: UUID, payload: FundingDecisionIn):
    """Award, decline or wait-list with the version you read: a stale version is a 409 with what changed."""
    actor = _actor(request)
    application = core_access.get_visible_or_404(access.visible_applications(actor), uuid=uuid)
    access.require_manage_call(actor, application.call)
    source = _reference(selectors.call_sources(actor, application.call), payload.source, "source")
    return services.application_decide(
        actor=actor,
        application=application,
        expected_version=payload.version,
        decision=payload.decision,
        amount=payload.amount,
        source=source,
        conditions=payload.conditions,
        reason=payload.reason,
    )


@router.get("/awards", response={200: list[AwardOut], **errors(422)})
@paginate(Pagination)
@requires("funding.view")
def award_list(request: HttpRequest):
    """Awards in your view with their status: on_track, report_overdue or closed."""
    return selectors.awards_for(_actor(request))


@router.get("/awards/{uuid}", response={200: AwardOut, **errors(404)})
@requires("funding.view")
def award_detail(request: HttpRequest, uuid: UUID):
    return core_access.get_visible_or_404(selectors.awards_for(_actor(request)), uuid=uuid)


@router.get("/totals", response={200: TotalsOut, **errors(403)})
@requires("funding.manage")
def totals(request: HttpRequest):
    """Committed, disbursed and spent in your scope, per currency (never converted); in kind apart."""
    t = selectors.totals(_actor(request))
    return {
        "by_jurisdiction": _lines(t.by_jurisdiction),
        "by_source": _lines(t.by_source),
        "by_objective": _lines(t.by_objective),
        "by_call": _lines(t.by_call),
        "by_currency": _lines(t.by_currency),
        "in_kind": _lines(t.in_kind),
    }


class GivingOut(Schema):
    grants: list[dict[str, Any]]


@router.get("/360giving", response={200: GivingOut, **errors()})
@requires("funding.view")
def giving(request: HttpRequest):
    """Awards of publishable calls in your view, shaped as a 360Giving JSON package."""
    records = selectors.giving_records(_actor(request))
    for grant in records:
        grant["amountAwarded"] = float(Decimal(grant["amountAwarded"]))
    return {"grants": records}


ROUTERS: list[tuple[str, Router]] = [("/funding", router)]
