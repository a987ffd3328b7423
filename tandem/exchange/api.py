"""API of the exchange under ``/api/v1/exchange/``: the same visibility rule as the pages.

Every item is read through :func:`tandem.exchange.access.visible_items`; an
item the token's user may not read answers 404 exactly like a missing one.
Reads of AMBER, AMBER+STRICT and RED items are logged like page reads.
"""

import datetime as dt
from typing import Literal
from uuid import UUID

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, File, Query, Router, Schema
from ninja.errors import HttpError
from ninja.files import UploadedFile
from ninja.pagination import paginate
from ninja.responses import Status

from tandem.core import access as core_access
from tandem.core.api import InSchema, OrganisationRef, Pagination, _actor, _reference, errors, refuse_json_body
from tandem.core.files import file_response
from tandem.exchange.permissions import requires

from . import access, selectors, services
from .models import ReadAction

router = Router(tags=["exchange"])

TlpValue = Literal["CLEAR", "GREEN", "AMBER", "AMBER_STRICT", "RED"]
KindValue = Literal["report", "request", "guidance", "alert"]
DirectionValue = Literal["up", "down", "lateral"]


class JurisdictionBrief(Schema):
    uuid: UUID
    name: str


class ItemOut(Schema):
    uuid: UUID
    kind: str
    subkind: str
    direction: str
    tlp: str
    title: str
    sender: str
    sender_organisation: OrganisationRef | None
    jurisdiction: JurisdictionBrief
    due_date: dt.date | None
    status: str
    sent_at: dt.datetime | None
    version: int

    @staticmethod
    def resolve_sender(obj) -> str:
        return str(obj.sender)


class AttachmentOut(Schema):
    uuid: UUID
    original_name: str
    content_type: str
    size: int
    sha256: str


class ReplyOut(Schema):
    uuid: UUID
    author: str
    body: str
    created_at: dt.datetime

    @staticmethod
    def resolve_author(obj) -> str:
        return str(obj.author)


class RecipientOut(Schema):
    kind: str
    name: str
    via_body: str | None = None
    forwarded_by: str | None = Field(None, description="Set when a recipient forwarded the item to this one.")
    forwarded_at: dt.datetime | None = None


class ItemDetailOut(ItemOut):
    body: str
    decline_reason: str
    recipients: list[RecipientOut] = Field(alias="recipient_rows")
    attachments: list[AttachmentOut] = Field(alias="attachment_rows")
    replies: list[ReplyOut] = Field(alias="reply_rows")


class ItemFilters(Schema):
    box: Literal["inbox", "outbox", "all"] = Field("all", description="inbox: sent to you; outbox: sent by you.")
    q: str | None = Field(None, max_length=100, description="Words in the title or text.")
    kind: KindValue | None = None
    tlp: TlpValue | None = None
    status: Literal["open", "acknowledged", "answered", "closed", "declined"] | None = None


class DraftIn(InSchema):
    jurisdiction: UUID | None = Field(None, description="Send as a role you hold here (default: your first role).")
    organisation: UUID | None = Field(None, description="The organisation you send for (you must act for it).")
    kind: KindValue
    subkind: Literal["situation", "trend", "concern", "need", "support", "resources", "guidance", "information", ""] = (
        ""
    )
    direction: DirectionValue
    tlp: TlpValue
    title: str = Field(min_length=1, max_length=200)
    body: str = Field(min_length=1, max_length=20000)
    due_date: dt.date | None = None
    to_jurisdictions: list[UUID] = Field(default_factory=list, max_length=200)
    to_organisations: list[UUID] = Field(default_factory=list, max_length=200)
    to_people: list[UUID] = Field(default_factory=list, max_length=200)
    to_bodies: list[UUID] = Field(default_factory=list, max_length=200)


class ItemIn(DraftIn):
    confirm_personal_data: bool = Field(False, description="Send even though personal data was detected (recorded).")
    no_agreement_reason: str = Field("", max_length=2000)


class AudienceUser(Schema):
    uuid: UUID
    username: str
    full_name: str


class PersonalDataMatch(Schema):
    kind: str
    match: str


class AgreementBrief(Schema):
    uuid: UUID
    title: str
    legal_basis: str
    categories: str


class PreviewOut(Schema):
    rule: str
    audience_count: int
    audience: list[AudienceUser]
    agreement: AgreementBrief | None
    agreement_needed: bool
    reason_required: bool
    personal_data: list[PersonalDataMatch]


