"""Attachments: upload checks, storage and opening of stored files."""

from __future__ import annotations

import hashlib
import uuid as uuidlib
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.storage import Storage

from tandem.core import uploads as core_uploads
from tandem.core.files import upload_storage
from tandem.core.models import User

from ..models import (
    Attachment,
    ExchangeItem,
    Reply,
)

# --- Attachments -------------------------------------------------------------------------

# Checked by the one upload checker, tandem.core.uploads (limits: the TANDEM_UPLOAD_MAX_* settings).
ATTACHMENT_TYPES = frozenset({"pdf", "png", "jpeg", "docx", "xlsx", "text"})


def _storage() -> Storage:
    return upload_storage("exchange")


@dataclass
class Upload:
    name: str
    data: bytes


def read_upload(uploaded: Any) -> Upload:
    """An uploaded file, checked by tandem.core.uploads before it is read; ValidationError(code="attachment")."""
    try:
        checked = core_uploads.read_upload(uploaded, allowed=ATTACHMENT_TYPES)
    except ValidationError as exc:
        raise ValidationError(exc.messages[0], code="attachment") from None
    return Upload(name=checked.name, data=checked.data)


def _store_attachment(*, actor: User, item: ExchangeItem, upload: Upload, reply: Reply | None = None) -> Attachment:
    try:
        content_type = core_uploads.check_bytes(upload.data, name=upload.name, allowed=ATTACHMENT_TYPES).content_type
    except ValidationError as exc:
        raise ValidationError(exc.messages[0], code="attachment") from None
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
