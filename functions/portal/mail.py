"""Outgoing email through Amazon SES (v2), as plain-text MIME messages the portal builds itself.

Every header value passes ``header_safe`` first: whatever a visitor typed, a line break or other
control character never reaches a header, so nobody can add recipients or headers to our mail.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import formatdate, make_msgid
from typing import Any

_CONTROL = re.compile(r"[\x00-\x1f\x7f\u0085\u2028\u2029]+")


def header_safe(value: str, limit: int = 200) -> str:
    """Collapse control characters (CR, LF, NUL, ...) to single spaces and bound the length."""
    cleaned = _CONTROL.sub(" ", unicodedata.normalize("NFC", value)).strip()
    return cleaned[:limit]


@dataclass(frozen=True)
class OutgoingEmail:
    """One plain-text email."""

    to: str
    subject: str
    body: str
    reply_to: str | None = None
    to_name: str | None = None


class Mailer:
    """Sends ``OutgoingEmail`` messages from the portal's sender address."""

    def __init__(self, client: Any, sender: str, sender_name: str = "Reseller Partner Portal"):
        self.client = client
        self.sender = sender
        self.sender_name = sender_name

    def build(self, email: OutgoingEmail) -> EmailMessage:
        """The MIME message for ``email``, with every header made safe."""
        message = EmailMessage()
        message["From"] = Address(header_safe(self.sender_name), addr_spec=self.sender)
        message["To"] = Address(header_safe(email.to_name or ""), addr_spec=header_safe(email.to))
        if email.reply_to:
            message["Reply-To"] = header_safe(email.reply_to)
        message["Subject"] = header_safe(email.subject)
        message["Date"] = formatdate(localtime=False)
        message["Message-ID"] = make_msgid(domain=self.sender.rsplit("@", 1)[-1])
        message.set_content(email.body)
        return message

    def send(self, email: OutgoingEmail) -> str:
        """Send ``email`` and return the provider's message id."""
        message = self.build(email)
        response = self.client.send_email(
            FromEmailAddress=self.sender,
            Destination={"ToAddresses": [str(message["To"])]},
            Content={"Raw": {"Data": message.as_bytes()}},
        )
        return response["MessageId"]


def portal_mailer(sender: str) -> Mailer:
    """A mailer using this process's SES client."""
    import boto3

    return Mailer(boto3.client("sesv2"), sender)
