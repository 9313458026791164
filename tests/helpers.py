"""Helpers shared by the tests: real-shaped events, sent emails, queued messages, site builds."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
EVENTS = Path(__file__).parent / "events"


def sent_emails() -> list:
    """Every email moto's SES accepted, parsed, oldest first."""
    from email import message_from_bytes, policy

    from moto.core import DEFAULT_ACCOUNT_ID
    from moto.ses.models import ses_backends

    backend = ses_backends[DEFAULT_ACCOUNT_ID]["us-east-1"]
    return [
        message_from_bytes(m.raw_data.encode() if isinstance(m.raw_data, str) else m.raw_data, policy=policy.default)
        for m in backend.sent_messages
        if hasattr(m, "raw_data")
    ]


def deliver_queued(retry_failed_at_once: bool = True) -> list:
    """Hand every queued message to the function the template maps to its queue, as Lambda would.

    Reads the SQS event sources of infra/template.yaml (``Type: SQS``), builds Lambda's SQS event,
    calls the worker in this process and deletes the messages it handled. A message it reports
    as failed stays on the queue; with ``retry_failed_at_once`` it is visible again at once (in
    AWS, after the queue's visibility timeout), so the next call delivers it again.

    Returns the batches delivered (``infra.local.queues.Delivery``: messages and failed ids).
    """
    import boto3

    from infra.local.api import Functions
    from infra.local.queues import QueuePump
    from infra.local.template import load_template

    sqs = boto3.client("sqs", region_name="us-east-1")
    deliveries = QueuePump(load_template(REPO / "infra" / "template.yaml"), Functions({}), sqs).drain()
    for delivery in deliveries if retry_failed_at_once else []:
        for message in delivery.messages:
            if message["MessageId"] in delivery.failed:
                sqs.change_message_visibility(
                    QueueUrl=delivery.mapping.queue.url, ReceiptHandle=message["ReceiptHandle"], VisibilityTimeout=0
                )
    return deliveries


def http_event(name: str, body: dict | str | None = None, headers: dict | None = None) -> dict:
    """A real-shaped API Gateway HTTP API v2 event from tests/events/, with a new body/headers."""
    event = json.loads((EVENTS / f"{name}.json").read_text())
    if body is not None:
        event["body"] = body if isinstance(body, str) else json.dumps(body)
    for key, value in (headers or {}).items():
        if value is None:
            event["headers"].pop(key, None)
        else:
            event["headers"][key] = value
    return event


class FakeContext:
    """Enough of a Lambda context for Powertools' logger."""

    function_name = "HelpFunction"
    function_version = "$LATEST"
    memory_limit_in_mb = 512
    invoked_function_arn = "arn:aws:lambda:us-east-1:123456789012:function:HelpFunction"
    aws_request_id = "test-request"

    @staticmethod
    def get_remaining_time_in_millis() -> int:
        return 10_000


def build_site(project: Path, site_dir: Path) -> Path:
    """Run a real ``mkdocs build`` of ``project``'s mkdocs.yml into ``site_dir``."""
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    config = load_config(str(project / "mkdocs.yml"), site_dir=str(site_dir))
    try:
        build(config)
    finally:
        config.plugins.on_shutdown()
    return site_dir


def copy_project(target: Path) -> Path:
    """A throwaway copy of the site's sources (content, mkdocs.yml, theme overrides) to break on purpose."""
    import shutil

    shutil.copytree(REPO / "content", target / "content")
    shutil.copy(REPO / "mkdocs.yml", target / "mkdocs.yml")
    (target / "site_builder").mkdir()
    (target / "site_builder" / "overrides").symlink_to(REPO / "site_builder" / "overrides")
    return target


