"""Reseller applications as stored: the item, its statuses, and versioned writes with their audit.

* application: ``pk=APPLICATION#<id>``, ``sk=APPLICATION``; ``version``, the categories with their
  statuses, the answers of each step; ``gsi1pk=APPLICATIONS#<state>``, ``gsi1sk=<time>#<id>`` file
  it in the staff queue (incomplete, submitted, decided).
* company link: ``pk=COMPANY#<company id>``, ``sk=APPLICATION#<id>``: lists a company's applications.
* audit entry: ``pk=APPLICATION#<id>``, ``sk=AUDIT#<time>#<random>`` (see ``portal.audit``).

Every change replaces the whole item on condition that its ``version`` is still the one the
change was made from, in one transaction with its audit entry: a stale copy never overwrites.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from decimal import Decimal
from enum import StrEnum
from typing import Any

from botocore.exceptions import ClientError

from portal.audit import AuditEntry
from portal.errors import Conflict
from portal.store import ItemExists, Store


class CategoryStatus(StrEnum):
    """Where one category of an application stands."""

    INCOMPLETE = "incomplete"
    SUBMITTED = "submitted"
    APPROVED = "approved"
    DECLINED = "declined"

    @property
    def label(self) -> str:
        return {
            "incomplete": "Incomplete",
            "submitted": "Submitted (in review)",
            "approved": "Approved",
            "declined": "Declined",
        }[self.value]


class ApplicationState(StrEnum):
    """Where a whole application stands; it files the application in the staff queue."""

    INCOMPLETE = "incomplete"  # not submitted yet
    SUBMITTED = "submitted"  # some category waits for a decision
    DECIDED = "decided"  # every category was approved or declined

    @property
    def label(self) -> str:
        """The wording of the review page's queue filter, so a state reads the same everywhere."""
        return {
            "incomplete": "Incomplete (not submitted yet)",
            "submitted": "Submitted (waiting for a decision)",
            "decided": "Decided",
        }[self.value]


@dataclass(frozen=True)
class CategoryState:
    """One category of an application and the channel team's decision on it."""

    slug: str
    status: CategoryStatus = CategoryStatus.INCOMPLETE
    note: str = ""
    decided_at: str = ""
    decided_by: str = ""

    def as_item(self) -> dict[str, Any]:
        return {
            "slug": self.slug,
            "status": self.status.value,
            "note": self.note,
            "decided_at": self.decided_at,
            "decided_by": self.decided_by,
        }


@dataclass(frozen=True)
class Application:
    """A company's application for one or more product categories."""

    id: str
    company_id: str
    contact_user_id: str
    created_at: str
    updated_at: str
    version: int = 1
    categories: tuple[CategoryState, ...] = ()
    steps_done: tuple[str, ...] = ()
    user_information: dict[str, Any] = field(default_factory=dict)
    product_answers: dict[str, dict[str, Any]] = field(default_factory=dict)
    submitted_at: str = ""

    @property
    def pk(self) -> str:
        return f"APPLICATION#{self.id}"

    @property
    def state(self) -> ApplicationState:
        if not self.submitted_at:
            return ApplicationState.INCOMPLETE
        if any(c.status == CategoryStatus.SUBMITTED for c in self.categories):
            return ApplicationState.SUBMITTED
        return ApplicationState.DECIDED

    @property
    def slugs(self) -> tuple[str, ...]:
        return tuple(c.slug for c in self.categories)

    def category(self, slug: str) -> CategoryState | None:
        return next((c for c in self.categories if c.slug == slug), None)

    def with_category(self, updated: CategoryState) -> Application:
        return replace(self, categories=tuple(updated if c.slug == updated.slug else c for c in self.categories))

    def item(self) -> dict[str, Any]:
        return {
            "pk": self.pk,
            "sk": "APPLICATION",
            "gsi1pk": f"APPLICATIONS#{self.state.value}",
            "gsi1sk": f"{self.submitted_at or self.created_at}#{self.id}",
            "id": self.id,
            "company_id": self.company_id,
            "contact_user_id": self.contact_user_id,
            "created_at": self.created_at,
            "updated_at": self.updated_at,
            "submitted_at": self.submitted_at,
            "version": self.version,
            "categories": [c.as_item() for c in self.categories],
            "steps_done": list(self.steps_done),
            "user_information": self.user_information,
            "product_answers": self.product_answers,
        }

    @classmethod
    def from_item(cls, item: dict[str, Any]) -> Application:
        item = plain(item)
        return cls(
            id=item["id"],
            company_id=item["company_id"],
            contact_user_id=item.get("contact_user_id", ""),
            created_at=item.get("created_at", ""),
            updated_at=item.get("updated_at", ""),
            submitted_at=item.get("submitted_at", ""),
            version=int(item["version"]),
            categories=tuple(
                CategoryState(
                    slug=c["slug"],
                    status=CategoryStatus(c["status"]),
                    note=c.get("note", ""),
                    decided_at=c.get("decided_at", ""),
                    decided_by=c.get("decided_by", ""),
                )
                for c in item.get("categories", [])
            ),
            steps_done=tuple(item.get("steps_done", [])),
            user_information=dict(item.get("user_information") or {}),
            product_answers={k: dict(v) for k, v in (item.get("product_answers") or {}).items()},
        )


