"""Small PDF documents (minutes, plans) drawn with fpdf2.

``PdfDocument`` wraps fpdf2 with Tandem's conventions: A4, a title block,
headings, wrapped paragraphs, simple tables, "page n of N" and the generation
time in the footer. Text is Unicode: DejaVu Sans (Debian's fonts-dejavu-core,
path configurable with ``PDF_FONT_DIR``) covers Latin, Cyrillic and Greek.
Without the font the document falls back to Helvetica, which only covers
Latin-1, and replaces other characters with "?" rather than failing.
"""

from __future__ import annotations

import copy
import io
import threading
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from django.conf import settings
from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from fontTools import ttLib
from fpdf import FPDF
from fpdf.enums import TextEmphasis, XPos, YPos
from fpdf.fonts import SubsetMap, TTFFont

FONT_FILES = {"": "DejaVuSans.ttf", "B": "DejaVuSans-Bold.ttf", "I": "DejaVuSans-Oblique.ttf"}


def _font_dir() -> Path:
    return Path(getattr(settings, "PDF_FONT_DIR", "/usr/share/fonts/truetype/dejavu"))


# Parsing a TrueType font (character map, widths and names of its ~6,000 glyphs, metrics) is most of
# the CPU a short document costs, and it is the same for every document: it is done once per process
# and font file. Each document gets a shallow copy with its own glyph subset and its own fontTools
# font (opened lazily) for fpdf2 to cut down to the glyphs used when the document is written. From
# that font the tables fpdf2's subsetting drops anyway are removed before they are ever decoded
# (layout tables, and "kern" beside GPOS as fontTools does): the output is byte for byte the same
# (tandem/core/tests/test_pdf.py compares it with fpdf2's own add_font).
_FONTS: dict[tuple[str, str], TTFFont] = {}
_FONT_BYTES: dict[str, bytes] = {}  # each font file read once; a document reads its copy in memory
_FONTS_LOCK = threading.Lock()
_DROPPED_WHEN_WRITTEN = {
    "FFTM", "GDEF", "GPOS", "GSUB", "MATH", "hdmx", "meta", "sbix", "CBDT", "CBLC", "EBDT", "EBLC", "EBSC",
    "SVG ", "CPAL", "COLR",
}  # fmt: skip


def _document_font(pdf: FPDF, path: Path, family: str, style: str) -> TTFFont:
    fontkey = f"{family.lower()}{style}"
    with _FONTS_LOCK:
        parsed = _FONTS.get((str(path), fontkey))
        if parsed is None:
            parsed = TTFFont(FPDF(), path, fontkey, style)
            parsed.ttfont.close()  # never read again: each document opens its own (below)
            _FONTS[(str(path), fontkey)] = parsed
        if str(path) not in _FONT_BYTES:
            _FONT_BYTES[str(path)] = path.read_bytes()
        data = _FONT_BYTES[str(path)]
    font = copy.copy(parsed)  # shares the parsed maps, which documents only read
    font.i = len(pdf.fonts) + 1
    font.missing_glyphs = []
    font.biggest_size_pt = 0
    # From memory, not the file: a document that is never written (or fails) leaves no file open.
    ttfont = ttLib.TTFont(io.BytesIO(data), recalcTimestamp=False, lazy=True)
    if "GPOS" in ttfont:
        _delete_tables(ttfont, {"kern"})
    _delete_tables(ttfont, _DROPPED_WHEN_WRITTEN)
    font.ttfont = ttfont
    font.subset = SubsetMap(font)
    return font


def _delete_tables(ttfont: ttLib.TTFont, tags: set[str]) -> None:
    for tag in tags & set(ttfont.keys()):
        del ttfont[tag]


TLP_COLOURS = {
    "TLP:RED": (255, 43, 43),
    "TLP:AMBER": (255, 192, 0),
    "TLP:GREEN": (51, 255, 0),
    "TLP:CLEAR": (255, 255, 255),
}


