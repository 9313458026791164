"""Access at the edge, for the local server: the same decision as ``infra/edge/viewer_request.js``.

``decide`` is a line-for-line twin of the CloudFront viewer-request function: the path checks, the
``/x`` → ``/x/`` redirect, the manifest rule (``site_builder.access.rule_for``), the access cookie
(``portal.access.verify_access``) and the redirects to the sign-in and needs-category pages. The
shared vectors in ``tests/edge/vectors.json`` run against both, so a change to one that is not made
to the other fails the tests. ``AccessGate`` wraps it for the server: it reads the built site's
``access-manifest.json`` and fails closed (503 for every page) when there is none.
"""

from __future__ import annotations

import json
import logging
import os
import re
import secrets
import threading
import time
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal
from urllib.parse import quote, unquote

from portal.access import ACCESS_COOKIE, verify_access

from infra.local.events import HttpResponse
from infra.local.state import StateFileError
from site_builder.access import CATEGORY_PREFIX, MANIFEST_FILE, PUBLIC, SIGNED_IN, rule_for

logger = logging.getLogger("portal.local")

SIGN_IN_PATH = "/account/sign-in/"
NEEDS_CATEGORY_PATH = "/account/needs-category/"
# Channel team staff see every category.
STAFF_ROLE = "channel_team"
ACCESS_KEY_FILE = "access.key"
ACCESS_KEY_BYTES = 32

# Refused before decoding: dot segments and separators that are encoded, backslashes, and double
# encoding. CloudFront does not reliably resolve these before the function runs, and S3 or a
# browser may resolve them differently from us, so a path that could mean two things is refused.
_REFUSED_RAW = re.compile(r"\\|%2e|%2f|%5c|%25", re.IGNORECASE)
# decodeURIComponent throws on a "%" that does not start an escape; urllib's unquote keeps it.
_BAD_ESCAPE = re.compile(r"%(?![0-9A-Fa-f]{2})")
# Refused after decoding: control characters, empty segments and "." or ".." segments.
_REFUSED_DECODED = re.compile(r"[\x00-\x1f\x7f]|//|/\.\.?(?:/|\Z)")
# What encodeURIComponent leaves alone besides letters, digits and "-_.~".
_URI_COMPONENT_SAFE = "!'()*"


@dataclass(frozen=True)
class Decision:
    """What to do with one request: serve ``uri``, redirect to ``location``, or refuse with ``status``.

    Attributes:
        action: ``pass`` (serve ``uri``), ``redirect`` (301/302 to ``location``) or ``reject``.
        status: 200 for ``pass``; the HTTP status otherwise.
        uri: the path to serve (``/x/`` becomes ``/x/index.html``), still percent-encoded.
        location: the redirect target.
        message: why a request is refused (shown to the developer, not part of the rule).
    """

    action: Literal["pass", "redirect", "reject"]
    status: int
    uri: str = ""
    location: str = ""
    message: str = ""

    def as_result(self) -> dict[str, Any]:
        """The comparable part, in the shape the vectors and the node harness use."""
        if self.action == "pass":
            return {"action": "pass", "uri": self.uri}
        if self.action == "redirect":
            return {"action": "redirect", "status": self.status, "location": self.location}
        return {"action": "reject", "status": self.status}


def decode_path(uri: str) -> str | None:
    """The percent-decoded path, or None when the path is refused (see ``_REFUSED_RAW``)."""
    if not uri.startswith("/") or _REFUSED_RAW.search(uri) or _BAD_ESCAPE.search(uri):
        return None
    try:
        path = unquote(uri, errors="strict")
    except UnicodeDecodeError:
        return None
    return None if _REFUSED_DECODED.search(path) else path


def canonical_query(raw_query: str) -> str:
    """``?name=value&...`` as the edge function rebuilds it, or ``""`` when there is none.

    CloudFront gives the function the query already parsed (names and values still
    percent-encoded), so it is rebuilt: names in sorted order, each one's values in request order,
    ``name=value`` even when the request had no ``=``.
    """
    groups: dict[str, list[str]] = {}
    for part in raw_query.split("&"):
        if part:
            name, _, value = part.partition("=")
            groups.setdefault(name, []).append(value)
    pairs = [f"{name}={value}" for name in sorted(groups) for value in groups[name]]
    return "?" + "&".join(pairs) if pairs else ""


