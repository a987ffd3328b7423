"""Every write of the library: propose, edit (versions kept), submit, publish, attachments,
translations, checklist records. Each service is atomic, checks the permission again and audits."""

from __future__ import annotations

import datetime as dt
import hashlib
import html
import uuid as uuidlib
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import nh3
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import Storage
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from tandem.core import events, versioning
from tandem.core import uploads as core_uploads
from tandem.core.auditlog import audit_record
from tandem.core.files import upload_storage
from tandem.core.models import AuditAction, Jurisdiction, JurisdictionKind, Organisation, Sector, User

from . import access, checklists
from .models import (
    BODY_MAX,
    SEARCH_CONFIG,
    ChecklistRun,
    ChecklistTick,
    Competency,
    Facet,
    ItemAttachment,
    ItemTag,
    ItemVersion,
    LibraryItem,
    SearchDocument,
    Status,
)

# --- Formatted text -------------------------------------------------------------------------

ALLOWED_TAGS = frozenset(
    {"p", "br", "strong", "em", "b", "i", "u", "ul", "ol", "li", "h2", "h3", "h4", "blockquote", "a", "code", "pre"}
)
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}}


def sanitise(body: str) -> str:
    """The formatted text with only harmless markup left (nh3: scripts, handlers, styles and
    unsafe links removed)."""
    return nh3.clean(
        body or "",
        tags=set(ALLOWED_TAGS),
        attributes={k: set(v) for k, v in ALLOWED_ATTRIBUTES.items()},
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer",
    ).strip()


def plain_text(body: str) -> str:
    """The words of a formatted text (for the search index and snippets)."""
    return html.unescape(nh3.clean(body or "", tags=set())).strip()


# --- Items ----------------------------------------------------------------------------------


@dataclass
class ItemData:
    kind: str
    title: str
    summary: str
    body: str
    language: str
    visibility: str
    publication_date: dt.date | None = None
    author_organisation: Organisation | None = None
    competencies: tuple[str, ...] = ()
    sectors: tuple[str, ...] = ()
    countries: tuple[Jurisdiction, ...] = ()
    concerns: tuple[Jurisdiction, ...] = ()

    def fields(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "title": self.title.strip(),
            "summary": self.summary.strip(),
            "body": sanitise(self.body),
            "language": self.language,
            "visibility": self.visibility,
            "publication_date": self.publication_date,
            "author_organisation": self.author_organisation,
        }


def _check(data: ItemData) -> None:
    errors: dict[str, list[str]] = {}
    if len(data.body or "") > BODY_MAX:
        errors["body"] = [_("The text is too long (at most %(n)s characters).") % {"n": BODY_MAX}]
    bad = [c for c in data.competencies if c not in Competency.values]
    if bad:
        errors["competencies"] = [_("Unknown competency: %(v)s.") % {"v": ", ".join(bad)}]
    bad = [s for s in data.sectors if s not in Sector.values]
    if bad:
        errors["sectors"] = [_("Unknown sector: %(v)s.") % {"v": ", ".join(bad)}]
    if any(c.kind != JurisdictionKind.COUNTRY for c in data.countries):
        errors["countries"] = [_("Choose countries only.")]
    if not sanitise(data.body) and data.body.strip():
        errors["body"] = [_("The text holds nothing but markup that is not allowed.")]
    if errors:
        raise ValidationError(errors)


def _set_relations(item: LibraryItem, data: ItemData) -> None:
    ItemTag.objects.filter(item=item).delete()
    ItemTag.objects.bulk_create(
        [ItemTag(item=item, facet=Facet.COMPETENCY, value=v) for v in sorted(set(data.competencies))]
        + [ItemTag(item=item, facet=Facet.SECTOR, value=v) for v in sorted(set(data.sectors))]
    )
    item.countries.set(data.countries)
    item.concerns.set(data.concerns)


def _words(text: str) -> str:
    """Text for the index: angle brackets become spaces (PostgreSQL's parser would read ``<script>``
    in plain text as a tag and skip what follows)."""
    return (text or "").replace("<", " ").replace(">", " ")


def index_item(item: LibraryItem) -> None:
    """Put the item's words into the search document (the database index follows: see ``search``)."""
    extra = " ".join(t for t in ItemAttachment.objects.filter(item=item).values_list("text", flat=True) if t)
    SearchDocument.objects.update_or_create(
        item=item,
        defaults={
            "config": SEARCH_CONFIG.get(item.language, "english"),
            "title": _words(item.title),
            "summary": _words(item.summary),
            "body": _words(plain_text(item.body) + ("\n" + extra if extra else ""))[: BODY_MAX * 2],
        },
    )


