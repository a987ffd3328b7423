"""Writes of the exchange: drafts, sending, replies, acknowledgements, status, labels, agreements.

Every function is ``<entity>_<action>(*, actor, ...)``, atomic and audited.
Reads of items go through :mod:`tandem.exchange.access` only.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import uuid as uuidlib
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.storage import FileSystemStorage
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override

from tandem.core import access as core_access
from tandem.core.models import AuditAction, Jurisdiction, Organisation, Person, User
from tandem.core.services import audit_record
from tandem.core.versioning import update as _apply_versioned_update

from . import access
from .models import (
    LOGGED_TLPS,
    TLP_LEVEL,
    Acknowledgement,
    Attachment,
    Direction,
    ExchangeItem,
    ItemRecipient,
    Kind,
    LabelChange,
    ReadAction,
    ReadLog,
    RecipientKind,
    Reply,
    SharingAgreement,
    Status,
    Tlp,
)

# --- Personal data -----------------------------------------------------------------------

_DATE = r"\d{1,4}[./-]\d{1,2}[./-]\d{1,4}"
PERSONAL_DATA_PATTERNS: list[tuple[str, re.Pattern[str]]] = [
    (
        "date_of_birth",
        re.compile(
            r"(?i)\b(?:born(?:\s+on)?|d\.?o\.?b\.?|date\s+of\s+birth|birth\s*date|n[ée]e?\s+le)\b\W{0,3}"
            rf"(?:{_DATE}|\d{{1,2}}\s+\w+\s+\d{{4}})"
        ),
    ),
    ("email", re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")),
    ("id_number", re.compile(r"\b(?:[A-Z]{1,2}\d{6,9}|\d{3}-\d{2}-\d{4}|\d{8,12})\b")),
    ("phone", re.compile(r"(?<![\w+])(?:\+\d{1,3}|0)[\s.-]?\(?\d{1,4}\)?(?:[\s.-]?\d{2,4}){2,4}(?!\w)")),
]


def personal_data_labels() -> dict[str, str]:
    return {
        "email": _("e-mail address"),
        "phone": _("phone number"),
        "id_number": _("national ID or passport-like number"),
        "date_of_birth": _("date of birth"),
    }


def personal_data_matches(*texts: str) -> list[dict[str, str]]:
    """What looks like personal data in ``texts``: [{"kind": ..., "match": ...}], each match once."""
    found: list[dict[str, str]] = []
    seen: set[tuple[str, str]] = set()
    for text in texts:
        remaining = text or ""
        for kind, pattern in PERSONAL_DATA_PATTERNS:
            for m in pattern.finditer(remaining):
                value = m.group(0).strip()
                if (kind, value) not in seen:
                    seen.add((kind, value))
                    found.append({"kind": kind, "match": value})
            # A matched span is not matched again as something else (a date is not a phone number).
            remaining = pattern.sub(" ", remaining)
    return found


# --- Attachments -------------------------------------------------------------------------

ZIP_MAX_ENTRIES = 2000
ZIP_MAX_UNCOMPRESSED = 200 * 1024 * 1024


def allowed_types_text() -> str:
    return _("PDF, PNG, JPEG, Word (DOCX), Excel (XLSX), plain text or CSV")


def max_upload_bytes() -> int:
    return int(getattr(settings, "EXCHANGE_MAX_UPLOAD_BYTES", 10 * 1024 * 1024))


def _storage() -> FileSystemStorage:
    return FileSystemStorage(location=Path(settings.MEDIA_ROOT) / "exchange", base_url=None)


def _refuse(message: str) -> ValidationError:
    return ValidationError(message, code="attachment")


def detect_content_type(name: str, data: bytes) -> str:
    """The type of ``data`` judged by its content (never by its name); ValidationError if not allowed."""
    if data.startswith(b"%PDF-"):
        return "application/pdf"
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if data.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if data.startswith(b"PK\x03\x04"):
        return _office_type(data)
    if b"\x00" in data:
        raise _refuse(_("This file type is not allowed. Allowed: %(types)s.") % {"types": allowed_types_text()})
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        raise _refuse(
            _("This file type is not allowed. Allowed: %(types)s.") % {"types": allowed_types_text()}
        ) from None
    head = text.lstrip("\ufeff \t\r\n")[:200].lower()
    if head.startswith(("<", "<!doctype", "<?xml")) or "<svg" in head or "<html" in head or "<script" in head:
        raise _refuse(
            _("HTML, SVG and XML files are not allowed (they can carry scripts). Allowed: %(types)s.")
            % {"types": allowed_types_text()}
        )
    return "text/csv" if name.lower().endswith(".csv") else "text/plain"


def _office_type(data: bytes) -> str:
    import io

    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile:
        raise _refuse(_("This file is a damaged archive.")) from None
    entries = archive.infolist()  # the central directory only: nothing is decompressed here
    if len(entries) > ZIP_MAX_ENTRIES or sum(e.file_size for e in entries) > ZIP_MAX_UNCOMPRESSED:
        raise _refuse(_("This archive expands to too much data and was refused."))
    names = {e.filename for e in entries}
    if "[Content_Types].xml" in names and "word/document.xml" in names:
        return "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    if "[Content_Types].xml" in names and "xl/workbook.xml" in names:
        return "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    raise _refuse(_("This file type is not allowed. Allowed: %(types)s.") % {"types": allowed_types_text()})


@dataclass
class Upload:
    name: str
    data: bytes


def read_upload(uploaded: Any) -> Upload:
    """An uploaded file, size-checked while reading (never more than the limit + 1 byte in memory)."""
    limit = max_upload_bytes()
    size = getattr(uploaded, "size", None)
    if size is not None and size > limit:
        raise _refuse(_("The file is too large (at most %(mb)s MB).") % {"mb": round(limit / 1024 / 1024, 1)})
    data = uploaded.read(limit + 1)
    if len(data) > limit:
        raise _refuse(_("The file is too large (at most %(mb)s MB).") % {"mb": round(limit / 1024 / 1024, 1)})
    name = Path(str(getattr(uploaded, "name", "") or "file")).name[:200]
    if not data:
        raise _refuse(_("The file is empty."))
    detect_content_type(name, data)
    return Upload(name=name, data=data)


def _store_attachment(*, actor: User, item: ExchangeItem, upload: Upload, reply: Reply | None = None) -> Attachment:
    content_type = detect_content_type(upload.name, upload.data)
    storage_name = uuidlib.uuid4().hex
    from django.core.files.base import ContentFile

    _storage().save(storage_name, ContentFile(upload.data))
    return Attachment.objects.create(
        item=item,
        reply=reply,
        storage_name=storage_name,
        original_name=upload.name,
        content_type=content_type,
        size=len(upload.data),
        sha256=hashlib.sha256(upload.data).hexdigest(),
        uploaded_by=actor,
    )


def attachment_open(attachment: Attachment):
    return _storage().open(attachment.storage_name, "rb")


# --- Addressing --------------------------------------------------------------------------


@dataclass
class Addressees:
    jurisdictions: list[Jurisdiction] = field(default_factory=list)
    organisations: list[Organisation] = field(default_factory=list)
    people: list[Person] = field(default_factory=list)
    bodies: list[Any] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return not (self.jurisdictions or self.organisations or self.people or self.bodies)


def _body_member_orgs(bodies: list[Any]) -> list[tuple[Any, int]]:
    """(body, organisation id) for the current members of ``bodies`` (end date none or not past)."""
    if not bodies:
        return []
    from django.db.models import Q

    from tandem.bodies.models import Membership

    today = timezone.localdate()
    rows = Membership.objects.filter(
        Q(end_date__isnull=True) | Q(end_date__gte=today),
        body__in=bodies,
        organisation__archived_at__isnull=True,
    ).values_list("body_id", "organisation_id")
    by_id = {b.pk: b for b in bodies}
    return [(by_id[body_id], org_id) for body_id, org_id in rows]


def _check_addressees(*, country_path: str, addressees: Addressees) -> None:
    if addressees.empty:
        raise ValidationError({"__all__": _("Choose at least one recipient.")})
    errors = []
    for j in addressees.jurisdictions:
        if not j.path.startswith(country_path):
            errors.append(_("%(name)s is outside your country.") % {"name": j.name})
    for o in addressees.organisations:
        if not o.jurisdiction.path.startswith(country_path) or o.archived_at:
            errors.append(_("%(name)s is outside your country.") % {"name": o.name})
    for b in addressees.bodies:
        if not b.jurisdiction.path.startswith(country_path):
            errors.append(_("%(name)s is outside your country.") % {"name": b.name})
    for p in addressees.people:
        if p.user_id is None:
            errors.append(_("%(name)s has no user account and cannot read items.") % {"name": p.full_name})
        elif not p.jurisdiction.path.startswith(country_path):
            errors.append(_("%(name)s is outside your country.") % {"name": p.full_name})
    if errors:
        raise ValidationError({"recipients": errors})


def _check_direction(*, direction: str, jurisdiction: Jurisdiction, addressees: Addressees) -> None:
    """Upward goes to units at or above the sender's, downward to units at or below; lateral is free."""
    if direction == Direction.LATERAL:
        return
    units = [
        *((j.name, j.path) for j in addressees.jurisdictions),
        *((o.name, o.jurisdiction.path) for o in addressees.organisations),
        *((p.full_name, p.jurisdiction.path) for p in addressees.people),
        *((b.name, b.jurisdiction.path) for b in addressees.bodies),
    ]
    if direction == Direction.UP:
        wrong = [name for name, path in units if not jurisdiction.path.startswith(path)]
        message = _("Upward items go to your level or above; %(names)s is not. Choose 'lateral' instead.")
    else:
        wrong = [name for name, path in units if not path.startswith(jurisdiction.path)]
        message = _("Downward items go to your level or below; %(names)s is not. Choose 'lateral' instead.")
    if wrong:
        raise ValidationError({"direction": message % {"names": ", ".join(wrong)}})


