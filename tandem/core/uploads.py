"""One checker for every file Tandem accepts: size, real type, archive limits, polyglots.

Every entry point that accepts a file (exchange attachments on the pages and in the API,
the plan workbook import, the directory CSV import, and any future upload) runs it BEFORE
anything else reads the file (openpyxl, zipfile, csv). The form fields use
:class:`FileCheck`; services that receive bytes call :func:`check_bytes`; both end in
``check_upload(file, allowed=...)``, which returns the ``DetectedType`` found from the
file's content (never from its name or the browser's Content-Type), or raises
``django.core.exceptions.ValidationError`` with a translated message for the user and a
``code`` (``too_large``, ``executable``, ``polyglot``, ``archive_ratio``...).

* Size: at most ``max_bytes`` (``TANDEM_UPLOAD_MAX_BYTES``; imports pass
  ``TANDEM_IMPORT_MAX_BYTES``).
* Type by content (magic bytes): PDF, PNG, JPEG, GIF, WebP, ZIP and the
  ZIP-based office formats (DOCX, XLSX, PPTX, ODT, ODS), plain text and CSV (UTF-8).
  Programs and scripts (Windows PE, ELF, Mach-O, Java classes, WebAssembly, ``#!``
  scripts) are refused whatever their name, as is anything unknown (legacy OLE
  office files with macros, unknown binaries). HTML, SVG and XML are refused even when
  named .txt: a browser could run scripts in them.
* Polyglots: a file that is two formats at once is refused — an image, PDF or text
  with a ZIP archive inside or appended (an end-of-central-directory record or a
  local file header anywhere), data after a PNG's end, a ZIP (or DOCX/XLSX) that a
  PDF reader would also open (``%PDF-`` in its first kilobyte).
* The file name's extension must agree with the content.
* ZIP archives (and DOCX/XLSX/...): the end-of-central-directory record is read
  from the end of the file first: more than ``max_entries`` entries
  (``TANDEM_UPLOAD_MAX_ARCHIVE_ENTRIES``), or a central directory larger than the
  upload could honestly need, is refused without parsing it. Then the central
  directory (names and sizes only, nothing is decompressed) is checked: the declared
  uncompressed total must stay within ``max_uncompressed``
  (``TANDEM_UPLOAD_MAX_UNCOMPRESSED_BYTES``) and the compression ratio of each entry
  and of the whole archive within ``max_ratio`` (``TANDEM_UPLOAD_MAX_COMPRESSION_RATIO``;
  applied above :data:`RATIO_FLOOR` bytes unpacked, below which no ratio can hurt).
  Encrypted entries, programs inside the archive and office macros
  (``vbaProject.bin``) are refused. Python's ``zipfile`` never inflates an entry past
  its declared size, so a reader that opens the archive afterwards is bounded by what
  was checked here. A zip bomb is refused in milliseconds, reading a few kilobytes.
"""

from __future__ import annotations

import io
import re
import struct
import zipfile
from dataclasses import dataclass
from pathlib import PurePath
from typing import IO, Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.deconstruct import deconstructible
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
        # JSON is UTF-8 text that opens with ``{`` or ``[``; detected only where an entry point allows it.
        DetectedType("json", "application/json", (".json",)),
    ]
}
DOCUMENTS = frozenset({"pdf", "docx", "xlsx", "pptx", "odt", "ods", "text"})
IMAGES = frozenset({"png", "jpeg", "gif", "webp"})
ARCHIVES = frozenset({"zip", "docx", "xlsx", "pptx", "odt", "ods"})

RATIO_FLOOR = 1024 * 1024  # the compression ratio is judged on entries (and archives) unpacking past this

