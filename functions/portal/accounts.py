"""Companies and their users, kept in the portal's table.

A user item and the claim on its normalized email are written in one transaction, so one
address is one account however it was typed. Ids are random, never sequential.
"""

from __future__ import annotations

import secrets
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from enum import StrEnum
from typing import Any

from portal.emails import normalize_email
from portal.errors import Conflict, NotFound
from portal.store import ItemExists, Store


class Role(StrEnum):
    """What a user may do; every role sees what the company is authorized for."""

    ACCOUNT_USER = "account_user"
    RESELLER_ADMIN = "reseller_admin"
    MANAGEMENT_CONTACT = "management_contact"
    CHANNEL_TEAM = "channel_team"

    @property
    def label(self) -> str:
        return {
            "account_user": "Account User",
            "reseller_admin": "Reseller Admin",
            "management_contact": "Management Contact",
            "channel_team": "Channel team",
        }[self.value]

    @classmethod
    def label_of(cls, value: str) -> str:
        """The label of a stored role value; an older or unknown value is shown as stored."""
        try:
            return cls(value).label
        except ValueError:
            return value


class UserStatus(StrEnum):
    ACTIVE = "active"
    BLOCKED = "blocked"
    MUST_SET_PASSWORD = "must_set_password"


class EmailTaken(Conflict):
    """Another account already uses this email address."""


@dataclass(frozen=True)
class Company:
    """A reseller company and the product categories it is authorized for."""

    id: str
    name: str
    categories: tuple[str, ...] = ()
    details: dict[str, Any] = field(default_factory=dict)

    def item(self) -> dict[str, Any]:
        return {
            "pk": f"COMPANY#{self.id}",
            "sk": "PROFILE",
            "id": self.id,
            "name": self.name,
            "categories": list(self.categories),
            "details": self.details,
        }

    @classmethod
    def from_item(cls, item: dict[str, Any]) -> Company:
        return cls(
            id=item["id"],
            name=item["name"],
            categories=tuple(item.get("categories", [])),
            details=dict(item.get("details", {})),
        )


@dataclass(frozen=True)
class User:
    """A person who signs in; the email is stored normalized."""

    id: str
    email: str
    first_name: str
    last_name: str
    company_id: str
    role: Role
    status: UserStatus
    title: str = ""
    phone: str = ""
    password_hash: str | None = None
    password_changed_at: str | None = None
    session_epoch: int = 0
    created_at: str = ""

    @property
    def display_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()

    def item(self) -> dict[str, Any]:
        item = {
            "pk": f"USER#{self.id}",
            "sk": "PROFILE",
            "gsi1pk": f"COMPANY#{self.company_id}",
            "gsi1sk": f"USER#{self.id}",
            "id": self.id,
            "email": self.email,
            "first_name": self.first_name,
            "last_name": self.last_name,
            "title": self.title,
            "phone": self.phone,
            "company_id": self.company_id,
            "role": self.role.value,
            "status": self.status.value,
            "session_epoch": self.session_epoch,
            "created_at": self.created_at,
        }
        if self.password_hash:
            item["password_hash"] = self.password_hash
            item["password_changed_at"] = self.password_changed_at
        return item

    @classmethod
    def from_item(cls, item: dict[str, Any]) -> User:
        return cls(
            id=item["id"],
            email=item["email"],
            first_name=item.get("first_name", ""),
            last_name=item.get("last_name", ""),
            company_id=item["company_id"],
            role=Role(item["role"]),
            status=UserStatus(item["status"]),
            title=item.get("title", ""),
            phone=item.get("phone", ""),
            password_hash=item.get("password_hash"),
            password_changed_at=item.get("password_changed_at"),
            session_epoch=int(item.get("session_epoch", 0)),
            created_at=item.get("created_at", ""),
        )


def new_id() -> str:
    return secrets.token_hex(8)


def user_key(user_id: str) -> tuple[str, str]:
    """The (pk, sk) of a user's item."""
    return f"USER#{user_id}", "PROFILE"


def company_key(company_id: str) -> tuple[str, str]:
    """The (pk, sk) of a company's item."""
    return f"COMPANY#{company_id}", "PROFILE"


def email_claim_key(email: str) -> tuple[str, str]:
    """The (pk, sk) of the claim on an address (normalized here, so any spelling finds it)."""
    return f"EMAIL#{normalize_email(email)}", "EMAIL"


def _name_key(name: str) -> str:
    """One key per company name, whatever the case, composition or spacing."""
    return " ".join(unicodedata.normalize("NFKC", name).casefold().split())