def spec_for(*, actor: User, tlp: str, jurisdiction: Jurisdiction, addressees: Addressees) -> access.AudienceSpec:
    """The audience specification of a not-yet-saved item (bodies expanded to current members)."""
    spec = access.AudienceSpec(sender_id=actor.pk, tlp=tlp, country_path=jurisdiction.country_path)
    spec.jurisdiction_ids = {j.pk for j in addressees.jurisdictions}
    spec.organisation_ids = {o.pk for o in addressees.organisations}
    spec.organisation_ids |= {org_id for _b, org_id in _body_member_orgs(addressees.bodies)}
    spec.user_ids = {p.user_id for p in addressees.people if p.user_id}
    return spec


def addressees_of(item: ExchangeItem) -> Addressees:
    result = Addressees()
    for r in item.recipients.filter(via_body__isnull=True).select_related(
        "jurisdiction", "organisation__jurisdiction", "person__jurisdiction", "body__jurisdiction", "user"
    ):
        if r.kind == RecipientKind.JURISDICTION:
            result.jurisdictions.append(r.jurisdiction)
        elif r.kind == RecipientKind.ORGANISATION:
            result.organisations.append(r.organisation)
        elif r.kind == RecipientKind.USER and r.person is not None:
            result.people.append(r.person)
        elif r.kind == RecipientKind.BODY:
            result.bodies.append(r.body)
    return result


