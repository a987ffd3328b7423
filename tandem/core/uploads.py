"""Checking an uploaded file before anything reads it: size, real type, archive limits.

``check_upload(file, allowed=...)`` returns the ``DetectedType`` found from the
file's first bytes (never from its name or the browser's Content-Type), or raises
``django.core.exceptions.ValidationError`` with a message for the user.

* Size: at most ``max_bytes`` (``TANDEM_UPLOAD_MAX_BYTES``).
* Type by content (magic bytes): PDF, PNG, JPEG, GIF, WebP, ZIP and the
  ZIP-based office formats (DOCX, XLSX, PPTX, ODT, ODS), plain text and CSV.
  Anything else (executables, legacy OLE office files with macros, unknown
  binaries) is refused. HTML, SVG and XML are refused even when named .txt:
  a browser could run scripts in them.
* The file name's extension must agree with the content.
* ZIP archives (and DOCX/XLSX/...): the end-of-central-directory record is read
  from the end of the file first: more than ``max_entries`` entries, or a central
  directory larger than the upload could honestly need, is refused without
  parsing it. Then the central directory (names and sizes only, nothing is
  decompressed) is checked: the declared uncompressed total must stay within
  ``max_uncompressed`` and each entry's compression ratio within ``max_ratio``.
  Python's ``zipfile`` never inflates an entry past its declared size, so a
  reader that opens the archive afterwards is bounded by what was checked here.
  A zip bomb is refused in milliseconds, reading a few kilobytes.
"""

from __future__ import annotations

import io
import struct
import zipfile
from dataclasses import dataclass
from pathlib import PurePath
from typing import IO, Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _


@dataclass(frozen=True)
class DetectedType:
    kind: str  # short name: "pdf", "png", "docx", "text", ...
    mime: str
    extensions: tuple[str, ...]


TYPES: dict[str, DetectedType] = {
    t.kind: t
    for t in [
        DetectedType("pdf", "application/pdf", (".pdf",)),
        DetectedType("png", "image/png", (".png",)),
        DetectedType("jpeg", "image/jpeg", (".jpg", ".jpeg")),
        DetectedType("gif", "image/gif", (".gif",)),
        DetectedType("webp", "image/webp", (".webp",)),
        DetectedType("zip", "application/zip", (".zip",)),
        DetectedType("docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document", (".docx",)),
        DetectedType("xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", (".xlsx",)),
        DetectedType("pptx", "application/vnd.openxmlformats-officedocument.presentationml.presentation", (".pptx",)),
        DetectedType("odt", "application/vnd.oasis.opendocument.text", (".odt",)),
        DetectedType("ods", "application/vnd.oasis.opendocument.spreadsheet", (".ods",)),
        DetectedType("text", "text/plain", (".txt", ".csv", ".md")),
    ]
}
DOCUMENTS = frozenset({"pdf", "docx", "xlsx", "pptx", "odt", "ods", "text"})
IMAGES = frozenset({"png", "jpeg", "gif", "webp"})

_HEAD = 8192
_EOCD = b"PK\x05\x06"
_EOCD_SIZE = 22
_MAX_COMMENT = 65535
_CD_ENTRY_MIN = 46
_MARKUP = (b"<!doctype", b"<html", b"<svg", b"<?xml", b"<script", b"<body", b"<head", b"<iframe", b"<object")
_ODF = {
    b"application/vnd.oasis.opendocument.text": "odt",
    b"application/vnd.oasis.opendocument.spreadsheet": "ods",
}


def _setting(name: str, default: int) -> int:
    return int(getattr(settings, name, default))


def _refuse(message: str, code: str) -> ValidationError:
    return ValidationError(message, code=code)


def _size(file: IO[bytes]) -> int:
    size = getattr(file, "size", None)
    if isinstance(size, int):
        return size
    position = file.tell()
    file.seek(0, io.SEEK_END)
    end = file.tell()
    file.seek(position)
    return end


def _read_at(file: IO[bytes], offset: int, length: int) -> bytes:
    file.seek(offset)
    return file.read(length)


def _sniff(head: bytes) -> str | None:
    if head.startswith(b"%PDF-"):
        return "pdf"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if head.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    if head.startswith((b"GIF87a", b"GIF89a")):
        return "gif"
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "webp"
    if head.startswith((b"PK\x03\x04", _EOCD)):
        return "zip"
    return None


def _looks_like_markup(head: bytes) -> bool:
    text = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    return text.startswith(_MARKUP) or any(tag in text for tag in (b"<script", b"<svg", b"<html", b"<iframe"))


def _is_text(head: bytes) -> bool:
    if b"\x00" in head:
        return False
    try:
        head.decode("utf-8")
    except UnicodeDecodeError as exc:
        # A multi-byte character cut by the end of the sample is still text.
        if exc.start < len(head) - 3:
            return False
    return True