def parse_cookie_headers(headers: Iterable[str]) -> dict[str, list[str]]:
    """Every value of every cookie in ``Cookie`` headers, as CloudFront splits them.

    Pairs are split on ``;``; names and values are trimmed; a part without ``=`` or without a name
    is skipped; values are kept as sent (no unquoting, no percent-decoding).
    """
    cookies: dict[str, list[str]] = {}
    for header in headers:
        for part in header.split(";"):
            name, equals, value = part.partition("=")
            name = name.strip()
            if equals and name:
                cookies.setdefault(name, []).append(value.strip())
    return cookies


def _redirect(status: int, location: str) -> Decision:
    return Decision("redirect", status, location=location)


def decide(
    manifest: Mapping[str, Any],
    key: bytes,
    uri: str,
    raw_query: str,
    cookies: Mapping[str, Sequence[str]],
    now: int,
) -> Decision:
    """The edge function's answer to one viewer request.

    Args:
        manifest: the loaded ``access-manifest.json``.
        key: the access cookie's HMAC key.
        uri: the request path as received (percent-encoded, no query).
        raw_query: the query string as received, without ``?``.
        cookies: cookie name → its values (``parse_cookie_headers``).
        now: the current time in unix seconds.
    """
    # /api/* is another cache behaviour in CloudFront; the function never changes it.
    if uri.startswith("/api/"):
        return Decision("pass", 200, uri=uri)
    path = decode_path(uri)
    if path is None:
        return Decision("reject", 400, message="Bad request path")
    query = canonical_query(raw_query)
    # /x is a folder without its slash. The redirect reveals nothing, so it comes before the rule.
    last = path[path.rfind("/") + 1 :]
    if not path.endswith("/") and "." not in last:
        return _redirect(301, f"{uri}/{query}")
    rule = rule_for(manifest, path)
    passed = Decision("pass", 200, uri=uri + "index.html" if uri.endswith("/") else uri)
    if rule == PUBLIC:
        return passed
    claims = next((c for c in (verify_access(v, key, now) for v in cookies.get(ACCESS_COOKIE, ())) if c), None)
    after = quote(uri + query, safe=_URI_COMPONENT_SAFE)
    if claims is None:
        return _redirect(302, f"{SIGN_IN_PATH}?next={after}")
    if rule == SIGNED_IN:
        return passed
    if not rule.startswith(CATEGORY_PREFIX):
        # A rule this code does not know (from a newer build?) opens nothing.
        return Decision("reject", 403, message=f"Unknown access rule {rule!r}")
    slug = rule.removeprefix(CATEGORY_PREFIX)
    if claims.role == STAFF_ROLE or slug in claims.categories:
        return passed
    return _redirect(302, f"{NEEDS_CATEGORY_PATH}?category={quote(slug, safe=_URI_COMPONENT_SAFE)}&next={after}")


class ManifestError(ValueError):
    """``access-manifest.json`` is missing or is not a manifest the gate can apply."""


def load_manifest(path: Path) -> dict[str, Any]:
    """The manifest at ``path``, checked for the shape ``rule_for`` relies on.

    Raises:
        ManifestError: the file is missing, unreadable or malformed.
    """
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError as error:
        raise ManifestError(f"{path} is missing: the site was not built by the portal plugin") from error
    except (OSError, ValueError) as error:
        raise ManifestError(f"{path} cannot be read ({error})") from error
    if not (
        isinstance(manifest, dict)
        and isinstance(manifest.get("default"), str)
        and manifest["default"]
        and all(
            isinstance(manifest.get(part), dict)
            and all(isinstance(k, str) and isinstance(v, str) and v for k, v in manifest[part].items())
            for part in ("paths", "prefixes")
        )
    ):
        raise ManifestError(f"{path} is not an access manifest (default, paths and prefixes of rules)")
    return manifest


