"""API of funding sources: list, read, edit (versioned). Coordinators only, as on the pages."""

import datetime as dt
from typing import Any
from uuid import UUID

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from ninja import Field, Router, Schema
from ninja.pagination import paginate

from tandem.core import access as core_access
from tandem.core.api import InSchema, JurisdictionRef, OrganisationRef, Pagination, _actor, _reference, errors
from tandem.funding.permissions import requires

from .. import access, services
from ._common import patch_values

router = Router(tags=["funding"])


class SourceOut(Schema):
    uuid: UUID
    name: str
    kind: str
    jurisdiction: JurisdictionRef
    organisation: OrganisationRef | None
    amount: str
    currency: str
    in_kind: bool
    in_kind_type: str
    in_kind_description: str
    period_start: dt.date
    period_end: dt.date
    conditions: str
    version: int

    @staticmethod
    def resolve_amount(obj: Any) -> str:
        return str(obj.amount)


class SourcePatch(InSchema):
    """The fields to change. A source's currency and its money/in-kind nature stay once a call uses
    it; its amount never falls below what awards charge to it."""

    version: int = Field(ge=1)
    name: str | None = Field(None, min_length=1, max_length=200)
    kind: str | None = None
    organisation: UUID | None = None
    amount: str | None = None
    currency: str | None = None
    in_kind: bool | None = None
    in_kind_type: str | None = None
    in_kind_description: str | None = Field(None, max_length=500)
    period_start: dt.date | None = None
    period_end: dt.date | None = None
    conditions: str | None = Field(None, max_length=5000)
    serves: list[UUID] | None = None


@router.get("/sources", response={200: list[SourceOut], **errors(403, 422)})
@paginate(Pagination)
@requires("funding.manage")
def source_list(request: HttpRequest):
    """The sources in your scope (and those above it that calls of your scope may use)."""
    return access.visible_sources(_actor(request)).order_by("name", "id")


@router.get("/sources/{uuid}", response={200: SourceOut, **errors(403, 404)})
@requires("funding.manage")
def source_detail(request: HttpRequest, uuid: UUID):
    return core_access.get_visible_or_404(access.visible_sources(_actor(request)), uuid=uuid)


@router.patch("/sources/{uuid}", response={200: SourceOut, **errors(403, 404, 409, 422)})
@requires("funding.manage")
def source_update(request: HttpRequest, uuid: UUID, payload: SourcePatch):
    """Edit a source of your jurisdiction with the version you read (stale: 409 with what changed)."""
    actor = _actor(request)
    source = core_access.get_visible_or_404(access.visible_sources(actor), uuid=uuid)
    if not access.can_open_call(actor, source.jurisdiction):
        raise PermissionDenied
    version, values, sent = patch_values(
        payload,
        (
            "name",
            "kind",
            "amount",
            "in_kind",
            "in_kind_type",
            "in_kind_description",
            "conditions",
            "period_start",
            "period_end",
        ),
        {"currency": "currency_code"},
    )
    if "organisation" in sent:
        values["organisation"] = _reference(
            core_access.visible_organisations(actor), payload.organisation, "organisation"
        )
    if "serves" in sent:
        places = core_access.visible_jurisdictions(actor)
        values["serves"] = [_reference(places, u, "serves") for u in payload.serves or []]
    return services.source_update(actor=actor, source=source, expected_version=version, **values)
