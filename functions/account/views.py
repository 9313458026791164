"""The JSON bodies of the My Account API, and their OpenAPI description (one place for both).

Each builder returns exactly the fields its ``Answer`` model lists; the contract test fails when
they drift apart. Nothing here ever includes a password hash, a token or a session.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from portal.api_docs import Answer, CategoryName

if TYPE_CHECKING:
    from portal.accounts import Company, User
    from portal.catalog import Catalog
    from portal.company_audit import AuditPage


class CompanySummary(Answer):
    """A company's name and the product categories every one of its users may open."""

    id: str
    name: str
    categories: list[CategoryName]


class Profile(Answer):
    """The signed-in person's own profile, and what My Account offers them."""

    id: str
    email: str
    title: str
    first_name: str
    last_name: str
    phone: str
    role: str
    role_label: str
    company: CompanySummary
    is_admin: bool
    is_staff: bool


class ProfileSaved(Profile):
    message: str


class EmailConfirmed(Answer):
    message: str
    email: str


class CompanyInfo(Answer):
    """Company information: the read-only name and categories, and the editable details."""

    id: str
    name: str
    categories: list[CategoryName]
    details: dict[str, str | int | None]


class CompanySaved(CompanyInfo):
    message: str


class NameChangeFiled(Answer):
    reference: str
    message: str


class CompanyFound(Answer):
    id: str
    name: str


class UserRow(Answer):
    """One row of the User Management table, with the actions the viewer may take on it."""

    id: str
    tech_id: str
    title: str
    first_name: str
    last_name: str
    email: str
    phone: str
    role: str
    role_label: str
    status: str
    active: bool
    invited: bool
    is_you: bool
    can_change_role: bool
    can_block: bool
    can_unblock: bool
    can_resend_invitation: bool
    can_make_management_contact: bool


class CompanyRef(Answer):
    id: str
    name: str


class UserList(Answer):
    company: CompanyRef
    users: list[UserRow]


class UserChanged(Answer):
    user: UserRow
    message: str


class UserAdded(UserChanged):
    invitation_sent: bool


class InvitationSent(Answer):
    message: str
    invitation_sent: bool


class Person(Answer):
    id: str
    name: str
    email: str


class Change(Answer):
    field: str
    before: str
    after: str


class AuditRow(Answer):
    at: str
    action: str
    action_label: str
    actor: Person
    target: Person | None
    changes: list[Change]
    note: str


class AuditTrail(Answer):
    entries: list[AuditRow]
    next_cursor: str | None


def categories(company: Company, catalog: Catalog) -> list[dict[str, str]]:
    names = {c.slug: c.name for c in catalog.categories}
    return [{"slug": slug, "name": names.get(slug, slug)} for slug in company.categories]


def profile(user: User, company: Company, catalog: Catalog) -> dict[str, Any]:
    from portal.account_scope import is_admin, is_staff

    return {
        "id": user.id,
        "email": user.email,
        "title": user.title,
        "first_name": user.first_name,
        "last_name": user.last_name,
        "phone": user.phone,
        "role": user.role.value,
        "role_label": user.role.label,
        "company": {"id": company.id, "name": company.name, "categories": categories(company, catalog)},
        "is_admin": is_admin(user),
        "is_staff": is_staff(user),
    }


def company_info(company: Company, catalog: Catalog) -> dict[str, Any]:
    from portal.company_admin import company_details

    return {
        "id": company.id,
        "name": company.name,
        "categories": categories(company, catalog),
        "details": company_details(company),
    }


def user_row(user: User, viewer: User) -> dict[str, Any]:
    from portal.account_scope import is_staff
    from portal.accounts import Role, UserStatus
    from portal.user_management import refusal

    blocked = user.status == UserStatus.BLOCKED
    invited = user.status == UserStatus.MUST_SET_PASSWORD
    return {
        "id": user.id,
        "tech_id": user.id.upper(),
        "title": user.title,
        "first_name": user.first_name,
        "last_name": user.last_name,
        "email": user.email,
        "phone": user.phone,
        "role": user.role.value,
        "role_label": user.role.label,
        "status": user.status.value,
        "active": not blocked,
        "invited": invited,
        "is_you": user.id == viewer.id,
        "can_change_role": refusal(viewer, user, "change") is None,
        "can_block": not blocked and refusal(viewer, user, "block") is None,
        "can_unblock": blocked and refusal(viewer, user, "unblock") is None,
        "can_resend_invitation": invited,
        "can_make_management_contact": is_staff(viewer)
        and not blocked
        and user.role in (Role.ACCOUNT_USER, Role.RESELLER_ADMIN),
    }


def audit_trail(page: AuditPage) -> dict[str, Any]:
    return {"entries": page.entries, "next_cursor": page.next_cursor}
