"""The core app's JSON API: jurisdictions, organisations, people, roles, ``/me``.

Mounted by :mod:`tandem.api` under ``/api/v1/``. Every endpoint:

* takes the actor from ``request.auth`` (a personal API token; the global auth
  default of the API refuses anything else with 401);
* reads only through :mod:`tandem.core.access` (scoped querysets,
  ``get_visible_or_404``) and writes only through :mod:`tandem.core.services`;
* answers an object outside the actor's jurisdictions exactly like a missing one
  (404 ``{"detail": "Not found."}``) and too little role inside them with 403.

Identifiers in paths and bodies are UUIDs. Request schemas forbid unknown fields.
References in a body (``jurisdiction``, ``parent``, ``organisation``) that the
actor cannot see are answered with 422 on that field, with the same message
whether the record is missing or out of scope.
"""

import datetime as dt
import functools
import json
import typing
from typing import Any, Literal
from uuid import UUID

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import F, Q, QuerySet
from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema
from ninja.errors import HttpError
from ninja.pagination import LimitOffsetPagination, paginate
from ninja.responses import Status
from pydantic import ConfigDict, ValidationInfo, field_validator

from . import access, selectors, services
from .models import JurisdictionKind, Role, Sector, User
from .pagination import capped_count
from .permissions import requires
from .security import client_ip

MAX_PAGE_SIZE = 200
DEFAULT_PAGE_SIZE = 50
# An offset past this is refused (422), not passed to the database (where 2^63 overflows).
MAX_OFFSET = 2**31 - 1


# --- Shared schemas ----------------------------------------------------------------


class ErrorOut(Schema):
    detail: str


class ValidationErrorOut(Schema):
    detail: str
    errors: dict[str, list[str]] = Field(description="Messages per field; '__all__' for the record as a whole.")


class ChangedValue(Schema):
    at_your_version: Any = None
    now: Any = None


class ConflictOut(Schema):
    detail: str
    current_version: int
    changed_fields: list[str]
    changed: dict[str, ChangedValue]


_ERROR_SCHEMAS: dict[int, type[Schema]] = {
    400: ErrorOut,
    401: ErrorOut,
    403: ErrorOut,
    404: ErrorOut,
    409: ConflictOut,
    422: ValidationErrorOut,
}


def errors(*codes: int) -> dict[int, type[Schema]]:
    """Documented error answers of an operation (the handlers in tandem.api produce them)."""
    return {code: _ERROR_SCHEMAS[code] for code in (401, *codes)}


