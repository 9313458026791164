"""How many Request New Password emails one address may get: at most ``limit`` in any ``window``.

Without it, anyone could make the portal fill a stranger's inbox by asking again and again. The
limit is kept in the store, so every worker instance sees the same count, and is checked for every
address, whether or not an account uses it: the requester's answer never changes (it is given
before the worker runs), so the limit tells nobody which accounts exist.

Each address has ``limit`` slots (``RESETLIMIT#<sha256 of the address>`` / ``SLOT#<n>``). A request
takes a slot that is empty or whose ``expires_at`` has passed, with a conditional write, so two
workers can never take the same slot; a taken slot stays taken for ``window``. With every slot
taken the address is over the limit. That is a sliding window: any ``window`` of time holds at
most ``limit`` taken slots. ``expires_at`` is also the table's TTL attribute, which removes old
slots; since TTL deletes late (up to days), a slot counts as free from ``expires_at`` on, whether
or not it is still there.

A slot remembers the request that took it: a redelivered request (SQS delivers at least once, and
a failed send is retried) finds its slot again instead of taking a second one.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

from portal.store import ItemExists, Store


class ResetMailLimit:
    """At most ``limit`` password-reset emails per address in any ``window``."""

    def __init__(
        self,
        store: Store,
        limit: int,
        window: timedelta,
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
    ):
        if limit < 1 or window <= timedelta(0):
            raise ValueError("the reset email limit needs at least 1 email and a window longer than zero")
        self.store = store
        self.limit = limit
        self.window = window
        self.clock = clock

    def allow(self, email: str, request_id: str) -> bool:
        """Take a slot of ``email`` (normalized) for this request; False when the address is over the limit.

        A request that holds a live slot already (a retry) is allowed again without taking another.
        """
        now = self.clock()
        now_ts = int(now.timestamp())
        pk = _limit_key(email)
        slots = {item["sk"]: item for item in self.store.query(pk, sk_prefix="SLOT#")}
        live = {sk: item for sk, item in slots.items() if int(item.get("expires_at", 0)) > now_ts}
        if any(item.get("request_id") == request_id for item in live.values()):
            return True
        for number in range(self.limit):
            sk = f"SLOT#{number}"
            if sk in live:
                continue
            try:
                self.store.put_new(
                    {
                        "pk": pk,
                        "sk": sk,
                        "request_id": request_id,
                        "taken_at": now.isoformat(),
                        "expires_at": int((now + self.window).timestamp()),
                    },
                    replace_if="expires_at <= :now",
                    values={":now": now_ts},
                )
            except ItemExists:
                continue  # another worker took this slot since the query; try the next one
            return True
        return False


def _limit_key(email: str) -> str:
    # Hashed: the table keeps no list of the addresses people typed, accounts or not.
    return "RESETLIMIT#" + hashlib.sha256(email.encode()).hexdigest()
