"""Training and events: product webinars, courses and trade shows, kept in ``content/data/events.yml``.

Events are shown as upcoming and past on the home page and the Training and Events page (split
at build time and again in the browser, so a site that was built last week still files a
finished event under Past), and each one is a downloadable ``.ics`` calendar entry.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from portal.catalog import SLUG_PATTERN
from pydantic import BaseModel, ConfigDict, Field, HttpUrl, ValidationInfo, field_validator, model_validator

from site_builder.content_data import known
from site_builder.ics import CalendarEvent
from site_builder.resources import ALL


class Event(BaseModel):
    """One training session or event, with times in its own time zone."""

    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)

    id: str = Field(pattern=SLUG_PATTERN)
    title: str = Field(min_length=3, max_length=120)
    summary: str = Field(min_length=10, max_length=800)
    kind: Literal["webinar", "training", "workshop", "trade-show", "product-launch"]
    format: Literal["online", "in-person"]
    location: str | None = Field(default=None, max_length=160)
    start: dt.datetime
    end: dt.datetime
    timezone: str = Field(description="IANA name, e.g. America/New_York")
    categories: Literal["all"] | tuple[str, ...] = ALL
    audience: str = Field(default="Sales and technical staff of authorized resellers", max_length=160)
    registration: HttpUrl | None = None

    @field_validator("timezone")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError) as e:
            raise ValueError(f'unknown time zone "{value}"; use a name like America/New_York') from e
        return value

    @field_validator("start", "end")
    @classmethod
    def _local_time(cls, value: dt.datetime) -> dt.datetime:
        if value.tzinfo is not None:
            raise ValueError("write the local time without an offset (e.g. 2027-01-19 13:00); set timezone")
        return value

    @field_validator("categories")
    @classmethod
    def _known_categories(cls, value: Any, info: ValidationInfo) -> Any:
        if value != ALL:
            for slug in value:
                known(slug, (info.context or {}).get("categories", value), "category", 'categories.yml (or "all")')
        return value

    @model_validator(mode="after")
    def _consistent(self) -> Event:
        if self.end <= self.start:
            raise ValueError("end must be after start")
        if self.format == "in-person" and not self.location:
            raise ValueError("an in-person event needs a location")
        return self

    @property
    def starts_at(self) -> dt.datetime:
        return self.start.replace(tzinfo=ZoneInfo(self.timezone))

    @property
    def ends_at(self) -> dt.datetime:
        return self.end.replace(tzinfo=ZoneInfo(self.timezone))

    @property
    def when(self) -> str:
        """E.g. 'Tuesday, January 19, 2027, 1:00 PM – 2:30 PM EST'."""
        start, end = self.starts_at, self.ends_at
        day = f"{start:%A, %B} {start.day}, {start.year}"
        times = f"{_clock(start)} – {_clock(end)} {end.tzname()}"
        if start.date() == end.date():
            return f"{day}, {times}"
        return f"{day}, {_clock(start)} {start.tzname()} – {end:%A, %B} {end.day}, {_clock(end)} {end.tzname()}"

    def calendar_event(self, host: str, category_names: dict[str, str]) -> CalendarEvent:
        details = self.summary + (f"\n\nRegister: {self.registration}" if self.registration else "")
        return CalendarEvent(
            uid=f"{self.id}@{host}",
            start=self.starts_at,
            end=self.ends_at,
            summary=self.title,
            description=details,
            location=self.location or "Online",
            url=str(self.registration) if self.registration else None,
            categories=tuple(category_names[c] for c in self.categories) if self.categories != ALL else (),
        )


def _clock(moment: dt.datetime) -> str:
    return f"{moment:%I:%M %p}".lstrip("0")


def split_events(events: tuple[Event, ...], now: dt.datetime) -> tuple[list[Event], list[Event]]:
    """(upcoming soonest first, past most recent first); an event is past once it has ended."""
    upcoming = sorted((e for e in events if e.ends_at > now), key=lambda e: e.starts_at)
    past = sorted((e for e in events if e.ends_at <= now), key=lambda e: e.starts_at, reverse=True)
    return upcoming, past