class DraftOut(Schema):
    uuid: UUID
    kind: str
    direction: str
    tlp: str
    title: str
    body: str
    version: int = Field(description="Send with this version: it changes with every edit or upload.")
    attachments: list[AttachmentOut] = Field(alias="attachment_rows")
    preview: PreviewOut = Field(alias="preview_out")


class SendIn(InSchema):
    version: int = Field(ge=1, description="The version of the draft you previewed.")
    confirm_personal_data: bool = Field(False, description="Send even though personal data was detected (recorded).")
    no_agreement_reason: str = Field("", max_length=2000)


class LabelIn(InSchema):
    tlp: TlpValue = Field(description="A lower label than the current one (a label is never raised).")
    reason: str = Field(min_length=1, max_length=2000)


class ReplyIn(InSchema):
    body: str = Field(min_length=1, max_length=10000)


class StatusIn(InSchema):
    status: Literal["open", "acknowledged", "answered", "closed", "declined"]
    reason: str = Field("", max_length=2000)
    version: int | None = Field(None, ge=1)


class ForwardIn(InSchema):
    to_organisations: list[UUID] = Field(default_factory=list, max_length=200)
    to_people: list[UUID] = Field(default_factory=list, max_length=200)


class ForwardPreviewOut(Schema):
    new_readers_count: int
    new_readers: list[AudienceUser]


class AckOut(Schema):
    acknowledged: bool
    created: bool


def _preview_out(preview) -> dict:
    return {
        "rule": preview.rule,
        "audience_count": len(preview.audience),
        "audience": [
            {"uuid": u.uuid, "username": u.username, "full_name": u.get_full_name()} for u in preview.audience
        ],
        "agreement": preview.agreement,
        "agreement_needed": preview.agreement_needed,
        "reason_required": preview.reason_required,
        "personal_data": preview.personal_data,
    }


def _draft_or_404(actor, uuid: UUID):
    """The token user's own unsent draft; anybody else's (or a sent item) answers 404."""
    return core_access.get_visible_or_404(selectors.drafts(actor), uuid=uuid)


def _draft_out(draft):
    draft.attachment_rows = list(draft.attachments.all())
    draft.preview_out = _preview_out(services.preview_for(draft))
    return draft


def _detail(item):
    """The item with its thread, recipients and attachments loaded (ItemDetailOut reads them)."""
    item.recipient_rows = [
        {
            "kind": r.kind,
            "name": str(r),
            "via_body": r.via_body.name if r.via_body else None,
            "forwarded_by": str(r.forwarded_by) if r.forwarded_by else None,
            "forwarded_at": r.forwarded_at,
        }
        for r in selectors.recipients(item)
    ]
    item.attachment_rows = list(item.attachments.all())
    item.reply_rows = list(item.replies.select_related("author"))
    return item


def _sender_of(actor, payload: DraftIn):
    grants = access.sending_grants(actor)
    if not grants:
        raise PermissionDenied
    units = access.addressable_jurisdictions(actor)
    if payload.jurisdiction is None:
        jurisdiction = units.get(pk=grants[0].jurisdiction_id)
    else:
        jurisdiction = _reference(units, payload.jurisdiction, "jurisdiction")
    organisation = _reference(access.acting_organisations(actor), payload.organisation, "organisation")
    return jurisdiction, organisation


def _addressees(actor, payload: DraftIn) -> services.Addressees:
    def many(queryset, uuids, field):
        return [_reference(queryset, u, field) for u in dict.fromkeys(uuids)]

    return services.Addressees(
        jurisdictions=many(access.addressable_jurisdictions(actor), payload.to_jurisdictions, "to_jurisdictions"),
        organisations=many(access.addressable_organisations(actor), payload.to_organisations, "to_organisations"),
        people=many(access.addressable_people(actor), payload.to_people, "to_people"),
        bodies=many(access.addressable_bodies(actor), payload.to_bodies, "to_bodies"),
    )


@router.get("/items", response={200: list[ItemOut], **errors(422)})
@paginate(Pagination)
@requires("exchange.read")
def item_list(request: HttpRequest, filters: Query[ItemFilters]):
    """Items you may read (sent ones), newest first."""
    actor = _actor(request)
    return selectors.items(
        actor,
        selectors.ItemFilters.clean(
            box=filters.box, term=filters.q, kind=filters.kind, tlp=filters.tlp, status=filters.status
        ),
    )


