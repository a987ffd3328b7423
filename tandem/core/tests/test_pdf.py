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


def test_without_the_font_latin1_fallback_does_not_fail(settings, tmp_path):
    settings.PDF_FONT_DIR = str(tmp_path)
    doc = PdfDocument(title="Скопје")
    assert not doc.unicode
    assert doc.safe("Скопје é") == "?????? é"
    assert doc.response("x.pdf").content.startswith(b"%PDF-")