# --- Sharing agreements ------------------------------------------------------------------


def covering_agreement(
    *, sender_org: Organisation | None, jurisdiction: Jurisdiction, addressees: Addressees, on: dt.date | None = None
) -> tuple[SharingAgreement | None, bool]:
    """(the agreement covering this channel, whether one is needed at all).

    None is needed when every addressee is the sender's own organisation. An
    agreement covers the channel when it is valid today and its parties include
    the sender (their organisation, or a unit at or above their jurisdiction)
    and every other addressee (an organisation, or a unit at or above it).
    """
    on = on or timezone.localdate()
    external_paths: list[str] = []
    external_orgs: list[Organisation] = []
    for o in addressees.organisations:
        if sender_org is None or o.pk != sender_org.pk:
            external_orgs.append(o)
    for j in addressees.jurisdictions:
        external_paths.append(j.path)
    for b in addressees.bodies:
        external_paths.append(b.jurisdiction.path)
    for p in addressees.people:
        external_paths.append(p.jurisdiction.path)
    if not external_orgs and not external_paths:
        return None, False
    from django.db.models import Q

    candidates = (
        SharingAgreement.objects.filter(jurisdiction__path__startswith=jurisdiction.country_path, valid_from__lte=on)
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=on))
        .prefetch_related("party_organisations", "party_jurisdictions")
        .order_by("-valid_from", "id")
    )
    for agreement in candidates:
        org_ids = {o.pk for o in agreement.party_organisations.all()}
        party_paths = [j.path for j in agreement.party_jurisdictions.all()]

        def covers_path(path: str, party_paths: list[str] = party_paths) -> bool:
            return any(path.startswith(p) for p in party_paths)

        sender_ok = (sender_org is not None and sender_org.pk in org_ids) or covers_path(jurisdiction.path)
        others_ok = all(o.pk in org_ids or covers_path(o.jurisdiction.path) for o in external_orgs) and all(
            covers_path(p) for p in external_paths
        )
        if sender_ok and others_ok:
            return agreement, True
    return None, True


