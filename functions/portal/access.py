"""The short-lived signed access cookie that the CDN edge checks before serving a gated page.

Format: ``<base64url(JSON claims)>.<base64url(HMAC-SHA256(key, first part))>`` with claims
``{"u": user id, "c": company id, "r": role, "k": [category slugs], "exp": unix seconds}``.
The edge function (``infra/edge/viewer_request.js``) and the local server verify it the same way.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import re
from dataclasses import dataclass

ACCESS_COOKIE = "__Host-portal_access"
ACCESS_LIFETIME_SECONDS = 600
# What ``sign_access`` produces. Anything else is refused before any work, exactly like the edge
# function does, so both accept the same cookies (and odd bytes never reach compare_digest).
_COOKIE_FORMAT = re.compile(r"[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+")
MAX_COOKIE_CHARS = 4096


@dataclass(frozen=True)
class AccessClaims:
    """What the edge needs to decide on a path: who, which company, which role and categories."""

    user_id: str
    company_id: str
    role: str
    categories: tuple[str, ...]
    expires_at: int


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def _refuse_constant(name: str) -> None:
    """JSON.parse has no NaN or Infinity, so neither does the cookie."""
    raise ValueError(f"{name} is not JSON")


def sign_access(claims: AccessClaims, key: bytes) -> str:
    """The cookie value for ``claims``."""
    payload = {"u": claims.user_id, "c": claims.company_id, "r": claims.role, "k": list(claims.categories)}
    payload["exp"] = claims.expires_at
    body = _b64(json.dumps(payload, separators=(",", ":"), sort_keys=True).encode())
    signature = _b64(hmac.new(key, body.encode(), hashlib.sha256).digest())
    return f"{body}.{signature}"


def verify_access(value: str, key: bytes, now: int) -> AccessClaims | None:
    """The claims of a genuine, unexpired cookie; None for anything else.

    The checks match ``infra/edge/viewer_request.js`` one for one (the shared test vectors in
    ``tests/edge/vectors.json`` prove it): the value must look like ``sign_access`` output, the
    signature must match, and the claims must have the types ``sign_access`` writes.

    Args:
        value: the cookie value as received.
        key: the HMAC key.
        now: the current time in unix seconds; the cookie is expired when ``exp <= now``.
    """
    if len(value) > MAX_COOKIE_CHARS or not _COOKIE_FORMAT.fullmatch(value):
        return None
    body, _, signature = value.partition(".")
    expected = _b64(hmac.new(key, body.encode(), hashlib.sha256).digest())
    if not hmac.compare_digest(expected.encode(), signature.encode()):
        return None
    try:
        # As the edge reads it: UTF-8 with replacement characters, and no NaN or Infinity.
        claims = json.loads(_unb64(body).decode("utf-8", "replace"), parse_constant=_refuse_constant)
    except ValueError:
        return None
    if not isinstance(claims, dict):
        return None
    user_id, company_id, role = claims.get("u"), claims.get("c"), claims.get("r")
    categories, expires_at = claims.get("k"), claims.get("exp")
    if not (isinstance(user_id, str) and isinstance(company_id, str) and isinstance(role, str)):
        return None
    if not (isinstance(categories, list) and all(isinstance(slug, str) for slug in categories)):
        return None
    # JSON has one number type: 5 and 5.0 are the same number to the edge function.
    if isinstance(expires_at, bool) or not isinstance(expires_at, int | float):
        return None
    if isinstance(expires_at, float) and not expires_at.is_integer():
        return None
    if expires_at <= now:
        return None
    return AccessClaims(user_id, company_id, role, tuple(categories), int(expires_at))
