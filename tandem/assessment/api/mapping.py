"""Mapping exercises of a country or region: strengths and obstacles tagged with a competency,
places and evidence."""

from uuid import UUID

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema
from ninja.pagination import paginate
from ninja.responses import Status as Reply

from tandem.assessment.permissions import requires
from tandem.core import access as core_access
from tandem.core.api import InSchema, JurisdictionRef, Pagination, _actor, _reference, errors

from .. import access, selectors, services
from ..models import EntryKind

router = Router(tags=["assessment"])


class MappingOut(Schema):
    uuid: UUID
    jurisdiction: JurisdictionRef
    title: str
    lead: str
    expert: str | None
    desk_review: str
    report: str
    version: int

    @staticmethod
    def resolve_lead(obj) -> str:
        return str(obj.lead)

    @staticmethod
    def resolve_expert(obj) -> str | None:
        return str(obj.expert) if obj.expert_id else None


class MappingEntryOut(Schema):
    uuid: UUID
    kind: str
    competency: str
    places: list[JurisdictionRef]
    text: str
    evidence: str

    @staticmethod
    def resolve_competency(obj) -> str:
        return obj.competency.code

    @staticmethod
    def resolve_places(obj) -> list:
        return list(obj.places.all())  # access-ok: jurisdictions are read by every role (names only)


class MappingDetailOut(MappingOut):
    strengths: list[MappingEntryOut]
    obstacles: list[MappingEntryOut]


class MappingIn(InSchema):
    jurisdiction: UUID = Field(description="A country or region where you may run a mapping.")
    title: str = Field(min_length=1, max_length=200)


class MappingEntryIn(InSchema):
    kind: EntryKind
    competency: str = Field(max_length=30, description="A competency code of Tandem's framework.")
    text: str = Field(min_length=1, max_length=4000)
    evidence: str = Field("", max_length=4000)
    places: list[UUID] = Field(default_factory=list, max_length=100, description="Places inside the mapped area.")


def _mapping(actor, uuid: UUID):
    return core_access.get_visible_or_404(access.visible_mappings(actor), uuid=uuid)


@router.get("/mappings", response={200: list[MappingOut], **errors(422)})
@paginate(Pagination)
@requires("assessment.view")
def mapping_list(request: HttpRequest):
    """Mapping exercises you run, or of the country or region you coordinate."""
    return access.visible_mappings(_actor(request)).order_by("-created_at", "id")


@router.post("/mappings", response={201: MappingOut, **errors(403, 422)})
@requires("assessment.map")
def mapping_create(request: HttpRequest, payload: MappingIn):
    actor = _actor(request)
    places = access.mappable_jurisdictions(actor)
    if not places.exists():
        raise PermissionDenied
    place = _reference(places, payload.jurisdiction, "jurisdiction")
    return Reply(201, services.mapping_create(actor=actor, jurisdiction=place, title=payload.title))


@router.get("/mappings/{uuid}", response={200: MappingDetailOut, **errors(404)})
@requires("assessment.view")
def mapping_detail(request: HttpRequest, uuid: UUID):
    """The exercise with its strengths and obstacles."""
    actor = _actor(request)
    exercise = _mapping(actor, uuid)
    entries = list(
        access.visible_mapping_entries(actor).filter(exercise=exercise).prefetch_related("places").order_by("id")
    )
    exercise.strengths = [e for e in entries if e.kind == EntryKind.STRENGTH]
    exercise.obstacles = [e for e in entries if e.kind == EntryKind.OBSTACLE]
    return exercise


@router.post("/mappings/{uuid}/entries", response={201: MappingEntryOut, **errors(403, 404, 422)})
@requires("assessment.map")
def mapping_entry_add(request: HttpRequest, uuid: UUID, payload: MappingEntryIn):
    """A strength or an obstacle, tagged with a competency and places inside the mapped area."""
    actor = _actor(request)
    exercise = _mapping(actor, uuid)
    access.require_run_mapping(actor, exercise)
    competency = next(
        (c for c in selectors.competencies(services.tandem_framework()) if c.code == payload.competency), None
    )
    if competency is None:
        raise ValidationError({"competency": [_("This competency is not in the framework.")]})
    inside = core_access.visible_jurisdictions(actor).filter(path__startswith=exercise.jurisdiction.path)
    places = [_reference(inside, place, "places") for place in payload.places]
    return Reply(
        201,
        services.mapping_entry_add(
            actor=actor,
            exercise=exercise,
            kind=payload.kind,
            competency=competency,
            text=payload.text,
            evidence=payload.evidence,
            places=places,
        ),
    )
