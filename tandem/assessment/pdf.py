"""The assessment report as PDF (fpdf2): the same figures and the same radar SVG as the page."""

from __future__ import annotations

import io
from typing import Any

from django.http import HttpResponse
from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from tandem.core.models import Sector
from tandem.core.pdf import PdfDocument

from . import access, indicators, selectors
from .models import Level


def _num(value: float | None) -> str:
    return "—" if value is None else f"{value:.1f}"


def report(actor: Any, assessment: Any, result: Any, chart: Any, previous: Any) -> HttpResponse:
    doc = PdfDocument(
        title=_("Assessment of %(place)s, round %(round)s")
        % {"place": assessment.jurisdiction.name, "round": assessment.round_label},
        subtitle=f"{assessment.framework} · {assessment.get_status_display()}",
        marking="TLP:AMBER",
        context=assessment.jurisdiction.name,
    )
    doc.heading(_("Method"))
    doc.paragraph(
        _(
            "Respondents scored each statement of the framework from %(low)s to %(high)s, or answered "
            "“don't know”. Figures are medians and interquartile ranges of their answers; a spread of 2 "
            "levels or more is flagged as disagreement. Groups of fewer than 3 respondents are shown only merged."
        )
        % {"low": 0, "high": chart.max_value}
    )
    doc.paragraph(assessment.framework.author_statement)
    doc.heading(_("Respondents by sector and level"))
    sectors = dict(Sector.choices)
    levels = dict(Level.choices)
    doc.table(
        [_("Sector"), _("Level"), _("Respondents")],
        [[str(sectors.get(s, s)), str(levels.get(lv, lv)), n] for s, lv, n in selectors.respondent_mix(assessment)],
    )
    svg = render_to_string("assessment/partials/radar.html", {"chart": chart})
    doc.heading(_("Median score per competency"))
    doc.image(io.BytesIO(svg.encode()), w=120)
    evidence = indicators.indicators(actor, assessment)
    rows = []
    for i, comp in enumerate(result.competencies):
        rows.append(
            [
                comp.competency.name,
                _num(comp.stat.median),
                _num(comp.stat.iqr) + (" ⚑" if comp.stat.disagreement else ""),
                comp.stat.n,
                _num(previous[i]) if previous is not None else "—",
                "; ".join(
                    f"{ind.label}: {ind.value if ind.measured else _('not measured')}"
                    for ind in evidence.get(comp.competency.code, [])
                ),
            ]
        )
    doc.table(
        [
            _("Competency"),
            _("Median"),
            _("Spread (IQR)"),
            _("Answers"),
            _("Previous round"),
            _("Evidence from activity"),
        ],
        rows,
        widths=(28, 16, 22, 16, 20, 72),
    )
    disagreements = [ir for c in result.competencies for ir in c.items if ir.stat.disagreement]
    doc.heading(_("Disagreements"))
    if disagreements:
        doc.table(
            [_("Statement"), _("Median"), _("Spread (IQR)")],
            [[f"{ir.item.code} {ir.item.statement}", _num(ir.stat.median), _num(ir.stat.iqr)] for ir in disagreements],
            widths=(130, 22, 22),
        )
    else:
        doc.paragraph(_("None."))
    for split in result.splits:
        if split.shown:
            a, b = ("national", "local") if split.key == "level" else ("security", "non_security")
            doc.heading(f"{split.labels[0]} / {split.labels[1]}")
            doc.table(
                [_("Competency"), str(split.labels[0]), str(split.labels[1])],
                [[c.competency.name, _num(c.groups[a].median), _num(c.groups[b].median)] for c in result.competencies],
            )
    texts = selectors.strengths_and_obstacles(actor, assessment)
    if texts:
        doc.heading(_("Strengths and obstacles"))
        for t in texts:
            if t["strengths"]:
                doc.paragraph(f"+ {t['strengths']}")
            if t["obstacles"]:
                doc.paragraph(f"− {t['obstacles']}")
    findings = list(access.visible_findings(actor).filter(assessment=assessment).order_by("id"))
    if findings:
        doc.heading(_("Findings"))
        doc.table(
            [_("Competency"), _("Finding"), _("Outcome")],
            [[f.competency.name if f.competency else "—", f.text, f.get_outcome_display()] for f in findings],
            widths=(30, 110, 34),
        )
    recommendations = list(access.visible_recommendations(actor).filter(assessment=assessment).order_by("id"))
    if recommendations:
        doc.heading(_("Recommendations"))
        for r in recommendations:
            doc.paragraph(f"{r.competency.name}: {r.text}")
    return doc.response(f"assessment-{assessment.jurisdiction.name}-{assessment.round_label}.pdf".replace(" ", "-"))


def _places(entry: Any) -> str:
    """The places an entry names (prefetched by the view)."""
    return ", ".join(p.name for p in entry.places.all())  # access-ok: jurisdiction names are read by every role


def mapping_report(actor: Any, exercise: Any, entries: list[Any], covered: list[Any], competencies: list[Any]) -> Any:
    """The mapping report: who did the desk review, strengths and obstacles by competency and place,
    the validation meeting (if the reader may see it), the assessments drawn on, the report text."""
    from tandem.bodies import access as bodies_access

    from .models import EntryKind

    doc = PdfDocument(
        title=exercise.title,
        subtitle=_("Mapping of %(place)s") % {"place": exercise.jurisdiction.name},
        marking="TLP:AMBER",
        context=exercise.jurisdiction.name,
    )
    meeting = None
    if exercise.validation_meeting_id is not None:
        meeting = bodies_access.visible_meetings(actor).filter(pk=exercise.validation_meeting_id).first()
    doc.table(
        [_("Lead"), _("Desk review by"), _("Validation meeting")],
        [
            [
                str(exercise.lead),
                exercise.expert.full_name if exercise.expert_id else "—",
                f"{meeting.title} ({meeting.starts_at:%Y-%m-%d})" if meeting is not None else "—",
            ]
        ],
    )
    doc.heading(_("Desk review"))
    doc.paragraph(exercise.desk_review or "—")
    for kind, heading in ((EntryKind.STRENGTH, _("Strengths")), (EntryKind.OBSTACLE, _("Obstacles"))):
        doc.heading(heading)
        rows = [[e.competency.name, _places(e), e.text, e.evidence or "—"] for e in entries if e.kind == kind]
        if rows:
            doc.table([_("Competency"), _("Jurisdictions"), heading, _("Evidence")], rows, widths=(28, 30, 70, 46))
        else:
            doc.paragraph(_("None."))
    doc.heading(_("Assessments of the places covered"))
    if covered:
        doc.table(
            [_("Jurisdiction"), _("Round"), *(c.name for c in competencies)],
            [
                [
                    row.jurisdiction.name,
                    row.assessment.round_label,
                    *(_num(row.medians.get(c.code)) for c in competencies),
                ]
                for row in covered
            ],
        )
    else:
        doc.paragraph(_("No assessment you can see in this country or region."))
    doc.heading(_("Mapping report"))
    doc.paragraph(exercise.report or "—")
    return doc.response(f"mapping-{exercise.jurisdiction.name}.pdf".replace(" ", "-"))
