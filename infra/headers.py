"""The security headers every response of the portal carries.

One definition, used by the local server for every answer and (when deployed) by the CloudFront
response headers policy (``SecurityHeadersPolicy`` in ``infra/template.yaml``, its CSP passed by
``portal deploy``), so what the tests see locally is what resellers get.

The Content-Security-Policy allows scripts from the site itself and, by their SHA-256 hash, the
few inline scripts the built pages carry (Material's ``__md_scope`` and anchor scripts); the
hashes are read from the built site with ``inline_script_hashes``.
"""

from __future__ import annotations

import base64
import hashlib
import re
from collections.abc import Iterable
from pathlib import Path

# Browsers ignore HSTS on plain-http localhost, so sending it locally is harmless.
HSTS = ("Strict-Transport-Security", "max-age=63072000; includeSubDomains")

# The policy's directives; script-src gets the inline scripts' hashes appended.
CSP_DIRECTIVES: tuple[tuple[str, str], ...] = (
    ("default-src", "'self'"),
    ("script-src", "'self'"),
    # Style attributes are needed: the territory maps' legend swatches carry their colour from
    # content data, and Material's scripts set style attributes at run time. Scripts stay strict.
    ("style-src", "'self' 'unsafe-inline'"),
    ("img-src", "'self' data:"),
    ("font-src", "'self'"),
    # Material's search runs in a worker and hands results around as blob: URLs.
    ("connect-src", "'self' blob:"),
    ("worker-src", "'self' blob:"),
    ("frame-ancestors", "'none'"),
    ("base-uri", "'self'"),
    ("form-action", "'self'"),
    ("object-src", "'none'"),
)
# CloudFront refuses a Content-Security-Policy longer than this in a response headers policy.
MAX_CSP_LENGTH = 1783

_SCRIPT = re.compile(r"<script\b([^>]*)>(.*?)</script\s*>", re.IGNORECASE | re.DOTALL)
_SRC = re.compile(r"\ssrc\s*=", re.IGNORECASE)
_TYPE = re.compile(r"""\stype\s*=\s*["']?([^"'\s>]+)""", re.IGNORECASE)
# Types a browser runs as script (a JSON block such as Material's __config is data, not script).
_SCRIPT_TYPES = {"", "text/javascript", "application/javascript", "module"}


def content_security_policy(script_hashes: Iterable[str] = ()) -> str:
    """The Content-Security-Policy value, allowing the inline scripts with these base64 SHA-256 hashes."""
    extra = "".join(f" 'sha256-{value}'" for value in sorted(set(script_hashes)))
    return "; ".join(f"{name} {value}{extra if name == 'script-src' else ''}" for name, value in CSP_DIRECTIVES)


def security_headers(script_hashes: Iterable[str] = ()) -> tuple[tuple[str, str], ...]:
    """Every security header, the CSP allowing the inline scripts with ``script_hashes``."""
    return (
        HSTS,
        ("X-Content-Type-Options", "nosniff"),
        ("X-Frame-Options", "DENY"),
        # No page needs to tell another site where a visitor came from, and the one-time-login
        # page must never leak its address: one strict policy for the whole site.
        ("Referrer-Policy", "no-referrer"),
        ("Content-Security-Policy", content_security_policy(script_hashes)),
        ("Permissions-Policy", "camera=(), microphone=(), geolocation=(), payment=()"),
    )


def inline_script_hashes(site_dir: Path) -> tuple[str, ...]:
    """The base64 SHA-256 of every distinct inline script in the built site's HTML pages, sorted.

    The hash is of the script's text exactly as written between the tags, as browsers compute it.
    """
    found: set[str] = set()
    for page in site_dir.rglob("*.html"):
        for attributes, body in _SCRIPT.findall(page.read_text(encoding="utf-8")):
            kind = _TYPE.search(attributes)
            if _SRC.search(attributes) or (kind and kind.group(1).lower() not in _SCRIPT_TYPES):
                continue
            found.add(base64.b64encode(hashlib.sha256(body.encode("utf-8")).digest()).decode("ascii"))
    return tuple(sorted(found))


def site_security_headers(site_dir: Path) -> tuple[tuple[str, str], ...]:
    """The headers for a built site: its inline scripts' hashes in the CSP."""
    return security_headers(inline_script_hashes(site_dir))


# The headers without any inline script allowed (before a site is known; API answers).
SECURITY_HEADERS: tuple[tuple[str, str], ...] = security_headers()
