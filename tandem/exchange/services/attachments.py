"""Attachments: upload checks, storage and opening of stored files."""

from __future__ import annotations

import hashlib
import uuid as uuidlib
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.storage import FileSystemStorage
from django.utils.translation import gettext as _

from tandem.core.models import User

from ..models import (
    Attachment,
    ExchangeItem,
    Reply,
)

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
