"""The shared kit of every app's API: error schemas, the request base, the page, references
and the helpers that resolve the actor and the records a body names."""

import datetime as dt
import functools
import json
import typing
from typing import Any
from uuid import UUID

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Schema
from ninja.errors import HttpError
from ninja.pagination import LimitOffsetPagination
from pydantic import ConfigDict, ValidationInfo, field_validator

from .. import access
from ..models import User
from ..pagination import capped_count

MAX_PAGE_SIZE = 200
DEFAULT_PAGE_SIZE = 50
# An offset past this is refused (422), not passed to the database (where 2^63 overflows).
MAX_OFFSET = 2**31 - 1


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


def _actor(request: HttpRequest) -> User:
    return request.auth  # type: ignore[attr-defined,return-value]


def require_values(values: dict[str, Any], *names: str) -> None:
    """A PATCH body may leave a required field out, never send it as null: 422 on that field."""
    for name in names:
        if name in values and values[name] is None:
            raise ValidationError({name: _("This field cannot be empty.")})


def managed_record(actor: User, records: QuerySet, uuid: UUID) -> Any:
    """A directory record (organisation, person) the actor may see, and may manage as a coordinator
    of its jurisdiction: 404 when it is not visible, 403 when it is visible but not theirs to manage."""
    record = access.get_visible_or_404(records, uuid=uuid)
    access.require_rank(actor, record.jurisdiction, access.COORDINATOR_RANK)
    return record


def set_archived(
    request: HttpRequest,
    uuid: UUID,
    archived: bool,
    records: typing.Callable[[User], QuerySet],
    archive: typing.Callable[..., Any],
    field: str,
) -> Any:
    """Archive or restore a directory record through its service (``archive(actor=…, <field>=record,
    archived=…)``); the answer is the record as the actor now sees it."""
    actor = _actor(request)
    record = managed_record(actor, records(actor), uuid)
    archive(actor=actor, archived=archived, **{field: record})
    return access.get_visible_or_404(records(actor), pk=record.pk)


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
