"""API of the library under ``/api/v1/library/``: the same rules as the pages.

Every item is read through :mod:`tandem.library.access`; an item the token's user may not read
answers 404 exactly like a missing one, and never appears in a search or a facet count.
"""

import datetime as dt
from typing import Literal
from uuid import UUID

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest
from ninja import Field, Query, Router, Schema
from ninja.responses import Status

from tandem.core import access as core_access
from tandem.core.api import MAX_OFFSET, InSchema, JurisdictionRef, OrganisationRef, _actor, _reference, errors
from tandem.core.files import file_response
from tandem.library.permissions import requires

from . import access, checklists, search, selectors, services

router = Router(tags=["library"])

KindValue = Literal["case_study", "guidance", "lesson", "checklist", "tool", "policy", "event_report"]
CompetencyValue = Literal["trust", "inclusivity", "coordination", "communication", "capacity", "sustainability"]
LanguageValue = Literal["en", "fr"]
VisibilityValue = Literal["clear", "green", "country", "subtree"]
SectorValue = str


class LibraryItemOut(Schema):
    uuid: UUID
    kind: str
    title: str
    summary: str
    language: str
    translation_group: UUID
    status: str
    visibility: str
    publication_date: dt.date | None
    jurisdiction: JurisdictionRef
    author_organisation: OrganisationRef | None
    version: int


class LibraryAttachmentOut(Schema):
    uuid: UUID
    original_name: str
    content_type: str
    size: int
    sha256: str


class TranslationOut(Schema):
    uuid: UUID
    language: str
    title: str


class LibraryItemDetailOut(LibraryItemOut):
    body: str = Field(description="Sanitised HTML.")
    competencies: list[str]
    sectors: list[str]
    countries: list[JurisdictionRef]
    concerns: list[JurisdictionRef]
    attachments: list[LibraryAttachmentOut]
    translations: list[TranslationOut]


class SearchFilters(Schema):
    q: str | None = Field(None, max_length=200, description="Words (English or French; stemmed per language).")
    kind: KindValue | None = None
    competency: CompetencyValue | None = None
    sector: str | None = Field(None, max_length=40)
    country: UUID | None = None
    language: LanguageValue | None = None
    year: int | None = Field(None, ge=1900, le=2200)

    def to_filters(self) -> search.Filters:
        return selectors.read_filters({k: ("" if v is None else str(v)) for k, v in self.model_dump().items()})


class FacetValue(Schema):
    value: str
    count: int
    label: str = ""


class FacetsOut(Schema):
    count: int = Field(description="Matching items you may read, at most the count cap (TANDEM_COUNT_CAP).")
    capped: bool = Field(description="More items than count: every count is over the first cap + 1 found.")
    kind: list[FacetValue]
    competency: list[FacetValue]
    sector: list[FacetValue]
    country: list[FacetValue]
    language: list[FacetValue]
    year: list[FacetValue]


class SearchHit(LibraryItemOut):
    snippet: str = Field("", description="HTML: the matching words in <mark>, everything else escaped.")

    @staticmethod
    def resolve_snippet(obj) -> str:
        return str(getattr(obj, "snippet", "") or "")


class SearchPage(Schema):
    count: int = Field(description="Matching items you may read, at most the count cap (TANDEM_COUNT_CAP).")
    capped: bool = Field(description="More items than count (the pages reach the first count).")
    items: list[SearchHit]


class PageParams(Schema):
    limit: int = Field(20, ge=1, le=100)
    offset: int = Field(0, ge=0, le=MAX_OFFSET)


class LibraryItemIn(InSchema):
    kind: KindValue
    title: str = Field(min_length=1, max_length=200)
    summary: str = Field(min_length=1, max_length=1000)
    body: str = Field("", max_length=100_000, description="Formatted text (HTML); sanitised on the way in.")
    language: LanguageValue
    visibility: VisibilityValue
    publication_date: dt.date | None = None
    author_organisation: UUID | None = None
    competencies: list[CompetencyValue] = Field(default_factory=list, max_length=6)
    sectors: list[SectorValue] = Field(default_factory=list, max_length=30)
    countries: list[UUID] = Field(default_factory=list, max_length=100)
    concerns: list[UUID] = Field(default_factory=list, max_length=100)


class ItemCreateIn(LibraryItemIn):
    jurisdiction: UUID = Field(description="The owning jurisdiction (you must be able to propose there).")
    translation_of: UUID | None = Field(None, description="An item in another language this one translates.")


class ItemPatchIn(LibraryItemIn):
    version: int = Field(ge=1)


class StepIn(InSchema):
    version: int = Field(ge=1)


class VersionOut(Schema):
    number: int
    title: str
    status: str
    created_at: dt.datetime


