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
