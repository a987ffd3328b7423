"""iCalendar (RFC 5545) for meetings, written by hand: CRLF line ends, lines folded at
75 octets (never inside a UTF-8 character), TEXT values escaped, times in UTC."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.utils import timezone

from .models import Meeting, MeetingStatus

PRODID = "-//Tandem//Coordination bodies//EN"
UID_DOMAIN = "tandem.invalid"


def escape_text(value: str) -> str:
    """TEXT escaping (RFC 5545 3.3.11): backslash, semicolon, comma, newlines."""
    value = value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
    return value.replace("\r\n", "\\n").replace("\r", "\\n").replace("\n", "\\n")


def fold(line: str) -> str:
    """Fold a content line into chunks of at most 75 octets (continuations start with a space)."""
    encoded = line.encode("utf-8")
    if len(encoded) <= 75:
        return line
    parts: list[str] = []
    current = b""
    limit = 75
    for char in line:
        b = char.encode("utf-8")
        if len(current) + len(b) > limit:
            parts.append(current.decode("utf-8"))
            current = b""
            limit = 74  # the leading space counts
        current += b
    parts.append(current.decode("utf-8"))
    return "\r\n ".join(parts)


def utc(value: dt.datetime) -> str:
    return value.astimezone(dt.UTC).strftime("%Y%m%dT%H%M%SZ")


def _event(meeting: Meeting, stamp: dt.datetime, url: str = "") -> list[str]:
    ends = meeting.ends_at or meeting.starts_at + dt.timedelta(hours=1)
    description_parts = [a.text for a in meeting.agenda_items.all()]
    if meeting.online_link:
        description_parts.append(meeting.online_link)
    lines = [
        "BEGIN:VEVENT",
        f"UID:meeting-{meeting.uuid}@{UID_DOMAIN}",
        f"DTSTAMP:{utc(stamp)}",
        f"DTSTART:{utc(meeting.starts_at)}",
        f"DTEND:{utc(ends)}",
        f"SUMMARY:{escape_text(f'{meeting.body.name}: {meeting.title}')}",
        f"SEQUENCE:{meeting.version}",
        "STATUS:" + ("CANCELLED" if meeting.status == MeetingStatus.CANCELLED else "CONFIRMED"),
    ]
    if meeting.place:
        lines.append(f"LOCATION:{escape_text(meeting.place)}")
    if description_parts:
        lines.append(f"DESCRIPTION:{escape_text(chr(10).join(description_parts))}")
    if meeting.online_link:
        lines.append(f"URL:{meeting.online_link}")
    elif url:
        lines.append(f"URL:{url}")
    lines.append("END:VEVENT")
    return lines


def calendar(meetings: Iterable[Meeting], *, name: str = "", urls: dict | None = None) -> bytes:
    stamp = timezone.now()
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", f"PRODID:{PRODID}", "CALSCALE:GREGORIAN", "METHOD:PUBLISH"]
    if name:
        lines.append(f"X-WR-CALNAME:{escape_text(name)}")
    for meeting in meetings:
        lines.extend(_event(meeting, stamp, (urls or {}).get(meeting.pk, "")))
    lines.append("END:VCALENDAR")
    return ("\r\n".join(fold(line) for line in lines) + "\r\n").encode("utf-8")
