"""Signing in and out, one-time links and password changes: the rules of DESIGN §4 in one place.

Every failed sign-in answers the same way (unknown email, wrong password, locked, blocked, or a
migrated account without a password) and does the same work, so nobody can learn which accounts
exist by trying.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from portal import passwords
from portal.accounts import Accounts, Company, User, UserStatus
from portal.catalog import Catalog
from portal.emails import mask_email, normalize_email
from portal.errors import FieldProblem, InvalidFields, PortalError
from portal.flood import ACCOUNT_LIMIT, IP_LIMIT, FloodControl, FloodLimit
from portal.mail import Mailer
from portal.reset_tokens import ResetTokens
from portal.sessions import Session, SessionPurpose, Sessions

# What to do next (Request New Password, with its link) is the sign-in page's to say, once, below this.
SIGN_IN_FAILED = "We could not sign you in with that email and password. Check both and try again."
RESET_REQUESTED = (
    "If an account uses that address, we have sent it an email with a link to set a new password. "
    "The link works for 60 minutes. Check your spam folder if it hasn't arrived within 10 minutes."
)


class SignInFailed(PortalError):
    status = 401

    def __init__(self) -> None:
        super().__init__(SIGN_IN_FAILED)


class NotSignedIn(PortalError):
    status = 401

    def __init__(self, message: str = "Your session has ended. Sign in again.") -> None:
        super().__init__(message)


class Forbidden(PortalError):
    status = 403


@dataclass(frozen=True)
class Identity:
    """Who is making a request: the session, its user and the user's company."""

    session: Session
    company: Company

    @property
    def user(self) -> User:
        return self.session.user


class SignIn:
    """The sign-in service used by the auth and password-reset handlers."""

    def __init__(
        self,
        accounts: Accounts,
        sessions: Sessions,
        tokens: ResetTokens,
        flood: FloodControl,
        mailer: Mailer,
        catalog: Catalog,
        site_url: str,
        account_limit: FloodLimit = ACCOUNT_LIMIT,
        ip_limit: FloodLimit = IP_LIMIT,
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
    ):
        self.accounts = accounts
        self.sessions = sessions
        self.tokens = tokens
        self.flood = flood
        self.mailer = mailer
        self.catalog = catalog
        self.site_url = site_url if site_url.endswith("/") else site_url + "/"
        self.account_limit = account_limit
        self.ip_limit = ip_limit
        self.clock = clock

    def sign_in(self, email: str, password: str, source_ip: str) -> tuple[Identity, str]:
        """Check the credentials and open a full session; returns the identity and the cookie value.

        Raises:
            SignInFailed: for every kind of failure, with the same message.
        """
        account_key = normalize_email(email)
        locked = self.flood.is_locked("ip", source_ip, self.ip_limit) or self.flood.is_locked(
            "account", account_key, self.account_limit
        )
        user = None if locked else self.accounts.find_by_email(account_key)
        if user is None or not user.password_hash:
            passwords.spend_verification_time(password)
            self._failed(account_key, source_ip, counted=not locked)
        if not passwords.verify_password(user.password_hash, password) or user.status != UserStatus.ACTIVE:
            self._failed(account_key, source_ip, counted=True)
        self.flood.clear("account", account_key)
        if passwords.needs_rehash(user.password_hash):
            self.accounts.rehash_password(user, passwords.hash_password(password))
        cookie = self.sessions.start(user)
        return self.identity(cookie), cookie

    def _failed(self, account_key: str, source_ip: str, counted: bool) -> None:
        if counted:
            self.flood.register_failure("account", account_key, self.account_limit)
            self.flood.register_failure("ip", source_ip, self.ip_limit)
        raise SignInFailed()

    def identity(self, cookie_value: str | None) -> Identity:
        """The identity behind a session cookie.

        Raises:
            NotSignedIn: no live session (missing, expired, revoked, or the user was blocked).
        """
        session = self.sessions.find(cookie_value)
        if not session:
            raise NotSignedIn()
        return Identity(session=session, company=self.accounts.company(session.user.company_id))

    def full_identity(self, cookie_value: str | None) -> Identity:
        """Like ``identity`` but refuses a session that may only set a password."""
        identity = self.identity(cookie_value)
        if identity.session.purpose != SessionPurpose.FULL:
            raise Forbidden("Set your new password first; then the rest of the portal opens.")
        return identity

    def sign_out(self, cookie_value: str | None) -> None:
        session = self.sessions.find(cookie_value)
        if session:
            self.sessions.end(session)

    def mail_reset_link(self, email: str) -> bool:
        """Email a one-time link if the account exists and is not blocked; returns whether it was sent.

        Runs in the worker that reads the queued Request New Password requests
        (``portal.reset_requests``), never in the API request, so the answer's timing says nothing.
        A sign-in lock does not stop this: a locked-out person is exactly who needs it.
        """
        user = self.accounts.find_by_email(email)
        if not user or user.status == UserStatus.BLOCKED:
            return False
        self.send_link(user)
        return True

    def send_link(self, user: User) -> None:
        """Issue a one-time link for ``user`` and email it (also used for invitations and applicants)."""
        from portal.identity_emails import one_time_link

        link = self.one_time_url(user)
        first_time = user.status == UserStatus.MUST_SET_PASSWORD
        self.mailer.send(one_time_link(user, link, self.catalog, first_time))

    def one_time_url(self, user: User, lifetime: timedelta | None = None) -> str:
        """Issue a one-time link for ``user`` (the earlier one dies) and return it, built from the site URL."""
        token = self.tokens.issue(user, lifetime)
        return f"{self.site_url}account/one-time-login/#{user.id}.{token}"

    def preview_link(self, user_id: str, token: str) -> str:
        """The masked address a live link is for; changes nothing (mail scanners may call it)."""
        return mask_email(self.tokens.check(user_id, token).email)

    def use_link(self, user_id: str, token: str) -> str:
        """Consume a one-time link and open a session that can only set a new password."""
        user = self.tokens.consume(user_id, token)
        return self.sessions.start(user, SessionPurpose.SET_PASSWORD)

    def change_password(self, identity: Identity, new_password: str, current_password: str | None) -> str:
        """Set a new password, end every other session, email a notice; returns the new session's cookie.

        Raises:
            InvalidFields: the current password is wrong (full sessions) or the new one is not allowed.
        """
        from portal.identity_emails import password_changed

        user = identity.user
        if identity.session.purpose == SessionPurpose.FULL and not passwords.verify_password(
            user.password_hash or "", current_password or ""
        ):
            raise InvalidFields([FieldProblem("current_password", "Current password is not correct.")])
        company = identity.company
        problem = passwords.password_problem(
            new_password, [user.email, user.email.split("@")[0], user.first_name, user.last_name, company.name]
        )
        if problem:
            raise InvalidFields([FieldProblem("new_password", problem)])
        updated = self.accounts.set_password_hash(user, passwords.hash_password(new_password))
        self.sessions.end_all(user.id)
        self.tokens.revoke(user.id)
        self.flood.clear("account", user.email)
        cookie = self.sessions.start(updated)
        self.mailer.send(password_changed(updated, self.catalog, self.clock().strftime("%Y-%m-%d %H:%M")))
        return cookie
