"""The event report as a PDF (fpdf2, through tandem.core.pdf), in the event's language."""

from __future__ import annotations

import zoneinfo

from django.utils import translation
from django.utils.translation import gettext as _

from tandem.core.pdf import PdfDocument
from tandem.library.models import Visibility

from .selectors import ReportData

MARKINGS = {Visibility.CLEAR: "TLP:CLEAR", Visibility.GREEN: "TLP:GREEN"}


def marking(visibility: str) -> str:
    """The TLP label of a report: network-wide CLEAR, community GREEN, a country or subtree AMBER."""
    return MARKINGS.get(visibility, "TLP:AMBER")


def report(data: ReportData, *, status: str) -> PdfDocument:
    event = data.event
    zone = zoneinfo.ZoneInfo(event.time_zone)
    with translation.override(event.language):
        place = event.place.name if event.place else _("online")
        doc = PdfDocument(
            title=data.title,
            subtitle=f"{event.starts_at.astimezone(zone):%Y-%m-%d} – {event.ends_at.astimezone(zone):%Y-%m-%d} · {place}",
            marking=marking(event.visibility),
            context=f"{event.jurisdiction.name} · {event.get_kind_display()} · {status}",
        )
        doc.heading(_("Summary"))
        for paragraph in data.summary.split("\n\n") or [""]:
            if paragraph.strip():
                doc.paragraph(paragraph.strip())
        if event.host:
            doc.field(_("Host"), event.host.name)
        for role, label in (("organiser", _("Organisers")), ("partner", _("Partners")), ("funder", _("Funders"))):
            if data.by_role.get(role):
                doc.field(label, ", ".join(o.name for o in data.by_role[role]))
        if data.objectives:
            doc.heading(_("Objectives"))
            for objective in data.objectives:
                doc.paragraph(f"• {objective}")
        doc.heading(_("Participants by country and level"))
        doc.table(
            [_("Country"), *data.levels, _("Total")],
            [[c, *[str(n) for n in by.values()], str(sum(by.values()))] for c, by in data.counts.by_country_level],
        )
        doc.field(_("Participants"), data.counts.total)
        if data.sessions:
            doc.heading(_("Sessions"))
            doc.table(
                [_("When"), _("Session"), _("Speakers"), _("Room")],
                [
                    [f"{s.starts_at.astimezone(zone):%Y-%m-%d %H:%M}", s.title, s.speakers, s.room]
                    for s in data.sessions
                ],
                widths=[30, 70, 50, 24],
            )
        for group in data.breakouts:
            doc.heading(group.breakout.name)
            if group.challenges:
                doc.field(_("Challenges"), "")
                for o in group.challenges:
                    doc.paragraph(f"• {o.text}")
            if group.collaboration:
                doc.field(_("Areas of collaboration"), "")
                for o in group.collaboration:
                    doc.paragraph(f"• {o.text}")
            if group.commitments:
                doc.table(
                    [_("Commitment"), _("Owner"), _("Due date"), _("Follow-up")],
                    [
                        [
                            c.text,
                            c.owner,
                            c.due_date.isoformat() if c.due_date else "—",
                            f"{f.label}{': ' + f.status if f.status else ''}",
                        ]
                        for c, f in group.commitments
                    ],
                    widths=[70, 35, 22, 47],
                )
    return doc
