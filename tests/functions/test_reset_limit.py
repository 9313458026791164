"""Request New Password mails one address at most 3 times in any 15 minutes, whoever asks.

Requests go through the real API handler and the queue's worker; past the limit the requester
gets the same answer and the inbox gets nothing.
"""

from __future__ import annotations

import json
from datetime import timedelta
from unittest import mock

import pytest
from helpers import Clock, api_event, deliver_queued, sent_emails


def request_reset(email, lambda_context):
    from password_reset.app import lambda_handler

    response = lambda_handler(api_event("POST", "/api/password-reset", {"email": email}), lambda_context)
    return response["statusCode"], response["body"]


def emails_to(address: str) -> int:
    return sum(1 for m in sent_emails() if m["To"].addresses[0].addr_spec == address)


@pytest.fixture
def clock(people):
    """A hand-moved clock for the worker and its limit (the defaults: 3 emails in 15 minutes)."""
    from portal import wiring
    from portal.reset_limit import ResetMailLimit
    from portal.reset_requests import ResetMail
    from portal.settings import settings

    clock = Clock()
    window = timedelta(minutes=settings().reset_mail_window_minutes)
    limit = ResetMailLimit(wiring.store(), settings().reset_mail_limit, window, clock)
    worker = ResetMail(wiring.store(), wiring.sign_in(), limit, clock)
    # Undone before the emulated AWS goes (monkeypatch would undo it after).
    with mock.patch.object(wiring, "reset_mail", lambda: worker):
        yield clock


def test_the_fourth_request_in_the_window_gets_the_same_answer_and_no_email(people, lambda_context):
    answers = [request_reset("jane.doe@example.org", lambda_context) for _ in range(4)]
    deliveries = deliver_queued()
    assert sum(len(d.messages) for d in deliveries) == 4
    assert all(d.failed == set() for d in deliveries), "a request over the limit is handled, not retried"
    assert emails_to("jane.doe@example.org") == 3
    assert len(set(answers)) == 1
    status, body = answers[0]
    assert status == 202 and "If an account uses that address" in json.loads(body)["message"]


def test_requests_that_arrive_together_are_limited_too(people, lambda_context):
    """Forty requests queued at once (one batch after another) still make three emails."""
    for _ in range(40):
        request_reset("jane.doe@example.org", lambda_context)
    deliver_queued()
    assert emails_to("jane.doe@example.org") == 3


def test_after_the_window_the_address_gets_emails_again(people, lambda_context, clock):
    for _ in range(3):
        request_reset("jane.doe@example.org", lambda_context)
        deliver_queued()
        clock.advance(minutes=1)
    # 12 minutes after the third email, 14 after the first: still over the limit.
    clock.advance(minutes=11)
    request_reset("jane.doe@example.org", lambda_context)
    deliver_queued()
    assert emails_to("jane.doe@example.org") == 3
    # 15 minutes after the first email its slot is free again, and only that one.
    clock.advance(minutes=1)
    request_reset("jane.doe@example.org", lambda_context)
    request_reset("jane.doe@example.org", lambda_context)
    deliver_queued()
    assert emails_to("jane.doe@example.org") == 4
    # By minute 17 the second and third emails' slots are free too.
    clock.advance(minutes=2)
    for _ in range(3):
        request_reset("jane.doe@example.org", lambda_context)
    deliver_queued()
    assert emails_to("jane.doe@example.org") == 6


def test_an_unknown_address_gets_the_same_answer_under_and_over_the_limit(people, lambda_context):
    known = [request_reset("jane.doe@example.org", lambda_context) for _ in range(4)]
    unknown = [request_reset("nobody@example.org", lambda_context) for _ in range(4)]
    deliver_queued()
    assert set(known) == set(unknown) and len(set(known)) == 1
    assert emails_to("nobody@example.org") == 0
    assert emails_to("jane.doe@example.org") == 3


def test_each_address_has_its_own_limit_whatever_its_spelling(people, lambda_context):
    spellings = ("Jane.Doe@Example.org", "JANE.DOE@EXAMPLE.ORG", "jane.doe@example.org", "jane.doe@EXAMPLE.org")
    assert {request_reset(email, lambda_context)[0] for email in spellings} == {202}
    for _ in range(3):
        request_reset("admin@example.org", lambda_context)
    deliver_queued()
    assert emails_to("jane.doe@example.org") == 3
    assert emails_to("admin@example.org") == 3


def test_a_failed_send_and_its_retry_count_once(people, lambda_context):
    from portal.mail import Mailer

    original = Mailer.send
    attempts = []

    def flaky_send(mailer, email):
        attempts.append(email.to)
        if len(attempts) == 1:
            raise RuntimeError("SES is not answering")
        return original(mailer, email)

    request_reset("jane.doe@example.org", lambda_context)
    with mock.patch.object(Mailer, "send", flaky_send):
        (first,) = deliver_queued()
        assert first.failed == {first.messages[0]["MessageId"]}
        (retry,) = deliver_queued()
    assert retry.failed == set()
    assert emails_to("jane.doe@example.org") == 1
    for _ in range(3):
        request_reset("jane.doe@example.org", lambda_context)
    deliver_queued()
    assert emails_to("jane.doe@example.org") == 3


def test_the_store_keeps_a_hashed_address_and_a_ttl(people, lambda_context, clock):
    request_reset("jane.doe@example.org", lambda_context)
    deliver_queued()
    items = [i for i in people["accounts"].store.table.scan()["Items"] if i["pk"].startswith("RESETLIMIT#")]
    assert len(items) == 1
    assert "jane" not in json.dumps(items, default=str)
    assert int(items[0]["expires_at"]) == int((clock() + timedelta(minutes=15)).timestamp())


def test_two_workers_with_a_stale_view_cannot_take_the_same_slot(people):
    """The conditional write rejects, not only the read before it (emulators have been wrong)."""
    from portal.reset_limit import ResetMailLimit

    store = people["accounts"].store
    clock = Clock()
    first = ResetMailLimit(store, 1, timedelta(minutes=15), clock)
    second = ResetMailLimit(store, 1, timedelta(minutes=15), clock)
    assert first.allow("jane.doe@example.org", "request1")
    # The second worker read the slots before the first one wrote: it sees a free slot.
    with mock.patch.object(store, "query", return_value=[]):
        assert not second.allow("jane.doe@example.org", "request2")
        clock.advance(minutes=15)
        # The slot has expired (TTL has not removed it yet): the write may replace it now.
        assert second.allow("jane.doe@example.org", "request2")
    assert not first.allow("jane.doe@example.org", "request3")


@pytest.mark.parametrize(
    ("limit", "window"), [(0, timedelta(minutes=15)), (3, timedelta(0))], ids=["no-emails", "no-window"]
)
def test_a_limit_that_would_stop_every_email_is_refused(people, limit, window):
    from portal.reset_limit import ResetMailLimit

    with pytest.raises(ValueError, match="at least 1 email"):
        ResetMailLimit(people["accounts"].store, limit, window)
