"""Which of the portal's scripts a page loads: the ones every page needs, and those whose hooks it has.

Each script under ``overrides/assets/javascripts/`` finds its part of a page by data attributes,
its *hooks* (``<form data-portal-form>``, ``<div data-portal-finder>``, ...): a page without
them has nothing for the script to do. ``SCRIPTS`` declares, once, every script in load order,
its hooks and the scripts it needs loaded before it. The ``portal`` plugin reads each page's
rendered content for hook attributes and hands ``main.html`` the list (``portal_scripts``), and
checks each finished page: a hook anywhere in it (also in the theme's templates) whose script the
page does not load fails the build.
"""

from __future__ import annotations

from dataclasses import dataclass
from html.parser import HTMLParser

ASSETS = "assets/javascripts/"


@dataclass(frozen=True)
class Script:
    """One of the portal's scripts: where it is needed and what it needs."""

    name: str
    # Attribute names the script looks for; a page with any of them loads it.
    hooks: tuple[str, ...] = ()
    # Loaded on every page (the header's account box, the service banner, search).
    everywhere: bool = False
    # Scripts that must be loaded before this one on the same page (they come earlier in SCRIPTS).
    needs: tuple[str, ...] = ()
    # Loaded before Material's bundle and without ``defer``.
    early: bool = False

    @property
    def src(self) -> str:
        return ASSETS + self.name


SCRIPTS: tuple[Script, ...] = (
    # What the reader may open; portal-search.js must answer the bundle's index request.
    Script("portal-access.js", everywhere=True, early=True),
    Script("portal-search.js", everywhere=True, early=True),
    Script("portal-status.js", everywhere=True),
    Script("portal-library.js", hooks=("data-portal-finder", "data-program-dynamic", "data-portal-events")),
    Script("portal-tables.js", hooks=("data-where-to-buy", "data-inventory-report")),
    Script("portal-territories.js", hooks=("data-rep-finder", "data-territory-groups")),
    Script("portal-forms.js", hooks=("data-portal-form",)),
    # Length limits told while typing (also on fields a page script draws later, see portal-review.js).
    Script("portal-text-limits.js", hooks=("data-max-length",)),
    # The header's account box on every page, and the sign-in, sign-out and password pages.
    Script("portal-account.js", everywhere=True),
    Script(
        "portal-my-account.js",
        hooks=(
            "data-account-overview",
            "data-profile-page",
            "data-company-page",
            "data-users-page",
            "data-audit-page",
            "data-confirm-email",
        ),
    ),
    # The shared helpers of the three application scripts below; after portal-account.js.
    Script("portal-application-core.js"),
    Script("portal-application.js", hooks=("data-application-page",), needs=("portal-application-core.js",)),
    Script(
        "portal-dashboard.js",
        hooks=("data-dashboard", "data-needs-category"),
        needs=("portal-application-core.js", "portal-forms.js"),
    ),
    Script(
        "portal-review.js",
        hooks=("data-review-page",),
        needs=("portal-text-limits.js", "portal-application-core.js"),
    ),
)
GLOBAL: tuple[Script, ...] = tuple(s for s in SCRIPTS if s.everywhere)


class _Scan(HTMLParser):
    """The attribute names of every element, and the ``src`` of every script."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.attributes: set[str] = set()
        self.sources: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.attributes.update(name for name, _ in attrs)
        if tag == "script":
            self.sources.extend(value for name, value in attrs if name == "src" and value)

    handle_startendtag = handle_starttag


def scan(html: str) -> _Scan:
    scanner = _Scan()
    scanner.feed(html)
    scanner.close()
    return scanner


def scripts_for(html: str) -> list[Script]:
    """The scripts a page with this HTML needs, in load order."""
    present = scan(html).attributes
    wanted = {s.name for s in SCRIPTS if s.everywhere or present.intersection(s.hooks)}
    for script in reversed(SCRIPTS):  # needs come earlier, so one backward pass is transitive
        if script.name in wanted:
            wanted.update(script.needs)
    return [s for s in SCRIPTS if s.name in wanted]


def loaded(html: str) -> set[str]:
    """The names of the portal's scripts a finished page loads."""
    return {src.rsplit("/", 1)[-1].split("?", 1)[0] for src in scan(html).sources if ASSETS in src}


def missing(html: str) -> list[str]:
    """For a finished page: each script whose hook it has but which it does not load, with the hook."""
    present = scan(html).attributes
    have = loaded(html)
    problems = []
    for script in scripts_for(html):
        if script.name not in have:
            hooks = sorted(present.intersection(script.hooks))
            why = "every page loads it" if script.everywhere else "a script of the page needs it"
            problems.append(f"{script.name} ({'the page has ' + ', '.join(hooks) if hooks else why})")
    return problems