@transaction.atomic
def agreement_save(
    *,
    actor: User,
    agreement: SharingAgreement | None,
    values: dict[str, Any],
    organisations: list[Organisation],
    jurisdictions: list[Jurisdiction],
    expected_version: int | None = None,
) -> SharingAgreement:
    """Create (``agreement`` None) or edit an agreement. Coordinators of its jurisdiction only."""
    where = values.get("jurisdiction") or (agreement.jurisdiction if agreement else None)
    if where is None or not core_access.can_manage(actor, where):
        raise PermissionDenied
    created = agreement is None
    if agreement is None:
        agreement = SharingAgreement(**values)
        agreement.full_clean()
        agreement.save()
        audit_record(
            actor=actor,
            action=AuditAction.CREATE,
            obj=agreement,
            changes={
                "title": agreement.title,
                "party_organisations": sorted(str(o) for o in organisations),
                "party_jurisdictions": sorted(str(j) for j in jurisdictions),
            },
        )
    else:
        if not core_access.can_manage(actor, agreement.jurisdiction):
            raise PermissionDenied
        agreement = _apply_versioned_update(
            actor=actor, model=SharingAgreement, obj=agreement, expected_version=expected_version or 0, values=values
        )
    before = (
        sorted(str(o) for o in agreement.party_organisations.all()),
        sorted(str(j) for j in agreement.party_jurisdictions.all()),
    )
    agreement.party_organisations.set(organisations)
    agreement.party_jurisdictions.set(jurisdictions)
    after = (sorted(str(o) for o in organisations), sorted(str(j) for j in jurisdictions))
    if before != after and not created:
        audit_record(
            actor=actor,
            action=AuditAction.UPDATE,
            obj=agreement,
            changes={"party_organisations": [before[0], after[0]], "party_jurisdictions": [before[1], after[1]]},
        )
    return agreement


# --- Drafts and sending ------------------------------------------------------------------


def _validate_content(*, kind: str, subkind: str, due_date: dt.date | None, tlp: str) -> dict[str, str]:
    errors: dict[str, str] = {}
    from .models import REPORT_SUBKINDS, REQUEST_SUBKINDS

    if kind == Kind.REQUEST:
        if subkind not in REQUEST_SUBKINDS:
            errors["subkind"] = _("Choose what kind of request this is.")
        if due_date is None:
            errors["due_date"] = _("A request needs a due date.")
        elif due_date < timezone.localdate():
            errors["due_date"] = _("The due date cannot be in the past.")
    elif kind == Kind.REPORT:
        if subkind not in REPORT_SUBKINDS:
            errors["subkind"] = _("Choose what kind of report this is.")
    elif subkind:
        errors["subkind"] = _("Only reports and requests have a type.")
    if kind != Kind.REQUEST and due_date is not None:
        errors["due_date"] = _("Only requests have a due date.")
    if tlp not in Tlp.values:
        errors["tlp"] = _("Choose a label.")
    return errors