def api_event(
    method: str,
    path: str,
    body: dict | str | None = None,
    cookies: list[str] | None = None,
    headers: dict | None = None,
    source_ip: str = "192.0.2.10",
) -> dict:
    """A real-shaped HTTP API v2 event for any route, built from tests/events/help_post.json."""
    event = http_event("help_post", body if body is not None else "", headers)
    if body is None:
        event["body"] = None
        event["headers"].pop("content-type", None)
    event["headers"].pop("idempotency-key", None)
    event["rawPath"] = event["requestContext"]["http"]["path"] = path
    event["requestContext"]["http"]["method"] = method
    event["routeKey"] = event["requestContext"]["routeKey"] = f"{method} {path}"
    event["requestContext"]["http"]["sourceIp"] = source_ip
    if cookies:
        event["cookies"] = cookies
    return event


def cookie_jar(response: dict) -> dict[str, str]:
    """name -> value of the cookies a response sets (empty value = cleared)."""
    jar = {}
    for cookie in response.get("cookies", []):
        name, _, rest = cookie.partition("=")
        jar[name] = rest.split(";", 1)[0]
    return jar


def service(people, clock=None, flood=None, site_url="https://partners.example.com/", **limits):
    """A SignIn service on the emulated table, with an optional fixed clock."""
    from portal.catalog import load_catalog
    from portal.flood import FloodControl
    from portal.identity import SignIn
    from portal.mail import portal_mailer
    from portal.reset_tokens import ResetTokens
    from portal.sessions import Sessions

    accounts = people["accounts"]
    store = accounts.store
    catalog = load_catalog(REPO / "content")
    kwargs = {"clock": clock} if clock else {}
    return SignIn(
        accounts=accounts,
        sessions=Sessions(store, accounts, **kwargs),
        tokens=ResetTokens(store, accounts, **kwargs),
        flood=flood or FloodControl(store, **kwargs),
        mailer=portal_mailer(catalog.contacts.mail_sender),
        catalog=catalog,
        site_url=site_url,
        **limits,
        **kwargs,
    )


class Clock:
    """A clock tests move by hand."""

    def __init__(self):
        self.now = datetime(2026, 12, 3, 9, 0, tzinfo=UTC)

    def __call__(self):
        return self.now

    def advance(self, **delta):
        self.now += timedelta(**delta)


def link_parts(email_text: str) -> tuple[str, str]:
    import re

    match = re.search(
        r"https://partners\.example\.com/account/one-time-login/#([0-9a-f]+)\.([A-Za-z0-9_\-]+)", email_text
    )
    assert match, email_text
    return match.group(1), match.group(2)


def outbox(portal) -> list[dict]:
    """Every email the running local stack has sent (its ``/_outbox.json``), newest first."""
    import urllib.request

    with urllib.request.urlopen(portal.url.rstrip("/") + "/_outbox.json") as response:  # noqa: S310 (local stack)
        return json.load(response)


def newest_email_to(portal, address: str) -> dict:
    """The newest email the running local stack sent to ``address``."""
    for message in outbox(portal):
        if address in json.dumps(message.get("to")):
            return message
    raise AssertionError(f"no email to {address}")


def latest_link(to: str) -> tuple[str, str]:
    message = [m for m in sent_emails() if to in m["To"]][-1]
    return link_parts(message.get_content())


def signed_in_user(page, portal, email: str, company_name: str, categories: tuple[str, ...], role: str,
                   name: tuple[str, str] = ("Sam", "Sample")) -> None:  # fmt: skip
    """A new company with one active user in the local portal's table, signed in through the API
    as the sign-in page does (the browser tab ``page`` keeps the cookies)."""
    import os

    import boto3
    from portal import passwords
    from portal.accounts import Accounts, Role, UserStatus
    from portal.store import Store

    password = "amber quarry willow seventy"
    accounts = Accounts(Store(boto3.resource("dynamodb").Table(os.environ.get("PORTAL_TABLE", "PortalTable"))))
    company = accounts.create_company(company_name, categories)
    accounts.create_user(
        email, *name, company.id, Role[role], UserStatus.ACTIVE, password_hash=passwords.hash_password(password)
    )
    answer = page.request.post(
        portal.url + "api/session",
        data=json.dumps({"email": email, "password": password}),
        headers={"Content-Type": "application/json", "Origin": portal.url.rstrip("/")},
    )
    assert answer.status == 200, answer.text()
