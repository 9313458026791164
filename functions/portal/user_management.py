"""User Management: a company's admins add users (who get an invitation), change their roles, and
block or unblock them.

The rules, each checked here on the server:

- only the company's Management Contact and Reseller Admins (and the Channel team) may act, and
  only on users of their own company (the Channel team on any);
- nobody changes their own role or status, and nobody blocks or demotes the Management Contact
  (the Channel team moves that role first, see ``CompanyAdmin.move_management_contact``);
- roles given here are Account User and Reseller Admin only;
- blocking ends every session of the user at once, and their pending links.
"""

from __future__ import annotations

import logging
from datetime import timedelta
from typing import Annotated, Any

from botocore.exceptions import BotoCoreError, ClientError
from pydantic import BaseModel, ConfigDict, Field, create_model, field_validator

from portal.account_scope import AccountScope
from portal.accounts import Accounts, Company, Role, User, UserStatus, new_id, user_key
from portal.application_steps import UserInformation
from portal.catalog import Catalog
from portal.company_audit import CompanyAudit
from portal.emails import normalize_email
from portal.errors import Conflict, FieldProblem, InvalidFields
from portal.fields import AccountEmail
from portal.identity import Forbidden, SignIn

logger = logging.getLogger(__name__)
INVITATION_LIFETIME = timedelta(hours=72)
ASSIGNABLE_ROLES = (Role.ACCOUNT_USER, Role.RESELLER_ADMIN)
_NOT_ASSIGNABLE = "must be Account User or Reseller Admin"
# The values an admin may give, in the API description and in the error for any other value.
_ASSIGNABLE: dict[str, Any] = {"enum": [role.value for role in ASSIGNABLE_ROLES]}


