"""The two emails a help request sends: the notice to Reseller Support and the sender's receipt."""

from __future__ import annotations

from typing import TYPE_CHECKING

from portal.mail import OutgoingEmail

if TYPE_CHECKING:
    from portal.catalog import Catalog
    from portal.help_requests import HelpRequestForm


def support_notice(reference: str, form: HelpRequestForm, catalog: Catalog) -> OutgoingEmail:
    """The request as Reseller Support reads it; replying goes straight to the sender."""
    topic = catalog.help_topic(form.topic)
    category = catalog.category(form.category) if form.category else None
    body = "\n".join(
        [
            f"A help request came in through the portal's Contact Us form. Reference: {reference}",
            "",
            f"Name:      {form.name}",
            f"Email:     {form.email}",
            f"Company:   {form.company}",
            f"Phone:     {form.phone or '(not given)'}",
            f"Topic:     {topic.label if topic else form.topic}",
            f"Category:  {category.name if category else '(none chosen)'}",
            "",
            "Message:",
            form.message,
            "",
            "Reply to this email to answer the sender directly.",
        ]
    )
    support = catalog.contacts.reseller_support
    return OutgoingEmail(
        to=support.email,
        to_name=support.name,
        subject=f"[{reference}] {topic.label if topic else 'Help request'}",
        body=body,
        reply_to=form.email,
    )


def acknowledgement(reference: str, form: HelpRequestForm, catalog: Catalog) -> OutgoingEmail:
    """The sender's receipt.

    It repeats none of the free text typed into the form, so the form cannot be used to send
    someone else an email with a message of the sender's choosing.
    """
    topic = catalog.help_topic(form.topic)
    support = catalog.contacts.reseller_support
    phone = f" or call {support.phone}" if support.phone else ""
    body = "\n".join(
        [
            "Hello,",
            "",
            f"Thank you for contacting {support.name}. We received your request about "
            f'"{topic.label if topic else form.topic}" and gave it the reference {reference}.',
            "",
            "A member of the team will reply to this address, usually within one business day.",
            f"If you need to add something, reply to {support.email}{phone} and quote {reference}.",
            "",
            "If you did not send this request, you can ignore this email.",
            "",
            f"{support.name}",
        ]
    )
    return OutgoingEmail(
        to=form.email,
        subject=f"We received your request {reference}",
        body=body,
        reply_to=support.email,
    )