def plain(value: Any) -> Any:
    """DynamoDB's numbers (``Decimal``) back to ``int``, all the way down."""
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, dict):
        return {k: plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [plain(v) for v in value]
    return value


class StaleApplication(Conflict):
    """The application changed since the copy the request was made from."""

    def __init__(self, current: Application, message: str | None = None):
        super().__init__(
            message
            or "This application was changed elsewhere (another tab or an older copy of this page) since you "
            "opened it, so your save was refused and nothing changed. Its current version is shown now: "
            "check it and save again."
        )
        self.current = current


class ApplicationRecords:
    """Reads applications and writes them, each write conditional on the version it was made from."""

    def __init__(self, store: Store):
        self.store = store

    def get(self, application_id: str) -> Application | None:
        if not application_id.isalnum() or len(application_id) > 64:
            return None
        item = self.store.get(f"APPLICATION#{application_id}", "APPLICATION")
        return Application.from_item(item) if item else None

    def for_company(self, company_id: str) -> list[Application]:
        """The company's applications, oldest first."""
        links = self.store.query(f"COMPANY#{company_id}", "APPLICATION#")
        found = (self.get(link["application_id"]) for link in links)
        return sorted((a for a in found if a), key=lambda a: a.created_at)

    def in_state(self, state: ApplicationState) -> list[Application]:
        """Applications in ``state``, the longest waiting first (the staff queue)."""
        items = self.store.query_index("gsi1", "gsi1pk", f"APPLICATIONS#{state.value}")
        return [Application.from_item(i) for i in sorted(items, key=lambda i: i["gsi1sk"])]

    def audit(self, application_id: str) -> list[AuditEntry]:
        items = self.store.query(f"APPLICATION#{application_id}", "AUDIT#")
        return [AuditEntry.from_item(plain(i)) for i in items]

    def create(self, application: Application, entry: AuditEntry, extra_items: list[dict[str, Any]]) -> None:
        """Write a new application, its company link, its first audit entry and ``extra_items``, all or none.

        Raises:
            ItemExists: one of the items exists already (nothing was written).
        """
        link = {
            "pk": f"COMPANY#{application.company_id}",
            "sk": f"APPLICATION#{application.id}",
            "application_id": application.id,
            "created_at": application.created_at,
        }
        self.store.put_all_new([*extra_items, application.item(), link, entry.item(application.pk)])

    def replace(
        self, current: Application, updated: Application, entry: AuditEntry, extra: list[dict[str, Any]] | None = None
    ) -> None:
        """Store ``updated`` if the stored version is still ``current.version``; with its audit entry.

        ``extra`` are further transaction actions (e.g. granting a category to the company).

        Raises:
            StaleApplication: the stored application is not at ``current.version`` any more.
            ItemExists: one of the ``extra`` actions' conditions failed.
        """
        table = self.store.table
        actions = [
            {
                "Put": {
                    "TableName": table.name,
                    "Item": updated.item(),
                    "ConditionExpression": "version = :expected",
                    "ExpressionAttributeValues": {":expected": current.version},
                }
            },
            {
                "Put": {
                    "TableName": table.name,
                    "Item": entry.item(updated.pk),
                    "ConditionExpression": "attribute_not_exists(pk)",
                }
            },
            *(extra or []),
        ]
        try:
            table.meta.client.transact_write_items(TransactItems=actions)
        except ClientError as e:
            if e.response["Error"]["Code"] != "TransactionCanceledException":
                raise
            reasons = [r.get("Code") for r in e.response.get("CancellationReasons", [])]
            if reasons and reasons[0] == "ConditionalCheckFailed":
                latest = self.get(current.id)
                raise StaleApplication(latest or current) from e
            if "ConditionalCheckFailed" in reasons:
                raise ItemExists("A condition of the change no longer holds.") from e
            raise
