"""Flood control for sign-in, kept in the store (not only API throttling).

Each failed attempt is one item that expires with its window; an identifier is locked while it
has ``limit`` or more failures within the window. Defaults follow Drupal's: 5 failures per account
in 6 hours, 50 per source IP in 1 hour.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from portal.store import Store


@dataclass(frozen=True)
class FloodLimit:
    limit: int
    window: timedelta


ACCOUNT_LIMIT = FloodLimit(limit=5, window=timedelta(hours=6))
IP_LIMIT = FloodLimit(limit=50, window=timedelta(hours=1))


class FloodControl:
    """Counts failures per (kind, identifier) within a sliding window."""

    def __init__(self, store: Store, clock: Callable[[], datetime] = lambda: datetime.now(UTC)):
        self.store = store
        self.clock = clock

    def is_locked(self, kind: str, identifier: str, limit: FloodLimit) -> bool:
        since = (self.clock() - limit.window).isoformat()
        return self.store.query(f"FLOOD#{kind}#{identifier}", sk_from=since, count_only=True) >= limit.limit

    def register_failure(self, kind: str, identifier: str, limit: FloodLimit) -> None:
        now = self.clock()
        self.store.put(
            {
                "pk": f"FLOOD#{kind}#{identifier}",
                "sk": f"{now.isoformat()}#{secrets.token_hex(4)}",
                "expires_at": int((now + limit.window).timestamp()),
            }
        )

    def clear(self, kind: str, identifier: str) -> None:
        for item in self.store.query(f"FLOOD#{kind}#{identifier}"):
            self.store.delete(item["pk"], item["sk"])