def _check_zip(file: IO[bytes], size: int, *, max_entries: int, max_uncompressed: int, max_ratio: int) -> str:
    """Archive limits from the central directory, before any entry is read; returns the zip flavour."""
    tail_length = min(size, _EOCD_SIZE + _MAX_COMMENT)
    tail = _read_at(file, size - tail_length, tail_length)
    at = tail.rfind(_EOCD)
    if at < 0 or len(tail) - at < _EOCD_SIZE:
        raise _refuse(_("The archive is damaged (no central directory)."), "archive_damaged")
    _disk, _cd_disk, _here, entries, cd_size, _cd_offset, _comment = struct.unpack("<HHHHIIH", tail[at + 4 : at + 22])
    if entries == 0xFFFF or cd_size == 0xFFFFFFFF:
        raise _refuse(_("Archives in the ZIP64 format are not accepted."), "archive_zip64")
    if entries > max_entries:
        raise _refuse(
            _("The archive has too many files (%(count)d; at most %(limit)d).")
            % {"count": entries, "limit": max_entries},
            "archive_entries",
        )
    if cd_size > entries * (_CD_ENTRY_MIN + 3 * 1024) + 1024 or cd_size > size:
        raise _refuse(_("The archive is damaged (central directory too large)."), "archive_damaged")
    file.seek(0)
    try:
        with zipfile.ZipFile(file) as archive:  # reads the central directory only
            infos = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError) as exc:
        raise _refuse(_("The archive is damaged (%(error)s).") % {"error": exc}, "archive_damaged")
    if len(infos) > max_entries:
        raise _refuse(
            _("The archive has too many files (%(count)d; at most %(limit)d).")
            % {"count": len(infos), "limit": max_entries},
            "archive_entries",
        )
    total = 0
    for info in infos:
        if info.flag_bits & 0x1:
            raise _refuse(_("Encrypted archives are not accepted."), "archive_encrypted")
        total += info.file_size
        if total > max_uncompressed:
            raise _refuse(
                _("The archive unpacks to more than %(limit)s.") % {"limit": _human(max_uncompressed)},
                "archive_too_big",
            )
        if info.file_size > 1024 * 1024 and info.file_size > max_ratio * max(info.compress_size, 1):
            raise _refuse(_("The archive is compressed suspiciously well (a possible zip bomb)."), "archive_ratio")
    names = {info.filename for info in infos}
    if "[Content_Types].xml" in names:
        for prefix, kind in (("word/", "docx"), ("xl/", "xlsx"), ("ppt/", "pptx")):
            if any(name.startswith(prefix) for name in names):
                return kind
    if "mimetype" in names:
        info = next(i for i in infos if i.filename == "mimetype")
        if info.file_size <= 100:
            file.seek(0)
            with zipfile.ZipFile(file) as archive:
                kind = _ODF.get(archive.read("mimetype").strip())
            if kind:
                return kind
    return "zip"


def _human(size: int) -> str:
    from django.template.defaultfilters import filesizeformat

    return str(filesizeformat(size))


def check_upload(
    file: Any,
    *,
    allowed: frozenset[str] | set[str] = DOCUMENTS,
    name: str | None = None,
    max_bytes: int | None = None,
    max_entries: int | None = None,
    max_uncompressed: int | None = None,
    max_ratio: int | None = None,
) -> DetectedType:
    """Check an uploaded file (an UploadedFile or a binary file object); returns its detected type."""
    max_bytes = max_bytes if max_bytes is not None else _setting("TANDEM_UPLOAD_MAX_BYTES", 10 * 1024 * 1024)
    max_entries = max_entries if max_entries is not None else _setting("TANDEM_UPLOAD_MAX_ARCHIVE_ENTRIES", 1000)
    max_uncompressed = (
        max_uncompressed
        if max_uncompressed is not None
        else _setting("TANDEM_UPLOAD_MAX_UNCOMPRESSED_BYTES", 100 * 1024 * 1024)
    )
    max_ratio = max_ratio if max_ratio is not None else _setting("TANDEM_UPLOAD_MAX_COMPRESSION_RATIO", 200)
    name = name if name is not None else (getattr(file, "name", "") or "")

    size = _size(file)
    if size == 0:
        raise _refuse(_("The file is empty."), "empty")
    if size > max_bytes:
        raise _refuse(
            _("The file is too large (%(size)s; at most %(limit)s).")
            % {"size": _human(size), "limit": _human(max_bytes)},
            "too_large",
        )
    try:
        head = _read_at(file, 0, _HEAD)
        kind = _sniff(head)
        if kind == "zip":
            kind = _check_zip(
                file, size, max_entries=max_entries, max_uncompressed=max_uncompressed, max_ratio=max_ratio
            )
        elif kind is None:
            if _looks_like_markup(head):
                raise _refuse(_("HTML, SVG and XML files are not accepted."), "markup")
            if not _is_text(head):
                raise _refuse(_("This type of file is not accepted."), "unknown_type")
            kind = "text"
    finally:
        file.seek(0)
    detected = TYPES[kind]
    if kind not in allowed:
        accepted = ", ".join(sorted(ext for k in allowed for ext in TYPES[k].extensions))
        raise _refuse(
            _("This type of file is not accepted here. Accepted: %(accepted)s.") % {"accepted": accepted},
            "not_allowed",
        )
    extension = PurePath(name).suffix.lower()
    if name and extension not in detected.extensions:
        raise _refuse(
            _("The file's content does not match its name: expected %(expected)s.")
            % {"expected": ", ".join(detected.extensions)},
            "extension_mismatch",
        )
    return detected
