"""Walking the built site in Chromium: which pages exist, axe-core, and every request's origin.

Pages are found in the built site (every ``index.html``), not listed by hand, so new pages are
covered as they land. axe-core comes inside the ``axe-playwright-python`` wheel (axe.min.js):
nothing is downloaded when the tests run.
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from playwright.sync_api import BrowserContext, ConsoleMessage, Page, Request, Response

# WCAG 2.0 and 2.1, levels A and AA.
AXE_OPTIONS = {
    "runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]},
    "resultTypes": ["violations"],
}
# Addresses that never leave the browser.
LOCAL_SCHEMES = {"data", "blob", "about"}


@dataclass(frozen=True)
class SitePage:
    """A page of the built site and its access rule (public, signed-in, category:<slug>)."""

    path: str
    rule: str


def site_pages(site_dir: Path) -> list[SitePage]:
    """Every page of the built site, with the access manifest's rule for it."""
    from site_builder.access import rule_for

    manifest = json.loads((site_dir / "access-manifest.json").read_text(encoding="utf-8"))
    paths = sorted("/" + str(index.parent.relative_to(site_dir)).strip(".") for index in site_dir.rglob("index.html"))
    paths = [p if p.endswith("/") else p + "/" for p in paths]
    return [SitePage(path, rule_for(manifest, path)) for path in paths]


# Resolves once every finite CSS transition and animation has ended (3 s at most): axe measures the
# colours of the moment, and a header fading out after a scroll is half-transparent on its way.
_ANIMATIONS_ENDED = """() => Promise.race([
  Promise.all(document.getAnimations()
    .filter((a) => a.effect && Number.isFinite(a.effect.getComputedTiming().endTime))
    .map((a) => a.finished.catch(() => null))),
  new Promise((resolve) => setTimeout(resolve, 3000)),
]).then(() => true)"""


def settle_animations(page: Page) -> None:
    """Wait until the page's transitions (a header hiding on scroll, a panel opening) have ended."""
    page.evaluate(_ANIMATIONS_ENDED)


def axe_violations(page: Page) -> list[str]:
    """axe-core's WCAG 2.1 A/AA violations on the page as it is now, one line per element."""
    from axe_playwright_python.sync_playwright import Axe

    settle_animations(page)
    results = Axe().run(page, options=AXE_OPTIONS).response
    return [
        f"{rule['id']} ({rule['impact']}): {rule['help']} -- {node['target']} {node['html'][:120]!r}"
        f" {' '.join((node.get('failureSummary') or '').split())[:240]}"
        for rule in results["violations"]
        for node in rule["nodes"]
    ]


@dataclass
class RequestWatch:
    """Every request a browser context makes, and whether any is still waiting for its answer."""

    origin: str
    foreign: list[str] = field(default_factory=list)
    _pending: set[int] = field(default_factory=set)
    _last_activity: float = field(default_factory=time.monotonic)

    def attach(self, context: BrowserContext) -> RequestWatch:
        context.on("request", self._started)
        context.on("response", self._answered)
        context.on("requestfailed", self._answered)
        return self

    def _started(self, request: Request) -> None:
        self._pending.add(id(request))
        self._last_activity = time.monotonic()
        url = urlsplit(request.url)
        if url.scheme not in LOCAL_SCHEMES and f"{url.scheme}://{url.netloc}" != self.origin:
            frame = request.frame.url if request.frame else "?"
            self.foreign.append(f"{frame} requested {request.url}")

    def _answered(self, item: Request | Response) -> None:
        request = item.request if isinstance(item, Response) else item
        self._pending.discard(id(request))
        self._last_activity = time.monotonic()

    def settle(self, page: Page, quiet_s: float = 0.2, limit_s: float = 10.0) -> None:
        """Wait until no request has been open for ``quiet_s`` (the page's scripts have drawn it).

        Playwright's ``networkidle`` is not used: Chromium never reports the end of a response
        whose body a script does not read (the access script ignores a 401's body).
        """
        deadline = time.monotonic() + limit_s
        while time.monotonic() < deadline:
            if not self._pending and time.monotonic() - self._last_activity >= quiet_s:
                return
            page.wait_for_timeout(50)


@dataclass
class ErrorWatch:
    """Every uncaught error and console error of a page's scripts, with the page it happened on.

    One console error is expected and left out: Chromium's report of the 404 of the page itself
    when the address names no page (the site's own not-found page is still shown). A signed-out
    reader's pages do not ask ``GET /api/session`` at all (no signed-in cookie), so its 401 is
    not expected and counts.
    """

    errors: list[str] = field(default_factory=list)

    def attach(self, page: Page) -> ErrorWatch:
        page.on("pageerror", lambda error: self.errors.append(f"{page.url}: uncaught {error}"))
        page.on("console", lambda message: self._console(page, message))
        return self

    def _console(self, page: Page, message: ConsoleMessage) -> None:
        if message.type != "error":
            return
        source = message.location.get("url", "")
        if "status of 404" in message.text and source == page.url:
            return
        self.errors.append(f"{page.url}: console error {message.text} ({source})")


def seed_readers(accounts_table_name: str, password: str) -> dict[str, str]:
    """A Management Contact whose company holds every category, and a channel-team user; their emails.

    moto runs inside the test process (the stack started it), so boto3 here reaches the API's table.
    """
    import boto3
    from helpers import REPO
    from portal import passwords
    from portal.accounts import Accounts, Role, UserStatus
    from portal.catalog import load_catalog
    from portal.store import Store

    accounts = Accounts(Store(boto3.resource("dynamodb").Table(accounts_table_name)))
    slugs = tuple(category.slug for category in load_catalog(REPO / "content").categories)
    reseller = accounts.create_company("Walkthrough Systems LLC", slugs)
    staff = accounts.create_company("Walkthrough Channel Team", ())
    hashed = passwords.hash_password(password)
    readers = {"reseller": "casey.contact@example.org", "staff": "robin.staff@example.com"}
    accounts.create_user(
        readers["reseller"],
        "Casey",
        "Contact",
        reseller.id,
        Role.MANAGEMENT_CONTACT,
        UserStatus.ACTIVE,
        password_hash=hashed,
    )
    accounts.create_user(
        readers["staff"], "Robin", "Staff", staff.id, Role.CHANNEL_TEAM, UserStatus.ACTIVE, password_hash=hashed
    )
    return readers


def sign_in(context: BrowserContext, base_url: str, email: str, password: str) -> None:
    """Sign the context in through the API, as the sign-in page does (its cookies land in the context)."""
    origin = base_url.rstrip("/")
    response = context.request.post(
        origin + "/api/session",
        data={"email": email, "password": password},
        headers={"Origin": origin, "Content-Type": "application/json"},
    )
    assert response.status == 200, response.text()
