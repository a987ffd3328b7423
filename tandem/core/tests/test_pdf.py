"""PDF documents: Unicode text survives, long tables span pages, downloads are attachments."""

from __future__ import annotations

import pytest

from tandem.core.pdf import PdfDocument


def test_pdf_is_an_attachment_with_unicode_text():
    doc = PdfDocument(title="Procès-verbal — Скопје", subtitle="Cebu City")
    doc.heading("Décisions")
    doc.paragraph("Réunion du comité")
    doc.table(["Organisation", "Secteur"], [["Општина Скопје", "Local government"]])
    response = doc.response("minutes.pdf")
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="minutes.pdf"'
    assert response.content.startswith(b"%PDF-")
    if not doc.unicode:
        pytest.skip("DejaVu fonts are not installed: the Latin-1 fallback was used")
    # The embedded font subset carries the Cyrillic glyphs.
    assert b"DejaVu" in response.content


def test_long_table_continues_on_more_pages():
    doc = PdfDocument(title="Long")
    doc.table(["#", "text"], [[str(i), "row " * 20] for i in range(200)])
    assert doc.page_no() > 3
    assert doc.output().startswith(b"%PDF-")


def test_without_the_font_latin1_fallback_does_not_fail(settings, tmp_path):
    settings.PDF_FONT_DIR = str(tmp_path)
    doc = PdfDocument(title="Скопје")
    assert not doc.unicode
    assert doc.safe("Скопје é") == "?????? é"
    assert doc.response("x.pdf").content.startswith(b"%PDF-")


def test_the_tlp_marking_and_context_are_on_every_page():
    from io import BytesIO

    from pypdf import PdfReader

    doc = PdfDocument(title="Minutes", marking="TLP:AMBER", context="Cebu City · Peace and Order Council")
    doc.table(["#", "text"], [[str(i), "row " * 20] for i in range(120)])
    pages = PdfReader(BytesIO(doc.response("m.pdf").content)).pages
    assert len(pages) > 2
    for page in pages:
        text = page.extract_text()
        assert "TLP:AMBER" in text and "Peace and Order Council" in text


def _sample(doc: PdfDocument) -> bytes:
    import datetime

    doc.heading("Décisions — Ελληνικά")
    doc.paragraph("Réunion du comité, кириллица " * 30)
    doc.set_font(doc.family, "I", 10)
    doc.write(5, "En italique")
    doc.field("Présidence", "Maria Santos")
    doc.table(["Organisation", "Secteur"], [["Општина Скопје", "Local government"]] * 40)
    doc.set_creation_date(datetime.datetime(2026, 1, 1, tzinfo=datetime.UTC))
    return bytes(doc.output())


def test_fonts_parsed_once_give_the_same_bytes_as_fpdf2_parsing_them_per_document(monkeypatch):
    """Documents copy fonts parsed once per process (tandem.core.pdf._document_font) and drop the tables
    fpdf2's subsetting drops before decoding them: the file is the one fpdf2's own parsing writes."""
    import datetime

    from fpdf.fonts import TTFFont

    from tandem.core import pdf

    if not PdfDocument(title="x").unicode:
        pytest.skip("DejaVu fonts are not installed: the Latin-1 fallback was used")
    monkeypatch.setattr(pdf.timezone, "localtime", lambda: datetime.datetime(2026, 1, 1, 9, tzinfo=datetime.UTC))
    cached = [_sample(PdfDocument(title="Procès-verbal", marking="TLP:AMBER", context="Cebu City")) for _ in range(2)]
    monkeypatch.setattr(
        pdf, "_document_font", lambda doc, path, family, style: TTFFont(doc, path, f"{family.lower()}{style}", style)
    )
    # (Only documents that are written here: fpdf2's own parsing opens the font file, and only
    # output() closes it; a document left unwritten would leave the file open.)
    parsed_per_document = _sample(PdfDocument(title="Procès-verbal", marking="TLP:AMBER", context="Cebu City"))
    assert cached[0] == cached[1] == parsed_per_document


def test_only_the_styles_a_document_uses_are_embedded():
    doc = PdfDocument(title="Minutes")
    doc.paragraph("No italics here")
    if not doc.unicode:
        pytest.skip("DejaVu fonts are not installed: the Latin-1 fallback was used")
    assert sorted(doc.fonts) == ["body", "bodyB"]
    doc.set_font(doc.family, "I", 10)
    assert sorted(doc.fonts) == ["body", "bodyB", "bodyI"]