class InSchema(Schema):
    """Base of every request body: unknown fields are a 422, strings are stripped, and dates and
    times are ISO 8601 strings only (a number is not read as seconds since 1970)."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    @field_validator("*", mode="before")
    @classmethod
    def _dates_are_strings(cls, value: Any, info: ValidationInfo) -> Any:
        if isinstance(value, int | float) and not isinstance(value, bool) and info.field_name in _date_fields(cls):
            raise ValueError("Give a date as text in ISO 8601 form (YYYY-MM-DD), not a number.")
        return value


@functools.cache
def _date_fields(schema: type) -> frozenset[str]:
    """The fields of ``schema`` typed as a date or a date and time (optional or not)."""

    def is_date(annotation: Any) -> bool:
        if annotation in (dt.date, dt.datetime):
            return True
        return any(is_date(arg) for arg in typing.get_args(annotation))

    return frozenset(name for name, field in schema.model_fields.items() if is_date(field.annotation))


class Pagination(LimitOffsetPagination):
    """``limit`` (1–200, default 50) and ``offset``; answers ``{"items": [...], "count": n,
    "count_is_capped": bool}``.

    Like the pages (``CappedPaginator``), the count stops: at ``TANDEM_COUNT_CAP`` rows, or at the end
    of the requested page when that lies further, so a long list is never counted whole.
    """

    class Input(Schema):
        limit: int = Field(DEFAULT_PAGE_SIZE, ge=1, le=MAX_PAGE_SIZE, description="Page size (at most 200).")
        offset: int = Field(0, ge=0, le=MAX_OFFSET, description="Number of items to skip.")

    class Output(Schema):
        items: list[Any]
        count: int = Field(
            description="Number of items, counted up to the larger of the count cap (1,000 by default) and "
            "the end of this page: exact when count_is_capped is false."
        )
        count_is_capped: bool = Field(
            description="True when there are more items than count says (the count stopped at its cap)."
        )

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(max_limit=MAX_PAGE_SIZE, **kwargs)

    def paginate_queryset(self, queryset: Any, pagination: Any, request: HttpRequest, **params: Any) -> Any:
        offset = pagination.offset
        limit = min(pagination.limit, self.max_limit)
        count, capped = capped_count(queryset, max(settings.TANDEM_COUNT_CAP, offset + limit))
        return {self.items_attribute: queryset[offset : offset + limit], "count": count, "count_is_capped": capped}


class JurisdictionRef(Schema):
    uuid: UUID
    name: str


class OrganisationRef(Schema):
    uuid: UUID
    name: str


class UserRef(Schema):
    uuid: UUID
    username: str
    full_name: str

    @staticmethod
    def resolve_full_name(obj: User) -> str:
        return obj.get_full_name()


# --- Helpers -----------------------------------------------------------------------


def _actor(request: HttpRequest) -> User:
    return request.auth  # type: ignore[attr-defined,return-value]


def require_values(values: dict[str, Any], *names: str) -> None:
    """A PATCH body may leave a required field out, never send it as null: 422 on that field."""
    for name in names:
        if name in values and values[name] is None:
            raise ValidationError({name: _("This field cannot be empty.")})


def _reference(queryset: QuerySet, uuid: UUID | None, field: str) -> Any:
    """A record named in a request body, from an already scoped queryset.

    Missing and out-of-scope give the same 422 on ``field``.
    """
    if uuid is None:
        return None
    try:
        return access.get_visible_or_404(queryset, uuid=uuid)
    except Http404:
        raise ValidationError({field: _("Not found.")}) from None


def _within(actor: User, uuid: UUID | None) -> Any:
    """A ``within`` filter: a visible jurisdiction, or 404 (missing and out of scope alike)."""
    if uuid is None:
        return None
    return access.get_visible_or_404(access.visible_jurisdictions(actor), uuid=uuid)


def _check_date_range(start: dt.date | None, end: dt.date | None, field: str) -> None:
    """The model's date-range constraint, as a message on the field (not the constraint's name)."""
    if start is not None and end is not None and end < start:
        raise ValidationError({field: _("The end date cannot be before the start date.")})


# --- Jurisdictions -------------------------------------------------------------------

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


# --- Organisations -------------------------------------------------------------------

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
    org = access.get_visible_or_404(_organisations(actor), uuid=uuid)
    access.require_rank(actor, org.jurisdiction, access.COORDINATOR_RANK)
    values = payload.model_dump(exclude_unset=True)
    version = values.pop("version")
    values = _organisation_values(actor, values)
    if "jurisdiction" in values:
        access.require_rank(actor, values["jurisdiction"], access.COORDINATOR_RANK)
    services.organisation_update(actor=actor, organisation=org, expected_version=version, **values)
    return access.get_visible_or_404(_organisations(actor), pk=org.pk)


def _set_organisation_archived(request: HttpRequest, uuid: UUID, archived: bool) -> Any:
    actor = _actor(request)
    org = access.get_visible_or_404(_organisations(actor), uuid=uuid)
    access.require_rank(actor, org.jurisdiction, access.COORDINATOR_RANK)
    services.organisation_archive(actor=actor, organisation=org, archived=archived)
    return access.get_visible_or_404(_organisations(actor), pk=org.pk)


@organisations.post("/{uuid}/archive", response={200: OrganisationOut, **errors(403, 404, 422)})
@requires("directory.manage")
def organisation_archive(request: HttpRequest, uuid: UUID):
    """Archive an organisation (it leaves lists; its history stays)."""
    return _set_organisation_archived(request, uuid, True)


@organisations.post("/{uuid}/restore", response={200: OrganisationOut, **errors(403, 404, 422)})
@requires("directory.manage")
def organisation_restore(request: HttpRequest, uuid: UUID):
    return _set_organisation_archived(request, uuid, False)


# --- People --------------------------------------------------------------------------

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
    person = access.get_visible_or_404(_people(actor), uuid=uuid)
    access.require_rank(actor, person.jurisdiction, access.COORDINATOR_RANK)
    values = payload.model_dump(exclude_unset=True)
    version = values.pop("version")
    if "jurisdiction" in values:
        values["jurisdiction"] = _reference(access.visible_jurisdictions(actor), values["jurisdiction"], "jurisdiction")
        access.require_rank(actor, values["jurisdiction"], access.COORDINATOR_RANK)
    services.person_update(actor=actor, person=person, expected_version=version, **values)
    return access.get_visible_or_404(_people(actor), pk=person.pk)


def _set_person_archived(request: HttpRequest, uuid: UUID, archived: bool) -> Any:
    actor = _actor(request)
    person = access.get_visible_or_404(_people(actor), uuid=uuid)
    access.require_rank(actor, person.jurisdiction, access.COORDINATOR_RANK)
    services.person_archive(actor=actor, person=person, archived=archived)
    return access.get_visible_or_404(_people(actor), pk=person.pk)


@people.post("/{uuid}/archive", response={200: PersonOut, **errors(403, 404, 422)})
@requires("directory.manage")
def person_archive(request: HttpRequest, uuid: UUID):
    return _set_person_archived(request, uuid, True)


@people.post("/{uuid}/restore", response={200: PersonOut, **errors(403, 404, 422)})
@requires("directory.manage")
def person_restore(request: HttpRequest, uuid: UUID):
    return _set_person_archived(request, uuid, False)


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
    person = access.get_visible_or_404(_people(actor), uuid=uuid)
    access.require_rank(actor, person.jurisdiction, access.COORDINATOR_RANK)
    data = payload.model_dump()
    _check_date_range(data["start_date"], data["end_date"], "end_date")
    organisation = _reference(access.visible_organisations(actor), data.pop("organisation"), "organisation")
    affiliation = services.affiliation_create(actor=actor, person=person, organisation=organisation, **data)
    return Status(201, affiliation)


# --- Role assignments ------------------------------------------------------------------

roles = Router(tags=["role assignments"])


class RoleAssignmentOut(Schema):
    uuid: UUID
    user: UserRef
    role: Role
    jurisdiction: JurisdictionRef
    organisation: OrganisationRef | None
    granted_by: UserRef | None
    created_at: dt.datetime
    revoked_at: dt.datetime | None


class RoleAssignmentFilters(Schema):
    status: Literal["active", "revoked", "all"] = "active"
    within: UUID | None = Field(None, description="Only grants at this unit or below.")


class RoleGrantIn(InSchema):
    username: str = Field(min_length=1, max_length=150)
    role: Role
    jurisdiction: UUID
    organisation: UUID | None = Field(None, description="The organisation the person acts for, if any.")


def _role_assignments(actor: User) -> QuerySet:
    return access.visible_role_assignments(actor)


@roles.get("", response={200: list[RoleAssignmentOut], **errors(404, 422)})
@paginate(Pagination)
@requires("signed_in")
def role_assignment_list(request: HttpRequest, filters: Query[RoleAssignmentFilters]):
    """Coordinators see the grants in their subtree; everyone sees their own."""
    actor = _actor(request)
    qs = _role_assignments(actor)
    if filters.status == "active":
        qs = qs.filter(revoked_at__isnull=True)
    elif filters.status == "revoked":
        qs = qs.filter(revoked_at__isnull=False)
    node = _within(actor, filters.within)
    if node is not None:
        qs = qs.filter(jurisdiction__path__startswith=node.path)
    return qs.order_by("jurisdiction__path", "role", "id")


@roles.post("", response={201: RoleAssignmentOut, **errors(400, 403, 422)})
@requires("roles.manage")
def role_assignment_grant(request: HttpRequest, payload: RoleGrantIn):
    """Grant a role at a unit. You may grant only roles below your own there."""
    actor = _actor(request)
    jurisdiction = _reference(access.visible_jurisdictions(actor), payload.jurisdiction, "jurisdiction")
    if payload.role not in access.assignable_roles(actor, jurisdiction):
        raise PermissionDenied
    # Looked up only after the permission check, so the API tells nobody else which accounts exist.
    user = selectors.active_user_by_username(payload.username)
    if user is None:
        raise ValidationError({"username": _("There is no active account with this username.")})
    organisation = _reference(access.visible_organisations(actor), payload.organisation, "organisation")
    assignment = services.role_grant(
        actor=actor, user=user, role=payload.role, jurisdiction=jurisdiction, organisation=organisation
    )
    return Status(201, access.get_visible_or_404(_role_assignments(actor), pk=assignment.pk))


@roles.post("/{uuid}/revoke", response={200: RoleAssignmentOut, **errors(403, 404, 422)})
@requires("signed_in")
def role_assignment_revoke(request: HttpRequest, uuid: UUID):
    actor = _actor(request)
    assignment = access.get_visible_or_404(_role_assignments(actor), uuid=uuid)
    if assignment.role not in access.assignable_roles(actor, assignment.jurisdiction):
        raise PermissionDenied
    services.role_revoke(actor=actor, assignment=assignment)
    return access.get_visible_or_404(_role_assignments(actor), pk=assignment.pk)


# --- Me ----------------------------------------------------------------------------------

me = Router(tags=["me"])


class GrantOut(Schema):
    role: Role
    jurisdiction: JurisdictionRef


class MeOut(Schema):
    uuid: UUID
    username: str
    full_name: str
    email: str
    language: str
    is_administrator: bool
    grants: list[GrantOut]


@me.get("/me", response={200: MeOut, **errors()})
@requires("signed_in")
def me_detail(request: HttpRequest):
    """The account behind the token, with its active role grants."""
    actor = _actor(request)
    my_grants = access.grants(actor)
    return {
        "uuid": actor.uuid,
        "username": actor.get_username(),
        "full_name": actor.get_full_name(),
        "email": actor.email,
        "language": actor.language,
        "is_administrator": access.is_admin(actor),
        "grants": [
            {"role": g.role, "jurisdiction": {"uuid": g.jurisdiction_uuid, "name": g.jurisdiction_name}}
            for g in my_grants
        ],
    }


ROUTERS: list[tuple[str, Router]] = [
    ("/jurisdictions", jurisdictions),
    ("/organisations", organisations),
    ("/people", people),
    ("/role-assignments", roles),
    ("", me),
]


def refuse_json_body(request: HttpRequest) -> None:
    """For an upload operation (multipart/form-data): a JSON body is refused like on every other
    operation (malformed: 400, too large: 413 when read, otherwise 422 naming its fields). Call it
    first, before looking up the record."""
    if request.content_type == "multipart/form-data":
        return
    raw = request.body  # RequestDataTooBig (413) past DATA_UPLOAD_MAX_MEMORY_SIZE
    if not raw.strip():
        return
    message = _("Send the file as multipart/form-data, in the field “file”.")
    if request.content_type == "application/json":
        try:
            data = json.loads(raw)
        except ValueError:
            raise HttpError(400, "Cannot parse request body") from None
        if isinstance(data, dict) and data:
            raise ValidationError({str(key): [message] for key in data})
    raise ValidationError({"file": [message]})
