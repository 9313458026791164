"""iCalendar (RFC 5545) files, so a reseller can put an event in their own calendar.

Only what a single published event needs: text escaping (section 3.3.11), line folding at 75
octets (3.1), CRLF line ends, and UTC date-times, which need no VTIMEZONE component.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

PRODID = "-//Reseller Partner Portal//Events//EN"
MAX_OCTETS = 75


@dataclass(frozen=True)
class CalendarEvent:
    """The fields of one VEVENT."""

    uid: str
    start: dt.datetime
    end: dt.datetime
    summary: str
    description: str
    location: str | None = None
    url: str | None = None
    categories: tuple[str, ...] = ()


def escape_text(value: str) -> str:
    """TEXT value escaping: backslash, semicolon, comma and line breaks."""
    value = value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
    return value.replace("\r\n", "\\n").replace("\r", "\\n").replace("\n", "\\n")


def fold(line: str) -> str:
    """Split a content line into lines of at most 75 octets, never inside a UTF-8 character."""
    encoded = line.encode("utf-8")
    if len(encoded) <= MAX_OCTETS:
        return line
    parts: list[str] = []
    current, size, limit = [], 0, MAX_OCTETS
    for char in line:
        width = len(char.encode("utf-8"))
        if size + width > limit:
            parts.append("".join(current))
            # Continuation lines start with one space, which counts towards their 75 octets.
            current, size, limit = [], 0, MAX_OCTETS - 1
        current.append(char)
        size += width
    parts.append("".join(current))
    return "\r\n ".join(parts)


def utc_stamp(moment: dt.datetime) -> str:
    """A DATE-TIME in UTC form, e.g. 20270119T180000Z."""
    if moment.tzinfo is None:
        raise ValueError("calendar times must carry a time zone")
    return moment.astimezone(dt.UTC).strftime("%Y%m%dT%H%M%SZ")


def render_calendar(events: list[CalendarEvent], stamp: dt.datetime) -> str:
    """A VCALENDAR with ``events``; ``stamp`` is the DTSTAMP (when the file was made)."""
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", f"PRODID:{PRODID}", "CALSCALE:GREGORIAN", "METHOD:PUBLISH"]
    for event in events:
        lines += [
            "BEGIN:VEVENT",
            f"UID:{event.uid}",
            f"DTSTAMP:{utc_stamp(stamp)}",
            f"DTSTART:{utc_stamp(event.start)}",
            f"DTEND:{utc_stamp(event.end)}",
            f"SUMMARY:{escape_text(event.summary)}",
            f"DESCRIPTION:{escape_text(event.description)}",
        ]
        if event.location:
            lines.append(f"LOCATION:{escape_text(event.location)}")
        if event.url:
            lines.append(f"URL:{event.url}")
        if event.categories:
            lines.append("CATEGORIES:" + ",".join(escape_text(c) for c in event.categories))
        lines += ["STATUS:CONFIRMED", "TRANSP:OPAQUE", "END:VEVENT"]
    lines.append("END:VCALENDAR")
    return "".join(fold(line) + "\r\n" for line in lines)
