"""Jurisdictions and organisations of the directory."""

import datetime as dt
from typing import Any, Literal
from uuid import UUID

from django.db.models import Q, QuerySet
from django.http import HttpRequest
from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate
from ninja.responses import Status

from .. import access, selectors, services
from ..models import JurisdictionKind, Sector, User
from ..permissions import requires
from .common import (
    InSchema,
    JurisdictionRef,
    OrganisationRef,
    Pagination,
    _actor,
    _check_date_range,
    _reference,
    _within,
    errors,
    managed_record,
    set_archived,
)

jurisdictions = Router(tags=["jurisdictions"])

# services.LOCAL_KINDS as a static type for the schema (a test keeps the two equal).
LocalKind = Literal["city", "district", "municipality", "other"]


class JurisdictionOut(Schema):
    uuid: UUID
    name: str
    kind: JurisdictionKind
    level_name: str
    iso_code: str | None
    depth: int
    parent: JurisdictionRef | None
    valid_from: dt.date | None
    valid_to: dt.date | None
    version: int
    created_at: dt.datetime
    updated_at: dt.datetime


class JurisdictionFilters(Schema):
    q: str | None = Field(None, max_length=100, description="Name, local level name or exact ISO code.")
    within: UUID | None = Field(None, description="Only this unit and everything below it.")
    depth: int | None = Field(None, ge=0, le=20, description="Only units at this depth (0 = root).")


class JurisdictionChildIn(InSchema):
    name: str = Field(min_length=1, max_length=200)
    kind: LocalKind
    level_name: str = Field("", max_length=60)
    valid_from: dt.date | None = None


class JurisdictionPatch(InSchema):
    version: int = Field(ge=1, description="The version you loaded; a stale one is refused with 409.")
    name: str = Field(None, min_length=1, max_length=200)
    level_name: str = Field(None, max_length=60)
    valid_from: dt.date | None = None
    valid_to: dt.date | None = None


def _jurisdictions(actor: User) -> QuerySet:
    return access.visible_jurisdictions(actor).select_related("parent")


@jurisdictions.get("", response={200: list[JurisdictionOut], **errors(404, 422)})
@paginate(Pagination)
@requires("directory.view")
def jurisdiction_list(request: HttpRequest, filters: Query[JurisdictionFilters]):
    """Jurisdictions you can see, in tree order."""
    actor = _actor(request)
    qs = _jurisdictions(actor)
    if filters.q:
        term = filters.q.strip()
        qs = qs.filter(Q(name__icontains=term) | Q(level_name__icontains=term) | Q(iso_code__iexact=term))
    node = _within(actor, filters.within)
    if node is not None:
        qs = qs.filter(path__startswith=node.path)
    if filters.depth is not None:
        qs = qs.filter(depth=filters.depth)
    return qs


@jurisdictions.get("/{uuid}", response={200: JurisdictionOut, **errors(404, 422)})
@requires("directory.view")
def jurisdiction_detail(request: HttpRequest, uuid: UUID):
    return access.get_visible_or_404(_jurisdictions(_actor(request)), uuid=uuid)


@jurisdictions.post("/{uuid}/children", response={201: JurisdictionOut, **errors(400, 403, 404, 422)})
@requires("directory.manage")
def jurisdiction_add_child(request: HttpRequest, uuid: UUID, payload: JurisdictionChildIn):
    """Add a local unit (city, district, municipality, other) below a unit you coordinate."""
    actor = _actor(request)
    parent = access.get_visible_or_404(_jurisdictions(actor), uuid=uuid)
    access.require_rank(actor, parent, access.COORDINATOR_RANK)
    node = services.jurisdiction_create(actor=actor, parent=parent, **payload.model_dump())
    return Status(201, node)


@jurisdictions.patch("/{uuid}", response={200: JurisdictionOut, **errors(400, 403, 404, 409, 422)})
@requires("directory.manage")
def jurisdiction_update(request: HttpRequest, uuid: UUID, payload: JurisdictionPatch):
    actor = _actor(request)
    node = access.get_visible_or_404(_jurisdictions(actor), uuid=uuid)
    access.require_rank(actor, node, access.COORDINATOR_RANK)
    values = payload.model_dump(exclude_unset=True)
    version = values.pop("version")
    _check_date_range(values.get("valid_from", node.valid_from), values.get("valid_to", node.valid_to), "valid_to")
    services.jurisdiction_update(actor=actor, jurisdiction=node, expected_version=version, **values)
    return access.get_visible_or_404(_jurisdictions(actor), pk=node.pk)


organisations = Router(tags=["organisations"])


class OrganisationOut(Schema):
    uuid: UUID
    name: str
    sector: Sector
    jurisdiction: JurisdictionRef
    parent: OrganisationRef | None = Field(description="Null when there is none or you may not open it.")
    description: str
    website: str
    email: str
    phone: str
    address: str
    archived_at: dt.datetime | None
    version: int
    created_at: dt.datetime
    updated_at: dt.datetime

    @staticmethod
    def resolve_parent(obj: Any) -> Any:
        return obj.parent if getattr(obj, "parent_visible", False) else None


