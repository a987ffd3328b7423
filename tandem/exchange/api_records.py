"""API of the exchange's records beside the items: read logs and sharing agreements.

Operations of the same router as :mod:`tandem.exchange.api` (``/api/v1/exchange``), which imports this
module last. Same rules as the pages: an item's read log is for its sender and the coordinators over
the sender's unit who may read the item (an item you may not read answers 404, a log you may not read
403); agreements are read by everyone in their country and kept by the coordinators of the unit they
are registered at.
"""

import datetime as dt
from typing import Any
from uuid import UUID

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Query, Schema
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
    errors,
    require_values,
)
from tandem.exchange.permissions import requires

from . import access, selectors, services
from .api import router
from .models import ReadAction

# --- Schemas -------------------------------------------------------------------------


class ReaderOut(Schema):
    username: str
    name: str


class ReadOut(Schema):
    user: ReaderOut
    action: ReadAction
    detail: str
    at: dt.datetime

    @staticmethod
    def resolve_user(obj: Any) -> dict[str, str]:
        return {"username": obj.user.username, "name": obj.user.get_full_name() or obj.user.username}


class AgreementOut(Schema):
    uuid: UUID
    title: str
    jurisdiction: JurisdictionRef = Field(description="Where it is registered: its coordinators keep it up to date.")
    party_organisations: list[OrganisationRef]
    party_jurisdictions: list[JurisdictionRef]
    legal_basis: str
    categories: str
    retention: str
    contact: str
    valid_from: dt.date
    valid_to: dt.date | None
    expired: bool
    purpose: str
    main_users: str
    standard_formats: str
    review_date: dt.date | None
    version: int

    @staticmethod
    def resolve_party_organisations(obj: Any) -> list[Any]:
        return list(obj.party_organisations.all())

    @staticmethod
    def resolve_party_jurisdictions(obj: Any) -> list[Any]:
        return list(obj.party_jurisdictions.all())

    @staticmethod
    def resolve_expired(obj: Any) -> bool:
        return obj.valid_to is not None and obj.valid_to < timezone.localdate()


class AgreementFilters(Schema):
    q: str | None = Field(None, max_length=100, description="Part of the title.")


class AgreementIn(InSchema):
    title: str = Field(min_length=1, max_length=200)
    jurisdiction: UUID = Field(description="A unit you coordinate.")
    party_organisations: list[UUID] = Field(default_factory=list, max_length=200)
    party_jurisdictions: list[UUID] = Field(default_factory=list, max_length=200)
    legal_basis: str = Field(min_length=1, max_length=4000)
    categories: str = Field(min_length=1, max_length=4000)
    retention: str = Field(min_length=1, max_length=300)
    contact: str = Field(min_length=1, max_length=300)
    valid_from: dt.date
    valid_to: dt.date | None = None
    purpose: str = Field("", max_length=4000)
    main_users: str = Field("", max_length=500)
    standard_formats: str = Field("", max_length=500)
    review_date: dt.date | None = None


class AgreementPatch(InSchema):
    version: int = Field(ge=1, description="The version you loaded; a stale one is refused with 409.")
    title: str = Field(None, min_length=1, max_length=200)
    party_organisations: list[UUID] = Field(None, max_length=200)
    party_jurisdictions: list[UUID] = Field(None, max_length=200)
    legal_basis: str = Field(None, min_length=1, max_length=4000)
    categories: str = Field(None, min_length=1, max_length=4000)
    retention: str = Field(None, min_length=1, max_length=300)
    contact: str = Field(None, min_length=1, max_length=300)
    valid_from: dt.date = None
    valid_to: dt.date | None = None
    purpose: str = Field(None, max_length=4000)
    main_users: str = Field(None, max_length=500)
    standard_formats: str = Field(None, max_length=500)
    review_date: dt.date | None = None


# --- Read log ----------------------------------------------------------------------------


@router.get("/items/{uuid}/read-log", response={200: list[ReadOut], **errors(403, 404, 422)})
@paginate(Pagination)
@requires("exchange.read")
def item_read_log(request: HttpRequest, uuid: UUID):
    """Who opened, downloaded or exported an AMBER, AMBER+STRICT or RED item, newest first."""
    actor = _actor(request)
    item = access.get_sent_item_or_404(actor, uuid)
    if not access.can_see_read_log(actor, item):
        raise PermissionDenied
    return access.item_read_log(actor, item).order_by("-at", "-id")


# --- Sharing agreements ------------------------------------------------------------------