@router.post("/items/preview", response={200: PreviewOut, **errors(403, 422)})
@requires("exchange.send")
def item_preview(request: HttpRequest, payload: ItemIn):
    """Who would read this item, under which agreement, and what looks like personal data. Nothing is saved."""
    actor = _actor(request)
    jurisdiction, organisation = _sender_of(actor, payload)
    preview = services.preview_unsaved(
        actor=actor,
        jurisdiction=jurisdiction,
        sender_organisation=organisation,
        tlp=payload.tlp,
        title=payload.title,
        body=payload.body,
        addressees=_addressees(actor, payload),
    )
    return _preview_out(preview)


def _draft_save(actor, payload: DraftIn):
    """The actor's new draft from a request body (sender, fields and addressees as it names them)."""
    jurisdiction, organisation = _sender_of(actor, payload)
    return services.draft_save(
        actor=actor,
        jurisdiction=jurisdiction,
        sender_organisation=organisation,
        kind=payload.kind,
        subkind=payload.subkind,
        direction=payload.direction,
        tlp=payload.tlp,
        title=payload.title,
        body=payload.body,
        due_date=payload.due_date,
        addressees=_addressees(actor, payload),
    )


@router.post("/items", response={201: ItemDetailOut, **errors(403, 422)})
@requires("exchange.send")
def item_create(request: HttpRequest, payload: ItemIn):
    """Write and send an item. Personal data must be confirmed; a missing agreement needs a reason (422 otherwise)."""
    from django.db import transaction

    actor = _actor(request)
    with transaction.atomic():
        draft = _draft_save(actor, payload)
        item = services.item_send(
            actor=actor,
            draft=draft,
            expected_version=draft.version,
            confirm_personal_data=payload.confirm_personal_data,
            no_agreement_reason=payload.no_agreement_reason,
        )
    return Status(201, _detail(access.get_sent_item_or_404(actor, item.uuid)))


@router.post("/drafts", response={201: DraftOut, **errors(403, 422)})
@requires("exchange.send")
def draft_create(request: HttpRequest, payload: DraftIn):
    """Save a draft (only you see it), then add attachments and send it with the version of its preview."""
    return Status(201, _draft_out(_draft_save(_actor(request), payload)))


@router.get("/drafts/{uuid}", response={200: DraftOut, **errors(404, 422)})
@requires("exchange.read")
def draft_detail(request: HttpRequest, uuid: UUID):
    """Your draft with its attachments and the preview (audience, agreement, personal data incl. file names)."""
    return _draft_out(_draft_or_404(_actor(request), uuid))


@router.post("/drafts/{uuid}/attachments", response={201: DraftOut, **errors(404, 422)})
@requires("exchange.read")
def draft_attach(request: HttpRequest, uuid: UUID, file: UploadedFile = File(None)):  # noqa: B008
    """Attach a file (multipart field ``file``): same checks as the pages (size, type by content, archives;
    HTML/SVG refused). The draft's version changes: preview again before sending."""
    refuse_json_body(request)
    actor = _actor(request)
    draft = _draft_or_404(actor, uuid)
    if file is None:
        raise ValidationError({"file": [_("Choose a file to attach.")]})
    try:
        upload = services.read_upload(file)
    except ValidationError as exc:
        raise ValidationError({"file": exc.messages}) from None
    return Status(201, _draft_out(services.draft_attach(actor=actor, draft=draft, uploads=[upload])))


@router.post("/drafts/{uuid}/send", response={201: ItemDetailOut, **errors(404, 422)})
@requires("exchange.read")
def draft_send(request: HttpRequest, uuid: UUID, payload: SendIn):
    """Send the draft exactly as previewed: 422 if it changed since (version), if personal data is not
    confirmed, or if no agreement covers the channel and no reason is given."""
    actor = _actor(request)
    draft = _draft_or_404(actor, uuid)
    item = services.item_send(
        actor=actor,
        draft=draft,
        expected_version=payload.version,
        confirm_personal_data=payload.confirm_personal_data,
        no_agreement_reason=payload.no_agreement_reason,
    )
    return Status(201, _detail(access.get_sent_item_or_404(actor, item.uuid)))


@router.get("/items/{uuid}", response={200: ItemDetailOut, **errors(404, 422)})
@requires("exchange.read")
def item_detail(request: HttpRequest, uuid: UUID):
    actor = _actor(request)
    item = access.get_sent_item_or_404(actor, uuid)
    services.log_read(user=actor, item=item, action=ReadAction.API)
    return _detail(item)


@router.post("/items/{uuid}/replies", response={201: ReplyOut, **errors(404, 422)})
@requires("exchange.read")
def item_reply(request: HttpRequest, uuid: UUID, payload: ReplyIn):
    """Reply in the item's thread (same label and readers as the item)."""
    actor = _actor(request)
    item = access.get_sent_item_or_404(actor, uuid)
    return Status(201, services.reply_create(actor=actor, item=item, body=payload.body))