class OrganisationFilters(Schema):
    q: str | None = Field(None, max_length=100, description="Part of the name.")
    sector: Sector | None = None
    within: UUID | None = Field(None, description="Only organisations in this unit or below.")
    archived: bool = Field(False, description="true: only archived organisations; false (default): only active.")


class OrganisationIn(InSchema):
    name: str = Field(min_length=1, max_length=200)
    sector: Sector
    jurisdiction: UUID
    parent: UUID | None = None
    description: str = Field("", max_length=5000)
    website: str = Field("", max_length=200)
    email: str = Field("", max_length=254)
    phone: str = Field("", max_length=40)
    address: str = Field("", max_length=300)


class OrganisationPatch(InSchema):
    version: int = Field(ge=1, description="The version you loaded; a stale one is refused with 409.")
    name: str = Field(None, min_length=1, max_length=200)
    sector: Sector = None
    jurisdiction: UUID = None
    parent: UUID | None = None
    description: str = Field(None, max_length=5000)
    website: str = Field(None, max_length=200)
    email: str = Field(None, max_length=254)
    phone: str = Field(None, max_length=40)
    address: str = Field(None, max_length=300)


def _organisations(actor: User) -> QuerySet:
    """Organisations the actor may open, each knowing whether the actor may open its parent."""
    return selectors.with_parent_visible(actor, access.visible_organisations(actor, include_archived=True))


def _organisation_values(actor: User, data: dict[str, Any]) -> dict[str, Any]:
    """Body values with UUID references turned into visible records."""
    if "jurisdiction" in data:
        data["jurisdiction"] = _reference(access.visible_jurisdictions(actor), data["jurisdiction"], "jurisdiction")
    if "parent" in data:
        data["parent"] = _reference(access.visible_organisations(actor), data["parent"], "parent")
    return data


@organisations.get("", response={200: list[OrganisationOut], **errors(404, 422)})
@paginate(Pagination)
@requires("directory.view")
def organisation_list(request: HttpRequest, filters: Query[OrganisationFilters]):
    """Organisations in your jurisdictions, by name."""
    actor = _actor(request)
    qs = _organisations(actor).filter(archived_at__isnull=not filters.archived)
    if filters.q:
        qs = qs.filter(name__icontains=filters.q.strip())
    if filters.sector:
        qs = qs.filter(sector=filters.sector)
    node = _within(actor, filters.within)
    if node is not None:
        qs = qs.filter(jurisdiction__path__startswith=node.path)
    return qs.order_by("name", "id")


@organisations.get("/{uuid}", response={200: OrganisationOut, **errors(404, 422)})
@requires("directory.view")
def organisation_detail(request: HttpRequest, uuid: UUID):
    return access.get_visible_or_404(_organisations(_actor(request)), uuid=uuid)


@organisations.post("", response={201: OrganisationOut, **errors(400, 403, 422)})
@requires("directory.manage")
def organisation_create(request: HttpRequest, payload: OrganisationIn):
    actor = _actor(request)
    data = _organisation_values(actor, payload.model_dump())
    jurisdiction = data.pop("jurisdiction")
    access.require_rank(actor, jurisdiction, access.COORDINATOR_RANK)
    org = services.organisation_create(actor=actor, jurisdiction=jurisdiction, **data)
    return Status(201, access.get_visible_or_404(_organisations(actor), pk=org.pk))


@organisations.patch("/{uuid}", response={200: OrganisationOut, **errors(400, 403, 404, 409, 422)})
@requires("directory.manage")
def organisation_update(request: HttpRequest, uuid: UUID, payload: OrganisationPatch):
    actor = _actor(request)
    org = managed_record(actor, _organisations(actor), uuid)
    values = payload.model_dump(exclude_unset=True)
    version = values.pop("version")
    values = _organisation_values(actor, values)
    if "jurisdiction" in values:
        access.require_rank(actor, values["jurisdiction"], access.COORDINATOR_RANK)
    services.organisation_update(actor=actor, organisation=org, expected_version=version, **values)
    return access.get_visible_or_404(_organisations(actor), pk=org.pk)


@organisations.post("/{uuid}/archive", response={200: OrganisationOut, **errors(403, 404, 422)})
@requires("directory.manage")
def organisation_archive(request: HttpRequest, uuid: UUID):
    """Archive an organisation (it leaves lists; its history stays)."""
    return set_archived(request, uuid, True, _organisations, services.organisation_archive, "organisation")


@organisations.post("/{uuid}/restore", response={200: OrganisationOut, **errors(403, 404, 422)})
@requires("directory.manage")
def organisation_restore(request: HttpRequest, uuid: UUID):
    return set_archived(request, uuid, False, _organisations, services.organisation_archive, "organisation")
