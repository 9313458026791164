"""The deploy's building blocks that touch the outside world: the site build, AWS clients, the key.

Each is small and separately replaceable in tests (moto for AWS, a tmp folder for the build).
"""

from __future__ import annotations

import secrets
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from infra.deploy.stack import StackInfo, read_stack

# botocore waits this long at most for AWS, so a dry run on a machine without AWS answers at once.
_QUICK = {"connect_timeout": 3, "read_timeout": 20, "retries": {"max_attempts": 2}}


class DeployError(RuntimeError):
    """The deploy stopped; the message says why and what to do."""


def build_site(repo: Path, site_dir: Path, site_url: str) -> Path:
    """Build the portal into ``site_dir`` (a fresh folder, so no runtime file is carried over).

    Raises:
        infra.local.site.SiteBuildError: the build failed.
    """
    from mkdocs.commands.build import build
    from mkdocs.exceptions import MkDocsException

    from infra.local.site import SiteBuildError, load_site_config

    config = load_site_config(repo, site_dir=str(site_dir), site_url=site_url)
    config.plugins.on_startup(command="build", dirty=False)
    try:
        build(config)
    except MkDocsException as error:
        raise SiteBuildError(str(error)) from error
    finally:
        config.plugins.on_shutdown()
    return site_dir


def source_revision(repo: Path) -> str:
    """The git commit being deployed (``+changes`` when the tree has uncommitted changes)."""
    try:
        commit = subprocess.run(
            ["git", "rev-parse", "HEAD"],  # noqa: S607 (git from PATH, fixed arguments)
            cwd=repo,
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
        dirty = subprocess.run(
            ["git", "status", "--porcelain"],  # noqa: S607 (git from PATH, fixed arguments)
            cwd=repo,
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "unknown (not a git checkout)"
    return commit + ("+changes" if dirty else "")


@dataclass
class Aws:
    """The boto3 clients a deploy uses, from one session (``--profile``, ``--region``)."""

    session: Any

    @classmethod
    def connect(cls, profile: str | None, region: str | None) -> Aws:
        """A session; raises botocore errors when the profile is unknown."""
        import boto3

        return cls(boto3.Session(profile_name=profile, region_name=region))

    def client(self, service: str, region: str | None = None) -> Any:
        from botocore.config import Config

        return self.session.client(service, region_name=region, config=Config(**_QUICK))

    def stack(self, name: str) -> StackInfo:
        return read_stack(self.client("cloudformation"), name)

    def global_client(self, service: str) -> Any:
        """CloudFront and its key value store are global; their API lives in us-east-1."""
        return self.client(service, region="us-east-1")


def read_access_key(ssm: Any, name: str) -> tuple[bytes, int] | None:
    """(key, version) of the SSM SecureString ``name``, or None when it does not exist."""
    from botocore.exceptions import ClientError

    try:
        parameter = ssm.get_parameter(Name=name, WithDecryption=True)["Parameter"]
    except ClientError as error:
        if error.response.get("Error", {}).get("Code") == "ParameterNotFound":
            return None
        raise
    try:
        return bytes.fromhex(parameter["Value"].strip()), int(parameter["Version"])
    except ValueError as error:
        raise DeployError(f"SSM parameter {name} does not hold a hex key") from error


def ensure_access_key(ssm: Any, name: str) -> tuple[bytes, int]:
    """The access-cookie key, created (32 random bytes, SecureString) when the stack has none yet."""
    found = read_access_key(ssm, name)
    if found is not None:
        return found
    ssm.put_parameter(
        Name=name,
        Description="HMAC key of the portal's access cookie (hex); the edge reads it from its key value store.",
        Value=secrets.token_hex(32),
        Type="SecureString",
        Overwrite=False,
    )
    created = read_access_key(ssm, name)
    if created is None:
        raise DeployError(f"SSM parameter {name} was created but cannot be read back")
    return created