def _data(actor, payload: LibraryItemIn) -> services.ItemData:
    countries = selectors.country_choices()
    units = core_access.visible_jurisdictions(actor)
    return services.ItemData(
        kind=payload.kind,
        title=payload.title,
        summary=payload.summary,
        body=payload.body,
        language=payload.language,
        visibility=payload.visibility,
        publication_date=payload.publication_date,
        author_organisation=_reference(
            core_access.visible_organisations(actor), payload.author_organisation, "author_organisation"
        ),
        competencies=tuple(payload.competencies),
        sectors=tuple(payload.sectors),
        countries=tuple(_reference(countries, u, "countries") for u in payload.countries),
        concerns=tuple(_reference(units, u, "concerns") for u in payload.concerns),
    )


def _detail(actor, item) -> dict:
    facts = selectors.item_facts(actor, item)
    out = LibraryItemOut.model_validate(item, from_attributes=True).model_dump()
    return {
        **out,
        "body": item.body,
        "competencies": facts.competencies,
        "sectors": facts.sectors,
        "countries": facts.countries,
        "concerns": facts.concerns,
        "attachments": facts.attachments,
        "translations": facts.translations,
    }


@router.get("/items", response={200: SearchPage, **errors(422)})
@requires("library.read")
def item_search(request: HttpRequest, filters: Query[SearchFilters], page: Query[PageParams]):
    """Published items you may read, matching the words and filters (best match first), with
    highlighted snippets when words are given."""
    wanted = filters.to_filters()
    found = search.find(_actor(request), wanted)
    items = list(found.ranked()[page.offset : page.offset + page.limit])
    snippets = search.snippets(items, wanted) if wanted.terms else {}
    for item in items:
        item.snippet = snippets.get(item.pk, "")
    return {"count": found.total, "capped": found.capped, "items": items}


@router.get("/facets", response={200: FacetsOut, **errors(422)})
@requires("library.read")
def item_facets(request: HttpRequest, filters: Query[SearchFilters]):
    """Counts per filter value over the same search (only items you may read count)."""
    f = search.find(_actor(request), filters.to_filters()).facets()

    def rows(counts: dict) -> list[dict]:
        return [{"value": str(k), "count": n} for k, n in counts.items()]

    return {
        "count": f.total,
        "capped": f.capped,
        "kind": rows(f.kind),
        "competency": rows(f.competency),
        "sector": rows(f.sector),
        "country": [{"value": u, "label": name, "count": n} for u, name, n in f.country],
        "language": rows(f.language),
        "year": rows(f.year),
    }


@router.get("/items/{uuid}", response={200: LibraryItemDetailOut, **errors(404)})
@requires("library.read")
def item_detail(request: HttpRequest, uuid: UUID):
    actor = _actor(request)
    item = core_access.get_visible_or_404(access.visible_items(actor), uuid=uuid)
    return _detail(actor, item)


@router.post("/items", response={201: LibraryItemDetailOut, **errors(403, 422)})
@requires("library.propose")
def item_create(request: HttpRequest, payload: ItemCreateIn):
    """Propose an item: it starts as a draft."""
    actor = _actor(request)
    if not access.can_propose_anywhere(actor):
        raise PermissionDenied
    jurisdiction = _reference(core_access.visible_jurisdictions(actor), payload.jurisdiction, "jurisdiction")
    original = _reference(access.visible_items(actor), payload.translation_of, "translation_of")
    item = services.item_propose(
        actor=actor, jurisdiction=jurisdiction, data=_data(actor, payload), translation_of=original
    )
    return Status(201, _detail(actor, item))


@router.patch("/items/{uuid}", response={200: LibraryItemDetailOut, **errors(403, 404, 409, 422)})
@requires("library.propose")
def item_update(request: HttpRequest, uuid: UUID, payload: ItemPatchIn):
    actor = _actor(request)
    item = core_access.get_visible_or_404(access.visible_items(actor), uuid=uuid)
    access.require_edit(actor, item)
    item = services.item_update(actor=actor, item=item, expected_version=payload.version, data=_data(actor, payload))
    return _detail(actor, item)


def _step(request: HttpRequest, uuid: UUID, payload: StepIn, service, *, curate: bool):
    actor = _actor(request)
    item = core_access.get_visible_or_404(access.visible_items(actor), uuid=uuid)
    if curate:
        access.require_curate(actor, item)
    else:
        access.require_edit(actor, item)
    return _detail(actor, service(actor=actor, item=item, expected_version=payload.version))


@router.post("/items/{uuid}/submit", response={200: LibraryItemDetailOut, **errors(403, 404, 409, 422)})
@requires("library.propose")
def item_submit(request: HttpRequest, uuid: UUID, payload: StepIn):
    """Draft -> in review."""
    return _step(request, uuid, payload, services.item_submit, curate=False)


@router.post("/items/{uuid}/publish", response={200: LibraryItemDetailOut, **errors(403, 404, 409, 422)})
@requires("library.propose")
def item_publish(request: HttpRequest, uuid: UUID, payload: StepIn):
    """In review (or draft) -> published: curators of the item's scope."""
    return _step(request, uuid, payload, services.item_publish, curate=True)


