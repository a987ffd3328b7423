"""iCalendar for an event and its agenda sessions, written with the bodies' RFC 5545 helpers."""

from __future__ import annotations

from django.utils import timezone

from tandem.bodies.ics import escape_text, fold, utc

from .models import AgendaSession, Event

PRODID = "-//Tandem//Events//EN"
UID_DOMAIN = "tandem.invalid"


def _vevent(uid: str, stamp, start, end, summary: str, sequence: int, location: str, description: str, url: str):
    lines = [
        "BEGIN:VEVENT",
        f"UID:{uid}@{UID_DOMAIN}",
        f"DTSTAMP:{utc(stamp)}",
        f"DTSTART:{utc(start)}",
        f"DTEND:{utc(end)}",
        f"SUMMARY:{escape_text(summary)}",
        f"SEQUENCE:{sequence}",
    ]
    if location:
        lines.append(f"LOCATION:{escape_text(location)}")
    if description:
        lines.append(f"DESCRIPTION:{escape_text(description)}")
    if url:
        lines.append(f"URL:{url}")
    lines.append("END:VEVENT")
    return lines


def calendar(event: Event, sessions: list[AgendaSession], *, url: str = "") -> bytes:
    """The event as one VEVENT, and each agenda session as its own."""
    stamp = timezone.now()
    where = ", ".join(
        x for x in (event.venue, event.place.name if event.place else "", "online" if event.online else "") if x
    )
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", f"PRODID:{PRODID}", "CALSCALE:GREGORIAN", "METHOD:PUBLISH"]
    lines.append(f"X-WR-CALNAME:{escape_text(event.title)}")
    lines += _vevent(
        f"event-{event.uuid}",
        stamp,
        event.starts_at,
        event.ends_at,
        event.title,
        event.version,
        where,
        "\n".join(event.objective_list),
        url,
    )
    for s in sessions:
        detail = "\n".join(x for x in (s.speakers, s.room) if x)
        lines += _vevent(
            f"event-session-{s.uuid}",
            stamp,
            s.starts_at,
            s.ends_at,
            f"{event.title}: {s.title}",
            0,
            ", ".join(x for x in (s.room, where) if x),
            detail,
            url,
        )
    lines.append("END:VCALENDAR")
    return ("\r\n".join(fold(line) for line in lines) + "\r\n").encode("utf-8")
