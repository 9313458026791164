"""Where the runtime files of the site (status, inventory report) are replaced without a rebuild.

``LocalSite`` is the built site folder that ``portal serve`` serves; ``BucketSite`` is the S3
bucket CloudFront serves in AWS. Both write each file whole (a reader sees the old file or the
new one, never half), and the caller writes a pointer file last.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import Any, Protocol

# How long browsers and the CDN may keep each kind of file.
CACHE_SHORT = "public, max-age=30"  # status.json: a new notice shows within half a minute
CACHE_POINTER = "private, no-cache"  # inventory/current.json: always revalidated
CACHE_VERSIONED = "private, max-age=86400"  # a published report version never changes


class SiteTargetError(RuntimeError):
    """The site folder or bucket cannot be read or written; the message says which and why."""


class SiteTarget(Protocol):
    """A place that serves the built site."""

    def read(self, path: str) -> bytes | None: ...

    def write(self, path: str, data: bytes, content_type: str, cache_control: str) -> None: ...

    def describe(self) -> str: ...


class LocalSite:
    """The built site on this machine (``site_dir`` of mkdocs.yml, served by ``portal serve``)."""

    def __init__(self, root: Path) -> None:
        if not root.is_dir():
            raise SiteTargetError(f"No built site in {root}; run `portal serve` or `mkdocs build` first.")
        self.root = root

    def read(self, path: str) -> bytes | None:
        try:
            return (self.root / path).read_bytes()
        except FileNotFoundError:
            return None

    def write(self, path: str, data: bytes, content_type: str, cache_control: str) -> None:
        target = self.root / path
        target.parent.mkdir(parents=True, exist_ok=True)
        # Write beside the target, then rename: the server never serves a half-written file.
        handle, temporary = tempfile.mkstemp(dir=target.parent, prefix=".tmp-", suffix=target.suffix)
        try:
            with os.fdopen(handle, "wb") as stream:
                stream.write(data)
            os.chmod(temporary, 0o644)
            os.replace(temporary, target)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise

    def describe(self) -> str:
        return str(self.root)


class BucketSite:
    """The site's S3 bucket (optionally under a key prefix)."""

    def __init__(self, bucket: str, prefix: str = "", client: Any = None) -> None:
        import boto3

        self.bucket = bucket
        self.prefix = prefix.strip("/") + "/" if prefix.strip("/") else ""
        self.client = client or boto3.client("s3")

    def read(self, path: str) -> bytes | None:
        from botocore.exceptions import ClientError

        try:
            return self.client.get_object(Bucket=self.bucket, Key=self.prefix + path)["Body"].read()
        except ClientError as error:
            if error.response.get("Error", {}).get("Code") in {"NoSuchKey", "404"}:
                return None
            raise SiteTargetError(f"s3://{self.bucket}/{self.prefix}{path}: {error}") from error

    def write(self, path: str, data: bytes, content_type: str, cache_control: str) -> None:
        from botocore.exceptions import ClientError

        try:
            self.client.put_object(
                Bucket=self.bucket,
                Key=self.prefix + path,
                Body=data,
                ContentType=content_type,
                CacheControl=cache_control,
            )
        except ClientError as error:
            raise SiteTargetError(f"s3://{self.bucket}/{self.prefix}{path}: {error}") from error

    def describe(self) -> str:
        return f"s3://{self.bucket}/{self.prefix}".rstrip("/")


def add_target_options(parser: Any) -> None:
    """``--site-dir`` (local, the default) or ``--bucket`` (AWS) on a command's parser."""
    target = parser.add_mutually_exclusive_group()
    target.add_argument("--site-dir", type=Path, help="the built site folder (default: site_dir of mkdocs.yml)")
    target.add_argument("--bucket", help="the site's S3 bucket in AWS (uses your AWS credentials)")
    parser.add_argument("--prefix", default="", help="key prefix of the site inside the bucket (default: none)")


def open_target(args: Any) -> SiteTarget:
    """The target the options name.

    Raises:
        SiteTargetError: no such site folder (or no repository to find it in).
    """
    if args.bucket:
        return BucketSite(args.bucket, args.prefix)
    if args.site_dir is not None:
        return LocalSite(args.site_dir)
    from infra.local.site import RepositoryNotFound, SiteBuildError, configured_site_dir, find_repo_root

    try:
        return LocalSite(configured_site_dir(find_repo_root()))
    except (RepositoryNotFound, SiteBuildError) as error:
        raise SiteTargetError(str(error)) from error
