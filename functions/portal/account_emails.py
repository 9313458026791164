"""Emails of My Account: invitations and the steps of an email address change.

Links are built by the caller from the configured site address, never from a request.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from portal.emails import mask_email
from portal.mail import OutgoingEmail

if TYPE_CHECKING:
    from portal.accounts import Company, User
    from portal.catalog import Catalog


def _support_line(catalog: Catalog) -> str:
    support = catalog.contacts.reseller_support
    return f"Questions? Contact {support.name} at {support.email}."


def invitation(user: User, inviter: User, company: Company, link: str, hours: int, catalog: Catalog) -> OutgoingEmail:
    """The invitation an admin's ADD RESELLER ACCOUNT USER / ADMIN sends: a link to set a password."""
    body = "\n".join(
        [
            f"Hello {user.first_name},",
            "",
            f"{inviter.display_name} added you to {company.name} on the Reseller Partner Portal "
            f"as {user.role.label}. Your username is this email address.",
            "",
            "Open this link, select LOG IN, and choose your password:",
            "",
            link,
            "",
            f"The link works once and for {hours} hours. If it has expired, use Request New Password on the "
            "sign-in page, or ask your company's admin to send the invitation again.",
            "If you did not expect this, ignore this email: nothing happens until someone uses the link.",
            "",
            _support_line(catalog),
        ]
    )
    return OutgoingEmail(
        to=user.email,
        to_name=user.display_name,
        subject=f"You are invited to the Reseller Partner Portal ({company.name})",
        body=body,
    )


def email_change_link(user: User, new_email: str, link: str, hours: int, catalog: Catalog) -> OutgoingEmail:
    """Sent to the new address: confirming it is what makes the change."""
    body = "\n".join(
        [
            f"Hello {user.first_name},",
            "",
            "You asked to sign in to the Reseller Partner Portal with this email address from now on.",
            "To confirm that this address is yours, open this link and select CONFIRM:",
            "",
            link,
            "",
            f"The link works once and for {hours} hours. Until you confirm, you keep signing in with your "
            "current address.",
            "If you did not ask for this, ignore this email: nothing changes.",
            "",
            _support_line(catalog),
        ]
    )
    return OutgoingEmail(
        to=new_email, to_name=user.display_name, subject="Confirm your new portal email address", body=body
    )


def email_change_requested(user: User, new_email: str, catalog: Catalog) -> OutgoingEmail:
    """Sent to the current address when a change is asked for, so a stranger's attempt is noticed."""
    support = catalog.contacts.reseller_support
    body = "\n".join(
        [
            f"Hello {user.first_name},",
            "",
            "Someone signed in to your Reseller Partner Portal account asked to change its email address "
            f"to {mask_email(new_email)}. The change happens only when that address confirms it.",
            "",
            f"If this was not you, change your password now and contact {support.name} at {support.email}.",
        ]
    )
    return OutgoingEmail(
        to=user.email,
        to_name=user.display_name,
        subject="A change of your portal email address was requested",
        body=body,
    )


def email_changed(user: User, old_email: str, catalog: Catalog) -> OutgoingEmail:
    """Sent to the old address once the new one is confirmed."""
    support = catalog.contacts.reseller_support
    body = "\n".join(
        [
            f"Hello {user.first_name},",
            "",
            f"Your Reseller Partner Portal account now signs in with {mask_email(user.email)} instead of this "
            "address. Password links sent to this address before the change no longer work.",
            "",
            f"If you did not make this change, contact {support.name} at {support.email} right away.",
        ]
    )
    return OutgoingEmail(
        to=old_email, to_name=user.display_name, subject="Your portal email address was changed", body=body
    )