def _snapshot(item: LibraryItem, actor: User | None) -> None:
    ItemVersion.objects.create(
        item=item,
        number=item.version,
        title=item.title,
        summary=item.summary,
        body=item.body,
        status=item.status,
        created_by=actor,
    )


def _translation_group(item_language: str, translation_of: LibraryItem | None) -> uuidlib.UUID:
    if translation_of is None:
        return uuidlib.uuid4()
    if LibraryItem.objects.filter(translation_group=translation_of.translation_group, language=item_language).exists():
        raise ValidationError({"translation_of": [_("That item already has a translation in this language.")]})
    return translation_of.translation_group


@transaction.atomic
def item_propose(
    *, actor: User, jurisdiction: Jurisdiction, data: ItemData, translation_of: LibraryItem | None = None
) -> LibraryItem:
    """A new item, as a draft owned by ``jurisdiction`` (proposers: facilitators and coordinators)."""
    access.require_propose(actor, jurisdiction)
    _check(data)
    if translation_of is not None and not access.visible_items(actor).filter(pk=translation_of.pk).exists():
        raise ValidationError({"translation_of": [_("Choose an item you can read.")]})
    item = LibraryItem(
        jurisdiction=jurisdiction,
        proposed_by=actor,
        status=Status.DRAFT,
        translation_group=_translation_group(data.language, translation_of),
        **data.fields(),
    )
    item.full_clean(exclude=["translation_group"])
    item.save()
    _set_relations(item, data)
    _snapshot(item, actor)
    index_item(item)
    audit_record(actor=actor, action=AuditAction.CREATE, obj=item)
    return item


@transaction.atomic
def item_update(*, actor: User, item: LibraryItem, expected_version: int, data: ItemData) -> LibraryItem:
    """An edit: a stale version writes nothing (409); the new content is kept as a version."""
    access.require_edit(actor, item)
    _check(data)
    values = data.fields()
    if (
        values["language"] != item.language
        and LibraryItem.objects.filter(translation_group=item.translation_group, language=values["language"])
        .exclude(pk=item.pk)
        .exists()
    ):
        raise ValidationError({"language": [_("This item already has a translation in that language.")]})
    locked = versioning.lock(item, expected_version=expected_version, actor=actor, fields=list(values))
    changed = {k: v for k, v in values.items() if getattr(locked, k) != v}
    saved = versioning.save(locked, changed, actor=actor, clean=True) if changed else locked
    _set_relations(saved, data)
    if changed:
        _snapshot(saved, actor)
    index_item(saved)
    return saved


def _step(
    *, actor: User, item: LibraryItem, expected_version: int, values: dict[str, Any], allowed_from: Iterable[str]
) -> LibraryItem:
    locked = versioning.lock(item, actor=actor)
    versioning.check(locked, expected_version, actor=actor)
    if locked.status not in allowed_from:
        raise ValidationError({"status": [_("This step is not possible from the item's current status.")]})
    saved = versioning.save(locked, values, actor=actor)
    _snapshot(saved, actor)
    return saved


def _announce(kind: str, item: LibraryItem, recipient_ids: list[int], actor: User) -> None:
    events.emit_change(
        kind,
        item,
        recipient_ids=recipient_ids,
        title=item.title,
        url=reverse("library_item_detail", args=[item.uuid]),
        actor=actor,
    )


def _curator_ids(item: LibraryItem) -> list[int]:
    """Those who hold a curator's role at the item's jurisdiction or above (the notifications app
    then keeps those who may open the item in review)."""
    return list(
        User.objects.filter(
            is_active=True,
            role_assignments__revoked_at__isnull=True,
            role_assignments__role__in=access.CURATOR_ROLES,
            role_assignments__jurisdiction__path__in=access._ancestor_paths(item.jurisdiction.path),
        )
        .distinct()
        .values_list("pk", flat=True)
    )


@transaction.atomic
def item_submit(*, actor: User, item: LibraryItem, expected_version: int) -> LibraryItem:
    """Draft -> in review (the proposer or a curator)."""
    access.require_edit(actor, item)
    saved = _step(
        actor=actor,
        item=item,
        expected_version=expected_version,
        values={"status": Status.REVIEW},
        allowed_from=[Status.DRAFT],
    )
    _announce("library.review_requested", saved, _curator_ids(saved), actor)
    return saved


