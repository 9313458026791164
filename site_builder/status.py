"""Service Health: one small public JSON file, ``/status.json``, read by every page's banner.

Staff change it with ``portal status post|clear`` without rebuilding the site, and it is a plain
file on the CDN, so the banner and the Service Health page keep working when the API is down.
The build writes an "all clear" file only when there is none yet, and carries a posted notice
over to the new build.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Literal

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, ValidationError, field_validator

STATUS_PATH = "status.json"
HISTORY_LENGTH = 10
Level = Literal["info", "warning", "outage"]


class StatusError(ValueError):
    """A notice or a status file that cannot be used; the message says why."""


class Notice(BaseModel):
    """A message shown in the banner on every page and on the Service Health page."""

    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)

    level: Level
    message: str = Field(min_length=3, max_length=500)
    posted_at: AwareDatetime
    until: AwareDatetime | None = None
    cleared_at: AwareDatetime | None = None

    @field_validator("message")
    @classmethod
    def _one_paragraph(cls, value: str) -> str:
        if any(ch in value for ch in "\r\n\x00"):
            raise ValueError("write the message on one line")
        return value


class ServiceStatus(BaseModel):
    """The current notice (None when all is well) and the most recent past ones."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    notice: Notice | None = None
    history: tuple[Notice, ...] = ()
    updated_at: AwareDatetime

    def to_bytes(self) -> bytes:
        return json.dumps(self.model_dump(mode="json"), indent=1, ensure_ascii=False).encode("utf-8")

    @classmethod
    def from_bytes(cls, data: bytes) -> ServiceStatus:
        try:
            return cls.model_validate_json(data)
        except ValidationError as e:
            raise StatusError(f"the status file is not valid: {e.errors()[0]['msg']}") from e


def all_clear(now: dt.datetime) -> ServiceStatus:
    return ServiceStatus(updated_at=now)


def post_notice(
    current: ServiceStatus | None, level: str, message: str, until: dt.datetime | None, now: dt.datetime
) -> ServiceStatus:
    """``current`` with a new notice replacing the old one (which moves to the history)."""
    if until is not None and until.tzinfo is None:
        raise StatusError("--until needs a time zone, e.g. 2027-01-05T18:00:00Z or 2027-01-05T13:00:00-05:00")
    if until is not None and until <= now:
        raise StatusError("--until is in the past; the notice would never show")
    try:
        notice = Notice(level=level, message=message, posted_at=now, until=until)
    except ValidationError as e:
        error = e.errors()[0]
        raise StatusError(f"{error['loc'][0]}: {error['msg'].removeprefix('Value error, ')}") from e
    history = _retire(current, now)
    return ServiceStatus(notice=notice, history=history, updated_at=now)


def clear_notice(current: ServiceStatus | None, now: dt.datetime) -> ServiceStatus:
    """``current`` without a notice; the cleared one is kept in the history."""
    return ServiceStatus(notice=None, history=_retire(current, now), updated_at=now)


def _retire(current: ServiceStatus | None, now: dt.datetime) -> tuple[Notice, ...]:
    if current is None:
        return ()
    if current.notice is None:
        return current.history
    cleared = current.notice.model_copy(update={"cleared_at": now})
    return (cleared, *current.history)[:HISTORY_LENGTH]


def parse_until(text: str | None) -> dt.datetime | None:
    """``--until`` as a datetime; ISO 8601 with a time zone (``Z`` allowed)."""
    if text is None:
        return None
    try:
        return dt.datetime.fromisoformat(text.strip())
    except ValueError as e:
        raise StatusError(f'--until "{text}" is not a date and time like 2027-01-05T18:00:00Z') from e
