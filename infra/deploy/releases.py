"""The record of the last releases, kept in the site bucket under ``_deploy/`` (never served).

Each release lists its files with their MD5, Content-Type and Cache-Control, so the next deploy
uploads only what changed and keeps the fingerprinted assets of the previous releases: a page
opened before the deploy still loads its scripts and styles afterwards.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

RELEASES_KEY = "_deploy/releases.json"
# The new release plus the assets of this many earlier ones stay in the bucket.
KEEP_PREVIOUS = 2


@dataclass(frozen=True)
class FileRecord:
    """One uploaded file as it is in the bucket."""

    md5: str
    content_type: str
    cache_control: str


@dataclass(frozen=True)
class Release:
    """One deploy of the site."""

    id: str
    created_at: str
    source: str
    files: dict[str, FileRecord] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "created_at": self.created_at,
            "source": self.source,
            "files": {key: [r.md5, r.content_type, r.cache_control] for key, r in sorted(self.files.items())},
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Release:
        return cls(
            id=str(data["id"]),
            created_at=str(data["created_at"]),
            source=str(data.get("source", "")),
            files={key: FileRecord(*values) for key, values in data["files"].items()},
        )


@dataclass(frozen=True)
class ReleaseHistory:
    """The releases in the bucket, newest first."""

    releases: tuple[Release, ...] = ()

    @property
    def latest(self) -> Release | None:
        return self.releases[0] if self.releases else None

    def kept_after(self, new: Release) -> ReleaseHistory:
        """The history once ``new`` is deployed: it and the ``KEEP_PREVIOUS`` before it."""
        return ReleaseHistory((new, *self.releases[:KEEP_PREVIOUS]))

    def previous_keys(self) -> set[str]:
        """Every file of the releases whose assets are still kept."""
        return {key for release in self.releases[:KEEP_PREVIOUS] for key in release.files}

    def to_bytes(self) -> bytes:
        return json.dumps({"version": 1, "releases": [r.to_json() for r in self.releases]}, indent=1).encode()

    @classmethod
    def from_bytes(cls, data: bytes | None) -> ReleaseHistory:
        """The history in ``data``; none (a first deploy) when there is no record or it is unreadable."""
        if not data:
            return cls()
        try:
            document = json.loads(data)
            return cls(tuple(Release.from_json(item) for item in document["releases"]))
        except (ValueError, KeyError, TypeError):
            # A damaged record only costs re-uploads and keeping fewer old assets: start afresh.
            return cls()
