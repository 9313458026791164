"""The Contact Us form in a real browser, against the local portal."""

from __future__ import annotations

import re

import pytest
from helpers import outbox
from keyboard_only import tab_to
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


def test_a_visitor_fixes_a_bad_email_sends_the_form_and_both_emails_arrive(page, portal):
    page.goto("help/")
    form = page.locator("form.portal-form")
    form.get_by_label("Your name").fill("Jane Doe")
    form.get_by_label("Email address").fill("jane.doe-at-example.org")
    form.get_by_label("Company").fill("Example Systems LLC")
    form.get_by_label("Topic").select_option(label="Product technical support")
    form.get_by_label("Product category").select_option(label="Scanners")
    form.get_by_label("Message").fill("The scanner driver page does not list our model. Can you help?")
    form.get_by_role("button", name="Send to Reseller Support").click()

    email_error = page.locator("#f-email-error")
    expect(email_error).to_have_text("Email address needs an @-sign: use the form name@company.com.")
    expect(form.get_by_label("Email address")).to_have_attribute("aria-invalid", "true")
    expect(form.get_by_label("Email address")).to_be_focused()
    assert outbox(portal) == []

    form.get_by_label("Email address").fill("jane.doe@example.org")
    form.get_by_role("button", name="Send to Reseller Support").click()

    result = page.locator("[data-form-result]")
    expect(result).to_contain_text("HR-")
    reference = re.search(r"HR-\d{6}-[A-Z0-9]{6}", result.inner_text()).group(0)
    expect(email_error).to_be_empty()
    expect(form.get_by_label("Email address")).to_have_value("")  # cleared after sending

    page.goto(portal.url.rstrip("/") + "/_outbox/")
    listing = page.locator("body").inner_text()
    assert listing.count(reference) >= 2
    messages = outbox(portal)
    to_support = next(m for m in messages if reference in m["subject"] and "jane.doe@example.org" not in m["to"])
    receipt = next(m for m in messages if "jane.doe@example.org" in m["to"])
    assert "The scanner driver page" in to_support["text"]
    assert reference in receipt["text"]


def test_a_double_click_sends_one_request(page, portal):
    page.goto("help/")
    form = page.locator("form.portal-form")
    form.get_by_label("Your name").fill("Sam Lee")
    form.get_by_label("Email address").fill("sam.lee@example.org")
    form.get_by_label("Company").fill("Example Retail")
    form.get_by_label("Topic").select_option(index=1)
    form.get_by_label("Message").fill("Please check our product authorizations.")
    button = form.get_by_role("button", name="Send to Reseller Support")
    button.dblclick()
    expect(page.locator("[data-form-result]")).to_contain_text("HR-")
    assert len(outbox(portal)) == 2


def test_keyboard_only_help_form(page, portal):
    """Tab to each field from the top of the page, type, choose with the arrow keys, send with Enter."""
    page.goto("help/")
    form = page.locator("form.portal-form")
    for label, text in [
        ("Your name", "Kim Keys"),
        ("Email address", "kim.keys@example.org"),
        ("Company", "Keyboard Co"),
    ]:
        tab_to(page, form.get_by_label(label))
        page.keyboard.type(text)
    topic = form.get_by_label("Topic")
    tab_to(page, topic)
    page.keyboard.press("ArrowDown")
    expect(topic).not_to_have_value("")
    tab_to(page, form.get_by_label("Message"))
    page.keyboard.type("I use the keyboard only. Please call me back about our authorizations.")
    send = form.get_by_role("button", name="Send to Reseller Support")
    tab_to(page, send)
    page.keyboard.press("Enter")
    expect(page.locator("[data-form-result]")).to_contain_text("HR-")
    expect(page.locator("[data-form-result]")).to_be_focused()


def test_text_longer_than_its_limit_is_kept_and_the_real_problem_named(page, portal):
    page.goto("help/")
    form = page.locator("form.portal-form")
    email = form.get_by_label("Email address")
    too_long = "j" * 288 + "@example.com"  # 300 characters, the limit is 254
    email.fill(too_long)
    expect(email).to_have_value(too_long)  # nothing cut off
    email_error = page.locator("#f-email-error")
    expect(email_error).to_have_text(
        "Email address must be at most 254 characters; it has 300, 46 too many. Shorten it and try again."
    )
    expect(email).to_have_attribute("aria-invalid", "true")

    # Sent anyway, the portal says the same thing, not something about the @-sign.
    form.get_by_label("Your name").fill("Jane Doe")
    form.get_by_label("Company").fill("Example Systems LLC")
    form.get_by_label("Topic").select_option(label="Product technical support")
    form.get_by_label("Message").fill("m" * 5_003)
    expect(page.locator("#f-message-error")).to_have_text(
        "Message must be at most 5,000 characters; it has 5,003, 3 too many. Shorten it and try again."
    )
    form.get_by_role("button", name="Send to Reseller Support").click()
    expect(email_error).to_have_text("Email address must be at most 254 characters; shorten it and try again.")
    expect(page.locator("#f-message-error")).to_contain_text("Message must be at most 5,000 characters")
    expect(email_error).not_to_contain_text("@-sign")

    # Fixed: the messages go as soon as the text fits, and the form is sent.
    email.fill("jane.doe@example.org")
    expect(email_error).to_be_empty()
    expect(email).not_to_have_attribute("aria-invalid", "true")
    form.get_by_label("Message").press("Backspace")
    form.get_by_label("Message").press("Backspace")
    form.get_by_label("Message").press("Backspace")
    expect(page.locator("#f-message-error")).to_be_empty()
    form.get_by_role("button", name="Send to Reseller Support").click()
    expect(page.locator("[data-form-result]")).to_contain_text("HR-")
    assert any("jane.doe@example.org" in m["to"] for m in outbox(portal))
