"""Small PDF documents (minutes, plans) drawn with fpdf2.

``PdfDocument`` wraps fpdf2 with Tandem's conventions: A4, a title block,
headings, wrapped paragraphs, simple tables, "page n of N" and the generation
time in the footer. Text is Unicode: DejaVu Sans (Debian's fonts-dejavu-core,
path configurable with ``PDF_FONT_DIR``) covers Latin, Cyrillic and Greek.
Without the font the document falls back to Helvetica, which only covers
Latin-1, and replaces other characters with "?" rather than failing.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from django.conf import settings
from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from fpdf import FPDF
from fpdf.enums import XPos, YPos

FONT_FILES = {"": "DejaVuSans.ttf", "B": "DejaVuSans-Bold.ttf", "I": "DejaVuSans-Oblique.ttf"}


def _font_dir() -> Path:
    return Path(getattr(settings, "PDF_FONT_DIR", "/usr/share/fonts/truetype/dejavu"))


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
        directory = _font_dir()
        self.unicode = all((directory / name).is_file() for name in FONT_FILES.values())
        if self.unicode:
            for style, name in FONT_FILES.items():
                self.add_font("Body", style, str(directory / name))
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