@transaction.atomic
def item_publish(*, actor: User, item: LibraryItem, expected_version: int) -> LibraryItem:
    """In review (or draft) -> published, by a curator of the item's scope."""
    access.require_curate(actor, item)
    values: dict[str, Any] = {"status": Status.PUBLISHED, "published_by": actor, "published_at": timezone.now()}
    if item.publication_date is None:
        values["publication_date"] = timezone.localdate()
    saved = _step(
        actor=actor,
        item=item,
        expected_version=expected_version,
        values=values,
        allowed_from=[Status.DRAFT, Status.REVIEW],
    )
    _announce("library.decision", saved, [saved.proposed_by_id], actor)
    return saved


@transaction.atomic
def item_return(*, actor: User, item: LibraryItem, expected_version: int) -> LibraryItem:
    """In review or published -> draft (a curator sends it back or withdraws it)."""
    access.require_curate(actor, item)
    saved = _step(
        actor=actor,
        item=item,
        expected_version=expected_version,
        values={"status": Status.DRAFT},
        allowed_from=[Status.REVIEW, Status.PUBLISHED],
    )
    _announce("library.decision", saved, [saved.proposed_by_id], actor)
    return saved


# --- Attachments ----------------------------------------------------------------------------

# Checked by the one upload checker, tandem.core.uploads (limits: the TANDEM_UPLOAD_MAX_* settings).
ATTACHMENT_TYPES = frozenset({"pdf", "png", "jpeg", "docx", "xlsx", "text"})


def _storage() -> Storage:
    return upload_storage("library")


@transaction.atomic
def attachment_add(*, actor: User, item: LibraryItem, name: str, data: bytes) -> ItemAttachment:
    """A file for an item, after the upload checker (refusals: ValidationError, nothing written)."""
    access.require_edit(actor, item)
    try:
        checked = core_uploads.check_bytes(data, name=name, allowed=ATTACHMENT_TYPES)
    except ValidationError as exc:
        raise ValidationError({"file": exc.messages}) from None
    text = data.decode("utf-8", errors="replace")[:BODY_MAX] if checked.type.kind == "text" else ""
    storage_name = uuidlib.uuid4().hex
    _storage().save(storage_name, ContentFile(data))
    attachment = ItemAttachment.objects.create(
        item=item,
        storage_name=storage_name,
        original_name=checked.name,
        content_type=checked.content_type,
        size=len(data),
        sha256=hashlib.sha256(data).hexdigest(),
        text=text,
        uploaded_by=actor,
    )
    index_item(item)
    audit_record(actor=actor, action=AuditAction.CREATE, obj=attachment, jurisdiction=item.jurisdiction)
    return attachment


def attachment_open(attachment: ItemAttachment) -> Any:
    return _storage().open(attachment.storage_name, "rb")


# --- Checklist records ----------------------------------------------------------------------


@transaction.atomic
def checklist_start(*, actor: User, code: str, jurisdiction: Jurisdiction) -> ChecklistRun:
    """A coordinator starts working through one of Tandem's checklists for their jurisdiction."""
    access.require_work_checklist(actor, jurisdiction)
    if checklists.get(code) is None:
        raise ValidationError({"checklist": [_("Unknown checklist.")]})
    run = ChecklistRun.objects.create(checklist=code, jurisdiction=jurisdiction, started_by=actor)
    audit_record(actor=actor, action=AuditAction.CREATE, obj=run)
    return run


@transaction.atomic
def checklist_tick(
    *, actor: User, run: ChecklistRun, step: str, done: bool, note: str, expected_version: int
) -> ChecklistRun:
    """Tick (or untick) a step with a note; the record is complete when every step is ticked."""
    access.require_work_checklist(actor, run.jurisdiction)
    checklist = checklists.get(run.checklist)
    if checklist is None or checklist.step(step) is None:
        raise ValidationError({"step": [_("Unknown step.")]})
    if len(note) > 2000:
        raise ValidationError({"note": [_("The note is too long (at most 2000 characters).")]})
    locked = versioning.lock(run, expected_version=expected_version, actor=actor)
    today = timezone.localdate()
    try:
        with transaction.atomic():
            ChecklistTick.objects.update_or_create(
                run=locked,
                step=step,
                defaults={"done": done, "note": note.strip(), "done_on": today if done else None, "updated_by": actor},
            )
    except IntegrityError:  # pragma: no cover - the row lock makes this unreachable
        raise ValidationError({"step": [_("Try again.")]}) from None
    ticked = set(ChecklistTick.objects.filter(run=locked, done=True).values_list("step", flat=True))
    complete = ticked >= {s.code for s in checklist.steps}
    completed_on = (locked.completed_on or today) if complete else None
    return versioning.save(
        locked,
        {"completed_on": completed_on},
        actor=actor,
        changes={"step": step, "done": done, "note": note.strip()},
    )
