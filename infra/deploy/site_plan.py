"""What a deploy does to the site bucket: uploads, kept files, deletions and CDN invalidations.

Pure planning (no AWS): ``plan_site`` compares the built site with what the bucket holds.

* Content-Type comes from the local server's table (``infra.local.static.content_type``), so a
  file is typed the same locally and in AWS.
* Cache-Control: HTML and JSON revalidate (``no-cache``); Material's fingerprinted assets
  (``assets/**/name.<8 hex>.min.js|css``) are immutable for a year; other files may be kept five
  minutes (``private`` when the access manifest gates them). The runtime files keep the values
  their commands use (``infra.site_files``).
* The runtime files (``status.json``, the inventory report) are changed while the site runs by
  ``portal status`` and ``portal inventory publish``: a deploy never overwrites a posted notice or
  a published report newer than the one in ``content/``, and never deletes the report files the
  bucket's pointer names.
* Files of the old release that the new one lacks are deleted, except the fingerprinted assets of
  the previous releases (``releases.KEEP_PREVIOUS``), which open pages still load.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote

from infra.deploy.releases import RELEASES_KEY, FileRecord, Release, ReleaseHistory
from infra.local.static import content_type
from infra.site_files import CACHE_POINTER, CACHE_SHORT, CACHE_VERSIONED
from site_builder.access import MANIFEST_FILE, PUBLIC, rule_for
from site_builder.inventory import POINTER
from site_builder.status import STATUS_PATH, ServiceStatus, StatusError

CACHE_IMMUTABLE = "public, max-age=31536000, immutable"
CACHE_REVALIDATE = "no-cache"
CACHE_BRIEF_PUBLIC = "public, max-age=300"
CACHE_BRIEF_PRIVATE = "private, max-age=300"
# More changed paths than this are invalidated as one "/*" (it counts as one path).
MAX_INVALIDATION_PATHS = 20
REQUIRED_FILES = ("index.html", "404.html", MANIFEST_FILE)
DEPLOY_PREFIX = RELEASES_KEY.split("/", 1)[0] + "/"

_FINGERPRINTED = re.compile(r"^assets/(?:.+/)?[^/]+\.[0-9a-f]{8}\.min\.(?:js|css)(?:\.map)?$")
_INVENTORY_VERSION = re.compile(r"^library/[^/]+/inventory/[^/]+\.json$")
_REVALIDATED_SUFFIXES = (".html", ".json")


class SitePlanError(ValueError):
    """The built site cannot be deployed as it is; the message says why."""


@dataclass(frozen=True)
class Upload:
    """One file to put in the bucket."""

    key: str
    path: Path
    record: FileRecord
    reason: str  # "new" or "changed"


@dataclass(frozen=True)
class BucketState:
    """What the bucket holds; ``known=False`` when it could not be read (a dry run without AWS)."""

    objects: dict[str, str] = field(default_factory=dict)  # key -> MD5 (the ETag of a plain upload)
    status: bytes | None = None
    pointer: bytes | None = None
    history: ReleaseHistory = field(default_factory=ReleaseHistory)
    known: bool = True


@dataclass(frozen=True)
class SitePlan:
    """Everything a deploy does to the bucket and the CDN, in the order it does it."""

    uploads: tuple[Upload, ...]
    unchanged: tuple[str, ...]
    deletions: tuple[str, ...]
    kept_assets: tuple[str, ...]
    kept_runtime: tuple[str, ...]
    invalidation_paths: tuple[str, ...]
    history: ReleaseHistory
    manifest: dict


def is_fingerprinted(key: str) -> bool:
    """Whether the name carries a content hash (Material's bundles and styles, their source maps)."""
    return bool(_FINGERPRINTED.match(key))


def cache_control(key: str, rule: str) -> str:
    """The Cache-Control of a site file, given its access rule."""
    if key == STATUS_PATH:
        return CACHE_SHORT
    if key == POINTER:
        return CACHE_POINTER
    if _INVENTORY_VERSION.match(key):
        return CACHE_VERSIONED
    if is_fingerprinted(key):
        return CACHE_IMMUTABLE
    if key.endswith(_REVALIDATED_SUFFIXES):
        return CACHE_REVALIDATE
    return CACHE_BRIEF_PUBLIC if rule == PUBLIC else CACHE_BRIEF_PRIVATE


def _pointer(data: bytes | None) -> tuple[dt.date, list[str]] | None:
    """(as_of, the version files it names) of an inventory pointer, or None when absent or unreadable."""
    try:
        pointer = json.loads(data or b"")
        version = pointer["version"]
        return dt.date.fromisoformat(pointer["as_of"]), [
            f"library/{category}/inventory/{version}.json" for category in pointer["categories"]
        ]
    except (ValueError, KeyError, TypeError):
        return None


def runtime_choice(site_dir: Path, bucket: BucketState) -> tuple[set[str], set[str]]:
    """(built files not to upload, bucket files never to delete) for the runtime files.

    The rules of the build's own carry-over (``site_builder.library.carry_over``), applied to the
    bucket: a valid posted status stays; a published report stays when it is newer than the built one.
    """
    skip: set[str] = set()
    protected = {STATUS_PATH, POINTER}
    if bucket.status is not None:
        try:
            ServiceStatus.from_bytes(bucket.status)
            skip.add(STATUS_PATH)
        except StatusError:
            pass  # A damaged file is replaced by the build's "all clear", as a rebuild does.
    remote = _pointer(bucket.pointer)
    built_path = site_dir / POINTER
    built = _pointer(built_path.read_bytes()) if built_path.is_file() else None
    if remote is not None:
        protected.update(remote[1])
        if built is None or remote[0] > built[0]:
            skip.add(POINTER)
            skip.update(built[1] if built else [])
    return skip, protected


def _md5(path: Path) -> str:
    digest = hashlib.md5(usedforsecurity=False)
    with path.open("rb") as stream:
        for chunk in iter(lambda: stream.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _phase(key: str) -> int:
    """Upload order: assets first, pages after what they load, the runtime files' pointers last."""
    if is_fingerprinted(key):
        return 0
    if _INVENTORY_VERSION.match(key):
        return 3
    if key == POINTER:
        return 4
    if key == STATUS_PATH:
        return 5
    return 2 if key.endswith(".html") else 1


def invalidation_paths(changed: list[str], known: bool) -> tuple[str, ...]:
    """The CDN paths to invalidate for changed or deleted keys; ``/*`` when many or unknown."""
    if not known:
        return ("/*",)
    paths: set[str] = set()
    for key in changed:
        paths.add("/" + key)
        if key == "index.html" or key.endswith("/index.html"):
            paths.add("/" + key[: -len("index.html")])
    if len(paths) > MAX_INVALIDATION_PATHS:
        return ("/*",)
    return tuple(sorted(quote(path, safe="/*-._~") for path in paths))


def plan_site(site_dir: Path, bucket: BucketState, release_id: str, created_at: str, source: str) -> SitePlan:
    """The plan that turns the bucket into the built ``site_dir``.

    Raises:
        SitePlanError: the site lacks a file the CDN needs, or its access manifest is unreadable.
    """
    missing = [name for name in REQUIRED_FILES if not (site_dir / name).is_file()]
    if missing:
        raise SitePlanError(f"{site_dir} is not a built portal site: {', '.join(missing)} missing")
    try:
        manifest = json.loads((site_dir / MANIFEST_FILE).read_text(encoding="utf-8"))
    except ValueError as error:
        raise SitePlanError(f"{site_dir / MANIFEST_FILE}: {error}") from error
    skip, protected = runtime_choice(site_dir, bucket)
    latest = bucket.history.latest
    files: dict[str, FileRecord] = {}
    uploads: list[Upload] = []
    unchanged: list[str] = []
    for path in sorted(p for p in site_dir.rglob("*") if p.is_file()):
        key = path.relative_to(site_dir).as_posix()
        if key in skip or key.startswith(DEPLOY_PREFIX):
            continue
        record = FileRecord(_md5(path), content_type(path), cache_control(key, rule_for(manifest, "/" + key)))
        files[key] = record
        in_bucket = bucket.objects.get(key)
        if bucket.known and in_bucket == record.md5 and latest is not None and latest.files.get(key) == record:
            unchanged.append(key)
        else:
            uploads.append(Upload(key, path, record, "changed" if in_bucket is not None else "new"))
    uploads.sort(key=lambda upload: (_phase(upload.key), upload.key))
    previous = bucket.history.previous_keys()
    deletions: list[str] = []
    kept_assets: list[str] = []
    for key in sorted(bucket.objects):
        if key in files or key in protected or key.startswith(DEPLOY_PREFIX):
            continue
        if is_fingerprinted(key) and key in previous:
            kept_assets.append(key)
        else:
            deletions.append(key)
    changed = [u.key for u in uploads if u.reason == "changed" and u.record.cache_control != CACHE_IMMUTABLE]
    release = Release(release_id, created_at, source, files)
    return SitePlan(
        uploads=tuple(uploads),
        unchanged=tuple(unchanged),
        deletions=tuple(deletions),
        kept_assets=tuple(kept_assets),
        kept_runtime=tuple(sorted(skip & {STATUS_PATH, POINTER})),
        invalidation_paths=invalidation_paths(changed + deletions, bucket.known),
        history=bucket.history.kept_after(release),
        manifest=manifest,
    )