def _sender_grant(actor: User, jurisdiction: Jurisdiction, organisation: Organisation | None) -> None:
    """The sender must hold a sending role at ``jurisdiction`` (and act for ``organisation``)."""
    grants = [g for g in access.sending_grants(actor) if g.jurisdiction_id == jurisdiction.pk]
    if not grants:
        raise PermissionDenied
    if organisation is not None:
        from django.db.models import Q  # noqa: F401

        if not Organisation.objects.filter(
            pk=organisation.pk, id__in=core_access.user_organisation_ids(actor)
        ).exists():
            raise ValidationError({"sender_organisation": _("You do not act for this organisation.")})


def _write_recipients(item: ExchangeItem, addressees: Addressees) -> None:
    item.recipients.all().delete()
    rows = [ItemRecipient(item=item, kind=RecipientKind.JURISDICTION, jurisdiction=j) for j in addressees.jurisdictions]
    rows += [
        ItemRecipient(item=item, kind=RecipientKind.ORGANISATION, organisation=o) for o in addressees.organisations
    ]
    rows += [ItemRecipient(item=item, kind=RecipientKind.USER, user_id=p.user_id, person=p) for p in addressees.people]
    rows += [ItemRecipient(item=item, kind=RecipientKind.BODY, body=b) for b in addressees.bodies]
    ItemRecipient.objects.bulk_create(rows)


@transaction.atomic
def draft_save(
    *,
    actor: User,
    draft: ExchangeItem | None = None,
    expected_version: int | None = None,
    jurisdiction: Jurisdiction,
    sender_organisation: Organisation | None,
    kind: str,
    subkind: str = "",
    direction: str,
    tlp: str,
    title: str,
    body: str,
    due_date: dt.date | None = None,
    addressees: Addressees,
    uploads: list[Upload] | None = None,
    remove_attachments: list[Any] | None = None,
    publishable: bool = False,
) -> ExchangeItem:
    """Create or edit the sender's server-side draft: what the preview shows is what is sent."""
    _sender_grant(actor, jurisdiction, sender_organisation)
    errors = _validate_content(kind=kind, subkind=subkind, due_date=due_date, tlp=tlp)
    if errors:
        raise ValidationError(errors)
    if direction not in Direction.values:
        raise ValidationError({"direction": _("Choose a direction.")})
    if publishable and tlp != Tlp.CLEAR:
        raise ValidationError({"publishable": _("Only a TLP:CLEAR item may be published to the library.")})
    _check_addressees(country_path=jurisdiction.country_path, addressees=addressees)
    _check_direction(direction=direction, jurisdiction=jurisdiction, addressees=addressees)
    values = {
        "jurisdiction": jurisdiction,
        "sender_organisation": sender_organisation,
        "country_path": jurisdiction.country_path,
        "kind": kind,
        "subkind": subkind,
        "direction": direction,
        "tlp": tlp,
        "title": title.strip(),
        "body": body.strip(),
        "due_date": due_date,
        "status": Status.OPEN if kind == Kind.REQUEST else "",
        "publishable": publishable,
    }
    if draft is None:
        draft = ExchangeItem(sender=actor, **values)
        draft.full_clean()
        draft.save()
    else:
        locked = ExchangeItem.objects.select_for_update().get(pk=draft.pk)
        if locked.sender_id != actor.pk or locked.sent_at is not None:
            raise PermissionDenied
        if expected_version is not None and locked.version != expected_version:
            from tandem.core.versioning import VersionConflict as ConflictError

            raise ConflictError(locked, {})
        for name, value in values.items():
            setattr(locked, name, value)
        locked.version += 1
        locked.full_clean()
        locked.save()
        draft = locked
    _write_recipients(draft, addressees)
    for attachment_uuid in remove_attachments or []:
        for att in draft.attachments.filter(uuid=attachment_uuid, reply__isnull=True):
            _storage().delete(att.storage_name)
            att.delete()
    for upload in uploads or []:
        _store_attachment(actor=actor, item=draft, upload=upload)
    return draft


