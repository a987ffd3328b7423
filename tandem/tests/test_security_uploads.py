"""tandem.core.uploads: size, type by content, archive limits before reading (zip bombs)."""

from __future__ import annotations

import io
import struct
import time
import tracemalloc
import zipfile
import zlib

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from tandem.core.uploads import DOCUMENTS, IMAGES, check_upload

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
PDF = b"%PDF-1.7\n" + b"1 0 obj\n" * 8


def upload(name: str, content: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/octet-stream")


def zipped(entries: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def refused(code: str, *args, **kwargs) -> ValidationError:
    with pytest.raises(ValidationError) as caught:
        check_upload(*args, **kwargs)
    assert caught.value.code == code, caught.value
    return caught.value


@pytest.fixture(scope="module")
def zip_bomb(tmp_path_factory):
    """A valid ZIP whose one entry unpacks to 1 GiB of zeros, about 1 MB on disk.

    Deflating 1 GiB takes ~15 s here, so the stream is built from one deflated 1 MiB block of
    zeros ended by a full flush (the compressor restarts from the same state, so every block
    has the same bytes), repeated 1024 times; the headers are written by hand.
    """
    chunk = b"\x00" * (1024 * 1024)
    compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
    block = compressor.compress(chunk) + compressor.flush(zlib.Z_FULL_FLUSH)
    crc = 0
    for _ in range(1024):
        crc = zlib.crc32(chunk, crc)
    usize, name = 1024 * len(chunk), b"zeros.txt"
    path = tmp_path_factory.mktemp("bomb") / "bomb.zip"
    with path.open("wb") as out:
        out.write(struct.pack("<4sHHHHHIIIHH", b"PK\x03\x04", 20, 0, 8, 0, 0x21, crc, 0, usize, len(name), 0))
        out.write(name)
        data_start = out.tell()
        for _ in range(1024):
            out.write(block)
        out.write(compressor.flush(zlib.Z_FINISH))
        csize = out.tell() - data_start
        out.seek(14)
        out.write(struct.pack("<III", crc, csize, usize))
        out.seek(0, 2)
        cd_offset = out.tell()
        out.write(
            struct.pack(
                "<4sHHHHHHIIIHHHHHII",
                b"PK\x01\x02",
                20,
                20,
                0,
                8,
                0,
                0x21,
                crc,
                csize,
                usize,
                len(name),
                0,
                0,
                0,
                0,
                0,
                0,
            )
        )
        out.write(name)
        cd_size = out.tell() - cd_offset
        out.write(struct.pack("<4sHHHHIIH", b"PK\x05\x06", 0, 0, 1, 1, cd_size, cd_offset, 0))
    with zipfile.ZipFile(path) as archive, archive.open("zeros.txt") as entry:
        assert entry.read(4 * 1024 * 1024) == b"\x00" * (4 * 1024 * 1024)  # a real, readable deflate stream
    return path


def test_types_are_detected_by_content(db):
    assert check_upload(upload("report.pdf", PDF)).kind == "pdf"
    assert check_upload(upload("photo.png", PNG), allowed=IMAGES).mime == "image/png"
    assert check_upload(upload("notes.csv", "name;ville\nÉcole;Cebu\n".encode())).kind == "text"
    docx = zipped({"[Content_Types].xml": b"<Types/>", "word/document.xml": b"<w:document/>"})
    assert check_upload(upload("minutes.docx", docx)).kind == "docx"
    xlsx = zipped({"[Content_Types].xml": b"<Types/>", "xl/workbook.xml": b"<workbook/>"})
    assert check_upload(upload("plan.xlsx", xlsx)).kind == "xlsx"
    odt = zipped({"mimetype": b"application/vnd.oasis.opendocument.text", "content.xml": b"<x/>"})
    assert check_upload(upload("letter.odt", odt)).kind == "odt"


def test_a_real_xlsx_from_openpyxl_passes(db):
    from openpyxl import Workbook

    buffer = io.BytesIO()
    Workbook().save(buffer)
    assert check_upload(upload("book.xlsx", buffer.getvalue())).kind == "xlsx"


@pytest.mark.parametrize(
    "content",
    [
        b"<svg xmlns='http://www.w3.org/2000/svg'><script>alert(1)</script></svg>",
        b"<!DOCTYPE html><html><body>hi</body></html>",
        b"\xef\xbb\xbf  <?xml version='1.0'?><svg/>",
        b"name\n<script>alert(1)</script>\n",
    ],
)
def test_html_svg_and_xml_are_refused_whatever_the_name(db, content):
    refused("markup", upload("innocent.txt", content))


def test_unknown_binaries_and_legacy_office_files_are_refused(db):
    refused("unknown_type", upload("old.doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00\x01" * 100))
    refused("unknown_type", upload("blob.txt", b"\x01\x02\x00\x03" * 50))


@pytest.mark.parametrize(
    "content",
    [
        b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00\xff" * 100,  # Windows
        b"\x7fELF\x02\x01\x01\x00" + b"\x00" * 100,  # Linux
        b"\xcf\xfa\xed\xfe\x07\x00\x00\x01" + b"\x00" * 100,  # macOS
        b"\xca\xfe\xba\xbe\x00\x00\x00\x02" + b"\x00" * 100,  # macOS universal, Java class
        b"\x00asm\x01\x00\x00\x00",  # WebAssembly
        b"#!/bin/sh\nrm -rf /\n",  # a script
    ],
)
@pytest.mark.parametrize("name", ["report.pdf", "budget.xlsx", "notes.txt", "tool.exe"])
def test_programs_are_refused_whatever_their_name(db, content, name):
    error = refused("executable", upload(name, content), allowed=DOCUMENTS | IMAGES)
    assert "Programs and scripts are not accepted" in error.messages[0]


def test_text_starting_with_mz_is_still_text(db):
    assert check_upload(upload("notes.txt", b"MZ Foundation, Cebu\n")).kind == "text"


def test_text_must_be_utf8(db):
    refused("text_encoding", upload("orgs.csv", "nom;ville\nÉcole;Cebu\n".encode("latin-1")))
    refused("text_encoding", upload("orgs.csv", "nom;ville\n".encode("utf-16")))


def test_the_name_must_match_the_content(db):
    error = refused("extension_mismatch", upload("report.pdf", PNG), allowed=IMAGES | DOCUMENTS)
    assert ".png" in error.messages[0]


def test_a_type_not_allowed_here_is_refused(db):
    error = refused("not_allowed", upload("photo.png", PNG))
    assert "Accepted:" in error.messages[0] and ".pdf" in error.messages[0]


def test_size_limits(db):
    refused("empty", upload("empty.pdf", b""))
    refused("too_large", upload("big.pdf", PDF + b"x" * 2048), max_bytes=1024)


def test_archive_entry_count_is_checked(db):
    many = zipped({f"f{i}.txt": b"x" for i in range(30)})
    refused("archive_entries", upload("many.zip", many), allowed={"zip"}, max_entries=20)
    assert check_upload(upload("many.zip", many), allowed={"zip"}, max_entries=30).kind == "zip"


def test_archive_unpacked_size_is_checked(db):
    content = zipped({"a.txt": b"a" * 5000, "b.txt": b"b" * 5000})
    refused("archive_too_big", upload("two.zip", content), allowed={"zip"}, max_uncompressed=8000)


def test_encrypted_and_damaged_archives_are_refused(db):
    content = bytearray(zipped({"secret.txt": b"x" * 100}))
    # Set the "encrypted" flag in the central directory entry.
    at = content.rfind(b"PK\x01\x02")
    content[at + 8] |= 0x1
    refused("archive_encrypted", upload("locked.zip", bytes(content)), allowed={"zip"})
    refused("archive_damaged", upload("cut.zip", zipped({"a.txt": b"a" * 100})[:-30]), allowed={"zip"})


def test_a_zip_bomb_is_refused_quickly_without_exhausting_memory(db, zip_bomb):
    size = zip_bomb.stat().st_size
    assert size < 3 * 1024 * 1024  # ~1 MB on disk ...
    with zipfile.ZipFile(zip_bomb) as archive:
        assert archive.infolist()[0].file_size == 1024**3  # ... 1 GiB unpacked
    tracemalloc.start()
    started = time.perf_counter()
    with zip_bomb.open("rb") as handle, pytest.raises(ValidationError) as caught:
        check_upload(handle, name="report.zip", allowed={"zip"})
    elapsed = time.perf_counter() - started
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert caught.value.code in {"archive_too_big", "archive_ratio"}
    assert elapsed < 0.5
    assert peak < 2 * 1024 * 1024


def test_a_bomb_disguised_as_xlsx_is_refused(db, zip_bomb):
    with zip_bomb.open("rb") as handle, pytest.raises(ValidationError):
        check_upload(handle, name="budget.xlsx", allowed={"xlsx"})


def test_many_entries_are_refused_before_the_directory_is_parsed(db, monkeypatch):
    content = zipped({f"f{i}.txt": b"" for i in range(50)})

    def no_parsing(*args, **kwargs):
        raise AssertionError("the central directory was parsed")

    monkeypatch.setattr(zipfile.ZipFile, "__init__", no_parsing)
    refused("archive_entries", upload("many.zip", content), allowed={"zip"}, max_entries=10)


def test_the_file_is_rewound_for_the_caller(db):
    file = upload("report.pdf", PDF)
    check_upload(file)
    assert file.read(5) == b"%PDF-"


# --- Polyglots, ratios, programs inside archives ------------------------------------------

PNG_IEND = PNG + b"\x00\x00\x00\x00IEND\xaeB`\x82"


@pytest.mark.parametrize(
    "name,content",
    [
        ("report.pdf", PDF + zipped({"evil.txt": b"x" * 100})),  # a PDF with an archive appended
        ("photo.png", PNG_IEND + zipped({"evil.txt": b"x" * 100})),  # an image with an archive appended
        ("photo.jpg", b"\xff\xd8\xff\xe0" + b"\x01" * 64 + zipped({"a.txt": b"x"})[:-22]),  # a local header inside
        ("book.xlsx", b"%PDF-1.7\n" + zipped({"[Content_Types].xml": b"<T/>", "xl/workbook.xml": b"<w/>"})),
        ("book.xlsx", zipped({"a%PDF-1.7.txt": b"", "[Content_Types].xml": b"<T/>", "xl/workbook.xml": b"<w/>"})),
        ("photo.png", PNG[:16] + b"%PDF-1.4\n" + PNG[16:]),  # a PDF header inside an image
    ],
)
def test_polyglot_files_are_refused(db, name, content):
    error = refused("polyglot", upload(name, content), allowed=DOCUMENTS | IMAGES)
    assert "second file" in error.messages[0]


def test_data_after_the_end_of_a_png_is_refused(db):
    refused("trailing_data", upload("photo.png", PNG_IEND + b"secret payload"), allowed=IMAGES)
    assert check_upload(upload("photo.png", PNG_IEND + b"\n"), allowed=IMAGES).kind == "png"


def test_a_real_png_and_pdf_pass(db):
    from fpdf import FPDF

    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("helvetica", size=12)
    pdf.cell(text="Tandem")
    assert check_upload(upload("report.pdf", bytes(pdf.output()))).kind == "pdf"


def test_the_ratio_is_checked_per_entry_and_overall(db):
    one = zipped({"zeros.bin": b"\x00" * (2 * 1024 * 1024)})
    refused("archive_ratio", upload("one.zip", one), allowed={"zip"})
    # Many entries each under the floor, together over it and far too well compressed.
    many = zipped({f"z{i}.bin": b"\x00" * (256 * 1024) for i in range(8)})
    refused("archive_ratio", upload("many.zip", many), allowed={"zip"})
    assert check_upload(upload("many.zip", many), allowed={"zip"}, max_ratio=5000).kind == "zip"


@pytest.mark.parametrize("entry", ["setup.exe", "bin/run.sh", "xl/vbaProject.bin", "META-INF/MANIFEST.MF"])
def test_programs_and_macros_inside_archives_are_refused(db, entry):
    content = zipped({"[Content_Types].xml": b"<T/>", "xl/workbook.xml": b"<w/>", entry: b"x"})
    refused("archive_program", upload("book.xlsx", content), allowed={"xlsx"})


def test_helpers_for_callers(db, settings):
    from tandem.core.uploads import FileCheck, check_bytes, read_upload

    checked = read_upload(upload("../../etc/notes.csv", b"a,b\n1,2\n"), allowed=DOCUMENTS)
    assert (checked.name, checked.content_type, checked.data) == ("notes.csv", "text/csv", b"a,b\n1,2\n")
    assert check_bytes(PDF, allowed=DOCUMENTS).type.kind == "pdf"  # no name: no name check
    settings.TANDEM_IMPORT_MAX_BYTES = 10
    with pytest.raises(ValidationError) as caught:
        FileCheck({"pdf"}, "TANDEM_IMPORT_MAX_BYTES")(upload("report.pdf", PDF))
    assert caught.value.code == "too_large"
