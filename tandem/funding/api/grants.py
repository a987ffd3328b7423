"""API of funding under ``/api/v1/funding/``: calls, applications, awards, totals, files, open data.

A call, application or award the token's user may not read answers 404 exactly like a missing
one. Amounts travel as strings ("1500.00"): they are Decimals with an ISO 4217 currency, never
floating-point numbers; a wrong precision or a negative amount is a 422.
"""

import datetime as dt
from decimal import Decimal
from typing import Any, Literal
from uuid import UUID

from django.http import HttpRequest
from ninja import Field, Router, Schema
from ninja.pagination import paginate
from ninja.responses import Status

from tandem.core import access as core_access
from tandem.core.api import InSchema, JurisdictionRef, OrganisationRef, Pagination, _actor, _reference, errors
from tandem.core.files import file_response
from tandem.core.security import client_ip
from tandem.funding.permissions import requires

from .. import access, selectors, services
from ._common import patch_values

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
    version: int

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


class CriterionIn(InSchema):
    name: str = Field(min_length=1, max_length=200)
    weight: str
    max_score: int = Field(ge=1, le=100)


class CallPatch(InSchema):
    """The fields to change (the others stay). Before the call opens everything may change; while
    it is open only title, purpose, required_documents, publishable, budget, more objectives and a
    later closes_at; once closed only title, purpose, required_documents, publishable and budget.
    Anything else is a 422 naming the field."""

    version: int = Field(ge=1)
    title: str | None = Field(None, min_length=1, max_length=300)
    purpose: str | None = Field(None, min_length=1, max_length=5000)
    required_documents: str | None = Field(None, max_length=2000)
    publishable: bool | None = None
    budget: str | None = None
    min_grant: str | None = None
    max_grant: str | None = None
    currency: str | None = None
    jurisdiction: UUID | None = None
    eligible_sectors: list[str] | None = None
    sources: list[UUID] | None = None
    objectives: list[UUID] | None = None
    opens_at: dt.datetime | None = None
    closes_at: dt.datetime | None = None
    criteria: list[CriterionIn] | None = None


@router.patch("/calls/{uuid}", response={200: CallOut, **errors(403, 404, 409, 422)})
@requires("funding.manage")
def call_update(request: HttpRequest, uuid: UUID, payload: CallPatch):
    """Edit a call with the version you read (a stale one is a 409 with what changed)."""
    actor = _actor(request)
    call = core_access.get_visible_or_404(access.visible_calls(actor), uuid=uuid)
    access.require_manage_call(actor, call)
    version, values, sent = patch_values(
        payload,
        (
            "title",
            "purpose",
            "required_documents",
            "publishable",
            "budget",
            "min_grant",
            "max_grant",
            "eligible_sectors",
            "opens_at",
            "closes_at",
        ),
        {"currency": "currency_code"},
    )
    if "jurisdiction" in sent:
        values["jurisdiction"] = _reference(
            core_access.managed_jurisdictions(actor), payload.jurisdiction, "jurisdiction"
        )
    if "sources" in sent:
        usable = access.visible_sources(actor).filter(in_kind=False)
        values["sources"] = [_reference(usable, u, "sources") for u in payload.sources or []]
    if "objectives" in sent:
        from tandem.plans import access as plans_access

        objectives = plans_access.visible_objectives(actor)
        values["objectives"] = [_reference(objectives, u, "objectives") for u in payload.objectives or []]
    if "criteria" in sent:
        values["criteria"] = [(c.name, c.weight, c.max_score) for c in payload.criteria or []]
    return services.call_update(actor=actor, call=call, expected_version=version, **values)


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


@router.get("/documents/{uuid}", response={200: None, **errors(404)})
@requires("funding.view")
def document_download(request: HttpRequest, uuid: UUID):
    """An application's document, as a download (``Content-Disposition: attachment``, ``nosniff``); audited."""
    actor = _actor(request)
    document = core_access.get_visible_or_404(
        access.visible_documents(actor).select_related("application__jurisdiction"), uuid=uuid
    )
    data = services.document_read(actor=actor, document=document, ip_address=client_ip(request))
    return file_response(data, name=document.name, content_type=document.content_type)


@router.get("/receipts/{uuid}", response={200: None, **errors(404)})
@requires("funding.view")
def receipt_download(request: HttpRequest, uuid: UUID):
    """A spend report's receipt, as a download; audited."""
    actor = _actor(request)
    receipt = core_access.get_visible_or_404(access.visible_receipts(actor), uuid=uuid)
    data = services.receipt_read(actor=actor, receipt=receipt, ip_address=client_ip(request))
    return file_response(data, name=receipt.name, content_type=receipt.content_type)


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
