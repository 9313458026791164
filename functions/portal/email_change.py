"""Changing the address a user signs in with: a link to the new address, confirmed once.

A request stores one item per user (``pk = USER#<id>``, ``sk = EMAILCHANGE``: the token's SHA-256,
the new and the old address, and when it expires); a newer request replaces it, so only the
newest link works. Opening the link changes nothing; only the confirm call does, and in one
transaction it moves the claim on the address (the old claim goes, the new one must not exist),
changes the user's email, ends any password link (those were sent to the old address) and
records the change in the company's trail.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import secrets
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

from portal.accounts import Accounts, EmailTaken, User, UserStatus, email_claim_key, user_key
from portal.company_audit import CompanyAudit
from portal.emails import normalize_email
from portal.errors import PortalError
from portal.store import ItemExists, Store

logger = logging.getLogger(__name__)
EMAIL_CHANGE_LIFETIME = timedelta(hours=24)
_SK = "EMAILCHANGE"


class EmailLinkNotValid(PortalError):
    """The confirmation link is used, expired, superseded or wrong."""

    status = 410

    def __init__(self) -> None:
        super().__init__(
            "This confirmation link can no longer be used: it was already used, replaced by a newer request, "
            "or it expired. Sign in and ask for the change again from My Profile."
        )


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


class EmailChanges:
    """Issues and confirms email change links."""

    def __init__(
        self,
        store: Store,
        accounts: Accounts,
        audit: CompanyAudit,
        lifetime: timedelta = EMAIL_CHANGE_LIFETIME,
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
    ):
        self.store = store
        self.accounts = accounts
        self.audit = audit
        self.lifetime = lifetime
        self.clock = clock

    def issue(self, user: User, new_email: str) -> str:
        """A new token asking to move ``user`` to ``new_email``; an earlier request stops working."""
        token = secrets.token_urlsafe(32)  # 256 bits
        now = self.clock()
        self.store.put(
            {
                "pk": f"USER#{user.id}",
                "sk": _SK,
                "token_hash": _digest(token),
                "new_email": normalize_email(new_email),
                "old_email": user.email,
                "issued_at": now.isoformat(),
                "expires_at": int((now + self.lifetime).timestamp()),
            }
        )
        return token

    def revoke_action(self, user_id: str) -> dict:
        """A ``Store.transact`` action ending any pending change (part of blocking a user)."""
        return self.store.delete_action(f"USER#{user_id}", _SK)

    def confirm(self, user_id: str, token: str) -> tuple[User, str]:
        """Make the change a live link asks for; returns the updated user and the old address.

        Raises:
            EmailLinkNotValid: the link is used, expired, superseded, or its user changed or was blocked.
            EmailTaken: another account took the new address in the meantime.
        """
        user, item = self._verify(user_id, token)
        old, new = user.email, item["new_email"]
        if self.accounts.find_by_email(new):
            raise EmailTaken("That address now belongs to another account, so your email was not changed.")
        old_claim, new_claim = email_claim_key(old), email_claim_key(new)
        actions = [
            self.store.delete_action(*old_claim, condition="user_id = :u", values={":u": user.id}),
            self.store.put_new_action({"pk": new_claim[0], "sk": new_claim[1], "user_id": user.id}),
            # "#a0" is the email attribute itself: the change applies only to the address it was asked for.
            self.store.update_action(*user_key(user.id), {"email": new}, "#a0 = :old", {":old": old}),
            self.store.delete_action(f"USER#{user.id}", "RESET"),
            self.store.delete_action(
                f"USER#{user.id}", _SK, condition="token_hash = :h", values={":h": item["token_hash"]}
            ),
            self.audit.entry(user.company_id, user, "email_changed", target=user, changes={"email": (old, new)}),
        ]
        try:
            self.store.transact(actions)
        except ItemExists as e:
            if self.accounts.find_by_email(new):
                raise EmailTaken("That address now belongs to another account, so your email was not changed.") from e
            raise EmailLinkNotValid() from e
        updated = self.accounts.user(user.id)
        assert updated is not None, "the transaction kept the user"
        return updated, old

    def _verify(self, user_id: str, token: str) -> tuple[User, dict]:
        user = self.accounts.user(user_id) if user_id.isascii() and user_id.isalnum() and len(user_id) <= 64 else None
        item = self.store.get(f"USER#{user_id}", _SK) if user else None
        reason = None
        if not user or not item:
            reason = "missing"
        elif not hmac.compare_digest(item["token_hash"], _digest(token or "")):
            reason = "mismatch or superseded"
        elif int(item["expires_at"]) <= int(self.clock().timestamp()):
            reason = "expired"
        elif item["old_email"] != user.email:
            reason = "the email changed since the request"
        elif user.status == UserStatus.BLOCKED:
            reason = "user blocked"
        if reason:
            logger.info("email change link refused: %s", reason, extra={"user_id": user_id})
            raise EmailLinkNotValid()
        assert user is not None and item is not None
        return user, item