@router.post("/items/{uuid}/acknowledge", response={200: AckOut, **errors(404, 422)})
@requires("exchange.read")
def item_acknowledge(request: HttpRequest, uuid: UUID):
    actor = _actor(request)
    item = access.get_sent_item_or_404(actor, uuid)
    created = services.item_acknowledge(actor=actor, item=item)
    return {"acknowledged": True, "created": created}


@router.post("/items/{uuid}/status", response={200: ItemOut, **errors(404, 409, 422)})
@requires("exchange.read")
def item_status(request: HttpRequest, uuid: UUID, payload: StatusIn):
    """Recipients: acknowledged, answered, declined (with a reason). Sender: closed, open."""
    actor = _actor(request)
    item = access.get_sent_item_or_404(actor, uuid)
    services.request_set_status(
        actor=actor, item=item, status=payload.status, reason=payload.reason, expected_version=payload.version
    )
    return access.get_sent_item_or_404(actor, uuid)


@router.post("/items/{uuid}/label", response={200: ItemOut, **errors(403, 404, 422)})
@requires("exchange.read")
def item_label(request: HttpRequest, uuid: UUID, payload: LabelIn):
    """The sender lowers the label (never raises it), with a reason; recorded in the label history."""
    actor = _actor(request)
    item = access.get_sent_item_or_404(actor, uuid)
    services.item_change_label(actor=actor, item=item, tlp=payload.tlp, reason=payload.reason)
    return access.get_sent_item_or_404(actor, uuid)


def _forward_args(request: HttpRequest, uuid: UUID, payload: ForwardIn) -> dict:
    actor = _actor(request)
    item = access.get_sent_item_or_404(actor, uuid)
    refusal = services.forward_refusal(actor=actor, item=item)
    if refusal:
        raise HttpError(403, refusal)

    def many(queryset, uuids, field):
        return [_reference(queryset, u, field) for u in dict.fromkeys(uuids)]

    return {
        "actor": actor,
        "item": item,
        "organisations": many(access.forward_organisations(actor), payload.to_organisations, "to_organisations"),
        "people": many(access.forward_people(actor), payload.to_people, "to_people"),
    }


def _forward_preview_out(preview) -> dict:
    return {
        "new_readers_count": len(preview.new_readers),
        "new_readers": [
            {"uuid": u.uuid, "username": u.username, "full_name": u.get_full_name()} for u in preview.new_readers
        ],
    }


@router.post("/items/{uuid}/forward/preview", response={200: ForwardPreviewOut, **errors(403, 404, 422)})
@requires("exchange.read")
def item_forward_preview(request: HttpRequest, uuid: UUID, payload: ForwardIn):
    """Who would newly read this TLP:AMBER item if you forwarded it to these organisations and people
    (inside your organisation's jurisdiction). Nothing is saved. AMBER+STRICT, RED, GREEN, CLEAR: 403."""
    return _forward_preview_out(services.forward_preview(**_forward_args(request, uuid, payload)))


@router.post("/items/{uuid}/forward", response={200: ItemDetailOut, **errors(403, 404, 422)})
@requires("exchange.read")
def item_forward(request: HttpRequest, uuid: UUID, payload: ForwardIn):
    """Forward a TLP:AMBER item you received to organisations and people inside your organisation's
    jurisdiction. Recorded, shown to the sender, the new readers are notified. AMBER+STRICT and RED: 403."""
    args = _forward_args(request, uuid, payload)
    services.item_forward(**args)
    return _detail(access.get_sent_item_or_404(args["actor"], uuid))


@router.get("/attachments/{uuid}", response={200: None, **errors(404, 422)})
@requires("exchange.read")
def attachment_download(request: HttpRequest, uuid: UUID):
    """The file, as a download (``Content-Disposition: attachment``, ``nosniff``)."""
    actor = _actor(request)
    attachment = core_access.get_visible_or_404(access.visible_attachments(actor).select_related("item"), uuid=uuid)
    services.log_read(user=actor, item=attachment.item, action=ReadAction.DOWNLOAD, detail=attachment.original_name)
    try:
        with services.attachment_open(attachment) as handle:
            data = handle.read()
    except FileNotFoundError:
        from django.http import Http404

        raise Http404 from None
    return file_response(data, name=attachment.original_name, content_type=attachment.content_type)


from . import api_records  # noqa: E402, F401  (read logs and agreements: more operations of ``router``)

ROUTERS: list[tuple[str, Router]] = [("/exchange", router)]
