"""Sign-in sessions: an opaque random token in a cookie, only its SHA-256 in the store.

The cookie value is ``<user id>.<token>``. A session ends at logout, after ``idle`` without use,
after ``absolute`` in any case, and at once when the user's session epoch moves on (a password
change or a block).
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from enum import StrEnum

from portal.accounts import Accounts, User, UserStatus
from portal.store import ItemExists, Store

SESSION_COOKIE = "__Host-portal_session"
# Last-seen is written at most this often, so browsing doesn't turn every request into a write.
_TOUCH_EVERY = timedelta(seconds=60)


class SessionPurpose(StrEnum):
    FULL = "full"
    SET_PASSWORD = "set_password"  # opened by a one-time link: can only set a new password


@dataclass(frozen=True)
class Session:
    """A live session and the user it belongs to."""

    user: User
    token_hash: str
    purpose: SessionPurpose
    expires_at: int


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


class Sessions:
    """Starts, finds and ends sessions."""

    def __init__(
        self,
        store: Store,
        accounts: Accounts,
        idle: timedelta = timedelta(minutes=30),
        absolute: timedelta = timedelta(hours=12),
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
    ):
        self.store = store
        self.accounts = accounts
        self.idle = idle
        self.absolute = absolute
        self.clock = clock

    def start(self, user: User, purpose: SessionPurpose = SessionPurpose.FULL) -> str:
        """Open a session for ``user`` and return the cookie value (the only copy of the token)."""
        token = secrets.token_urlsafe(32)  # 256 bits
        now = self.clock()
        lifetime = self.absolute if purpose == SessionPurpose.FULL else timedelta(minutes=15)
        self.store.put_new(
            {
                "pk": f"USER#{user.id}",
                "sk": f"SESSION#{_digest(token)}",
                "purpose": purpose.value,
                "epoch": user.session_epoch,
                "created_at": now.isoformat(),
                "last_seen_at": int(now.timestamp()),
                "expires_at": int((now + lifetime).timestamp()),
            }
        )
        return f"{user.id}.{token}"

    def find(self, cookie_value: str | None) -> Session | None:
        """The live session behind a cookie value, or None (expired, revoked, blocked, unknown)."""
        if not cookie_value or len(cookie_value) > 200:
            return None
        user_id, dot, token = cookie_value.partition(".")
        if not dot or not user_id.isalnum() or not token:
            return None
        token_hash = _digest(token)
        item = self.store.get(f"USER#{user_id}", f"SESSION#{token_hash}")
        now = int(self.clock().timestamp())
        if not item:
            return None
        expires_at, last_seen = int(item["expires_at"]), int(item["last_seen_at"])
        if expires_at <= now or last_seen + int(self.idle.total_seconds()) <= now:
            return None
        user = self.accounts.user(user_id)
        if not user or user.status == UserStatus.BLOCKED or int(item["epoch"]) != user.session_epoch:
            return None
        if now - last_seen >= _TOUCH_EVERY.total_seconds():
            try:
                self.store.update(item["pk"], item["sk"], {"last_seen_at": now})
            except ItemExists:
                return None  # ended by a logout in the meantime
        return Session(user=user, token_hash=token_hash, purpose=SessionPurpose(item["purpose"]), expires_at=expires_at)

    def end(self, session: Session) -> None:
        self.store.delete(f"USER#{session.user.id}", f"SESSION#{session.token_hash}")

    def end_all(self, user_id: str, keep: str | None = None) -> int:
        """End every session of a user except the one whose hash is ``keep``; returns how many ended."""
        ended = 0
        for item in self.store.query(f"USER#{user_id}", "SESSION#"):
            if item["sk"] != f"SESSION#{keep}":
                self.store.delete(item["pk"], item["sk"])
                ended += 1
        return ended
