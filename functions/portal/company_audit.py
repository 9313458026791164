"""A company's account trail: who added, blocked, unblocked or changed whom, and when.

Entries have the shared shape of ``portal.audit`` and live in the company's own partition
(``pk = COMPANY#<id>``, ``sk = AUDIT#<time>#<random>``). Each is written in the same transaction
as the change it records, so a change without its entry cannot happen. Passwords and tokens are
never recorded: a password change is not part of this trail at all.
"""

from __future__ import annotations

import base64
import binascii
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from portal.accounts import User
from portal.audit import Actor, AuditEntry
from portal.errors import FieldProblem, InvalidFields
from portal.store import Store

ACTIONS = {
    "user_added": "Added a user",
    "invitation_sent": "Sent an invitation again",
    "user_blocked": "Blocked a user",
    "user_unblocked": "Unblocked a user",
    "role_changed": "Changed a role",
    "profile_updated": "Updated a profile",
    "email_changed": "Changed a sign-in email",
    "company_updated": "Updated the company information",
    "name_change_requested": "Asked Reseller Support to change the company name",
    "management_contact_moved": "Moved the Management Contact role",
}
_CURSOR_SK = re.compile(r"^AUDIT#[0-9T:.+\-]{19,40}#[0-9a-f]{8}$")
PAGE_SIZE = 25

Changes = dict[str, tuple[Any, Any]]


@dataclass(frozen=True)
class AuditPage:
    """Entries newest first, and the cursor of the next (older) page, if any."""

    entries: list[dict[str, Any]]
    next_cursor: str | None


def changes_between(before: dict[str, Any], after: dict[str, Any]) -> Changes:
    """Field -> (old, new) for every field of ``after`` whose value differs from ``before``."""
    return {name: (before.get(name, ""), value) for name, value in after.items() if before.get(name, "") != value}


def _cursor(sk: str) -> str:
    return base64.urlsafe_b64encode(sk.encode()).decode().rstrip("=")


def _sort_key(cursor: str) -> str:
    """The sort key behind a cursor; anything that was not made by ``_cursor`` is refused."""
    try:
        sk = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
    except (binascii.Error, UnicodeDecodeError, ValueError):
        sk = ""
    if not _CURSOR_SK.match(sk):
        raise InvalidFields([FieldProblem("cursor", "Cursor is not valid: use the next_cursor of the previous page.")])
    return sk


class CompanyAudit:
    """Builds entries (as transaction actions) and reads a company's trail."""

    def __init__(self, store: Store, clock: Callable[[], datetime] = lambda: datetime.now(UTC)):
        self.store = store
        self.clock = clock

    def entry(
        self,
        company_id: str,
        actor: User,
        action: str,
        target: User | None = None,
        changes: Changes | None = None,
        note: str = "",
    ) -> dict[str, Any]:
        """A ``Store.transact`` action writing one entry; the caller adds it to its change's transaction."""
        if action not in ACTIONS:
            raise ValueError(f"unknown audit action {action!r}")
        details: dict[str, Any] = {"actor_name": actor.display_name}
        if target is not None:
            details["target"] = {"id": target.id, "name": target.display_name, "email": target.email}
        if changes:
            details["changes"] = {name: {"from": old, "to": new} for name, (old, new) in changes.items()}
        if note:
            details["note"] = note
        entry = AuditEntry(at=self.clock().isoformat(), actor=Actor.of_user(actor), action=action, details=details)
        return self.store.put_new_action(entry.item(f"COMPANY#{company_id}"))

    def record(self, company_id: str, actor: User, action: str, **kwargs: Any) -> None:
        """Write one entry on its own (for changes made outside the portal's table, like a help request)."""
        self.store.transact([self.entry(company_id, actor, action, **kwargs)])

    def page(self, company_id: str, cursor: str | None = None, limit: int = PAGE_SIZE) -> AuditPage:
        """One page of the company's trail, newest first.

        Raises:
            InvalidFields: the cursor was not given out by this method.
        """
        after = _sort_key(cursor) if cursor else None
        items, last = self.store.query_page(f"COMPANY#{company_id}", "AUDIT#", limit, newest_first=True, after=after)
        return AuditPage([_as_json(item) for item in items], _cursor(last) if last else None)


def _as_json(item: dict[str, Any]) -> dict[str, Any]:
    """What the audit page shows of one entry."""
    entry = AuditEntry.from_item(item)
    details = entry.details
    target = details.get("target") if isinstance(details.get("target"), dict) else None
    changes = details.get("changes") if isinstance(details.get("changes"), dict) else {}
    return {
        "at": entry.at,
        "action": entry.action,
        "action_label": ACTIONS.get(entry.action, entry.action),
        "actor": {"id": entry.actor.id, "name": _plain(details.get("actor_name")), "email": entry.actor.label},
        "target": {key: _plain(target.get(key)) for key in ("id", "name", "email")} if target else None,
        "changes": [
            {"field": str(name), "before": _plain(change.get("from")), "after": _plain(change.get("to"))}
            for name, change in changes.items()
            if isinstance(change, dict)
        ],
        "note": _plain(details.get("note")),
    }


def _plain(value: Any) -> str:
    """Stored values (DynamoDB numbers come back as Decimal) as the text the page shows."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "Yes" if value else "No"
    return str(value)
