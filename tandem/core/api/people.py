"""People of the directory and their affiliations."""

import datetime as dt
from typing import Any
from uuid import UUID

from django.db.models import F, QuerySet
from django.http import HttpRequest
from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate
from ninja.responses import Status

from .. import access, services
from ..models import User
from ..permissions import requires
from ..security import client_ip
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

people = Router(tags=["people"])


class PersonOut(Schema):
    uuid: UUID
    full_name: str
    jurisdiction: JurisdictionRef
    contact_visible: bool = Field(description="False when e-mail and phone are withheld from you (they are null).")
    email: str | None
    phone: str | None
    notes: str
    archived_at: dt.datetime | None
    version: int
    created_at: dt.datetime
    updated_at: dt.datetime

    @staticmethod
    def resolve_contact_visible(obj: Any) -> bool:
        return bool(getattr(obj, "contact_visible", False))

    @staticmethod
    def resolve_email(obj: Any) -> str | None:
        return obj.email if getattr(obj, "contact_visible", False) else None

    @staticmethod
    def resolve_phone(obj: Any) -> str | None:
        return obj.phone if getattr(obj, "contact_visible", False) else None


class PersonFilters(Schema):
    q: str | None = Field(None, max_length=100, description="Part of the name.")
    within: UUID | None = Field(None, description="Only people in this unit or below.")
    archived: bool = Field(False, description="true: only archived people; false (default): only active.")


class PersonIn(InSchema):
    full_name: str = Field(min_length=1, max_length=200)
    jurisdiction: UUID
    email: str = Field("", max_length=254)
    phone: str = Field("", max_length=40)
    notes: str = Field("", max_length=2000)


class PersonPatch(InSchema):
    version: int = Field(ge=1, description="The version you loaded; a stale one is refused with 409.")
    full_name: str = Field(None, min_length=1, max_length=200)
    jurisdiction: UUID = None
    email: str = Field(None, max_length=254)
    phone: str = Field(None, max_length=40)
    notes: str = Field(None, max_length=2000)


class AffiliationOut(Schema):
    uuid: UUID
    organisation: OrganisationRef
    jurisdiction: JurisdictionRef
    title: str
    start_date: dt.date | None
    end_date: dt.date | None
    version: int


class AffiliationIn(InSchema):
    organisation: UUID
    title: str = Field("", max_length=200)
    start_date: dt.date | None = None
    end_date: dt.date | None = None


def _people(actor: User) -> QuerySet:
    return access.visible_people(actor, include_archived=True)


@people.get("", response={200: list[PersonOut], **errors(404, 422)})
@paginate(Pagination)
@requires("directory.view")
def person_list(request: HttpRequest, filters: Query[PersonFilters]):
    """People in your jurisdictions. E-mail and phone are null unless you may see them.

    A list that carries someone else's contact details is recorded in the audit log as one read
    (with how many people's details it may show and its filters), like an export."""
    actor = _actor(request)
    qs = _people(actor).filter(archived_at__isnull=not filters.archived)
    if filters.q:
        qs = qs.filter(full_name__icontains=filters.q.strip())
    node = _within(actor, filters.within)
    if node is not None:
        qs = qs.filter(jurisdiction__path__startswith=node.path)
    with_contact = qs.filter(contact_visible=True).exclude(user_id=actor.pk).exclude(email="", phone="").count()
    if with_contact:
        services.audit_read(
            actor=actor,
            what="people_list",
            count=with_contact,
            filters={"q": filters.q, "within": filters.within, "archived": filters.archived or ""},
            jurisdiction=node,
            ip_address=client_ip(request),
        )
    return qs.order_by("full_name", "id")


@people.get("/{uuid}", response={200: PersonOut, **errors(404, 422)})
@requires("directory.view")
def person_detail(request: HttpRequest, uuid: UUID):
    """A person. E-mail and phone are null unless you coordinate their jurisdiction (or are them).

    Reading someone else's contact details is recorded in the audit log."""
    actor = _actor(request)
    person = access.get_visible_or_404(_people(actor), uuid=uuid)
    if person.contact_visible:
        services.person_contact_read(actor=actor, person=person, ip_address=client_ip(request))
    return person


@people.post("", response={201: PersonOut, **errors(400, 403, 422)})
@requires("directory.manage")
def person_create(request: HttpRequest, payload: PersonIn):
    actor = _actor(request)
    data = payload.model_dump()
    jurisdiction = _reference(access.visible_jurisdictions(actor), data.pop("jurisdiction"), "jurisdiction")
    access.require_rank(actor, jurisdiction, access.COORDINATOR_RANK)
    person = services.person_create(actor=actor, jurisdiction=jurisdiction, **data)
    return Status(201, access.get_visible_or_404(_people(actor), pk=person.pk))


@people.patch("/{uuid}", response={200: PersonOut, **errors(400, 403, 404, 409, 422)})
@requires("directory.manage")
def person_update(request: HttpRequest, uuid: UUID, payload: PersonPatch):
    actor = _actor(request)
    person = managed_record(actor, _people(actor), uuid)
    values = payload.model_dump(exclude_unset=True)
    version = values.pop("version")
    if "jurisdiction" in values:
        values["jurisdiction"] = _reference(access.visible_jurisdictions(actor), values["jurisdiction"], "jurisdiction")
        access.require_rank(actor, values["jurisdiction"], access.COORDINATOR_RANK)
    services.person_update(actor=actor, person=person, expected_version=version, **values)
    return access.get_visible_or_404(_people(actor), pk=person.pk)


@people.post("/{uuid}/archive", response={200: PersonOut, **errors(403, 404, 422)})
@requires("directory.manage")
def person_archive(request: HttpRequest, uuid: UUID):
    return set_archived(request, uuid, True, _people, services.person_archive, "person")


@people.post("/{uuid}/restore", response={200: PersonOut, **errors(403, 404, 422)})
@requires("directory.manage")
def person_restore(request: HttpRequest, uuid: UUID):
    return set_archived(request, uuid, False, _people, services.person_archive, "person")


@people.get("/{uuid}/affiliations", response={200: list[AffiliationOut], **errors(404, 422)})
@paginate(Pagination)
@requires("directory.view")
def affiliation_list(request: HttpRequest, uuid: UUID):
    """The person's affiliations with organisations you can see: current first."""
    actor = _actor(request)
    person = access.get_visible_or_404(_people(actor), uuid=uuid)
    return (
        access.visible_affiliations(actor)
        .filter(person=person)
        .order_by(F("end_date").desc(nulls_first=True), F("start_date").desc(nulls_last=True), "id")
    )


@people.post("/{uuid}/affiliations", response={201: AffiliationOut, **errors(400, 403, 404, 422)})
@requires("directory.manage")
def affiliation_create(request: HttpRequest, uuid: UUID, payload: AffiliationIn):
    actor = _actor(request)
    person = managed_record(actor, _people(actor), uuid)
    data = payload.model_dump()
    _check_date_range(data["start_date"], data["end_date"], "end_date")
    organisation = _reference(access.visible_organisations(actor), data.pop("organisation"), "organisation")
    affiliation = services.affiliation_create(actor=actor, person=person, organisation=organisation, **data)
    return Status(201, affiliation)
