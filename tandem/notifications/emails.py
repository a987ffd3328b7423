"""The e-mails: in the recipient's language, plain text and HTML, a link into Tandem, and never
the content of a TLP:AMBER or RED record (only that one is waiting)."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import override

from .kinds import KINDS
from .models import Notification


def _link(path: str) -> str:
    return settings.TANDEM_SITE_URL.rstrip("/") + path


def _entry(n: Notification) -> dict:
    kind = KINDS[n.kind]
    return {
        "kind": str(kind.label),
        "title": "" if n.restricted else n.title,
        "label": n.label,
        "restricted": n.restricted,
        # Straight to the record (Tandem asks to sign in first); the centre lists it too.
        "link": _link(n.url if n.url.startswith("/") else reverse("notification_open", args=[n.uuid])),
    }


def notification_email(n: Notification) -> EmailMultiAlternatives:
    user = n.recipient
    with override(user.language or settings.LANGUAGE_CODE):
        context = {"entry": _entry(n), "user": user, "centre": _link(reverse("notification_list"))}
        subject = _("Tandem: %(kind)s") % {"kind": KINDS[n.kind].label}
        text = render_to_string("notifications/email/notification.txt", context)
        html = render_to_string("notifications/email/notification.html", context)
    message = EmailMultiAlternatives(subject=str(subject), body=text, to=[user.email])
    message.attach_alternative(html, "text/html")
    if n.kind == "bodies.meeting_invitation":
        _attach_calendar(message, n)
    return message


def _attach_calendar(message: EmailMultiAlternatives, n: Notification) -> None:
    """A meeting invitation carries the meeting's .ics (read through the recipient's access)."""
    from tandem.bodies import access as bodies_access
    from tandem.bodies import ics

    meeting = bodies_access.visible_meetings(n.recipient).filter(uuid=n.object_uuid).first()
    if meeting is not None:
        url = _link(reverse("meeting_detail", args=[meeting.uuid]))
        data = ics.calendar([meeting], urls={meeting.pk: url})
        message.attach(f"meeting-{meeting.starts_at:%Y%m%d}.ics", data, "text/calendar")


def digest_email(user, notifications: list[Notification]) -> EmailMultiAlternatives:
    with override(user.language or settings.LANGUAGE_CODE):
        context = {
            "entries": [_entry(n) for n in notifications],
            "user": user,
            "centre": _link(reverse("notification_list")),
        }
        subject = _("Tandem: your daily digest (%(count)d)") % {"count": len(notifications)}
        text = render_to_string("notifications/email/digest.txt", context)
        html = render_to_string("notifications/email/digest.html", context)
    message = EmailMultiAlternatives(subject=str(subject), body=text, to=[user.email])
    message.attach_alternative(html, "text/html")
    return message
