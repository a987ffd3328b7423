"""The quarterly report of the dashboard as PDF (fpdf2): the same figures, tables and SVG charts
as the page (the chart template is rendered once and drawn by fpdf2's SVG support)."""

from __future__ import annotations

import io
import re
from typing import Any

from django.http import HttpResponse
from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from tandem.core.pdf import PdfDocument

from . import panels as dashboard_panels

# The figures count records of every label up to TLP:AMBER (titles never appear): AMBER, like the page.
MARKING = "TLP:AMBER"


def _svg(doc: PdfDocument, panel: dict[str, Any]) -> io.BytesIO:
    """The page's chart markup; only the font is the document's (the same DejaVu Sans as its text)."""
    context = {"figure": panel["figure"], "chart": panel["chart"], "chart_font": doc.family}
    markup = render_to_string("dashboards/_chart.html", context)
    # fpdf2 draws no <title> (the heading above the chart says it): left out rather than warned about.
    markup = re.sub(r"<title[^>]*>.*?</title>", "", markup, flags=re.S)
    return io.BytesIO(markup.encode())


def _figure(doc: PdfDocument, panel: dict[str, Any]) -> None:
    figure = panel["figure"]
    doc.heading(str(figure.title))
    doc.paragraph(panel["summary"])
    chart = panel["chart"]
    if chart["bars"]:
        width = min(170, chart["width"] * 0.26)
        doc.image(_svg(doc, panel), w=width)
        doc.ln(2)
    matrix = panel["matrix"]
    if matrix is not None:
        if matrix["rows"]:
            header = ["", *[str(c.label) for c in matrix["columns"]], _("Total")]
            rows = [
                [str(line["label"]), *[c["shown"] if c else "0" for c in line["cells"]], line["total"]]
                for line in matrix["rows"]
            ]
            doc.table(header, rows)
        return
    header, rows = dashboard_panels.figure_rows(figure, panel["rows"])
    doc.table(header, [[label, row["shown"]] for (label, _n), row in zip(rows, panel["rows"], strict=True)])


def quarterly_report(
    *, title: str, period: str, place: str, panels: list[dict[str, Any]], units: dict[str, Any], link: str
) -> HttpResponse:
    doc = PdfDocument(
        title=_("%(title)s: quarterly report %(period)s") % {"title": title, "period": period},
        subtitle=_("%(place)s. Figures as at the end of %(period)s, counting only what the reader may open.")
        % {"place": place, "period": period},
        marking=MARKING,
        context=place,
    )
    for panel in panels:
        _figure(doc, panel)
    if units["rows"]:
        doc.heading(_("The units below"))
        header, rows = dashboard_panels.units_rows(units)
        doc.table(header, rows)
    doc.paragraph(_("Each figure's list of records is on the dashboard in Tandem: %(link)s") % {"link": link})
    return doc.response(f"dashboard-{period}.pdf")
