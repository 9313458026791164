"""My Profile: every user's own title, name and phone, and the change of their sign-in email.

The forms hold only what a person may change about themselves: role, status and company are not
fields, so a request that sends them is refused (422) and changes nothing. The password is
changed through ``PUT /api/password`` (``SignIn.change_password``).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, create_model

from portal import passwords
from portal.accounts import Accounts, EmailTaken, User, user_key
from portal.application_steps import UserInformation
from portal.catalog import Catalog
from portal.company_audit import CompanyAudit, changes_between
from portal.email_change import EMAIL_CHANGE_LIFETIME, EmailChanges
from portal.emails import normalize_email
from portal.errors import FieldProblem, InvalidFields
from portal.fields import AccountEmail
from portal.mail import Mailer

PERSON_FIELDS = ("title", "first_name", "last_name", "phone")


class _Form(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


# The same fields (labels, limits, choices of title) as the "You" tab of the reseller application.
ProfileForm = create_model(
    "ProfileForm",
    __base__=_Form,
    __doc__="My Profile: what a person may change about themselves.",
    **{
        name: (UserInformation.model_fields[name].annotation, UserInformation.model_fields[name])
        for name in PERSON_FIELDS
    },
)


class EmailChangeForm(_Form):
    """Change the email address I sign in with (confirmed from the new address)."""

    new_email: Annotated[AccountEmail, Field(title="New email address", max_length=254)]
    current_password: Annotated[str, Field(title="Current password", min_length=1, max_length=1024)]


class EmailConfirmForm(_Form):
    """The two parts of an email confirmation link (taken from the link's #fragment by the page)."""

    user_id: Annotated[str, Field(title="Link", pattern=r"^[0-9a-f]{1,64}$")]
    token: Annotated[str, Field(title="Link", min_length=20, max_length=100, pattern=r"^[A-Za-z0-9_\-]+$")]


class Profiles:
    """Reads and changes a person's own profile."""

    def __init__(
        self,
        accounts: Accounts,
        audit: CompanyAudit,
        email_changes: EmailChanges,
        mailer: Mailer,
        catalog: Catalog,
        site_url: str,
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
    ):
        self.accounts = accounts
        self.audit = audit
        self.email_changes = email_changes
        self.mailer = mailer
        self.catalog = catalog
        self.site_url = site_url if site_url.endswith("/") else site_url + "/"
        self.clock = clock

    def update(self, actor: User, form: BaseModel) -> User:
        """Save title, names and phone; the change is recorded in the company's trail."""
        after: dict[str, Any] = form.model_dump()
        changes = changes_between({name: getattr(actor, name) for name in PERSON_FIELDS}, after)
        if not changes:
            return actor
        store = self.accounts.store
        store.transact(
            [
                store.update_action(*user_key(actor.id), after),
                self.audit.entry(actor.company_id, actor, "profile_updated", target=actor, changes=changes),
            ]
        )
        updated = self.accounts.user(actor.id)
        assert updated is not None, "a signed-in user exists"
        return updated

    def request_email_change(self, actor: User, form: EmailChangeForm) -> None:
        """Email a confirmation link to the new address and a notice to the current one.

        Raises:
            InvalidFields: the current password is wrong, or the address is already this account's.
            EmailTaken: another account uses the new address.
        """
        from portal.account_emails import email_change_link, email_change_requested

        if not passwords.verify_password(actor.password_hash or "", form.current_password):
            raise InvalidFields([FieldProblem("current_password", "Current password is not correct.")])
        new_email = normalize_email(form.new_email)
        if new_email == actor.email:
            raise InvalidFields([FieldProblem("new_email", "New email address is the one you sign in with already.")])
        if self.accounts.find_by_email(new_email):
            raise EmailTaken("Another account already uses that email address.")
        token = self.email_changes.issue(actor, new_email)
        link = f"{self.site_url}account/confirm-email/#{actor.id}.{token}"
        hours = int(EMAIL_CHANGE_LIFETIME.total_seconds() // 3600)
        self.mailer.send(email_change_link(actor, new_email, link, hours, self.catalog))
        self.mailer.send(email_change_requested(actor, new_email, self.catalog))

    def confirm_email_change(self, user_id: str, token: str) -> User:
        """Make the change a confirmation link asks for and tell the old address.

        Raises:
            EmailLinkNotValid: the link cannot be used.
            EmailTaken: the address was taken meanwhile.
        """
        from portal.account_emails import email_changed

        user, old_email = self.email_changes.confirm(user_id, token)
        self.mailer.send(email_changed(user, old_email, self.catalog))
        return user
