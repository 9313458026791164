"""Request New Password: the API only queues (the same work for every address); the worker mails.

The API handler and the queue's worker are called as Lambda calls them; ``deliver_queued`` plays
Lambda's SQS event source between the two.
"""

from __future__ import annotations

import json
from contextlib import contextmanager
from unittest import mock

import pytest
from helpers import api_event, deliver_queued, sent_emails


def request_reset(email, context, body=None):
    from password_reset.app import lambda_handler

    return lambda_handler(api_event("POST", "/api/password-reset", body or {"email": email}), context)


def latest_link(to: str) -> tuple[str, str]:
    """The one-time link (user id, token) of the newest email to ``to``."""
    import re

    message = [m for m in sent_emails() if to in m["To"]][-1]
    found = re.search(
        r"http://127\.0\.0\.1:8000/account/one-time-login/#([0-9a-f]+)\.([A-Za-z0-9_\-]+)", message.get_content()
    )
    assert found, message.get_content()
    return found.group(1), found.group(2)


def queued_messages() -> list[dict]:
    """The messages waiting on the reset queue, left there (they come back at once)."""
    import os

    import boto3

    sqs = boto3.client("sqs")
    url = os.environ["PORTAL_RESET_QUEUE_URL"]
    messages = sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10).get("Messages", [])
    for message in messages:
        sqs.change_message_visibility(QueueUrl=url, ReceiptHandle=message["ReceiptHandle"], VisibilityTimeout=0)
    return messages


@contextmanager
def recorded_aws_calls():
    """Every AWS API call made inside the block, as ``(service, operation)``."""
    import botocore.client

    calls: list[tuple[str, str]] = []
    original = botocore.client.BaseClient._make_api_call

    def record(client, operation, params):
        calls.append((client.meta.service_model.service_name, operation))
        return original(client, operation, params)

    with mock.patch.object(botocore.client.BaseClient, "_make_api_call", record):
        yield calls


def worker(event):
    from helpers import FakeContext
    from reset_mail.app import lambda_handler

    return lambda_handler(event, FakeContext())


def reset_event(messages):
    from infra.local.queues import sqs_event
    from infra.local.template import QueueDefinition

    return sqs_event(messages, QueueDefinition("ResetQueue"))


def test_the_api_makes_the_same_single_aws_call_for_every_address(people, lambda_context):
    """Known, unknown, blocked and migrated addresses: one SendMessage each, no table read, no email."""
    request_reset("warm.up@example.org", lambda_context)  # clients and settings are built once per container
    deliver_queued()
    answers, calls = [], []
    for email in ("jane.doe@example.org", "nobody@example.org", "blocked@example.org", "migrated@example.org"):
        with recorded_aws_calls() as made:
            response = request_reset(email, lambda_context)
        answers.append((response["statusCode"], response["body"]))
        calls.append(made)
    assert calls == [[("sqs", "SendMessage")]] * 4
    assert len(set(answers)) == 1 and answers[0][0] == 202
    assert sent_emails() == []
    bodies = [json.loads(m["Body"]) for m in queued_messages()]
    assert sorted(b["email"] for b in bodies) == sorted(
        ["jane.doe@example.org", "nobody@example.org", "blocked@example.org", "migrated@example.org"]
    )
    assert {tuple(sorted(b)) for b in bodies} == {("email", "request_id", "requested_at")}
    assert len({b["request_id"] for b in bodies}) == 4


def test_the_queued_address_is_normalized(people, lambda_context):
    assert request_reset("Jane.Doe@EXAMPLE.org", lambda_context)["statusCode"] == 202
    (message,) = queued_messages()
    assert json.loads(message["Body"])["email"] == "jane.doe@example.org"


def test_the_worker_mails_exactly_one_link_to_an_existing_account(people, lambda_context):
    from portal.identity import RESET_REQUESTED

    response = request_reset("Jane.Doe@Example.org", lambda_context)
    assert (response["statusCode"], json.loads(response["body"])) == (202, {"message": RESET_REQUESTED})
    assert sent_emails() == []
    (delivery,) = deliver_queued()
    assert delivery.failed == set()
    emails = sent_emails()
    assert [m["To"].addresses[0].addr_spec for m in emails] == ["jane.doe@example.org"]
    assert latest_link("jane.doe@example.org")
    assert deliver_queued() == [] and queued_messages() == []


def test_the_worker_mails_nobody_for_unknown_and_blocked_addresses(people, lambda_context):
    for email in ("nobody@example.org", "blocked@example.org", "Blocked@Example.org"):
        request_reset(email, lambda_context)
    deliveries = deliver_queued()
    assert sum(len(d.messages) for d in deliveries) == 3
    assert all(d.failed == set() for d in deliveries), "handled, not retried"
    assert sent_emails() == []
    assert queued_messages() == []