@router.post("/items/{uuid}/return", response={200: LibraryItemDetailOut, **errors(403, 404, 409, 422)})
@requires("library.propose")
def item_return(request: HttpRequest, uuid: UUID, payload: StepIn):
    """In review or published -> draft: curators of the item's scope."""
    return _step(request, uuid, payload, services.item_return, curate=True)


@router.get("/items/{uuid}/versions", response={200: list[VersionOut], **errors(404)})
@requires("library.read")
def item_versions(request: HttpRequest, uuid: UUID):
    actor = _actor(request)
    item = core_access.get_visible_or_404(access.visible_items(actor), uuid=uuid)
    return list(selectors.item_versions(actor, item))


@router.get("/attachments/{uuid}", response={200: None, **errors(404)})
@requires("library.read")
def attachment_download(request: HttpRequest, uuid: UUID):
    """The file, as a download (``Content-Disposition: attachment``, ``nosniff``)."""
    attachment = core_access.get_visible_or_404(access.visible_attachments(_actor(request)), uuid=uuid)
    try:
        with services.attachment_open(attachment) as handle:
            data = handle.read()
    except FileNotFoundError:
        raise Http404("Not found") from None
    return file_response(data, name=attachment.original_name, content_type=attachment.content_type)


# --- Checklists -----------------------------------------------------------------------------


class StepOut(Schema):
    code: str
    text: str
    guidance: str
    done: bool = False
    done_on: dt.date | None = None
    note: str = ""


class ChecklistOut(Schema):
    code: str
    title: str
    purpose: str
    steps: list[StepOut]


class RecordOut(Schema):
    uuid: UUID
    checklist: str
    jurisdiction: JurisdictionRef
    completed_on: dt.date | None
    version: int
    steps: list[StepOut] = Field(default_factory=list)


class RecordIn(InSchema):
    checklist: str = Field(min_length=1, max_length=40, description="The code of one of the checklists Tandem ships.")
    jurisdiction: UUID


class TickIn(InSchema):
    step: str = Field(min_length=1, max_length=40)
    done: bool
    note: str = Field("", max_length=2000)
    version: int = Field(ge=1)


def _checklist_out(c: checklists.Checklist) -> dict:
    return {
        "code": c.code,
        "title": str(c.title),
        "purpose": str(c.purpose),
        "steps": [{"code": s.code, "text": str(s.text), "guidance": str(s.guidance)} for s in c.steps],
    }


def _record_out(run) -> dict:
    steps = [
        {
            "code": s.step.code,
            "text": str(s.step.text),
            "guidance": str(s.step.guidance),
            "done": bool(s.tick and s.tick.done),
            "done_on": s.tick.done_on if s.tick else None,
            "note": s.tick.note if s.tick else "",
        }
        for s in selectors.run_steps(run)
    ]
    return {
        "uuid": run.uuid,
        "checklist": run.checklist,
        "jurisdiction": run.jurisdiction,
        "completed_on": run.completed_on,
        "version": run.version,
        "steps": steps,
    }


@router.get("/checklists", response={200: list[ChecklistOut], **errors()})
@requires("library.read")
def checklist_list(request: HttpRequest):
    """The checklists Tandem ships (in the request's language)."""
    return [_checklist_out(c) for c in checklists.CHECKLISTS.values()]


@router.post("/checklist-records", response={201: RecordOut, **errors(403, 422)})
@requires("library.checklists")
def checklist_record_create(request: HttpRequest, payload: RecordIn):
    """Start working through a checklist for a jurisdiction (coordinators of it)."""
    actor = _actor(request)
    jurisdiction = _reference(core_access.visible_jurisdictions(actor), payload.jurisdiction, "jurisdiction")
    run = services.checklist_start(actor=actor, code=payload.checklist, jurisdiction=jurisdiction)
    return Status(201, _record_out(run))


@router.get("/checklist-records/{uuid}", response={200: RecordOut, **errors(404)})
@requires("library.read")
def checklist_record_detail(request: HttpRequest, uuid: UUID):
    run = core_access.get_visible_or_404(access.visible_checklist_runs(_actor(request)), uuid=uuid)
    return _record_out(run)


@router.post("/checklist-records/{uuid}/ticks", response={200: RecordOut, **errors(403, 404, 409, 422)})
@requires("library.checklists")
def checklist_record_tick(request: HttpRequest, uuid: UUID, payload: TickIn):
    """Tick or untick a step, with a note (coordinators of the record's jurisdiction)."""
    actor = _actor(request)
    run = core_access.get_visible_or_404(access.visible_checklist_runs(actor), uuid=uuid)
    access.require_work_checklist(actor, run.jurisdiction)
    run = services.checklist_tick(
        actor=actor, run=run, step=payload.step, done=payload.done, note=payload.note, expected_version=payload.version
    )
    return _record_out(run)


ROUTERS: list[tuple[str, Router]] = [("/library", router)]
