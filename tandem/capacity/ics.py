"""iCalendar for training sessions, written with the bodies' RFC 5545 helpers (no extra dependency)."""

from __future__ import annotations

from collections.abc import Iterable

from django.utils import timezone

from tandem.bodies.ics import escape_text, fold, utc

from .models import TrainingSession

PRODID = "-//Tandem//Capacity building//EN"
UID_DOMAIN = "tandem.invalid"


def calendar(sessions: Iterable[TrainingSession], *, name: str = "", urls: dict | None = None) -> bytes:
    stamp = timezone.now()
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", f"PRODID:{PRODID}", "CALSCALE:GREGORIAN", "METHOD:PUBLISH"]
    if name:
        lines.append(f"X-WR-CALNAME:{escape_text(name)}")
    for session in sessions:
        lines += [
            "BEGIN:VEVENT",
            f"UID:training-{session.uuid}@{UID_DOMAIN}",
            f"DTSTAMP:{utc(stamp)}",
            f"DTSTART:{utc(session.starts_at)}",
            f"DTEND:{utc(session.ends_at)}",
            f"SUMMARY:{escape_text(session.course.title)}",
            f"SEQUENCE:{session.version}",
        ]
        if session.venue:
            lines.append(f"LOCATION:{escape_text(session.venue)}")
        url = session.online_link or (urls or {}).get(session.pk, "")
        if url:
            lines.append(f"URL:{url}")
        if session.course.summary:
            lines.append(f"DESCRIPTION:{escape_text(session.course.summary)}")
        lines.append("END:VEVENT")
    lines.append("END:VCALENDAR")
    return ("\r\n".join(fold(line) for line in lines) + "\r\n").encode("utf-8")