class AccessGate:
    """The access rule applied to the local server's static files, from the built site's manifest.

    The manifest is read again whenever the file changes (a rebuild beside a running server).
    Without a readable manifest every page is refused with 503: serving everything would show
    gated pages to anyone, so the gate fails closed and says why in the log and the page.

    Args:
        site_dir: the built site (holds ``access-manifest.json``).
        key: the access cookie's HMAC key.
    """

    def __init__(self, site_dir: Path, key: bytes) -> None:
        self.manifest_path = site_dir / MANIFEST_FILE
        self.key = key
        self._lock = threading.Lock()
        self._stamp: tuple[int, int] | None = None
        self._manifest: dict[str, Any] | None = None
        self._problem: str | None = None
        self._load()

    def decide(self, uri: str, raw_query: str, cookie_headers: Iterable[str], now: int | None = None) -> Decision:
        """The decision for one request to the static site (``now`` defaults to the clock)."""
        manifest = self._load()
        if manifest is None:
            return Decision("reject", 503, message=f"{self._problem}. Nothing is served until it is rebuilt.")
        moment = int(time.time()) if now is None else now
        return decide(manifest, self.key, uri, raw_query, parse_cookie_headers(cookie_headers), moment)

    def _load(self) -> dict[str, Any] | None:
        """The current manifest (re-read when the file changed), or None when there is none."""
        try:
            status = self.manifest_path.stat()
            stamp: tuple[int, int] | None = (status.st_mtime_ns, status.st_size)
        except OSError:
            stamp = None
        with self._lock:
            if stamp is not None and stamp == self._stamp:
                return self._manifest
            try:
                manifest = load_manifest(self.manifest_path)
            except ManifestError as error:
                if self._problem != str(error):
                    logger.error("Access gate: %s; every page answers 503 (fail closed)", error)
                self._manifest, self._problem, self._stamp = None, str(error), None
                return None
            if self._problem is not None:
                logger.info("Access gate: %s is back; pages are served again", self.manifest_path)
            self._manifest, self._problem, self._stamp = manifest, None, stamp
            return manifest


def decision_response(decision: Decision) -> HttpResponse:
    """The HTTP answer to a request the gate does not pass (redirects are never cached)."""
    headers = [("Cache-Control", "no-store")]
    if decision.action == "redirect":
        return HttpResponse(decision.status, [("Location", decision.location), *headers], b"")
    text = decision.message or {400: "Bad request path", 403: "Forbidden"}.get(decision.status, "Refused")
    headers.append(("Content-Type", "text/plain; charset=utf-8"))
    return HttpResponse(decision.status, headers, f"{text}\n".encode())


class AccessKeyError(StateFileError):
    """The saved access key cannot be used; deleting the file makes a new one on the next start."""


def load_or_create_key(state_dir: Path) -> bytes:
    """The local access-cookie key, kept in ``state_dir/access.key`` (hex, mode 600).

    Made on first start with ``secrets``; kept so cookies stay valid across restarts. It is a
    local secret only: production keeps its key in SSM and the edge's key value store.

    Raises:
        AccessKeyError: the file exists but does not hold a 32-byte hex key.
    """
    path = state_dir / ACCESS_KEY_FILE
    state_dir.mkdir(parents=True, exist_ok=True)
    try:
        # O_EXCL: two servers starting at once cannot both write a key.
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return _read_key(path)
    key = secrets.token_bytes(ACCESS_KEY_BYTES)
    with os.fdopen(descriptor, "w", encoding="ascii") as stream:
        stream.write(key.hex() + "\n")
    logger.info("Made a new access-cookie key in %s", path)
    return key


def _read_key(path: Path) -> bytes:
    """The key saved at ``path``; a file others can read is narrowed to mode 600 first."""
    mode = path.stat().st_mode & 0o777
    if mode & 0o077:
        logger.warning("%s was readable by others (mode %o); setting it to 600", path, mode)
        path.chmod(0o600)
    text = path.read_text(encoding="ascii", errors="replace").strip()
    try:
        key = bytes.fromhex(text)
    except ValueError:
        key = b""
    if len(key) != ACCESS_KEY_BYTES:
        raise AccessKeyError(
            f"{path}: not a {ACCESS_KEY_BYTES}-byte hex key; delete it and a new one is made on the next start"
        )
    return key