class _Form(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    @field_validator("role", check_fields=False)
    @classmethod
    def _assignable(cls, value: Role) -> Role:
        if value not in ASSIGNABLE_ROLES:
            raise ValueError(_NOT_ASSIGNABLE)
        return value


_PERSON = UserInformation.model_fields

# The seed's "Login information" (email, title, first name, last name, phone) with the reseller
# application's own field definitions, and the role the admin chose.
NewUserForm = create_model(
    "NewUserForm",
    __base__=_Form,
    __doc__="ADD RESELLER ACCOUNT USER / ADMIN: who to invite, and as what.",
    email=(AccountEmail, Field(title="Email address", max_length=254)),
    **{name: (_PERSON[name].annotation, _PERSON[name]) for name in ("title", "first_name", "last_name", "phone")},
    role=(Role, Field(title="Role", json_schema_extra=_ASSIGNABLE)),
)


class RoleForm(_Form):
    """A user's new role."""

    role: Annotated[Role, Field(title="Role", json_schema_extra=_ASSIGNABLE)]


def check_assignable(role: Role) -> None:
    """Raises ``InvalidFields`` unless ``role`` may be given through User Management."""
    if role not in ASSIGNABLE_ROLES:
        raise InvalidFields([FieldProblem("role", f"Role {_NOT_ASSIGNABLE}.")])


class UserManagement:
    """The actions of the User Management page."""

    def __init__(self, accounts: Accounts, scope: AccountScope, audit: CompanyAudit, sign_in: SignIn, catalog: Catalog):
        self.accounts = accounts
        self.scope = scope
        self.audit = audit
        self.sign_in = sign_in
        self.catalog = catalog

    def users(self, actor: User, company_id: str | None) -> tuple[Company, list[User]]:
        """The company's users (sorted by last, first name). Raises ``Forbidden`` / ``NotFound``."""
        self.scope.require_admin(actor)
        company = self.scope.company(actor, company_id)
        return company, self.accounts.company_users(company.id)

    def add(self, actor: User, company_id: str | None, form: Any) -> tuple[User, bool]:
        """Create the user (must set a password) and email the invitation; returns the user and whether it was sent.

        Raises:
            EmailTaken: the address, in any case or Unicode form, already has an account (nothing is created).
        """
        self.scope.require_admin(actor)
        company = self.scope.company(actor, company_id)
        user_id = new_id()
        draft = User(
            id=user_id,
            email=normalize_email(form.email),
            first_name=form.first_name,
            last_name=form.last_name,
            company_id=company.id,
            role=form.role,
            status=UserStatus.MUST_SET_PASSWORD,
        )
        user = self.accounts.create_user(
            form.email,
            form.first_name,
            form.last_name,
            company.id,
            form.role,
            UserStatus.MUST_SET_PASSWORD,
            title=form.title,
            phone=form.phone,
            user_id=user_id,
            also=[
                self.audit.entry(company.id, actor, "user_added", target=draft, changes={"role": ("", form.role.label)})
            ],
        )
        return user, self._invite(user, actor, company)

    def resend_invitation(self, actor: User, user_id: str) -> bool:
        """Send a new invitation (the earlier link dies) to a user who has not set a password yet."""
        self.scope.require_admin(actor)
        target = self.scope.user(actor, user_id)
        if target.status == UserStatus.BLOCKED:
            raise Conflict(f"{target.display_name} is blocked: unblock them before sending an invitation.")
        if target.status != UserStatus.MUST_SET_PASSWORD:
            raise Conflict(f"{target.display_name} has set a password already; they can use Request New Password.")
        sent = self._invite(target, actor, self.accounts.company(target.company_id))
        self.audit.record(target.company_id, actor, "invitation_sent", target=target)
        return sent

    def set_role(self, actor: User, user_id: str, role: Role) -> User:
        """Make a user an Account User or a Reseller Admin."""
        self.scope.require_admin(actor)
        target = self.scope.user(actor, user_id)
        _may_change(actor, target, "change the role of")
        check_assignable(role)
        if target.role == role:
            return target
        store = self.accounts.store
        change = {"role": (target.role.label, role.label)}
        store.transact(
            [
                store.update_action(
                    *user_key(target.id), {"role": role.value}, "#a0 = :was", {":was": target.role.value}
                ),
                self.audit.entry(target.company_id, actor, "role_changed", target=target, changes=change),
            ]
        )
        return self._reload(target)

    def block(self, actor: User, user_id: str) -> User:
        """Block a user: every session ends at once, and their password and email links die."""
        self.scope.require_admin(actor)
        target = self.scope.user(actor, user_id)
        _may_change(actor, target, "block")
        if target.status == UserStatus.BLOCKED:
            return target
        store = self.accounts.store
        blocked = self.accounts.set_status(
            target,
            UserStatus.BLOCKED,
            also=[
                store.delete_action(f"USER#{target.id}", "RESET"),
                store.delete_action(f"USER#{target.id}", "EMAILCHANGE"),
                self.audit.entry(
                    target.company_id, actor, "user_blocked", target=target, changes=_status(target, "No")
                ),
            ],
        )
        # The moved session epoch already refuses every session; this tidies their items away.
        self.sign_in.sessions.end_all(target.id)
        return blocked

    def unblock(self, actor: User, user_id: str) -> User:
        """Let a blocked user sign in again (or, if they never set a password, accept their invitation)."""
        self.scope.require_admin(actor)
        target = self.scope.user(actor, user_id)
        _may_change(actor, target, "unblock")
        if target.status != UserStatus.BLOCKED:
            return target
        status = UserStatus.ACTIVE if target.password_hash else UserStatus.MUST_SET_PASSWORD
        entry = self.audit.entry(
            target.company_id, actor, "user_unblocked", target=target, changes=_status(target, "Yes")
        )
        return self.accounts.set_status(target, status, also=[entry])

    def _invite(self, user: User, inviter: User, company: Company) -> bool:
        from portal.account_emails import invitation

        link = self.sign_in.one_time_url(user, INVITATION_LIFETIME)
        hours = int(INVITATION_LIFETIME.total_seconds() // 3600)
        try:
            self.sign_in.mailer.send(invitation(user, inviter, company, link, hours, self.catalog))
        except (ClientError, BotoCoreError):
            # The user exists; the admin is told to send the invitation again.
            logger.exception("invitation email failed", extra={"user_id": user.id})
            return False
        return True

    def _reload(self, user: User) -> User:
        fresh = self.accounts.user(user.id)
        assert fresh is not None, "the transaction kept the user"
        return fresh


def refusal(actor: User, target: User, doing: str) -> str | None:
    """Why ``actor`` may not ``doing`` (block, unblock, change the role of) ``target``, or None when they may."""
    if target.id == actor.id:
        return f"You cannot {doing} yourself. Ask another admin of your company."
    if target.role == Role.MANAGEMENT_CONTACT:
        return (
            f"You cannot {doing} the Management Contact. The Channel team can move that role to another "
            "user first: contact Reseller Support."
        )
    if target.role == Role.CHANNEL_TEAM:
        return f"You cannot {doing} a Channel team member here."
    return None


def _may_change(actor: User, target: User, doing: str) -> None:
    reason = refusal(actor, target, doing)
    if reason:
        raise Forbidden(reason)


def _status(user: User, active: str) -> dict[str, tuple[str, str]]:
    was = "No" if user.status == UserStatus.BLOCKED else "Yes"
    return {"active": (was, active)}
