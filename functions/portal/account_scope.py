"""Who may see and change which company and which users: the per-object checks of My Account.

Every account endpoint asks here before it reads or writes anything. A reseller (Account User,
Reseller Admin, Management Contact) works inside their own company only; naming a user or a
company of another company is answered exactly like naming one that does not exist (404), so
nobody learns what other companies hold. The Channel team may act in any company.
"""

from __future__ import annotations

from portal.accounts import Accounts, Company, Role, User
from portal.errors import NotFound
from portal.identity import Forbidden

ADMIN_ROLES = frozenset({Role.RESELLER_ADMIN, Role.MANAGEMENT_CONTACT, Role.CHANNEL_TEAM})
NO_USER = "That user does not exist."
NO_COMPANY = "That company does not exist."


def is_staff(user: User) -> bool:
    return user.role == Role.CHANNEL_TEAM


def is_admin(user: User) -> bool:
    """Whether ``user`` may manage company information and users (of their own company, or any if staff)."""
    return user.role in ADMIN_ROLES


def _plausible_id(value: str | None) -> bool:
    # Ids are 16 hex digits; anything far from that is not looked up at all.
    return bool(value) and len(value) <= 64 and value.isascii() and value.isalnum()  # type: ignore[union-attr]


class AccountScope:
    """Loads the company or user an actor names, refusing what is not theirs."""

    def __init__(self, accounts: Accounts):
        self.accounts = accounts

    @staticmethod
    def require_admin(actor: User) -> None:
        """Raises ``Forbidden`` unless the actor is a Reseller Admin, Management Contact or staff."""
        if not is_admin(actor):
            raise Forbidden(
                "Only your company's Management Contact and Reseller Admins can do this. "
                "Ask one of them, or Reseller Support."
            )

    @staticmethod
    def require_staff(actor: User) -> None:
        """Raises ``Forbidden`` unless the actor belongs to the Channel team."""
        if not is_staff(actor):
            raise Forbidden("Only the Channel team can do this. Contact Reseller Support.")

    def company(self, actor: User, company_id: str | None = None) -> Company:
        """The company ``company_id`` names (the actor's own when not given).

        Raises:
            NotFound: it does not exist, or it is another company and the actor is not staff.
        """
        if not company_id or company_id == actor.company_id:
            return self.accounts.company(actor.company_id)
        if not is_staff(actor) or not _plausible_id(company_id):
            raise NotFound(NO_COMPANY)
        return self.accounts.company(company_id)

    def user(self, actor: User, user_id: str) -> User:
        """The user ``user_id`` names, if the actor may act on them.

        Raises:
            NotFound: no such user, or one of another company and the actor is not staff.
        """
        target = self.accounts.user(user_id) if _plausible_id(user_id) else None
        if target is None or (target.company_id != actor.company_id and not is_staff(actor)):
            raise NotFound(NO_USER)
        return target
