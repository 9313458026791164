"""POST /api/help through the real handler, with DynamoDB and SES emulated by moto."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime, timedelta

import pytest
from helpers import http_event, sent_emails

GOOD = {
    "name": "Jane Doe",
    "email": "jane.doe@example.org",
    "company": "Example Systems LLC",
    "phone": "+1-555-010-0199",
    "topic": "sign-in",
    "category": "scanners",
    "message": "I cannot find the territory map for scanners. Could you help?",
}


@pytest.fixture
def handler(aws):
    """The help handler, its services bound to the emulated table."""
    from help_desk.app import lambda_handler

    return lambda_handler


def post(handler, context, body, key="key-0123456789abcdef", **headers):
    event = http_event("help_post", body, {"idempotency-key": key, **headers})
    response = handler(event, context)
    return response["statusCode"], json.loads(response["body"] or "{}")


def stored_requests(aws) -> list[dict]:
    items = aws["table"].scan()["Items"]
    return [i for i in items if i["pk"].startswith("HELP#")]


def test_a_request_is_stored_with_a_reference_and_both_emails_go_out(handler, lambda_context, aws, catalog):
    status, body = post(handler, lambda_context, GOOD)

    assert status == 201
    reference = body["reference"]
    assert re.fullmatch(r"HR-\d{6}-[2-9A-Z]{6}", reference)
    assert reference in body["message"]
    [record] = stored_requests(aws)
    assert record["reference"] == reference and record["message"] == GOOD["message"] and record["status"] == "open"
    notice, receipt = sent_emails()
    assert catalog.contacts.reseller_support.email in notice["To"]
    assert notice["Reply-To"] == GOOD["email"] and reference in notice["Subject"]
    assert GOOD["message"] in notice.get_content() and "Scanners" in notice.get_content()
    assert receipt["To"] == GOOD["email"] and reference in receipt["Subject"]
    assert reference in receipt.get_content()
    assert GOOD["message"] not in receipt.get_content(), "the receipt must not echo free text to any address"


def test_a_repeated_submission_creates_one_record_and_one_pair_of_emails(handler, lambda_context, aws):
    first = post(handler, lambda_context, GOOD)
    second = post(handler, lambda_context, GOOD)

    assert first[0] == 201 and second[0] == 200
    assert first[1]["reference"] == second[1]["reference"]
    assert len(stored_requests(aws)) == 1
    assert len(sent_emails()) == 2


def test_a_new_key_is_a_new_request(handler, lambda_context, aws):
    post(handler, lambda_context, GOOD, key="key-aaaaaaaaaaaaaaaa")
    post(handler, lambda_context, GOOD, key="key-bbbbbbbbbbbbbbbb")
    assert len(stored_requests(aws)) == 2 and len(sent_emails()) == 4


def test_a_reused_key_with_other_content_is_refused(handler, lambda_context, aws):
    post(handler, lambda_context, GOOD)
    status, body = post(handler, lambda_context, {**GOOD, "message": "A completely different question here."})
    assert status == 409 and "different message" in body["message"]
    assert len(stored_requests(aws)) == 1 and len(sent_emails()) == 2


@pytest.mark.parametrize(
    ("change", "field", "words"),
    [
        pytest.param({"email": "jane.example.org"}, "email", "Email address needs an @-sign", id="bad-email"),
        pytest.param({"name": ""}, "name", "Your name is required", id="empty-name"),
        pytest.param({"name": None}, "name", "enter text", id="null-name"),
        pytest.param({"company": "x" * 151}, "company", "at most 150 characters", id="long-company"),
        pytest.param({"message": "short"}, "message", "at least 10 characters", id="short-message"),
        pytest.param({"message": "m" * 5001}, "message", "at most 5,000 characters", id="long-message"),
        pytest.param(
            {"email": "j" * 288 + "@example.com"},
            "email",
            "Email address must be at most 254 characters; shorten it and try again.",
            id="long-email",
        ),
        pytest.param({"phone": "call me maybe"}, "phone", "digits", id="bad-phone"),
        pytest.param({"topic": "free-money"}, "topic", "not one of the listed topics", id="unknown-topic"),
        pytest.param({"category": "toasters"}, "category", "not one of the portal's categories", id="unknown-category"),
        pytest.param({"name": "Jane\r\nBcc: victim@example.net"}, "name", "single line", id="crlf-in-name"),
        pytest.param({"company": "Acme\nX-Spam: yes"}, "company", "single line", id="lf-in-company"),
        pytest.param(
            {"email": "jane@example.org\r\nBcc: victim@example.net"},
            "email",
            "must be on a single line",
            id="crlf-email",
        ),
        pytest.param({"role": "admin"}, "role", "not part of the form", id="extra-field"),
        pytest.param({"email": ""}, "email", "Email address is required", id="empty-email"),
        pytest.param(
            {"email": "用户@example.com"},
            "email",
            "Email address has characters that are not allowed before the @-sign: '户', '用'",
            id="non-ascii-mailbox",
        ),
        pytest.param({"name": "Jane \u202eeoD"}, "name", "text-direction", id="bidi-override"),
        pytest.param({"phone": "1" * 26}, "phone", "at most 25 characters", id="long-phone"),
    ],
)
def test_bad_fields_get_a_message_next_to_the_field_and_nothing_is_sent(
    handler, lambda_context, aws, change, field, words
):
    body = {**GOOD, **change}
    status, answer = post(handler, lambda_context, body)

    assert status == 422
    messages = {e["field"]: e["message"] for e in answer["errors"]}
    assert field in messages, answer
    assert words in messages[field]
    assert stored_requests(aws) == [] and sent_emails() == []


def test_missing_required_fields_are_each_named(handler, lambda_context):
    status, answer = post(handler, lambda_context, {})
    assert status == 422
    assert {e["field"] for e in answer["errors"]} == {"name", "email", "company", "topic", "message"}


@pytest.mark.parametrize(
    ("body", "headers", "status", "words"),
    [
        pytest.param("name=Jane", {"content-type": "application/x-www-form-urlencoded"}, 415, "JSON", id="form-post"),
        pytest.param("{not json", {}, 400, "not valid JSON", id="broken-json"),
        pytest.param("[1, 2]", {}, 422, "JSON object", id="json-array"),
        pytest.param("[" * 100_000 + "]" * 100_000, {}, 400, "not valid JSON", id="deeply-nested"),
        pytest.param(
            json.dumps(GOOD), {"idempotency-key": None}, 422, "Idempotency-Key header is required", id="no-key"
        ),
        pytest.param(json.dumps(GOOD), {"idempotency-key": "short"}, 422, "16 to 128 letters", id="short-key"),
    ],
)
def test_malformed_requests_get_a_clear_4xx(handler, lambda_context, aws, body, headers, status, words):
    event = http_event("help_post", body, headers)
    response = handler(event, lambda_context)
    assert response["statusCode"] == status
    assert words in response["body"]
    assert stored_requests(aws) == []


def test_the_honeypot_drops_bots_quietly(handler, lambda_context, aws):
    status, body = post(handler, lambda_context, {**GOOD, "homepage": "http://spam.example.net"})
    assert status == 201 and body["reference"].startswith("HR-")
    assert stored_requests(aws) == [] and sent_emails() == []


def test_api_answers_are_never_cached(handler, lambda_context):
    response = handler(http_event("help_post", GOOD), lambda_context)
    assert response["headers"]["Cache-Control"] == "no-store"


class FlakyMailer:
    """Delegates to a real mailer but fails the Nth send, like an SES outage."""

    def __init__(self, real, fail_on: int):
        self.real, self.fail_on, self.calls = real, fail_on, 0

    def send(self, email):
        self.calls += 1
        if self.calls == self.fail_on:
            raise ConnectionError("SES is unavailable")
        return self.real.send(email)


def desk(aws, catalog, mailer=None, clock=None):
    from portal.help_requests import HelpDesk
    from portal.mail import portal_mailer
    from portal.store import Store

    kwargs = {"clock": clock} if clock else {}
    return HelpDesk(Store(aws["table"]), mailer or portal_mailer(catalog.contacts.mail_sender), catalog, **kwargs)


def test_a_retry_after_a_mail_outage_finishes_without_duplicates(aws, catalog):
    from portal.help_requests import HelpRequestForm
    from portal.mail import portal_mailer

    now = datetime(2026, 12, 3, 12, 0, tzinfo=UTC)
    form = HelpRequestForm(**GOOD)
    flaky = FlakyMailer(portal_mailer(catalog.contacts.mail_sender), fail_on=2)
    with pytest.raises(ConnectionError):
        desk(aws, catalog, flaky, clock=lambda: now).submit(form, "key-retry-000000000001")
    assert len(sent_emails()) == 1  # Reseller Support got it; the receipt did not go

    later = now + timedelta(minutes=1)
    receipt = desk(aws, catalog, clock=lambda: later).submit(form, "key-retry-000000000001")

    assert len(stored_requests(aws)) == 1
    subjects = [m["Subject"] for m in sent_emails()]
    assert len(subjects) == 2 and receipt.reference in subjects[1]


def test_a_second_attempt_while_the_first_is_running_is_told_to_wait(aws, catalog):
    from portal.errors import Conflict
    from portal.help_requests import HelpRequestForm

    now = datetime(2026, 12, 3, 12, 0, tzinfo=UTC)
    form = HelpRequestForm(**GOOD)
    flaky = FlakyMailer(None, fail_on=1)
    with pytest.raises(ConnectionError):
        desk(aws, catalog, flaky, clock=lambda: now).submit(form, "key-busy-0000000000001")
    with pytest.raises(Conflict, match="still being processed"):
        desk(aws, catalog, clock=lambda: now + timedelta(seconds=5)).submit(form, "key-busy-0000000000001")


def test_an_international_domain_is_written_in_ascii_in_the_emails(handler, lambda_context, aws):
    status, _ = post(handler, lambda_context, {**GOOD, "email": "tess@bücher.example"})
    assert status == 201
    notice, receipt = sent_emails()
    assert notice["Reply-To"] == "tess@xn--bcher-kva.example"
    assert receipt["To"] == "tess@xn--bcher-kva.example"
