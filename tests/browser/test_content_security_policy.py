"""The built pages satisfy the Content-Security-Policy that CloudFront sends (infra/headers.py).

The local server sends the same policy (the built site's inline-script hashes included), so a
page that breaks the policy here would break in AWS too.
"""

from __future__ import annotations

import pytest
from helpers import signed_in_user
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.browser

# Every violation the page reports, kept on the window before any script of the page runs.
RECORD_VIOLATIONS = """
window.__violations = [];
document.addEventListener('securitypolicyviolation', (e) => {
  const where = `${e.sourceFile}:${e.lineNumber}`;
  window.__violations.push(`${e.violatedDirective} blocked ${e.blockedURI || 'inline'} (${where})`);
});
"""


@pytest.fixture
def watched(page: Page, portal):
    """The tab, recording CSP violations (events and console errors) from the first script on."""
    messages: list[str] = []

    def console(message) -> None:
        if "Content Security Policy" in message.text:
            messages.append(message.text)

    page.on("console", console)
    page.add_init_script(RECORD_VIOLATIONS)
    return page, messages


def signed_in(page: Page, portal) -> None:
    """A reseller of Scanners, signed in through the API as the sign-in page does."""
    signed_in_user(page, portal, "csp.test@example.org", "CSP Test Inc", ("scanners",), "ACCOUNT_USER")


def violations(page: Page, messages: list[str]) -> list[str]:
    return [*page.evaluate("window.__violations"), *messages]


def test_the_server_sends_the_policy_with_the_pages_script_hashes(portal, page):
    response = page.goto("")
    policy = response.headers["content-security-policy"]
    assert "script-src 'self' 'sha256-" in policy and "'unsafe-inline'" not in policy.split("style-src")[0]


@pytest.mark.parametrize(
    ("path", "ready"),
    [
        ("", "h1"),
        ("account/sign-in/", "form"),
        ("help/", "form"),
    ],
    ids=["home", "sign-in", "help"],
)
def test_public_pages_break_no_rule(watched, path, ready):
    page, messages = watched
    page.goto(path)
    expect(page.locator(ready).first).to_be_visible()
    # Material's search runs in a worker and fetches the indexes: use it too.
    page.locator("input.md-search__input").fill("reseller")
    expect(page.locator(".md-search-result__item").first).to_be_visible()
    assert violations(page, messages) == []


def test_the_finder_and_search_break_no_rule(watched, portal):
    page, messages = watched
    signed_in(page, portal)
    page.goto("resources/")
    expect(page.locator("[data-finder-status]")).to_contain_text("Files 1–")
    page.locator("input.md-search__input").fill("scanner")
    expect(page.locator(".md-search-result__item").first).to_be_visible()
    assert violations(page, messages) == []
