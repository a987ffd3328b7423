"""The participant's certificate (fpdf2, through tandem.core.pdf)."""

from __future__ import annotations

import zoneinfo
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.urls import reverse
from django.utils.translation import gettext as _

from tandem.core.pdf import PdfDocument
from tandem.core.services import audit_read

from . import access
from .models import Certificate, TrainingSession


def certificate_download(request: Any, actor: Any, cert: Certificate) -> HttpResponse:
    """The PDF of a certificate the actor sees (from ``access.visible_certificates``), for its person or
    those who may read the person's details (403 otherwise); the download is recorded."""
    participation = cert.participation
    if not access.can_see_person_details(actor, participation):
        raise PermissionDenied
    audit_read(actor=actor, what="certificate", obj=cert, jurisdiction=participation.jurisdiction)
    verify_url = request.build_absolute_uri(reverse("certificate_verify")) + f"?code={cert.code}"
    response = certificate(cert, participation.session, verify_url).response(f"certificate-{cert.code}.pdf")
    response["Cache-Control"] = "no-store"
    return response


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
