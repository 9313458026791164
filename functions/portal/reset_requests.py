"""Request New Password in two halves: the API queues the request, a worker mails the link.

The API's half (``ResetQueue``) does the same work for every address: one SQS message holding
the normalized address, a random request id and the time, then the same 202. It never reads the
user table, so neither its answer nor its timing says whether an account exists.

The worker's half (``ResetMail``) runs when SQS delivers the message: it looks the account up
and, when it exists and is not blocked, issues the one-time link and emails it
(``SignIn.mail_reset_link``, the rules of DESIGN §4), unless the address has had its share of
reset emails lately (``ResetMailLimit``: 3 in 15 minutes by default). SQS delivers at least once, so each
request id is claimed with a conditional write before anything is sent and marked done after:
a redelivered message sends nothing twice, and a send that failed leaves the claim open (and
the message on the queue) so the retry sends it.
"""

from __future__ import annotations

import json
import secrets
from collections.abc import Callable
from dataclasses import asdict, dataclass
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any

from portal.emails import normalize_email
from portal.errors import PortalError
from portal.store import ItemExists, Store

if TYPE_CHECKING:
    from portal.identity import SignIn
    from portal.reset_limit import ResetMailLimit

# Longer than the worker's Timeout: a claim older than this belongs to an attempt that died.
CLAIM_LEASE = timedelta(seconds=60)
# Claims outlive every redelivery, a redrive from the dead-letter queue (14 days) included.
CLAIM_RETENTION = timedelta(days=15)


class ResetQueueUnavailable(PortalError):
    """The request could not be queued (an SQS outage); the same answer for every address."""

    status = 503

    def __init__(self) -> None:
        super().__init__("We could not take your request just now. Wait a minute and try again.")


class DeliveryInProgress(RuntimeError):
    """Another delivery of the same request holds the claim; this one is retried later."""


@dataclass(frozen=True)
class ResetRequest:
    """One queued request: the SQS message body."""

    email: str
    request_id: str
    requested_at: str

    def body(self) -> str:
        return json.dumps(asdict(self), sort_keys=True)

    @classmethod
    def from_body(cls, body: str) -> ResetRequest:
        """The request in a message body.

        Raises:
            ValueError: the body is not a request this portal queued.
        """
        data = json.loads(body)
        if not isinstance(data, dict) or set(data) != {"email", "request_id", "requested_at"}:
            raise ValueError("not a password-reset request")
        if not all(isinstance(value, str) and value for value in data.values()):
            raise ValueError("a password-reset request needs text email, request_id and requested_at")
        if len(data["request_id"]) > 64 or not data["request_id"].isalnum():
            raise ValueError("a password-reset request id is 1-64 letters and digits")
        return cls(**data)


class ResetQueue:
    """The API's half: queue a request, whatever the address."""

    def __init__(self, sqs: Any, queue_url: str, clock: Callable[[], datetime] = lambda: datetime.now(UTC)):
        self.sqs = sqs
        self.queue_url = queue_url
        self.clock = clock

    def submit(self, email: str) -> ResetRequest:
        """Queue one request for ``email`` (normalized); the same single SQS call for every address.

        Raises:
            ResetQueueUnavailable: SQS did not take the message.
        """
        from botocore.exceptions import BotoCoreError, ClientError

        request = ResetRequest(normalize_email(email), secrets.token_hex(16), self.clock().isoformat())
        try:
            self.sqs.send_message(QueueUrl=self.queue_url, MessageBody=request.body())
        except (BotoCoreError, ClientError) as error:
            raise ResetQueueUnavailable() from error
        return request


class ResetMail:
    """The worker's half: one queued request becomes at most one email."""

    def __init__(
        self,
        store: Store,
        sign_in: SignIn,
        limit: ResetMailLimit,
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
    ):
        self.store = store
        self.sign_in = sign_in
        self.limit = limit
        self.clock = clock

    def deliver(self, request: ResetRequest) -> bool:
        """Mail the link if the account may get one and this request has not been handled yet.

        Nothing is sent when the address is over its limit of reset emails; the request is done then
        (the requester's answer was the same either way).

        Returns whether this call sent an email.

        Raises:
            DeliveryInProgress: another delivery of the same request is running (retry later).
            Exception: whatever the store or the mailer raised; the claim is released for the retry.
        """
        claim = self._claim(request.request_id)
        if claim is None:
            return False
        try:
            allowed = self.limit.allow(request.email, request.request_id)
            sent = allowed and self.sign_in.mail_reset_link(request.email)
        except BaseException:
            self._release(request.request_id)
            raise
        self.store.update(
            *_claim_key(request.request_id),
            {"status": "done", "sent": sent, "over_limit": not allowed, "done_at": self.clock().isoformat()},
        )
        return sent

    def _claim(self, request_id: str) -> dict[str, Any] | None:
        """Take the request's claim; None when it is done already."""
        now = self.clock()
        pk, sk = _claim_key(request_id)
        lease_until = int((now + CLAIM_LEASE).timestamp())
        item = {
            "pk": pk,
            "sk": sk,
            "status": "sending",
            "lease_until": lease_until,
            "created_at": now.isoformat(),
            "expires_at": int((now + CLAIM_RETENTION).timestamp()),
        }
        try:
            self.store.put_new(item)
            return item
        except ItemExists:
            existing = self.store.get(pk, sk) or {}
        if existing.get("status") == "done":
            return None
        try:
            # An earlier attempt failed (released its lease) or died (the lease ran out): take over.
            self.store.update(
                pk,
                sk,
                {"lease_until": lease_until},
                condition="#s <> :done AND lease_until < :now",
                condition_values={":done": "done", ":now": int(now.timestamp())},
                condition_names={"#s": "status"},
            )
        except ItemExists as error:
            raise DeliveryInProgress(f"request {request_id} is being delivered by another attempt") from error
        return {**existing, "lease_until": lease_until}

    def _release(self, request_id: str) -> None:
        """Let the next delivery take over at once (best effort: the lease runs out anyway)."""
        try:
            self.store.update(
                *_claim_key(request_id),
                {"lease_until": 0},
                condition="#s <> :done",
                condition_values={":done": "done"},
                condition_names={"#s": "status"},
            )
        except Exception:  # the original failure matters more than this one
            return


def _claim_key(request_id: str) -> tuple[str, str]:
    return f"RESETREQUEST#{request_id}", "CLAIM"
