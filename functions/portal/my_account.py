"""The services behind My Account, built together from the sign-in service they share."""

from __future__ import annotations

from dataclasses import dataclass

from portal.account_scope import AccountScope
from portal.accounts import User
from portal.company_admin import CompanyAdmin
from portal.company_audit import AuditPage, CompanyAudit
from portal.email_change import EmailChanges
from portal.help_requests import HelpDesk
from portal.identity import SignIn
from portal.profile import Profiles
from portal.user_management import UserManagement


@dataclass(frozen=True)
class MyAccount:
    """My Profile, Company Information, User Management and the company's trail."""

    scope: AccountScope
    audit: CompanyAudit
    profiles: Profiles
    companies: CompanyAdmin
    users: UserManagement

    def trail(self, actor: User, company_id: str | None, cursor: str | None) -> AuditPage:
        """A page of the trail of the company ``company_id`` names (admins and staff only)."""
        self.scope.require_admin(actor)
        return self.audit.page(self.scope.company(actor, company_id).id, cursor)


def build_my_account(sign_in: SignIn, help_desk: HelpDesk) -> MyAccount:
    """The services on the same table, mailer and clock as ``sign_in``."""
    accounts = sign_in.accounts
    store = accounts.store
    scope = AccountScope(accounts)
    audit = CompanyAudit(store, clock=sign_in.clock)
    changes = EmailChanges(store, accounts, audit, clock=sign_in.clock)
    return MyAccount(
        scope=scope,
        audit=audit,
        profiles=Profiles(accounts, audit, changes, sign_in.mailer, sign_in.catalog, sign_in.site_url, sign_in.clock),
        companies=CompanyAdmin(accounts, scope, audit, help_desk),
        users=UserManagement(accounts, scope, audit, sign_in, sign_in.catalog),
    )
