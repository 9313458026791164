"""Settings read once from the environment that the SAM template (or the local stack) sets."""

from __future__ import annotations

import os
from dataclasses import dataclass
from functools import lru_cache


@dataclass(frozen=True)
class Settings:
    """Names of resources and the portal's public address."""

    table_name: str
    site_url: str
    content_dir: str | None
    help_message_max_chars: int = 5000
    idempotency_ttl_hours: int = 24


@lru_cache(maxsize=1)
def settings() -> Settings:
    """Settings for this process, read at first use."""
    site_url = os.environ.get("PORTAL_SITE_URL", "http://127.0.0.1:8000/")
    return Settings(
        table_name=os.environ.get("PORTAL_TABLE", "PortalTable"),
        site_url=site_url if site_url.endswith("/") else site_url + "/",
        content_dir=os.environ.get("PORTAL_CONTENT_DIR") or None,
    )
