"""Helpers shared by the tests: real-shaped events, sent emails, site builds."""

from __future__ import annotations

import json
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
EVENTS = Path(__file__).parent / "events"


def sent_emails() -> list:
    """Every email moto's SES accepted, parsed, oldest first."""
    from email import message_from_bytes, policy

    from moto.core import DEFAULT_ACCOUNT_ID
    from moto.ses.models import ses_backends

    backend = ses_backends[DEFAULT_ACCOUNT_ID]["us-east-1"]
    return [
        message_from_bytes(m.raw_data.encode() if isinstance(m.raw_data, str) else m.raw_data, policy=policy.default)
        for m in backend.sent_messages
        if hasattr(m, "raw_data")
    ]


def http_event(name: str, body: dict | str | None = None, headers: dict | None = None) -> dict:
    """A real-shaped API Gateway HTTP API v2 event from tests/events/, with a new body/headers."""
    event = json.loads((EVENTS / f"{name}.json").read_text())
    if body is not None:
        event["body"] = body if isinstance(body, str) else json.dumps(body)
    for key, value in (headers or {}).items():
        if value is None:
            event["headers"].pop(key, None)
        else:
            event["headers"][key] = value
    return event


class FakeContext:
    """Enough of a Lambda context for Powertools' logger."""

    function_name = "HelpFunction"
    function_version = "$LATEST"
    memory_limit_in_mb = 512
    invoked_function_arn = "arn:aws:lambda:us-east-1:123456789012:function:HelpFunction"
    aws_request_id = "test-request"

    @staticmethod
    def get_remaining_time_in_millis() -> int:
        return 10_000


def build_site(project: Path, site_dir: Path) -> Path:
    """Run a real ``mkdocs build`` of ``project``'s mkdocs.yml into ``site_dir``."""
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    config = load_config(str(project / "mkdocs.yml"), site_dir=str(site_dir))
    try:
        build(config)
    finally:
        config.plugins.on_shutdown()
    return site_dir


def copy_project(target: Path) -> Path:
    """A throwaway copy of the site's sources (content, mkdocs.yml, theme overrides) to break on purpose."""
    import shutil

    shutil.copytree(REPO / "content", target / "content")
    shutil.copy(REPO / "mkdocs.yml", target / "mkdocs.yml")
    (target / "site_builder").mkdir()
    (target / "site_builder" / "overrides").symlink_to(REPO / "site_builder" / "overrides")
    return target