@transaction.atomic
def draft_attach(*, actor: User, draft: ExchangeItem, uploads: list[Upload]) -> ExchangeItem:
    """Add checked uploads to the sender's draft; the version changes so a stale preview cannot be sent."""
    locked = ExchangeItem.objects.select_for_update().get(pk=draft.pk)
    if locked.sender_id != actor.pk or locked.sent_at is not None:
        raise PermissionDenied
    for upload in uploads:
        _store_attachment(actor=actor, item=locked, upload=upload)
    locked.version += 1
    locked.save(update_fields=["version", "updated_at"])
    return locked


@transaction.atomic
def draft_discard(*, actor: User, draft: ExchangeItem) -> None:
    if draft.sender_id != actor.pk or draft.sent_at is not None:
        raise PermissionDenied
    for att in draft.attachments.all():
        _storage().delete(att.storage_name)
    draft.delete()


@dataclass
class Preview:
    audience: list[User]
    agreement: SharingAgreement | None
    agreement_needed: bool
    reason_required: bool
    personal_data: list[dict[str, str]]
    rule: str


def preview_for(item: ExchangeItem) -> Preview:
    addressees = addressees_of(item)
    spec = spec_for(actor=item.sender, tlp=item.tlp, jurisdiction=item.jurisdiction, addressees=addressees)
    return _preview(
        spec=spec,
        item_tlp=item.tlp,
        sender_org=item.sender_organisation,
        jurisdiction=item.jurisdiction,
        addressees=addressees,
        texts=[item.title, item.body, *item.attachments.values_list("original_name", flat=True)],
    )


def _preview(*, spec, item_tlp: str, sender_org, jurisdiction, addressees: Addressees, texts: list[str]) -> Preview:
    from .models import TLP_RULES

    agreement, needed = covering_agreement(sender_org=sender_org, jurisdiction=jurisdiction, addressees=addressees)
    return Preview(
        audience=list(access.audience_users(spec)),
        agreement=agreement,
        agreement_needed=needed,
        reason_required=needed and agreement is None and item_tlp in (Tlp.AMBER, Tlp.AMBER_STRICT, Tlp.RED),
        personal_data=personal_data_matches(*texts),
        rule=str(TLP_RULES[Tlp(item_tlp)]),
    )


def preview_unsaved(
    *,
    actor: User,
    jurisdiction: Jurisdiction,
    sender_organisation: Organisation | None,
    tlp: str,
    title: str,
    body: str,
    addressees: Addressees,
    attachment_names: list[str] | None = None,
) -> Preview:
    """The preview of an item not saved at all (the API's preview endpoint)."""
    _sender_grant(actor, jurisdiction, sender_organisation)
    _check_addressees(country_path=jurisdiction.country_path, addressees=addressees)
    spec = spec_for(actor=actor, tlp=tlp, jurisdiction=jurisdiction, addressees=addressees)
    return _preview(
        spec=spec,
        item_tlp=tlp,
        sender_org=sender_organisation,
        jurisdiction=jurisdiction,
        addressees=addressees,
        texts=[title, body, *(attachment_names or [])],
    )


@transaction.atomic
def item_send(
    *,
    actor: User,
    draft: ExchangeItem,
    expected_version: int,
    confirm_personal_data: bool = False,
    no_agreement_reason: str = "",
    notify: bool = True,
) -> ExchangeItem:
    """Send the draft exactly as previewed (version-checked); notify the audience after commit."""
    locked = ExchangeItem.objects.select_for_update().get(pk=draft.pk)
    if locked.sender_id != actor.pk:
        raise PermissionDenied
    if locked.sent_at is not None:
        raise ValidationError({"__all__": _("This item was already sent.")})
    if locked.version != expected_version:
        raise ValidationError(
            {"__all__": _("The draft changed after this preview. Check the new preview before sending.")}
        )
    _sender_grant(actor, locked.jurisdiction, locked.sender_organisation)
    preview = preview_for(locked)
    errors: dict[str, str] = {}
    if preview.personal_data and not confirm_personal_data:
        errors["confirm_personal_data"] = _(
            "The text looks like it contains personal data. Remove it, or confirm that you send it anyway."
        )
    reason = (no_agreement_reason or "").strip()
    if preview.reason_required and not reason:
        errors["no_agreement_reason"] = _(
            "No sharing agreement covers this channel: state why you share this information anyway."
        )
    if errors:
        raise ValidationError(errors)
    # Bodies are expanded now: later membership changes do not widen who reads this item.
    addressees = addressees_of(locked)
    ItemRecipient.objects.bulk_create(
        [
            ItemRecipient(item=locked, kind=RecipientKind.ORGANISATION, organisation_id=org_id, via_body=body)
            for body, org_id in _body_member_orgs(addressees.bodies)
        ]
    )
    locked.sent_at = timezone.now()
    locked.no_agreement_reason = reason if preview.reason_required else ""
    locked.personal_data_override = preview.personal_data if confirm_personal_data else []
    locked.version += 1
    locked.save(update_fields=["sent_at", "no_agreement_reason", "personal_data_override", "version", "updated_at"])
    audit_record(
        actor=actor,
        action=AuditAction.CREATE,
        obj=locked,
        changes={
            "tlp": locked.tlp,
            "kind": locked.kind,
            "audience": len(preview.audience),
            "agreement": str(preview.agreement.uuid) if preview.agreement else "",
            "no_agreement_reason_given": bool(locked.no_agreement_reason),
            "personal_data_override": len(locked.personal_data_override),
        },
    )
    item_pk = locked.pk
    if notify:
        transaction.on_commit(lambda: notify_audience(item_pk))
    return locked


