"""Help requests: the Contact Us form, stored with a reference and emailed to Reseller Support.

A submission carries a client-chosen idempotency key. The first request with a key claims it and
records the reference it will use; a retry with the same key (a double click, a network retry)
finishes whatever step is missing and answers with the same reference, so one submission always
means one stored request and one pair of emails.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field

from portal.catalog import Catalog
from portal.errors import Conflict, FieldProblem, InvalidFields
from portal.fields import PHONE_PATTERN, DeliverableEmail, MultiLine, OneLine
from portal.mail import Mailer
from portal.store import ItemExists, Store

MESSAGE_MAX_CHARS = 5000
IDEMPOTENCY_KEY_PATTERN = r"^[A-Za-z0-9_\-]{16,128}$"
_REFERENCE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTVWXYZ"  # no 0/O, 1/I/L: easy to read out on the phone
_LEASE = timedelta(seconds=30)


class HelpRequestForm(BaseModel):
    """What a visitor fills in on the Contact Us page."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    name: Annotated[OneLine, Field(title="Your name", min_length=1, max_length=100)]
    email: Annotated[DeliverableEmail, Field(title="Email address", max_length=254)]
    company: Annotated[OneLine, Field(title="Company", min_length=1, max_length=150)]
    phone: Annotated[OneLine, Field(title="Phone", max_length=25, pattern=rf"{PHONE_PATTERN}|^$")] = ""
    topic: Annotated[OneLine, Field(title="Topic", min_length=1, max_length=60)]
    category: Annotated[OneLine, Field(title="Product category", max_length=60)] = ""
    message: Annotated[
        MultiLine,
        Field(title="Message", min_length=10, max_length=MESSAGE_MAX_CHARS, description="10 to 5,000 characters"),
    ]
    homepage: Annotated[
        str, Field(title="Leave this field empty", max_length=500, json_schema_extra={"honeypot": True})
    ] = ""


@dataclass(frozen=True)
class HelpReceipt:
    """What the sender is told: the reference to quote, and whether this was a repeat."""

    reference: str
    repeated: bool = False


def new_reference(now: datetime) -> str:
    """A reference such as ``HR-261203-7K3F9Q``: the date, then six random characters."""
    suffix = "".join(secrets.choice(_REFERENCE_ALPHABET) for _ in range(6))
    return f"HR-{now:%y%m%d}-{suffix}"


def _payload_hash(form: HelpRequestForm) -> str:
    canonical = json.dumps(form.model_dump(), sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(canonical.encode()).hexdigest()


def check_choices(form: HelpRequestForm, catalog: Catalog) -> None:
    """Refuse a topic or category that is not in the content data."""
    problems = []
    if not catalog.help_topic(form.topic):
        problems.append(FieldProblem("topic", "Topic is not one of the listed topics; choose one from the list."))
    if form.category and not catalog.category(form.category):
        problems.append(
            FieldProblem(
                "category",
                "Product category is not one of the portal's categories; choose one or leave it empty.",
            )
        )
    if problems:
        raise InvalidFields(problems)


class HelpDesk:
    """Records help requests and sends their emails, exactly once per idempotency key."""

    def __init__(
        self,
        store: Store,
        mailer: Mailer,
        catalog: Catalog,
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
        idempotency_ttl: timedelta = timedelta(hours=24),
    ):
        self.store = store
        self.mailer = mailer
        self.catalog = catalog
        self.clock = clock
        self.idempotency_ttl = idempotency_ttl

    def submit(self, form: HelpRequestForm, idempotency_key: str) -> HelpReceipt:
        """Store ``form`` and email it to Reseller Support and the sender.

        Raises:
            InvalidFields: topic or category is not in the catalog.
            Conflict: the key was used for a different request, or the first attempt is still running.
        """
        if form.homepage:
            # A person never sees the honeypot; only bots fill it. Answer as usual, keep nothing.
            return HelpReceipt(reference=new_reference(self.clock()))
        check_choices(form, self.catalog)
        claim = self._claim(idempotency_key, _payload_hash(form))
        if claim.get("status") == "done":
            return HelpReceipt(reference=claim["reference"], repeated=True)
        reference = claim["reference"]
        self._record(reference, form, claim)
        self._notify(reference, form, claim)
        self.store.update(claim["pk"], claim["sk"], {"status": "done"})
        return HelpReceipt(reference=reference, repeated=claim.get("resumed", False))

    def _claim(self, key: str, payload_hash: str) -> dict:
        now = self.clock()
        pk, sk = f"IDEMPOTENCY#help#{key}", "IDEMPOTENCY"
        item = {
            "pk": pk,
            "sk": sk,
            "payload_hash": payload_hash,
            "reference": new_reference(now),
            "status": "in_progress",
            "lease_until": int((now + _LEASE).timestamp()),
            "created_at": now.isoformat(),
            "expires_at": int((now + self.idempotency_ttl).timestamp()),
        }
        try:
            self.store.put_new(item)
            return item
        except ItemExists:
            existing = self.store.get(pk, sk) or {}
        if existing.get("payload_hash") != payload_hash:
            raise Conflict(
                "This submission key was already used for a different message. Reload the page and send again."
            )
        if existing.get("status") == "done":
            return existing
        try:
            self.store.update(
                pk,
                sk,
                {"lease_until": int((now + _LEASE).timestamp())},
                condition="lease_until < :now",
                condition_values={":now": int(now.timestamp())},
            )
        except ItemExists as e:
            raise Conflict("Your previous attempt is still being processed. Wait a few seconds and try again.") from e
        return {**existing, "resumed": True}

    def _record(self, reference: str, form: HelpRequestForm, claim: dict) -> None:
        if claim.get("recorded"):
            return
        fields = form.model_dump(exclude={"homepage"})
        # A retry may find the record written before the claim was updated: keep the first copy.
        with contextlib.suppress(ItemExists):
            self.store.put_new(
                {
                    "pk": f"HELP#{reference}",
                    "sk": "REQUEST",
                    "reference": reference,
                    "status": "open",
                    "created_at": self.clock().isoformat(),
                    **fields,
                }
            )
        self.store.update(claim["pk"], claim["sk"], {"recorded": True})

    def _notify(self, reference: str, form: HelpRequestForm, claim: dict) -> None:
        from portal.help_emails import acknowledgement, support_notice

        if not claim.get("support_notified"):
            self.mailer.send(support_notice(reference, form, self.catalog))
            self.store.update(claim["pk"], claim["sk"], {"support_notified": True})
        if not claim.get("acknowledged"):
            self.mailer.send(acknowledgement(reference, form, self.catalog))
            self.store.update(claim["pk"], claim["sk"], {"acknowledged": True})
