"""iCalendar output: escaping, folding at 75 octets, CRLF, UTC times."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from site_builder.ics import CalendarEvent, escape_text, fold, render_calendar


@pytest.mark.parametrize(
    ("raw", "escaped"),
    [
        ("Dallas, TX", "Dallas\\, TX"),
        ("a;b", "a\\;b"),
        ("back\\slash", "back\\\\slash"),
        ("two\nlines", "two\\nlines"),
        ("crlf\r\nline", "crlf\\nline"),
    ],
    ids=["comma", "semicolon", "backslash", "newline", "crlf"],
)
def test_text_values_are_escaped(raw, escaped):
    assert escape_text(raw) == escaped


def test_long_lines_fold_at_75_octets_without_splitting_a_character():
    line = "DESCRIPTION:" + "é" * 100  # two octets each
    folded = fold(line)
    parts = folded.split("\r\n")
    assert all(len(p.encode("utf-8")) <= 75 for p in parts)
    assert all(p.startswith(" ") for p in parts[1:])
    assert "".join(p[1:] if i else p for i, p in enumerate(parts)) == line


def test_a_calendar_has_crlf_lines_utc_times_and_the_required_properties():
    start = dt.datetime(2027, 1, 19, 13, 0, tzinfo=ZoneInfo("America/New_York"))
    event = CalendarEvent(
        uid="tour@portal.example.com",
        start=start,
        end=start + dt.timedelta(hours=1),
        summary="Portal tour, live",
        description="Bring questions; we answer them.",
        location="Online",
        url="https://events.example.com/tour",
        categories=("Scanners", "POS, retail"),
    )
    text = render_calendar([event], dt.datetime(2026, 12, 3, 12, 0, tzinfo=dt.UTC))
    assert text.endswith("\r\n") and "\n" not in text.replace("\r\n", "")
    lines = text.split("\r\n")
    assert lines[:2] == ["BEGIN:VCALENDAR", "VERSION:2.0"]
    for expected in [
        "UID:tour@portal.example.com",
        "DTSTAMP:20261203T120000Z",
        "DTSTART:20270119T180000Z",
        "DTEND:20270119T190000Z",
        "SUMMARY:Portal tour\\, live",
        "DESCRIPTION:Bring questions\\; we answer them.",
        "CATEGORIES:Scanners,POS\\, retail",
    ]:
        assert expected in lines
    assert lines.index("BEGIN:VEVENT") < lines.index("END:VEVENT") < lines.index("END:VCALENDAR")


def test_a_time_without_a_zone_is_refused():
    naive = dt.datetime(2027, 1, 1, 9, 0)
    event = CalendarEvent("x@y", naive, naive, "s", "d")
    with pytest.raises(ValueError, match="time zone"):
        render_calendar([event], dt.datetime.now(dt.UTC))
