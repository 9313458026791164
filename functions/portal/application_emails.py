"""Emails about reseller applications: the applicant's set-password link, a submission, a decision.

None of them repeats free text typed by the applicant; a decision's note is written by the
channel team.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from portal.mail import OutgoingEmail

if TYPE_CHECKING:
    from portal.accounts import Company, User
    from portal.catalog import Catalog


def _signature(catalog: Catalog) -> list[str]:
    support = catalog.contacts.reseller_support
    return ["", f"Questions? Contact {support.name} at {support.email}.", "", "- The Channel Team"]


def applicant_link(user: User, link: str, category_names: list[str], catalog: Catalog) -> OutgoingEmail:
    """After the first save: confirm the address and choose a password, then continue the application."""
    body = "\n".join(
        [
            f"Hello {user.first_name},",
            "",
            "Thank you for starting an application to become an authorized reseller for:",
            *(f"  - {name}" for name in category_names),
            "",
            "Your answers so far are saved. To confirm this email address and choose your password,",
            "open this link and select LOG IN:",
            "",
            link,
            "",
            "The link works once and for 60 minutes; after that, use Request New Password on the sign-in",
            "page to get a new one. Once your password is set, the portal opens My Dashboard: select",
            "COMPLETE APPLICATION there to continue with step 3, Product Information.",
            "",
            "If you did not start this application, ignore this email.",
            *_signature(catalog),
        ]
    )
    return OutgoingEmail(
        to=user.email, to_name=user.display_name, subject="Confirm your email to continue your application", body=body
    )


def submitted_notice(
    company: Company, contact: User, category_names: list[str], review_url: str, catalog: Catalog
) -> OutgoingEmail:
    """To the channel team: an application waits for review."""
    body = "\n".join(
        [
            f"{company.name} submitted an application for:",
            *(f"  - {name}" for name in category_names),
            "",
            f"Management Contact: {contact.display_name} <{contact.email}>",
            "",
            f"Review it in the portal: {review_url}",
        ]
    )
    return OutgoingEmail(
        to=catalog.contacts.channel_team.email,
        to_name=catalog.contacts.channel_team.name,
        subject=f"Application to review: {company.name}",
        body=body,
    )


def decision(user: User, category_name: str, approved: bool, note: str, link: str, catalog: Catalog) -> OutgoingEmail:
    """To the Management Contact: one category was approved or declined."""
    if approved:
        lines = [
            f"Good news: your company is now an authorized reseller for {category_name}.",
            "Its pages, resources and territory maps open for every user of your company from now on:",
            "",
            link,
        ]
    else:
        lines = [
            f"We reviewed your application for {category_name} and cannot approve it at this time.",
        ]
    if note:
        lines += ["", "Note from the channel team:", note]
    if not approved:
        lines += ["", f"Your dashboard shows the decision and the other categories you can apply for: {link}"]
    body = "\n".join([f"Hello {user.first_name},", "", *lines, *_signature(catalog)])
    subject = f"{category_name}: application {'approved' if approved else 'declined'}"
    return OutgoingEmail(to=user.email, to_name=user.display_name, subject=subject, body=body)