class PdfDocument(FPDF):
    """``marking``: the TLP label of the content (``TLP:AMBER``…), drawn in its colours on black at
    the top of every page; ``context``: where the content belongs (jurisdiction, body), at the top
    of every page too, so a printed page on its own still says what it is and who may read it."""

    def __init__(self, *, title: str, subtitle: str = "", marking: str = "", context: str = "") -> None:
        super().__init__(orientation="portrait", unit="mm", format="A4")
        self.doc_title = title
        self.marking = marking
        self.context = context
        self.generated = timezone.localtime().strftime("%Y-%m-%d %H:%M %Z")
        self.set_title(title)
        self.set_creator("Tandem")
        self.set_auto_page_break(auto=True, margin=18)
        self.set_margins(18, 18, 18)
        self.font_directory = _font_dir()
        self.unicode = all((self.font_directory / name).is_file() for name in FONT_FILES.values())
        if self.unicode:
            # Each style is added when first used (set_font below): every font added is embedded.
            self.family = "Body"
        else:
            self.family = "Helvetica"
        self.alias_nb_pages()
        self.add_page()
        self.set_font(self.family, "B", 16)
        self.multi_cell(0, 8, self.safe(title), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        if subtitle:
            self.set_font(self.family, "", 10)
            self.set_text_color(80, 80, 80)
            self.multi_cell(0, 5, self.safe(subtitle), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
            self.set_text_color(0, 0, 0)
        self.ln(4)

    def set_font(self, family: str | None = None, style: Any = "", size: float = 0) -> None:
        if self.unicode and (family or self.font_family).lower() == "body":
            letters = style.style if isinstance(style, TextEmphasis) else str(style)
            wanted = "".join(letter for letter in sorted(letters.upper()) if letter in "BI")
            if wanted in FONT_FILES and f"body{wanted}" not in self.fonts:
                font = _document_font(self, self.font_directory / FONT_FILES[wanted], "Body", wanted)
                self.fonts[font.fontkey] = font
        super().set_font(family, style, size)

    def safe(self, text: object) -> str:
        value = "" if text is None else str(text)
        if self.unicode:
            return value
        return value.encode("latin-1", "replace").decode("latin-1")

    def header(self) -> None:
        if not (self.marking or self.context):
            return
        top = self.get_y()
        self.set_y(8)
        self.set_font(self.family, "", 8)
        self.set_text_color(80, 80, 80)
        self.cell(0, 5, self.safe(self.context))
        if self.marking:
            self.set_font(self.family, "B", 9)
            width = self.get_string_width(self.marking) + 4
            self.set_xy(self.w - self.r_margin - width, 8)
            self.set_fill_color(0, 0, 0)
            self.set_text_color(*TLP_COLOURS.get(self.marking, (255, 255, 255)))
            self.cell(width, 5, self.safe(self.marking), fill=True, align="C")
        self.set_text_color(0, 0, 0)
        self.set_font(self.family, "", 10)
        self.set_y(max(top, 18))

    def footer(self) -> None:
        self.set_y(-12)
        self.set_font(self.family, "", 8)
        self.set_text_color(100, 100, 100)
        label = _("Page %(page)s of %(pages)s") % {"page": self.page_no(), "pages": "{nb}"}
        self.cell(0, 5, self.safe(f"{self.doc_title} · {label} · {self.generated}"), align="C")
        self.set_text_color(0, 0, 0)

    def heading(self, text: str) -> None:
        self.ln(2)
        self.set_font(self.family, "B", 12)
        self.multi_cell(0, 7, self.safe(text), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.set_font(self.family, "", 10)

    def paragraph(self, text: str) -> None:
        self.set_font(self.family, "", 10)
        self.multi_cell(0, 5, self.safe(text), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.ln(1)

    def field(self, label: str, value: object) -> None:
        """A "label: value" line, the label in bold."""
        self.set_font(self.family, "B", 10)
        self.write(5, self.safe(f"{label}: "))
        self.set_font(self.family, "", 10)
        self.write(5, self.safe(value))
        self.ln(6)

    def table(
        self, header: Sequence[str], rows: Sequence[Sequence[object]], widths: Sequence[int] | None = None
    ) -> None:
        """A table with a bold header row; long cells wrap; the header repeats on new pages."""
        self.set_font(self.family, "", 9)
        with super().table(
            col_widths=tuple(widths) if widths else None,
            text_align="LEFT",
            line_height=5,
            first_row_as_headings=True,
        ) as table:
            head = table.row()
            for cell in header:
                head.cell(self.safe(cell))
            for values in rows:
                row = table.row()
                for cell in values:
                    row.cell(self.safe(cell))
        self.ln(2)

    def output(self, *args: Any, **kwargs: Any) -> Any:
        """The PDF's bytes; then the font files fontTools keeps open (lazily read) are closed."""
        try:
            return super().output(*args, **kwargs)
        finally:
            for font in self.fonts.values():
                ttfont = getattr(font, "ttfont", None)
                if ttfont is not None:
                    ttfont.close()

    def response(self, filename: str) -> HttpResponse:
        """The document as a download (``Content-Disposition: attachment``)."""
        response = HttpResponse(bytes(self.output()), content_type="application/pdf")
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        response["X-Content-Type-Options"] = "nosniff"
        return response
