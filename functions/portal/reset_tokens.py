"""One-time links for setting a password (reset, first sign-in of a migrated user, invitations).

A user has at most one live token (issuing a new one replaces the old), stored as a SHA-256 hash
with the email and password timestamp it was issued for: a token expires after 60 minutes, works
once, and dies when the password or the email changes. Checking a token changes nothing;
only ``consume`` uses it, and only one consumer can win (a conditional delete).
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import secrets
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

from portal.accounts import Accounts, User, UserStatus
from portal.errors import PortalError
from portal.store import ItemExists, Store

logger = logging.getLogger(__name__)
TOKEN_LIFETIME = timedelta(minutes=60)


class LinkNotValid(PortalError):
    """The link is used, expired, superseded or wrong; the person is told only to ask for a new one."""

    status = 410

    def __init__(self) -> None:
        super().__init__(
            "This link can no longer be used: it was already used, replaced by a newer link, or it expired "
            "(links work for 60 minutes). Request a new password to get a fresh link."
        )


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


class ResetTokens:
    """Issues, checks and consumes one-time links."""

    def __init__(
        self,
        store: Store,
        accounts: Accounts,
        lifetime: timedelta = TOKEN_LIFETIME,
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
    ):
        self.store = store
        self.accounts = accounts
        self.lifetime = lifetime
        self.clock = clock

    def issue(self, user: User, lifetime: timedelta | None = None) -> str:
        """A new token for ``user``; any earlier one stops working.

        Args:
            lifetime: How long it works, when not the usual 60 minutes (invitations last longer).
        """
        token = secrets.token_urlsafe(32)  # 256 bits
        now = self.clock()
        self.store.put(
            {
                "pk": f"USER#{user.id}",
                "sk": "RESET",
                "token_hash": _digest(token),
                "issued_at": now.isoformat(),
                "email": user.email,
                "password_changed_at": user.password_changed_at or "",
                "expires_at": int((now + (lifetime or self.lifetime)).timestamp()),
            }
        )
        return token

    def check(self, user_id: str, token: str) -> User:
        """The user a live token belongs to, changing nothing.

        Raises:
            LinkNotValid: for every kind of bad link (the reason is only logged).
        """
        user, _ = self._verify(user_id, token)
        return user

    def consume(self, user_id: str, token: str) -> User:
        """Use the token up; a second use, even at the same moment, fails."""
        user, token_hash = self._verify(user_id, token)
        try:
            self.store.delete(f"USER#{user_id}", "RESET", condition="token_hash = :h", values={":h": token_hash})
        except ItemExists as e:
            logger.info("one-time link already consumed", extra={"user_id": user_id})
            raise LinkNotValid() from e
        return user

    def revoke(self, user_id: str) -> None:
        self.store.delete(f"USER#{user_id}", "RESET")

    def _verify(self, user_id: str, token: str) -> tuple[User, str]:
        reason = None
        user = self.accounts.user(user_id) if user_id.isalnum() and len(user_id) <= 64 else None
        item = self.store.get(f"USER#{user_id}", "RESET") if user else None
        token_hash = _digest(token or "")
        if not user or not item:
            reason = "missing"
        elif not hmac.compare_digest(item["token_hash"], token_hash):
            reason = "mismatch or superseded"
        elif int(item["expires_at"]) <= int(self.clock().timestamp()):
            reason = "expired"
        elif item["email"] != user.email or item["password_changed_at"] != (user.password_changed_at or ""):
            reason = "email or password changed since issue"
        elif user.status == UserStatus.BLOCKED:
            reason = "user blocked"
        if reason:
            logger.info("one-time link refused: %s", reason, extra={"user_id": user_id})
            raise LinkNotValid()
        return user, token_hash
