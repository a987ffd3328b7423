"""The participant's certificate (fpdf2, through tandem.core.pdf)."""

from __future__ import annotations

import zoneinfo

from django.utils.translation import gettext as _

from tandem.core.pdf import PdfDocument

from .models import Certificate, TrainingSession


def certificate(cert: Certificate, session: TrainingSession, verify_url: str) -> PdfDocument:
    zone = zoneinfo.ZoneInfo(session.time_zone)
    doc = PdfDocument(title=_("Certificate of completion"), subtitle=cert.course_title, context=session.host.name)
    doc.ln(6)
    doc.paragraph(_("This certifies that"))
    doc.heading(cert.full_name)
    doc.paragraph(
        _("completed the course %(course)s, held from %(start)s to %(end)s.")
        % {
            "course": cert.course_title,
            "start": session.starts_at.astimezone(zone).strftime("%Y-%m-%d"),
            "end": session.ends_at.astimezone(zone).strftime("%Y-%m-%d"),
        }
    )
    place = session.venue or _("online")
    doc.field(_("Place"), f"{place} ({session.host.name})")
    doc.field(_("Completed on"), cert.completed_on.isoformat())
    doc.ln(4)
    doc.field(_("Verification code"), cert.code)
    doc.paragraph(_("Check this certificate at %(url)s") % {"url": verify_url})
    return doc