class Accounts:
    """Reads and writes companies and users."""

    def __init__(self, store: Store, clock: Callable[[], datetime] = lambda: datetime.now(UTC)):
        self.store = store
        self.clock = clock

    def create_company(self, name: str, categories: tuple[str, ...] = (), **details: Any) -> Company:
        """Create a company; its name is claimed too, so two companies never share a name.

        Raises:
            Conflict: a company with this name (ignoring case and spacing) exists.
        """
        company = Company(id=new_id(), name=name.strip(), categories=tuple(categories), details=details)
        claim = {"pk": f"COMPANYNAME#{_name_key(company.name)}", "sk": "NAME", "company_id": company.id}
        try:
            self.store.put_all_new([company.item(), claim])
        except ItemExists as e:
            raise Conflict(f'A company named "{company.name}" already exists.') from e
        return company

    def find_company_by_name(self, name: str) -> Company | None:
        claim = self.store.get(f"COMPANYNAME#{_name_key(name)}", "NAME")
        return self.company(claim["company_id"]) if claim else None

    def company(self, company_id: str) -> Company:
        item = self.store.get(f"COMPANY#{company_id}", "PROFILE")
        if not item:
            raise NotFound("That company does not exist.")
        return Company.from_item(item)

    def create_user(
        self,
        email: str,
        first_name: str,
        last_name: str,
        company_id: str,
        role: Role,
        status: UserStatus,
        title: str = "",
        phone: str = "",
        password_hash: str | None = None,
        user_id: str | None = None,
        also: Sequence[dict[str, Any]] = (),
    ) -> User:
        """Create a user and claim the email in one transaction.

        Args:
            user_id: The new user's id (made up when not given), so ``also`` can name the user.
            also: More ``Store.transact`` actions written in the same transaction (an audit entry).

        Raises:
            EmailTaken: the (normalized) email belongs to another account.
        """
        now = self.clock().isoformat()
        user = User(
            id=user_id or new_id(),
            email=normalize_email(email),
            first_name=first_name,
            last_name=last_name,
            company_id=company_id,
            role=role,
            status=status,
            title=title,
            phone=phone,
            password_hash=password_hash,
            password_changed_at=now if password_hash else None,
            created_at=now,
        )
        claim = {"pk": f"EMAIL#{user.email}", "sk": "EMAIL", "user_id": user.id}
        try:
            self.store.transact([self.store.put_new_action(user.item()), self.store.put_new_action(claim), *also])
        except ItemExists as e:
            raise EmailTaken("An account with this email address already exists.") from e
        return user

    def user(self, user_id: str) -> User | None:
        item = self.store.get(f"USER#{user_id}", "PROFILE")
        return User.from_item(item) if item else None

    def find_by_email(self, email: str) -> User | None:
        claim = self.store.get(f"EMAIL#{normalize_email(email)}", "EMAIL")
        return self.user(claim["user_id"]) if claim else None

    def company_users(self, company_id: str) -> list[User]:
        items = self.store.query_index("gsi1", "gsi1pk", f"COMPANY#{company_id}")
        return sorted((User.from_item(i) for i in items), key=lambda u: (u.last_name.lower(), u.first_name.lower()))

    def set_password_hash(self, user: User, password_hash: str) -> User:
        """Store a new password; sessions made before it stop working (the epoch moves on)."""
        now = self.clock().isoformat()
        status = UserStatus.ACTIVE if user.status == UserStatus.MUST_SET_PASSWORD else user.status
        epoch = user.session_epoch + 1
        self.store.update(
            f"USER#{user.id}",
            "PROFILE",
            {
                "password_hash": password_hash,
                "password_changed_at": now,
                "status": status.value,
                "session_epoch": epoch,
            },
        )
        return replace(user, password_hash=password_hash, password_changed_at=now, status=status, session_epoch=epoch)

    def rehash_password(self, user: User, password_hash: str) -> None:
        """Swap in a stronger hash of the same password (sessions stay valid)."""
        self.store.update(f"USER#{user.id}", "PROFILE", {"password_hash": password_hash})

    def set_status(self, user: User, status: UserStatus, also: Sequence[dict[str, Any]] = ()) -> User:
        """Change a user's status; blocking moves the session epoch so every session ends at once.

        Args:
            also: More ``Store.transact`` actions written in the same transaction (an audit entry).
        """
        epoch = user.session_epoch + (1 if status == UserStatus.BLOCKED else 0)
        values = {"status": status.value, "session_epoch": epoch}
        self.store.transact([self.store.update_action(*user_key(user.id), values), *also])
        return replace(user, status=status, session_epoch=epoch)

    def new_company_with_contact(
        self, company_name: str, contact: dict[str, str], details: dict[str, Any]
    ) -> tuple[Company, User, list[dict[str, Any]]]:
        """A new company, its Management Contact (must set a password) and their claims, as unwritten items.
        The caller writes them in one transaction with its own items (a reseller application);
        ``contact`` holds ``email``, ``first_name``, ``last_name``, optionally ``title``, ``phone``.
        """
        company = Company(id=new_id(), name=company_name.strip(), details=details)
        user = User(
            id=new_id(),
            email=normalize_email(contact["email"]),
            first_name=contact["first_name"],
            last_name=contact["last_name"],
            company_id=company.id,
            role=Role.MANAGEMENT_CONTACT,
            status=UserStatus.MUST_SET_PASSWORD,
            title=contact.get("title", ""),
            phone=contact.get("phone", ""),
            created_at=self.clock().isoformat(),
        )
        items = [
            company.item(),
            {"pk": f"COMPANYNAME#{_name_key(company.name)}", "sk": "NAME", "company_id": company.id},
            user.item(),
            {"pk": f"EMAIL#{user.email}", "sk": "EMAIL", "user_id": user.id},
        ]
        return company, user, items

    def grant_category_action(self, company_id: str, slug: str) -> dict[str, Any]:
        """A transaction action adding ``slug`` to the company's categories; it fails if already there."""
        return {
            "Update": {
                "TableName": self.store.table.name,
                "Key": {"pk": f"COMPANY#{company_id}", "sk": "PROFILE"},
                "UpdateExpression": "SET categories = list_append(if_not_exists(categories, :none), :added)",
                "ConditionExpression": "attribute_exists(pk) AND NOT contains(categories, :slug)",
                "ExpressionAttributeValues": {":none": [], ":added": [slug], ":slug": slug},
            }
        }
