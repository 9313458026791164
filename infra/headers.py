"""The security headers every response of the portal carries.

One list, used by the local server for every answer and (when deployed) by the CloudFront
response headers policy, so what the tests see locally is what resellers get.
"""

from __future__ import annotations

SECURITY_HEADERS: tuple[tuple[str, str], ...] = (
    # Browsers ignore HSTS on plain-http localhost, so sending it locally is harmless.
    ("Strict-Transport-Security", "max-age=63072000; includeSubDomains"),
    ("X-Content-Type-Options", "nosniff"),
    ("X-Frame-Options", "DENY"),
    # No page needs to tell another site where a visitor came from, and the one-time-login page
    # must never leak its address: one strict policy for the whole site.
    ("Referrer-Policy", "no-referrer"),
    ("Content-Security-Policy", "frame-ancestors 'none'; base-uri 'self'; form-action 'self'; object-src 'none'"),
    ("Permissions-Policy", "camera=(), microphone=(), geolocation=(), payment=()"),
)
