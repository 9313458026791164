"""The audit trail: who changed what, and when, kept beside the thing that changed.

An entry is one item in the subject's own partition (``sk = AUDIT#<time>#<random>``), written in
the same transaction as the change it describes, so a change without its entry cannot happen.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Actor:
    """Who did something: a signed-in person, or an operator at the ``portal`` command."""

    id: str
    label: str  # an email address, or "portal CLI (<login>)"
    role: str

    @classmethod
    def of_user(cls, user: Any) -> Actor:
        return cls(id=user.id, label=user.email, role=user.role.value)

    @classmethod
    def cli(cls) -> Actor:
        import getpass

        try:
            login = getpass.getuser()
        except (KeyError, OSError):  # no login name in some containers
            login = "unknown"
        return cls(id=f"cli:{login}", label=f"portal CLI ({login})", role="channel_team")


@dataclass(frozen=True)
class AuditEntry:
    """One recorded change."""

    at: str  # ISO time, UTC
    actor: Actor
    action: str  # e.g. "created", "saved step 2", "submitted", "approved"
    details: dict[str, Any] = field(default_factory=dict)
    version: int = 0  # the subject's version after the change

    def item(self, subject_pk: str) -> dict[str, Any]:
        return {
            "pk": subject_pk,
            "sk": f"AUDIT#{self.at}#{secrets.token_hex(4)}",
            "at": self.at,
            "actor_id": self.actor.id,
            "actor": self.actor.label,
            "actor_role": self.actor.role,
            "action": self.action,
            "details": self.details,
            "version": self.version,
        }

    @classmethod
    def from_item(cls, item: dict[str, Any]) -> AuditEntry:
        return cls(
            at=item["at"],
            actor=Actor(id=item["actor_id"], label=item["actor"], role=item.get("actor_role", "")),
            action=item["action"],
            details=dict(item.get("details") or {}),
            version=int(item.get("version", 0)),
        )

    def as_json(self) -> dict[str, Any]:
        return {
            "at": self.at,
            "actor": self.actor.label,
            "actor_role": self.actor.role,
            "action": self.action,
            "details": self.details,
            "version": self.version,
        }
