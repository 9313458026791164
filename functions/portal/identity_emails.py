"""Emails about signing in: the one-time link and the "your password was changed" notice."""

from __future__ import annotations

from typing import TYPE_CHECKING

from portal.mail import OutgoingEmail

if TYPE_CHECKING:
    from portal.accounts import User
    from portal.catalog import Catalog


def one_time_link(user: User, link: str, catalog: Catalog, first_time: bool) -> OutgoingEmail:
    """The email carrying a one-time link; the link is built from the configured site address."""
    support = catalog.contacts.reseller_support
    opening = (
        "Welcome to the Reseller Partner Portal. Your sign-in email stays the same as before; "
        "to finish moving your account, set a new password with the link below."
        if first_time
        else "Someone (hopefully you) asked to set a new password for your Reseller Partner Portal account."
    )
    body = "\n".join(
        [
            f"Hello {user.first_name},",
            "",
            opening,
            "",
            "Open this link, select LOG IN, and choose your new password:",
            "",
            link,
            "",
            "The link works once and for 60 minutes. If it has expired, request a new password again.",
            "If you did not ask for this, ignore this email: your password stays as it is.",
            "",
            f"Questions? Contact {support.name} at {support.email}.",
        ]
    )
    return OutgoingEmail(
        to=user.email, to_name=user.display_name, subject="Set your Reseller Partner Portal password", body=body
    )


def password_changed(user: User, catalog: Catalog, when: str) -> OutgoingEmail:
    support = catalog.contacts.reseller_support
    body = "\n".join(
        [
            f"Hello {user.first_name},",
            "",
            f"The password of your Reseller Partner Portal account was changed ({when} UTC).",
            "Every other signed-in browser was signed out.",
            "",
            f"If you did not do this, contact {support.name} at {support.email} right away.",
        ]
    )
    return OutgoingEmail(
        to=user.email, to_name=user.display_name, subject="Your portal password was changed", body=body
    )
