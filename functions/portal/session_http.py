"""The HTTP side of being signed in: reading the session cookie and issuing the cookies that go with it."""

from __future__ import annotations

import time
from typing import Any

from portal.access import ACCESS_COOKIE, ACCESS_LIFETIME_SECONDS, AccessClaims, sign_access
from portal.identity import Identity
from portal.sessions import SESSION_COOKIE
from portal.web import clear_cookie, read_cookie, set_cookie

# Set and cleared with the session cookie, with the same lifetime; its value says nothing. The
# pages' scripts cannot see the HttpOnly session cookie: this one tells them whether asking
# GET /api/session is worth it, so a signed-out visit makes no request that is bound to fail.
SIGNED_IN_COOKIE = "__Host-portal_signed_in"


def session_cookie_value(event: Any) -> str | None:
    return read_cookie(event.raw_event if hasattr(event, "raw_event") else event, SESSION_COOKIE)


def has_signed_in_cookie(event: Any) -> bool:
    return read_cookie(event.raw_event if hasattr(event, "raw_event") else event, SIGNED_IN_COOKIE) is not None


def _session_pair(session_value: str, lifetime: int) -> list[str]:
    """The session cookie and the signed-in hint that the pages' scripts read, with one lifetime."""
    return [
        set_cookie(SESSION_COOKIE, session_value, lifetime),
        set_cookie(SIGNED_IN_COOKIE, "1", lifetime, script_readable=True),
    ]


def identity_body(identity: Identity) -> dict[str, Any]:
    """What the pages show about the signed-in person (never a hash or a token)."""
    from portal.wiring import catalog

    user, company = identity.user, identity.company
    names = {c.slug: c.name for c in catalog().categories}
    return {
        "user": {
            "id": user.id,
            "email": user.email,
            "title": user.title,
            "first_name": user.first_name,
            "last_name": user.last_name,
            "role": user.role.value,
            "role_label": user.role.label,
        },
        "company": {
            "id": company.id,
            "name": company.name,
            "categories": [{"slug": slug, "name": names.get(slug, slug)} for slug in company.categories],
        },
        "purpose": identity.session.purpose.value,
    }


def access_cookie(identity: Identity) -> str:
    """A fresh signed access cookie for the edge (10 minutes)."""
    from portal.sessions import SessionPurpose
    from portal.settings import access_key

    if identity.session.purpose != SessionPurpose.FULL:
        return clear_cookie(ACCESS_COOKIE)
    claims = AccessClaims(
        user_id=identity.user.id,
        company_id=identity.company.id,
        role=identity.user.role.value,
        categories=identity.company.categories,
        expires_at=int(time.time()) + ACCESS_LIFETIME_SECONDS,
    )
    return set_cookie(ACCESS_COOKIE, sign_access(claims, access_key()), ACCESS_LIFETIME_SECONDS)


def session_cookies(identity: Identity, session_value: str) -> list[str]:
    lifetime = max(0, identity.session.expires_at - int(time.time()))
    return [*_session_pair(session_value, lifetime), access_cookie(identity)]


def cleared_cookies() -> list[str]:
    return [clear_cookie(SESSION_COOKIE), clear_cookie(SIGNED_IN_COOKIE), clear_cookie(ACCESS_COOKIE)]


def set_password_cookies(session_value: str) -> list[str]:
    """The cookies of a one-time login: its session (15 minutes, can only set a password), no access."""
    return [*_session_pair(session_value, 15 * 60), clear_cookie(ACCESS_COOKIE)]
