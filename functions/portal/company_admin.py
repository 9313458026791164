"""Company information: the details the reseller application collected, kept up to date by the
company's Management Contact and Reseller Admins (and the Channel team, for any company).

The company name is not editable here: asking for a new name files a help request to Reseller
Support, as the old portal's FAQ says. Moving the Management Contact role to another user is the
Channel team's job.
"""

from __future__ import annotations

import secrets
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError, ValidationInfo, create_model, field_validator

from portal.account_scope import AccountScope
from portal.accounts import Accounts, Company, Role, User, UserStatus, company_key, user_key
from portal.application_steps import CUSTOMER_SEGMENTS, REVENUE_BANDS, UserInformation
from portal.company_audit import CompanyAudit, changes_between
from portal.errors import Conflict, FieldProblem, InvalidFields
from portal.fields import MultiLine, OneLine
from portal.help_requests import HelpDesk, HelpRequestForm
from portal.identity import Forbidden
from portal.onboarding import COMPANY_FIELDS

# The company's part of the reseller application (the same names step 2 stores), with its labels and limits.
CHOICES = {"annual_revenue": REVENUE_BANDS, "customer_segment": CUSTOMER_SEGMENTS}


class _CompanyBase(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    @field_validator("sales_staff", "technical_staff", check_fields=False)
    @classmethod
    def _within_the_staff(cls, value: int, info: ValidationInfo) -> int:
        employees = info.data.get("employees")
        if employees is not None and value > employees:
            raise ValueError("cannot be more than the number of employees")
        return value


CompanyForm = create_model(
    "CompanyForm",
    __base__=_CompanyBase,
    __doc__="Company information (the company name is changed by Reseller Support).",
    **{
        name: (UserInformation.model_fields[name].annotation, UserInformation.model_fields[name])
        for name in COMPANY_FIELDS
    },
)


class NameChangeForm(BaseModel):
    """Ask Reseller Support to change the company's name."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    new_name: Annotated[OneLine, Field(title="New company name", min_length=1, max_length=150)]
    reason: Annotated[
        MultiLine,
        Field(title="Reason for the change", min_length=10, max_length=2000, description="10 to 2,000 characters"),
    ]


class ManagementContactForm(BaseModel):
    """Staff: which user of the company becomes its Management Contact."""

    model_config = ConfigDict(extra="forbid")

    user_id: Annotated[str, Field(title="New Management Contact", min_length=1, max_length=64)]


_NUMBER_FIELDS = frozenset({"years_in_business", "employees", "sales_staff", "technical_staff"})


def company_details(company: Company) -> dict[str, Any]:
    """The editable details of a company: numbers as int (None when unknown), texts as str ("" when unknown)."""
    details: dict[str, Any] = {}
    for name in COMPANY_FIELDS:
        value = company.details.get(name)
        if name in _NUMBER_FIELDS:
            try:
                details[name] = int(value) if value is not None else None
            except (TypeError, ValueError):  # a value from elsewhere that is not a whole number
                details[name] = None
        else:
            details[name] = value if isinstance(value, str) else ""
    return details


class CompanyAdmin:
    """Reads and changes company information, files name change requests, moves the contact role."""

    def __init__(self, accounts: Accounts, scope: AccountScope, audit: CompanyAudit, help_desk: HelpDesk):
        self.accounts = accounts
        self.scope = scope
        self.audit = audit
        self.help_desk = help_desk

    def view(self, actor: User, company_id: str | None) -> Company:
        """The company an admin (or staff) names. Raises ``Forbidden`` / ``NotFound``."""
        self.scope.require_admin(actor)
        return self.scope.company(actor, company_id)

    def update(self, actor: User, company_id: str | None, form: BaseModel) -> Company:
        """Replace the company's details with the form's; the change is recorded in the trail."""
        company = self.view(actor, company_id)
        after = form.model_dump()
        changes = changes_between(company_details(company), after)
        if not changes:
            return company
        store = self.accounts.store
        details = {**company.details, **after}
        store.transact(
            [
                store.update_action(*company_key(company.id), {"details": details}),
                self.audit.entry(company.id, actor, "company_updated", changes=changes),
            ]
        )
        return self.accounts.company(company.id)

    def request_name_change(
        self, actor: User, company_id: str | None, form: NameChangeForm, idempotency_key: str | None
    ) -> str:
        """File a help request to Reseller Support asking for the new name; returns its reference."""
        company = self.view(actor, company_id)
        if " ".join(form.new_name.casefold().split()) == " ".join(company.name.casefold().split()):
            raise InvalidFields([FieldProblem("new_name", "New company name is the name the company has already.")])
        request = _help_request(actor, company, form)
        receipt = self.help_desk.submit(request, idempotency_key or secrets.token_urlsafe(24))
        if not receipt.repeated:
            self.audit.record(
                company.id,
                actor,
                "name_change_requested",
                changes={"name": (company.name, form.new_name)},
                note=f"Help request {receipt.reference}",
            )
        return receipt.reference

    def find(self, actor: User, name: str) -> Company | None:
        """Staff: the company with exactly this name (ignoring case and spacing), if any."""
        self.scope.require_staff(actor)
        return self.accounts.find_company_by_name(name)

    def move_management_contact(self, actor: User, company_id: str, user_id: str) -> User:
        """Staff: make ``user_id`` the company's Management Contact; the previous one becomes a Reseller Admin.

        Raises:
            Forbidden: the actor is not staff. NotFound: no such company, or the user is not one of its users.
            Conflict: the user is blocked, or someone changed the roles meanwhile.
        """
        self.scope.require_staff(actor)
        company = self.scope.company(actor, company_id)
        target = self.scope.user(actor, user_id)
        if target.company_id != company.id:
            raise InvalidFields([FieldProblem("user_id", "New Management Contact must be a user of this company.")])
        if target.role == Role.MANAGEMENT_CONTACT:
            return target
        if target.role == Role.CHANNEL_TEAM:
            raise Forbidden("Channel team members cannot be a company's Management Contact.")
        if target.status == UserStatus.BLOCKED:
            raise Conflict(f"{target.display_name} is blocked: unblock them first.")
        previous = [u for u in self.accounts.company_users(company.id) if u.role == Role.MANAGEMENT_CONTACT]
        store = self.accounts.store
        mc, ra = Role.MANAGEMENT_CONTACT.value, Role.RESELLER_ADMIN.value
        actions = [
            store.update_action(*user_key(target.id), {"role": mc}, "#a0 = :was", {":was": target.role.value}),
            *(store.update_action(*user_key(u.id), {"role": ra}, "#a0 = :was", {":was": mc}) for u in previous),
            self.audit.entry(
                company.id,
                actor,
                "management_contact_moved",
                target=target,
                changes={"management_contact": (", ".join(u.display_name for u in previous), target.display_name)},
            ),
        ]
        try:
            store.transact(actions)
        except Conflict as e:
            raise Conflict("Someone changed these users' roles meanwhile. Reload and try again.") from e
        updated = self.accounts.user(target.id)
        assert updated is not None, "the transaction kept the user"
        return updated


def _help_request(actor: User, company: Company, form: NameChangeForm) -> HelpRequestForm:
    """The help request Reseller Support receives; a stored phone it would refuse is left out."""
    fields = {
        "name": (actor.display_name or actor.email)[:100],
        "email": actor.email,
        "company": company.name[:150],
        "topic": "account-change",
        "message": (
            f'Please change the name of the company "{company.name}" (id {company.id}) '
            f'to "{form.new_name}".\n\nReason given:\n{form.reason}'
        ),
    }
    try:
        return HelpRequestForm.model_validate({**fields, "phone": actor.phone})
    except ValidationError:
        return HelpRequestForm.model_validate(fields)