# --- Notifications -----------------------------------------------------------------------


def notification_for(item: ExchangeItem, user: User) -> EmailMessage:
    """What an audience member receives: that an item waits, never AMBER+ content."""
    base = getattr(settings, "TANDEM_SITE_URL", "").rstrip("/")
    link = base + reverse("exchange_detail", args=[item.uuid])
    with override(user.language or settings.LANGUAGE_CODE):
        kind = str(Kind(item.kind).label).lower()
        subject = _("Tandem: a new %(kind)s is waiting for you") % {"kind": kind}
        lines = [
            _("A new %(kind)s labelled %(tlp)s is waiting for you in Tandem.")
            % {"kind": kind, "tlp": Tlp(item.tlp).label},
        ]
        if item.tlp in (Tlp.GREEN, Tlp.CLEAR):
            lines.append(_("Title: %(title)s") % {"title": item.title})
        lines.append(_("Sign in to read it: %(link)s") % {"link": link})
        body = "\n\n".join(str(line) for line in lines)
    return EmailMessage(subject=str(subject), body=body, to=[user.email])


def notify_audience(item_pk: int) -> int:
    item = ExchangeItem.objects.select_related("sender").get(pk=item_pk)
    users = access.item_audience(item).exclude(pk=item.sender_id).exclude(email="")
    messages = [notification_for(item, user) for user in users]
    if messages:
        get_connection().send_messages(messages)
    return len(messages)


# --- Reading -----------------------------------------------------------------------------


def log_read(*, user: User, item: ExchangeItem, action: str, detail: str = "") -> None:
    """Record a read of an AMBER, AMBER+STRICT or RED item (the caller has checked visibility)."""
    if item.tlp in LOGGED_TLPS and item.sent_at is not None:
        ReadLog.objects.create(item=item, user=user, action=action, detail=detail[:200])


def log_export(*, user: User, items: list[ExchangeItem]) -> None:
    ReadLog.objects.bulk_create(
        [
            ReadLog(item=i, user=user, action=ReadAction.EXPORT)
            for i in items
            if i.tlp in LOGGED_TLPS and i.sent_at is not None
        ]
    )


# --- Replies, acknowledgement, status, label ---------------------------------------------


def _require_visible(actor: User, item: ExchangeItem) -> None:
    if item.sent_at is None or not access.can_see(actor, item):
        from django.http import Http404

        raise Http404


@transaction.atomic
def reply_create(*, actor: User, item: ExchangeItem, body: str, uploads: list[Upload] | None = None) -> Reply:
    """A reply has exactly the item's label and audience (it is read through the item)."""
    _require_visible(actor, item)
    text = (body or "").strip()
    if not text:
        raise ValidationError({"body": _("Write a reply.")})
    reply = Reply(item=item, author=actor, body=text)
    reply.full_clean()
    reply.save()
    for upload in uploads or []:
        _store_attachment(actor=actor, item=item, upload=upload, reply=reply)
    if item.is_request and actor.pk != item.sender_id and item.status in (Status.OPEN, Status.ACKNOWLEDGED):
        ExchangeItem.objects.filter(pk=item.pk).update(status=Status.ANSWERED, version=item.version + 1)
    audit_record(actor=actor, action=AuditAction.UPDATE, obj=item, changes={"reply": str(reply.uuid)})
    return reply