_HEAD = 8192
_EOCD = b"PK\x05\x06"
_LOCAL_HEADER = b"PK\x03\x04"
_EOCD_SIZE = 22
_MAX_COMMENT = 65535
_CD_ENTRY_MIN = 46
_MARKUP = (b"<!doctype", b"<html", b"<svg", b"<?xml", b"<script", b"<body", b"<head", b"<iframe", b"<object")
_ODF = {
    b"application/vnd.oasis.opendocument.text": "odt",
    b"application/vnd.oasis.opendocument.spreadsheet": "ods",
}
_PROGRAMS = (
    b"\x7fELF",  # Linux, BSD
    b"\xfe\xed\xfa\xce",  # Mach-O (macOS), 32 and 64 bits, both byte orders
    b"\xfe\xed\xfa\xcf",
    b"\xce\xfa\xed\xfe",
    b"\xcf\xfa\xed\xfe",
    b"\xca\xfe\xba\xbe",  # Mach-O universal binary, Java class
    b"\x00asm",  # WebAssembly
    b"#!",  # a script for an interpreter
)
# Programs inside an archive, by name (the archive's entries are not run through the sniffer).
_PROGRAM_ENTRY = re.compile(
    r"(?i)(\.(exe|dll|com|scr|msi|bat|cmd|ps1|vbs|vbe|js|jse|wsf|hta|cpl|jar|apk|dex|sh|elf|so|dylib|app|lnk)$"
    r"|(^|/)classes\.dex$|(^|/)vbaProject\.bin$|(^|/)META-INF/MANIFEST\.MF$)"
)
# A real local file header: "PK\3\4", version needed (< 64, high byte 0), flags, a known method.
_LOCAL_HEADER_RE = re.compile(
    rb"PK\x03\x04[\x00-\x3f]\x00[\x00-\xff]{2}(?:\x00|\x08|\x09|\x0c|\x0e|\x5d|\x5f|\x62)\x00"
)


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


def _is_program(head: bytes) -> bool:
    if head.startswith(_PROGRAMS):
        return True
    # Windows and DOS programs: "MZ" then a header full of zero bytes (text never holds any).
    return head.startswith(b"MZ") and b"\x00" in head[:64]


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
    if head.startswith((_LOCAL_HEADER, _EOCD)):
        return "zip"
    return None


def _looks_like_markup(head: bytes) -> bool:
    text = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    return text.startswith(_MARKUP) or any(tag in text for tag in (b"<script", b"<svg", b"<html", b"<iframe"))


