"""Bytes transferred for the home page: a first visit in headless Chromium against the local stack.

The local server sends files as they are (no compression); CloudFront compresses text with gzip or
Brotli, so the gzip size of each text answer is printed beside it as an estimate of the wire size
in production. A first visit: empty cache, signed out. Then the JavaScript a first visit of a few
kinds of page loads: the home page, a plain content page, a form page and the Resource Finder.
"""

from __future__ import annotations

import gzip
import os
import tempfile
import time
from pathlib import Path

CHROMIUM = os.environ.get("PORTAL_CHROMIUM", "/usr/bin/chromium")
_TEXT = ("text/", "application/javascript", "application/json", "image/svg+xml")
_SCRIPT = ("application/javascript", "text/javascript")
# The pages whose scripts are compared: each kind of page loads a different set of portal scripts.
SCRIPT_PAGES = ("", "information/support/faq/", "help/", "resources/")


def run(repo_root: Path, site_dir: Path, path: str = "") -> list[str]:
    """The page's requests, their bytes on the wire locally and gzipped; the printed lines."""
    from infra.local.stack import LocalStack

    if not Path(CHROMIUM).exists():
        return [f"skipped: {CHROMIUM} is missing (make test installs Debian's chromium)"]
    with (
        tempfile.TemporaryDirectory(prefix="portal-bench-page-") as work,
        LocalStack(repo_root, Path(work) / "state.json", port=0, site_dir=site_dir) as stack,
    ):
        rows = _visit(stack.url, path)
        scripts = {other: [r for r in _visit(stack.url, other) if r[3].startswith(_SCRIPT)] for other in SCRIPT_PAGES}
    total = sum(r[1] for r in rows)
    zipped = sum(r[2] for r in rows)
    lines = [f"GET /{path}: {len(rows)} requests, {total / 1024:.1f} KB as sent locally (no compression), "
             f"{zipped / 1024:.1f} KB with gzip on text (about what CloudFront sends)"]  # fmt: skip
    for url, sent, compressed, _ in sorted(rows, key=lambda r: -r[1]):
        lines.append(f"  {sent / 1024:8.1f} KB  {compressed / 1024:8.1f} KB gz  {url}")
    lines.append("JavaScript of a first visit (all scripts / the portal's own portal-*.js), as sent and gzipped:")
    for other, found in scripts.items():
        own = [r for r in found if "/portal-" in r[0]]
        lines.append(f"  /{other:<28} {_kb(found)} / {len(own)} portal scripts {_kb(own)}")
    return lines


def _kb(rows: list[tuple[str, int, int, str]]) -> str:
    """The rows' bytes as sent and gzipped, in KB."""
    return f"{sum(r[1] for r in rows) / 1024:6.1f} KB ({sum(r[2] for r in rows) / 1024:5.1f} KB gz)"


def _visit(base_url: str, path: str) -> list[tuple[str, int, int, str]]:
    """(path, bytes sent: headers + body, gzip estimate, Content-Type) of every request of one first visit.

    Sizes come from each answer's headers (the local server always sends Content-Length) and the
    bodies are fetched again for the gzip estimate: Chromium never reports a body as finished when
    a script ignores it (the access script ignores a 401's), so waiting for it would hang.
    """
    import urllib.request

    from playwright.sync_api import sync_playwright

    answers: list[tuple[str, int, dict[str, str]]] = []
    last = [time.monotonic()]

    def seen(response) -> None:
        answers.append((response.url, response.status, response.headers))
        last[0] = time.monotonic()

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update"],
        )
        page = browser.new_context(base_url=base_url).new_page()
        asked: list[str] = []
        page.on("request", lambda request: asked.append(request.url))
        page.on("response", seen)
        page.goto(path, wait_until="load")
        deadline = time.monotonic() + 20
        while (len(answers) < len(asked) or time.monotonic() - last[0] < 0.5) and time.monotonic() < deadline:
            page.wait_for_timeout(100)
        browser.close()
    rows = []
    for url, status, headers in answers:
        header_bytes = len(f"HTTP/1.1 {status} OK\r\n") + sum(len(f"{k}: {v}\r\n") for k, v in headers.items()) + 2
        body_bytes = int(headers.get("content-length", "0"))
        compressed = body_bytes
        if headers.get("content-type", "").startswith(_TEXT) and body_bytes:
            try:
                with urllib.request.urlopen(url) as again:  # noqa: S310 (the local stack)
                    compressed = len(gzip.compress(again.read(), 6))
            except OSError:
                pass  # an API answer that is not a 200: keep its plain size
        rows.append(
            (
                url.removeprefix(base_url.rstrip("/")),
                header_bytes + body_bytes,
                header_bytes + compressed,
                headers.get("content-type", ""),
            )
        )
    return rows
