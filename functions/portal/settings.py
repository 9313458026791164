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
    # The SQS queue of Request New Password (the API sends to it, a worker reads it).
    reset_queue_url: str = ""
    help_message_max_chars: int = 5000
    # Request New Password: at most this many emails to one address in any window of this length,
    # whoever asks (more requests get the same answer and no email).
    reset_mail_limit: int = 3
    reset_mail_window_minutes: int = 15
    idempotency_ttl_hours: int = 24

    @property
    def site_origin(self) -> str:
        """``scheme://host[:port]`` of the site: the only Origin allowed to send writes."""
        scheme, _, rest = self.site_url.partition("://")
        return f"{scheme}://{rest.split('/', 1)[0]}"


@lru_cache(maxsize=1)
def access_key() -> bytes:
    """The HMAC key of the access cookie: ``PORTAL_ACCESS_KEY`` (hex) or the SSM parameter it names.

    In AWS the template sets ``PORTAL_ACCESS_KEY_PARAMETER`` to a SecureString parameter; the
    edge function reads the same key from its key value store.
    """
    value = os.environ.get("PORTAL_ACCESS_KEY")
    if not value:
        parameter = os.environ.get("PORTAL_ACCESS_KEY_PARAMETER")
        if not parameter:
            raise RuntimeError("Set PORTAL_ACCESS_KEY (hex) or PORTAL_ACCESS_KEY_PARAMETER (an SSM parameter name).")
        import boto3

        value = boto3.client("ssm").get_parameter(Name=parameter, WithDecryption=True)["Parameter"]["Value"]
    return bytes.fromhex(value)


@lru_cache(maxsize=1)
def settings() -> Settings:
    """Settings for this process, read at first use."""
    site_url = os.environ.get("PORTAL_SITE_URL", "http://127.0.0.1:8000/")
    return Settings(
        table_name=os.environ.get("PORTAL_TABLE", "PortalTable"),
        site_url=site_url if site_url.endswith("/") else site_url + "/",
        content_dir=os.environ.get("PORTAL_CONTENT_DIR") or None,
        reset_queue_url=os.environ.get("PORTAL_RESET_QUEUE_URL", ""),
    )