def _check_text(data: bytes) -> None:
    """Plain text: UTF-8 (with or without BOM), no zero byte anywhere."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise _refuse(_("The file is not UTF-8 text. Save it as UTF-8 and try again."), "text_encoding")
    if b"\x00" in data:
        raise _refuse(_("This type of file is not accepted."), "unknown_type")
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        raise _refuse(_("The file is not UTF-8 text. Save it as UTF-8 and try again."), "text_encoding") from None


def _looks_like_json(data: bytes) -> bool:
    return data.lstrip(b"\xef\xbb\xbf \t\r\n")[:1] in (b"{", b"[")


def _has_end_of_archive(tail: bytes) -> bool:
    """An end-of-central-directory record an unzip tool would accept, anywhere in ``tail``."""
    at = tail.rfind(_EOCD)
    while at >= 0:
        if len(tail) - at >= _EOCD_SIZE:
            disk, cd_disk, here, entries, _cd_size, _cd_offset, _comment = struct.unpack(
                "<HHHHIIH", tail[at + 4 : at + 22]
            )
            if disk == 0 and cd_disk == 0 and here == entries:
                return True
        at = tail.rfind(_EOCD, 0, at)
    return False


def _polyglot() -> ValidationError:
    return _refuse(
        _("The file holds a second file of another type (an archive or a PDF hidden inside it); it is not accepted."),
        "polyglot",
    )


def _check_single(kind: str, data: bytes) -> None:
    """A non-archive file must be one format only: no archive inside or appended, no PDF header."""
    if _has_end_of_archive(data[-(_EOCD_SIZE + _MAX_COMMENT) :]) or _LOCAL_HEADER_RE.search(data):
        raise _polyglot()
    if kind != "pdf" and b"%PDF-" in data[:1024]:  # PDF readers look for their header in the first kilobyte
        raise _polyglot()
    if kind == "png":
        end = data.find(b"IEND\xaeB`\x82")
        if end >= 0 and data[end + 8 :].strip(b"\x00\r\n\t "):
            raise _refuse(_("The image has extra data after its end; it is not accepted."), "trailing_data")
    if kind == "webp":
        riff_size = struct.unpack("<I", data[4:8])[0] + 8
        if len(data) > riff_size + 1:
            raise _refuse(_("The image has extra data after its end; it is not accepted."), "trailing_data")


def _too_many(count: int, limit: int) -> ValidationError:
    return _refuse(
        _("The archive has too many files (%(count)d; at most %(limit)d).") % {"count": count, "limit": limit},
        "archive_entries",
    )


def _bomb() -> ValidationError:
    return _refuse(_("The archive is compressed suspiciously well (a possible zip bomb)."), "archive_ratio")


def _check_zip(file: IO[bytes], size: int, *, max_entries: int, max_uncompressed: int, max_ratio: int) -> str:
    """Archive limits from the central directory, before any entry is read; returns the zip flavour."""
    if b"%PDF-" in _read_at(file, 0, 1024):
        raise _polyglot()
    tail_length = min(size, _EOCD_SIZE + _MAX_COMMENT)
    tail = _read_at(file, size - tail_length, tail_length)
    at = tail.rfind(_EOCD)
    if at < 0 or len(tail) - at < _EOCD_SIZE:
        raise _refuse(_("The archive is damaged (no central directory)."), "archive_damaged")
    _disk, _cd_disk, _here, entries, cd_size, _cd_offset, _comment = struct.unpack("<HHHHIIH", tail[at + 4 : at + 22])
    if entries == 0xFFFF or cd_size == 0xFFFFFFFF:
        raise _refuse(_("Archives in the ZIP64 format are not accepted."), "archive_zip64")
    if entries > max_entries:
        raise _too_many(entries, max_entries)
    if cd_size > entries * (_CD_ENTRY_MIN + 3 * 1024) + 1024 or cd_size > size:
        raise _refuse(_("The archive is damaged (central directory too large)."), "archive_damaged")
    file.seek(0)
    try:
        with zipfile.ZipFile(file) as archive:  # reads the central directory only
            infos = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, NotImplementedError, OSError, ValueError, EOFError) as exc:
        raise _refuse(_("The archive is damaged (%(error)s).") % {"error": exc}, "archive_damaged") from None
    if len(infos) > max_entries:
        raise _too_many(len(infos), max_entries)
    total = compressed = 0
    for info in infos:
        if info.flag_bits & 0x1:
            raise _refuse(_("Encrypted archives are not accepted."), "archive_encrypted")
        if _PROGRAM_ENTRY.search(info.filename):
            raise _refuse(
                _("The archive holds a program or macros (%(name)s); it is not accepted.")
                % {"name": info.filename[:100]},
                "archive_program",
            )
        total += info.file_size
        compressed += info.compress_size
        if total > max_uncompressed:
            raise _refuse(
                _("The archive unpacks to more than %(limit)s.") % {"limit": _human(max_uncompressed)},
                "archive_too_big",
            )
        if info.file_size > RATIO_FLOOR and info.file_size > max_ratio * max(info.compress_size, 1):
            raise _bomb()
    if total > RATIO_FLOOR and total > max_ratio * max(compressed, 1):
        raise _bomb()
    names = {info.filename for info in infos}
    if "[Content_Types].xml" in names:
        for prefix, kind in (("word/", "docx"), ("xl/", "xlsx"), ("ppt/", "pptx")):
            if any(name.startswith(prefix) for name in names):
                return kind
    if "mimetype" in names:
        info = next(i for i in infos if i.filename == "mimetype")
        if info.file_size <= 100:
            file.seek(0)
            try:
                with zipfile.ZipFile(file) as archive:
                    kind = _ODF.get(archive.read("mimetype").strip())
            except (zipfile.BadZipFile, NotImplementedError, OSError, ValueError, EOFError, RuntimeError) as exc:
                raise _refuse(_("The archive is damaged (%(error)s).") % {"error": exc}, "archive_damaged") from None
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
    """Check an uploaded file (an UploadedFile or a binary file object); returns its detected type.

    The file is rewound afterwards, so the caller reads it from the start."""
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
        if _is_program(head):
            raise _refuse(_("Programs and scripts are not accepted, whatever their name."), "executable")
        kind = _sniff(head)
        if kind == "zip":
            kind = _check_zip(
                file, size, max_entries=max_entries, max_uncompressed=max_uncompressed, max_ratio=max_ratio
            )
        else:
            if kind is None and _looks_like_markup(head):
                raise _refuse(_("HTML, SVG and XML files are not accepted."), "markup")
            data = _read_at(file, 0, size)  # at most max_bytes
            if kind is None:
                _check_text(data)
                kind = "json" if "json" in allowed and _looks_like_json(data) else "text"
            _check_single(kind, data)
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


# --- What callers use -----------------------------------------------------------------


@dataclass(frozen=True)
class CheckedUpload:
    """An upload that passed :func:`check_upload`: its base name, its bytes and its detected type."""

    name: str
    data: bytes
    type: DetectedType

    @property
    def content_type(self) -> str:
        if self.type.kind == "text" and self.name.lower().endswith(".csv"):
            return "text/csv"
        return self.type.mime


def _base_name(name: str) -> str:
    return PurePath(str(name or "").replace("\\", "/")).name[:200] or "file"


def read_upload(file: Any, *, allowed: frozenset[str] | set[str], max_bytes: int | None = None) -> CheckedUpload:
    """Check ``file`` (an UploadedFile) first, then read it (never more than the limit)."""
    detected = check_upload(file, allowed=allowed, max_bytes=max_bytes)
    limit = max_bytes if max_bytes is not None else _setting("TANDEM_UPLOAD_MAX_BYTES", 10 * 1024 * 1024)
    data = file.read(limit + 1)
    file.seek(0)
    if len(data) > limit:  # the file grew or lied about its size
        raise _refuse(_("The file is too large (at most %(limit)s).") % {"limit": _human(limit)}, "too_large")
    return CheckedUpload(name=_base_name(getattr(file, "name", "")), data=data, type=detected)


def check_bytes(
    data: bytes, *, name: str = "", allowed: frozenset[str] | set[str], max_bytes: int | None = None
) -> CheckedUpload:
    """Check bytes already read (a service's input); an empty ``name`` skips the name-matches-content check."""
    detected = check_upload(io.BytesIO(data), name=name, allowed=allowed, max_bytes=max_bytes)
    return CheckedUpload(name=_base_name(name), data=data, type=detected)


@deconstructible
class FileCheck:
    """A form field validator: ``forms.FileField(validators=[FileCheck({"xlsx"}, "TANDEM_IMPORT_MAX_BYTES")])``.

    The limit is read from settings when the form is validated (so a settings change applies)."""

    def __init__(self, allowed: frozenset[str] | set[str], max_bytes_setting: str = "TANDEM_UPLOAD_MAX_BYTES"):
        self.allowed = frozenset(allowed)
        self.max_bytes_setting = max_bytes_setting

    def __call__(self, file: Any) -> None:
        check_upload(file, allowed=self.allowed, max_bytes=_setting(self.max_bytes_setting, 10 * 1024 * 1024))

    def __eq__(self, other: object) -> bool:
        return (
            isinstance(other, FileCheck)
            and self.allowed == other.allowed
            and self.max_bytes_setting == other.max_bytes_setting
        )
