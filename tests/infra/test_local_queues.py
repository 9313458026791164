"""The local stack's queues: created from the template, delivered to their workers, kept in the state file."""

from __future__ import annotations

import json
import os
import time
import urllib.request

from helpers import REPO

from infra.local.template import QueueDefinition, load_template, resolve_environment

TEMPLATE = REPO / "infra" / "template.yaml"


def test_the_template_s_queues_and_event_sources_are_read():
    template = load_template(TEMPLATE)
    queues = {queue.name: queue for queue in template.queues}
    assert queues["ResetQueue"].dead_letter_queue == "ResetDeadLetterQueue"
    assert queues["ResetQueue"].max_receive_count == 5
    assert queues["ResetDeadLetterQueue"].dead_letter_queue is None
    (worker,) = [f for f in template.functions if f.sqs_events]
    assert worker.handler == "reset_mail.app.lambda_handler"
    (source,) = worker.sqs_events
    assert (source.queue, source.batch_size, source.report_batch_item_failures) == ("ResetQueue", 10, True)
    api = next(f for f in template.functions if f.logical_id == "PasswordResetFunction")
    environment = resolve_environment(template, api, {"SiteUrl": "http://127.0.0.1:8000/"})
    assert environment["PORTAL_RESET_QUEUE_URL"] == QueueDefinition("ResetQueue").url


def _post(stack, path: str, body: dict) -> int:
    origin = stack.url.rstrip("/")
    request = urllib.request.Request(  # noqa: S310 (local stack)
        origin + path,
        data=json.dumps(body).encode(),
        headers={"Content-Type": "application/json", "Origin": origin},
        method="POST",
    )
    with urllib.request.urlopen(request) as response:  # noqa: S310
        return response.status


def _outbox(stack) -> list[dict]:
    with urllib.request.urlopen(stack.url.rstrip("/") + "/_outbox.json") as response:  # noqa: S310 (local stack)
        return json.load(response)


def _add_user(email: str, status: str = "active") -> None:
    import boto3
    from portal.accounts import Accounts, Role, UserStatus
    from portal.store import Store

    accounts = Accounts(Store(boto3.resource("dynamodb").Table(os.environ.get("PORTAL_TABLE", "PortalTable"))))
    company = accounts.create_company("Example Systems LLC", ("pos",))
    accounts.create_user(email, "Jane", "Doe", company.id, Role.ACCOUNT_USER, UserStatus(status))


def _queued(stack) -> int:
    attributes = stack.client("sqs").get_queue_attributes(
        QueueUrl=QueueDefinition("ResetQueue").url, AttributeNames=["All"]
    )["Attributes"]
    return int(attributes["ApproximateNumberOfMessages"]) + int(attributes["ApproximateNumberOfMessagesNotVisible"])


def test_the_reset_email_is_in_the_outbox_as_soon_as_the_answer_is(portal):
    _add_user("jane.doe@example.org", "must_set_password")
    started = time.monotonic()
    assert _post(portal, "/api/password-reset", {"email": "Jane.Doe@example.org"}) == 202
    messages = _outbox(portal)
    elapsed = time.monotonic() - started
    assert [m["to"] for m in messages] == ["Jane Doe <jane.doe@example.org>"]
    assert "/account/one-time-login/#" in messages[0]["text"]
    assert _queued(portal) == 0
    print(f"request + outbox read: {elapsed * 1000:.0f} ms")


def test_unknown_and_blocked_addresses_leave_nothing_queued_and_nothing_sent(portal):
    _add_user("blocked@example.org", "blocked")
    for email in ("nobody@example.org", "blocked@example.org"):
        assert _post(portal, "/api/password-reset", {"email": email}) == 202
    assert _outbox(portal) == []
    assert _queued(portal) == 0


def test_a_message_queued_by_anyone_is_delivered_by_the_poller_within_a_second_or_so(portal):
    _add_user("jane.doe@example.org")
    body = {"email": "jane.doe@example.org", "request_id": "abc123", "requested_at": "2026-12-03T09:00:00+00:00"}
    portal.client("sqs").send_message(QueueUrl=QueueDefinition("ResetQueue").url, MessageBody=json.dumps(body))
    deadline = time.monotonic() + 5
    from infra.local.outbox import Outbox

    while time.monotonic() < deadline:
        with portal._server.aws_lock:  # what the outbox page reads, without its own delivery
            outbox = Outbox()
            outbox.collect()
        if outbox.records:
            break
        time.sleep(0.1)
    assert len(outbox.records) == 1


def test_messages_still_queued_survive_a_restart(tmp_path):
    """Saved with the state file (also by the offline commands), queued again on the next start."""
    from infra.local.aws import EmulatedAws
    from infra.local.state import load_state, save_state

    template = load_template(TEMPLATE)
    contacts = REPO / "content" / "data" / "contacts.yml"
    aws = EmulatedAws(template.tables, contacts, template.queues)
    aws.start()
    try:
        aws.client("sqs").send_message(QueueUrl=QueueDefinition("ResetQueue").url, MessageBody='{"x": 1}')
        state = load_state(tmp_path / "none.json")
        state.queues = aws.snapshot_queues()
        save_state(tmp_path / "state.json", state)
    finally:
        aws.stop()
    assert load_state(tmp_path / "state.json").queues == {"ResetQueue": ['{"x": 1}']}
    aws = EmulatedAws(template.tables, contacts, template.queues)
    aws.start()
    try:
        aws.restore_queues(load_state(tmp_path / "state.json"))
        received = aws.client("sqs").receive_message(QueueUrl=QueueDefinition("ResetQueue").url)
        assert [m["Body"] for m in received["Messages"]] == ['{"x": 1}']
    finally:
        aws.stop()


def test_a_state_file_from_before_the_queues_still_loads(tmp_path):
    from infra.local.state import load_state

    path = tmp_path / "state.json"
    path.write_text(json.dumps({"format": "portal-local-state", "version": 1, "tables": {}, "emails": []}))
    assert load_state(path).queues == {}
