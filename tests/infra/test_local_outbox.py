"""The outbox lists the emails sent through the emulated SES, also after a restart."""

from __future__ import annotations

from email.message import EmailMessage
from pathlib import Path

import pytest
from local_stack_fixtures import fake_repo_fixture, http_fixture, stack_fixture, state_file_fixture  # noqa: F401 - registers the fixtures

from infra.local.outbox import SentEmail
from infra.local.outbox_page import linkify, render_outbox_html
from infra.local.stack import LocalStack

SENDER = "portal-noreply@example.com"


def _send(stack: LocalStack, subject: str, body: str, sender: str = SENDER) -> str:
    """Send one raw MIME email through SES v2, the way the portal's functions do."""
    message = EmailMessage()
    message["From"] = f"Reseller Partner Portal <{sender}>"
    message["To"] = "ann@example.com"
    message["Reply-To"] = "reseller.support@example.com"
    message["Subject"] = subject
    message["Date"] = "Wed, 03 Dec 2025 16:17:18 +0000"
    message.set_content(body)
    response = stack.client("sesv2").send_email(
        FromEmailAddress=sender,
        Destination={"ToAddresses": ["ann@example.com"]},
        Content={"Raw": {"Data": message.as_bytes()}},
    )
    return response["MessageId"]


def test_the_outbox_shows_a_sent_email_and_keeps_it_after_a_restart(fake_repo: Path, state_file: Path, http) -> None:
    with LocalStack(fake_repo, state_file, port=0, site_dir=fake_repo / "site") as first:
        message_id = _send(first, "Reset your password", "Open http://127.0.0.1:8000/reset/#token=abc to continue.")
        page = http(first, "GET", "/_outbox/")

    assert page.status == 200
    assert "Outbox — emails the portal has sent" in page.body.decode()
    assert "Reset your password" in page.body.decode()
    assert f'id="message-{message_id}"' in page.body.decode()
    assert '<a href="http://127.0.0.1:8000/reset/#token=abc">' in page.body.decode()

    with LocalStack(fake_repo, state_file, port=0, site_dir=fake_repo / "site") as second:
        listing = http(second, "GET", "/_outbox.json").json()

    assert listing == [
        {
            "id": message_id,
            "from": f"Reseller Partner Portal <{SENDER}>",
            "to": "ann@example.com",
            "reply_to": "reseller.support@example.com",
            "subject": "Reset your password",
            "date": "2025-12-03T16:17:18+00:00",
            "text": "Open http://127.0.0.1:8000/reset/#token=abc to continue.",
        }
    ]


def test_a_folded_subject_shows_on_one_line_without_a_leading_space(stack, http) -> None:
    # A long Subject folded right after its name, as some mail libraries write it.
    raw = (
        f"From: {SENDER}\r\nTo: ann@example.com\r\n"
        "Subject:\r\n Your application for Harbor Tech Resellers International\r\n was approved\r\n"
        "\r\nWelcome.\r\n"
    )
    stack.client("sesv2").send_email(
        FromEmailAddress=SENDER,
        Destination={"ToAddresses": ["ann@example.com"]},
        Content={"Raw": {"Data": raw.encode()}},
    )
    subject = "Your application for Harbor Tech Resellers International was approved"

    (message,) = http(stack, "GET", "/_outbox.json").json()
    page = http(stack, "GET", "/_outbox/").body.decode()

    assert message["subject"] == subject
    assert f'">{subject}</a></h2>' in page


def test_the_page_names_its_own_icon_so_the_browser_asks_for_no_favicon(stack, http) -> None:
    page = http(stack, "GET", "/_outbox/").body.decode()

    assert '<link rel="icon" href="data:image/svg+xml,' in page
    assert http(stack, "GET", "/favicon.ico").status == 404  # what the browser would otherwise fetch


def test_the_newest_email_comes_first(stack, http) -> None:
    _send(stack, "First", "one")
    _send(stack, "Second", "two")

    assert [message["subject"] for message in http(stack, "GET", "/_outbox.json").json()] == ["Second", "First"]


def test_an_email_sent_by_a_handler_is_in_the_outbox(stack, http) -> None:
    http(stack, "POST", "/api/notes", body=b'{"id": "n5", "text": "x"}', headers={"Content-Type": "application/json"})

    (message,) = http(stack, "GET", "/_outbox.json").json()

    assert message["subject"] == "Note n5"
    assert message["text"] == f"Open {stack.url}notes/n5/"


@pytest.mark.parametrize(
    "sender", ["portal-noreply@example.com", "someone.else@example.com"], ids=["verified-address", "verified-domain"]
)
def test_any_sender_at_the_portal_domain_can_send(stack, sender: str) -> None:
    assert _send(stack, "Hi", "body", sender=sender)


def test_the_page_escapes_what_emails_contain() -> None:
    message = SentEmail(
        "m1", "<b>x</b>", "ann@example.com", "", "<script>alert(1)</script>", "", "a < b & https://x.example/?a=1&b=2."
    )

    page = render_outbox_html([message])

    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;" in page
    assert '<a href="https://x.example/?a=1&amp;b=2">https://x.example/?a=1&amp;b=2</a>.' in page
    assert '<html lang="en">' in page and "<title>" in page


def test_linkify_leaves_javascript_urls_as_text() -> None:
    assert "<a" not in linkify("javascript:alert(1)")


def test_the_outbox_without_emails_says_so(stack, http) -> None:
    page = http(stack, "GET", "/_outbox/")

    assert page.status == 200
    assert b"No emails have been sent yet." in page.body
    assert http(stack, "GET", "/_outbox").headers["Location"] == "/_outbox/"
