"""The outbox: every email the portal sent through the emulated SES, newest first.

moto keeps what SES sent in ``ses_backends[account][region].sent_messages`` (SES v2 raw sends land
there too, with the MIME text in ``raw_data``). The outbox copies each new message once, so the
list can be saved in the state file and survive a restart, when moto starts empty again.
"""

from __future__ import annotations

import email
import re
from dataclasses import dataclass
from datetime import UTC, datetime
from email import policy
from email.message import EmailMessage
from email.utils import parsedate_to_datetime
from html.parser import HTMLParser
from typing import Any

from infra.local.template import REGION


@dataclass(frozen=True)
class SentEmail:
    """One email as the outbox shows it."""

    id: str
    sender: str
    to: str
    reply_to: str
    subject: str
    date: str
    text: str

    def as_json(self) -> dict[str, str]:
        """The ``/_outbox.json`` form."""
        return {
            "id": self.id,
            "from": self.sender,
            "to": self.to,
            "reply_to": self.reply_to,
            "subject": self.subject,
            "date": self.date,
            "text": self.text,
        }


class Outbox:
    """Sent emails kept as raw MIME records ``{"id", "received_at", "raw"}`` in send order."""

    def __init__(self, records: list[dict[str, Any]] | None = None, account_id: str | None = None) -> None:
        self.records: list[dict[str, Any]] = list(records or [])
        self._seen = {record["id"] for record in self.records}
        self._account_id = account_id

    def collect(self) -> None:
        """Copy messages moto has received since the last call."""
        from moto.core import DEFAULT_ACCOUNT_ID
        from moto.ses.models import ses_backends

        backend = ses_backends[self._account_id or DEFAULT_ACCOUNT_ID][REGION]
        for message in backend.sent_messages:
            if message.id in self._seen:
                continue
            self._seen.add(message.id)
            self.records.append(
                {"id": message.id, "received_at": datetime.now(UTC).isoformat(), "raw": _raw_text(message)}
            )

    def emails(self) -> list[SentEmail]:
        """Every sent email, newest first."""
        return [parse_email(record) for record in reversed(self.records)]


def _raw_text(message: Any) -> str:
    """The MIME text of a moto message; simple (non-raw) sends are turned into MIME here."""
    raw = getattr(message, "raw_data", None)
    if isinstance(raw, str):
        return raw
    built = EmailMessage()
    built["From"] = getattr(message, "source", "") or ""
    destinations = getattr(message, "destinations", {}) or {}
    if isinstance(destinations, dict):
        built["To"] = ", ".join(destinations.get("ToAddresses", []))
    built["Subject"] = getattr(message, "subject", "") or f"({type(message).__name__})"
    built.set_content(getattr(message, "body", "") or "")
    return built.as_string()


def parse_email(record: dict[str, Any]) -> SentEmail:
    """Read the headers and the text of one saved record."""
    message = email.message_from_string(record["raw"], policy=policy.default)
    date = record.get("received_at", "")
    if message["Date"]:
        try:
            date = parsedate_to_datetime(str(message["Date"])).astimezone(UTC).isoformat()
        except (TypeError, ValueError):
            date = str(message["Date"])
    return SentEmail(
        id=record["id"],
        sender=_header(message, "From"),
        to=", ".join(_header(message, name) for name in ("To", "Cc") if message[name]),
        reply_to=_header(message, "Reply-To"),
        subject=_header(message, "Subject"),
        date=date,
        text=_text_of(message),
    )


def _header(message: Any, name: str) -> str:
    """A header's value on one line, as a mail program shows it.

    A long header may be folded (RFC 5322) right after its name, ``Subject:\r\n Your
    application...``: the parser keeps that line break's space, so the value would start blank.
    """
    return re.sub(r"[\r\n]+", "", str(message[name] or "")).strip()


def _text_of(message: Any) -> str:
    """The plain-text body, or the HTML body reduced to text when there is no plain part."""
    part = message.get_body(preferencelist=("plain", "html"))
    if part is None:
        return ""
    content = part.get_content()
    if part.get_content_subtype() == "html":
        reader = _TextOfHtml()
        reader.feed(content)
        content = "".join(reader.text)
    return content.strip()


class _TextOfHtml(HTMLParser):
    """Collects the text of an HTML body, keeping link targets next to their words."""

    def __init__(self) -> None:
        super().__init__()
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "a":
            href = dict(attrs).get("href")
            if href:
                self.text.append(f" {href} ")
        elif tag in {"br", "p", "div", "li", "tr"}:
            self.text.append("\n")

    def handle_data(self, data: str) -> None:
        self.text.append(data)