def _agreements(actor: Any) -> QuerySet:
    return (
        access.visible_agreements(actor)
        .select_related("jurisdiction")
        .prefetch_related("party_organisations", "party_jurisdictions")
    )


def _parties(actor: Any, organisations: list[UUID], jurisdictions: list[UUID]) -> tuple[list[Any], list[Any]]:
    orgs = [_reference(access.addressable_organisations(actor), u, "party_organisations") for u in organisations]
    units = [_reference(access.addressable_jurisdictions(actor), u, "party_jurisdictions") for u in jurisdictions]
    _require_a_party(orgs, units)
    return orgs, units


def _require_a_party(orgs: list[Any], units: list[Any]) -> None:
    if not orgs and not units:
        raise ValidationError({"party_organisations": _("Name at least one party.")})


def _check_dates(values: dict[str, Any]) -> None:
    if values.get("valid_from") is None:
        raise ValidationError({"valid_from": _("This field cannot be empty.")})
    if values.get("valid_to") is not None and values["valid_to"] < values["valid_from"]:
        raise ValidationError({"valid_to": _("The end date cannot be before the start date.")})


@router.get("/agreements", response={200: list[AgreementOut], **errors(422)})
@paginate(Pagination)
@requires("exchange.read")
def agreement_list(request: HttpRequest, filters: Query[AgreementFilters]):
    """Sharing agreements of your countries, by title."""
    actor = _actor(request)
    return selectors.agreements(actor, filters.q or "").prefetch_related("party_organisations", "party_jurisdictions")


@router.get("/agreements/{uuid}", response={200: AgreementOut, **errors(404, 422)})
@requires("exchange.read")
def agreement_detail(request: HttpRequest, uuid: UUID):
    return core_access.get_visible_or_404(_agreements(_actor(request)), uuid=uuid)


@router.post("/agreements", response={201: AgreementOut, **errors(403, 422)})
@requires("exchange.agreements")
def agreement_create(request: HttpRequest, payload: AgreementIn):
    actor = _actor(request)
    data = payload.model_dump()
    jurisdiction = _reference(core_access.managed_jurisdictions(actor), data["jurisdiction"], "jurisdiction")
    orgs, units = _parties(actor, data["party_organisations"], data["party_jurisdictions"])
    _check_dates(data)
    agreement = services.agreement_save(
        actor=actor,
        agreement=None,
        values={"jurisdiction": jurisdiction, **{name: data[name] for name in services.AGREEMENT_VALUE_FIELDS}},
        organisations=orgs,
        jurisdictions=units,
    )
    return Status(201, core_access.get_visible_or_404(_agreements(actor), pk=agreement.pk))


@router.patch("/agreements/{uuid}", response={200: AgreementOut, **errors(403, 404, 409, 422)})
@requires("exchange.agreements")
def agreement_update(request: HttpRequest, uuid: UUID, payload: AgreementPatch):
    """Change an agreement registered at a unit you coordinate; the parties, when given, replace the old ones."""
    actor = _actor(request)
    agreement = core_access.get_visible_or_404(_agreements(actor), uuid=uuid)
    core_access.require_rank(actor, agreement.jurisdiction, core_access.COORDINATOR_RANK)
    values = payload.model_dump(exclude_unset=True)
    version = values.pop("version")
    require_values(values, "title", "legal_basis", "categories", "retention", "contact", "valid_from")
    # Parties left out keep their records as they are (even one archived since); given ones are resolved.
    orgs: list[Any] = list(agreement.party_organisations.all())
    units: list[Any] = list(agreement.party_jurisdictions.all())
    if values.get("party_organisations") is not None:
        orgs = [
            _reference(access.addressable_organisations(actor), u, "party_organisations")
            for u in values["party_organisations"]
        ]
    if values.get("party_jurisdictions") is not None:
        units = [
            _reference(access.addressable_jurisdictions(actor), u, "party_jurisdictions")
            for u in values["party_jurisdictions"]
        ]
    values.pop("party_organisations", None)
    values.pop("party_jurisdictions", None)
    _require_a_party(orgs, units)
    _check_dates({"valid_from": agreement.valid_from, "valid_to": agreement.valid_to, **values})
    services.agreement_save(
        actor=actor,
        agreement=agreement,
        values=values,
        organisations=orgs,
        jurisdictions=units,
        expected_version=version,
    )
    return core_access.get_visible_or_404(_agreements(actor), uuid=uuid)