@transaction.atomic
def item_acknowledge(*, actor: User, item: ExchangeItem) -> bool:
    """Acknowledge receipt (once per user); an open request becomes acknowledged. False if already done."""
    _require_visible(actor, item)
    if actor.pk == item.sender_id:
        raise ValidationError({"__all__": _("You sent this item; only recipients acknowledge it.")})
    _ack, created = Acknowledgement.objects.get_or_create(item=item, user=actor)
    if created:
        if item.is_request and item.status == Status.OPEN:
            ExchangeItem.objects.filter(pk=item.pk, status=Status.OPEN).update(
                status=Status.ACKNOWLEDGED, version=item.version + 1
            )
        audit_record(actor=actor, action=AuditAction.UPDATE, obj=item, changes={"acknowledged": True})
    return created


SENDER_STATUSES = {Status.CLOSED, Status.OPEN}
RECIPIENT_STATUSES = {Status.ACKNOWLEDGED, Status.ANSWERED, Status.DECLINED}


@transaction.atomic
def request_set_status(
    *, actor: User, item: ExchangeItem, status: str, reason: str = "", expected_version: int | None = None
) -> ExchangeItem:
    """Recipients acknowledge, answer or decline (with a reason); the sender closes or reopens."""
    _require_visible(actor, item)
    if not item.is_request:
        raise ValidationError({"status": _("Only requests have a status.")})
    allowed = SENDER_STATUSES if actor.pk == item.sender_id else RECIPIENT_STATUSES
    if status not in allowed:
        raise ValidationError({"status": _("You cannot set this status on this request.")})
    reason = (reason or "").strip()
    if status == Status.DECLINED and not reason:
        raise ValidationError({"reason": _("Give the reason for declining.")})
    locked = ExchangeItem.objects.select_for_update().get(pk=item.pk)
    if expected_version is not None and locked.version != expected_version:
        from tandem.core.versioning import VersionConflict as ConflictError

        raise ConflictError(locked, {"status": (item.status, locked.status)})
    before = locked.status
    locked.status = status
    locked.decline_reason = reason if status == Status.DECLINED else locked.decline_reason
    locked.version += 1
    locked.save(update_fields=["status", "decline_reason", "version", "updated_at"])
    audit_record(
        actor=actor,
        action=AuditAction.UPDATE,
        obj=locked,
        changes={"status": [before, status], "reason_given": bool(reason)},
    )
    return locked


@transaction.atomic
def item_change_label(*, actor: User, item: ExchangeItem, tlp: str, reason: str) -> ExchangeItem:
    """Only the sender, and only lowering: a label is never raised once sent (earlier readers did read it).

    To restrict information further, send a new item at the stricter label.
    """
    if item.sender_id != actor.pk:
        raise PermissionDenied
    if tlp not in Tlp.values:
        raise ValidationError({"tlp": _("Choose a label.")})
    locked = ExchangeItem.objects.select_for_update().get(pk=item.pk)
    if TLP_LEVEL[Tlp(tlp)] >= TLP_LEVEL[Tlp(locked.tlp)]:
        raise ValidationError(
            {
                "tlp": _(
                    "A label can only be lowered. Raising it would pretend that the people who could already "
                    "read this item did not; send a new item with the stricter label instead."
                )
            }
        )
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Give the reason for lowering the label.")})
    LabelChange.objects.create(item=locked, from_tlp=locked.tlp, to_tlp=tlp, by=actor, reason=reason)
    before = locked.tlp
    locked.tlp = tlp
    locked.version += 1
    locked.save(update_fields=["tlp", "version", "updated_at"])
    audit_record(actor=actor, action=AuditAction.UPDATE, obj=locked, changes={"tlp": [before, tlp]})
    return locked
