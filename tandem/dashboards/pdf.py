"""The quarterly report of the dashboard as PDF (fpdf2): the same figures, tables and SVG charts
as the page (the chart template is rendered once and drawn by fpdf2's SVG support)."""

from __future__ import annotations

import datetime as dt
import io
import re
from typing import Any

from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _

from tandem.core import figures as core_figures
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


def report_bytes(actor: Any, jurisdiction: Any, period: str) -> bytes:
    """The quarterly report of ``actor``'s dashboard (narrowed to ``jurisdiction`` if given) as at the
    end of ``period`` ("2026-Q3"), counted with the actor's access now: the PDF's bytes."""
    quarter = core_figures.parse_quarter(period)
    if quarter is None:
        raise ValueError(f"not a quarter: {period!r}")
    key, _start, end = quarter
    scope = core_figures.Scope(actor, within=jurisdiction.path if jurisdiction is not None else "")
    extra = {"within": str(jurisdiction.uuid)} if jurisdiction is not None else {}
    with core_figures.as_of(end - dt.timedelta(days=1)):
        built = dashboard_panels.build(scope, extra)
        units = dashboard_panels.units_table(scope, jurisdiction)
    place = jurisdiction.name if jurisdiction is not None else ", ".join(dashboard_panels.scope_names(scope))
    doc = quarterly_report(
        title=dashboard_panels.title(actor),
        period=key,
        place=place,
        panels=built,
        units=units,
        link=reverse("dashboard"),
    )
    return bytes(doc.output())


def quarterly_report(
    *, title: str, period: str, place: str, panels: list[dict[str, Any]], units: dict[str, Any], link: str
) -> PdfDocument:
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
    return doc