def test_a_failed_send_is_reported_kept_on_the_queue_and_sent_once_on_the_retry(people, lambda_context):
    from portal.mail import Mailer

    request_reset("jane.doe@example.org", lambda_context)
    original = Mailer.send
    attempts = []

    def flaky_send(mailer, email):
        attempts.append(email.to)
        if len(attempts) == 1:
            raise RuntimeError("SES is not answering")
        return original(mailer, email)

    with mock.patch.object(Mailer, "send", flaky_send):
        (first,) = deliver_queued()
        assert first.failed == {first.messages[0]["MessageId"]}
        assert sent_emails() == []
        assert len(queued_messages()) == 1, "the message stays for the retry"
        (retry,) = deliver_queued()
    assert retry.failed == set()
    assert len(attempts) == 2
    assert [m["To"].addresses[0].addr_spec for m in sent_emails()] == ["jane.doe@example.org"]
    assert deliver_queued() == []
    # The link of the retry is the one that works.
    from helpers import service

    assert service(people).use_link(*latest_link("jane.doe@example.org"))


def test_a_redelivered_message_sends_nothing_the_second_time(people, lambda_context):
    request_reset("jane.doe@example.org", lambda_context)
    messages = queued_messages()
    first = worker(reset_event(messages))
    second = worker(reset_event(messages))  # SQS delivers at least once: the same message again
    assert first == second == {"batchItemFailures": []}
    assert len(sent_emails()) == 1


def test_the_same_request_in_two_messages_sends_one_email(people, lambda_context):
    """A SendMessage retried by the SDK can queue one request twice; the request id keeps it to one email."""
    import boto3

    request_reset("jane.doe@example.org", lambda_context)
    (message,) = queued_messages()
    import os

    boto3.client("sqs").send_message(QueueUrl=os.environ["PORTAL_RESET_QUEUE_URL"], MessageBody=message["Body"])
    deliveries = deliver_queued()
    assert sum(len(d.messages) for d in deliveries) == 2
    assert len(sent_emails()) == 1


def test_a_delivery_running_elsewhere_makes_the_duplicate_wait(people, lambda_context):
    from portal.store import Store

    request_reset("jane.doe@example.org", lambda_context)
    (message,) = queued_messages()
    request_id = json.loads(message["Body"])["request_id"]
    # Another worker claimed this request a moment ago and is sending.
    Store(people["accounts"].store.table).put(
        {"pk": f"RESETREQUEST#{request_id}", "sk": "CLAIM", "status": "sending", "lease_until": 2**40}
    )
    answer = worker(reset_event([message]))
    assert answer == {"batchItemFailures": [{"itemIdentifier": message["MessageId"]}]}
    assert sent_emails() == []


@pytest.mark.parametrize(
    "body",
    ["not json", "[]", '{"email": "jane.doe@example.org"}', '{"email": 1, "request_id": "a", "requested_at": "x"}'],
    ids=["not-json", "not-an-object", "missing-fields", "wrong-types"],
)
def test_a_message_the_portal_did_not_write_is_kept_for_the_dead_letter_queue(people, body):
    message = {"MessageId": "m-1", "ReceiptHandle": "r-1", "Body": body}
    assert worker(reset_event([message])) == {"batchItemFailures": [{"itemIdentifier": "m-1"}]}
    assert sent_emails() == []


def test_one_bad_message_does_not_hold_back_the_rest_of_the_batch(people, lambda_context):
    request_reset("jane.doe@example.org", lambda_context)
    (good,) = queued_messages()
    bad = {"MessageId": "m-bad", "ReceiptHandle": "r-bad", "Body": "{}"}
    assert worker(reset_event([bad, good])) == {"batchItemFailures": [{"itemIdentifier": "m-bad"}]}
    assert [m["To"].addresses[0].addr_spec for m in sent_emails()] == ["jane.doe@example.org"]


@pytest.mark.parametrize("body", [{"email": "not-an-address"}, {"email": "a@b.c", "extra": 1}, {}], ids=str)
def test_bad_input_is_a_422_and_queues_nothing(people, lambda_context, body):
    response = request_reset(None, lambda_context, body)
    assert response["statusCode"] == 422
    assert queued_messages() == []


def test_a_queue_outage_is_the_same_503_for_every_address(people, lambda_context, monkeypatch):
    from portal import settings, wiring

    monkeypatch.setenv("PORTAL_RESET_QUEUE_URL", "https://sqs.us-east-1.amazonaws.com/123456789012/Missing")
    settings.settings.cache_clear()
    wiring.reset()
    answers = {
        (r["statusCode"], r["body"])
        for r in (request_reset(email, lambda_context) for email in ("jane.doe@example.org", "nobody@example.org"))
    }
    assert len(answers) == 1
    ((status, body),) = answers
    assert status == 503 and "try again" in json.loads(body)["message"]
