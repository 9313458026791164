"""Finding the repository and building the site with MkDocs' own Python API."""

from __future__ import annotations

import logging
import os
from pathlib import Path
from typing import Any

CONFIG_FILE = "mkdocs.yml"

logger = logging.getLogger("portal.local")


class RepositoryNotFound(LookupError):
    """No folder from here up to the filesystem root holds ``mkdocs.yml``."""


class SiteBuildError(RuntimeError):
    """MkDocs refused to build the site; the message says why (file, entry, field)."""


def find_repo_root(start: Path | None = None) -> Path:
    """The nearest folder at or above ``start`` (default: the working directory) with ``mkdocs.yml``.

    Raises:
        RepositoryNotFound: when there is none.
    """
    here = (start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        if (folder / CONFIG_FILE).is_file():
            return folder
    raise RepositoryNotFound(
        f"No {CONFIG_FILE} in {here} or any folder above it; run this inside the portal's repository."
    )


def load_site_config(repo_root: Path, **overrides: Any) -> Any:
    """The MkDocs configuration of the repository, with ``overrides`` (e.g. ``site_url``) applied.

    Raises:
        SiteBuildError: the configuration is invalid.
    """
    from mkdocs.config import load_config
    from mkdocs.exceptions import MkDocsException

    try:
        return load_config(config_file=str(repo_root / CONFIG_FILE), **overrides)
    except MkDocsException as error:
        raise SiteBuildError(_message(error)) from error


def configured_site_dir(repo_root: Path) -> Path:
    """Where ``mkdocs.yml`` says the built site goes (``site_dir``)."""
    return Path(load_site_config(repo_root)["site_dir"])


def build_site(repo_root: Path, site_url: str | None = None) -> Path:
    """Build the site into its configured ``site_dir`` and return that folder.

    ``site_url`` replaces the configured one, so canonical links point at the address being served.

    Raises:
        SiteBuildError: the build failed (strict-mode warnings, a plugin's data error, bad config).
    """
    # Material prints a notice about MkDocs 2.0 on every build; it says nothing about this site.
    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
    from mkdocs.commands.build import build
    from mkdocs.exceptions import MkDocsException

    overrides = {"site_url": site_url} if site_url else {}
    config = load_site_config(repo_root, **overrides)
    # The same plugin lifecycle as the ``mkdocs build`` command.
    config.plugins.on_startup(command="build", dirty=False)
    try:
        build(config)
    except MkDocsException as error:
        raise SiteBuildError(_message(error)) from error
    finally:
        config.plugins.on_shutdown()
    return Path(config["site_dir"])


def _message(error: Exception) -> str:
    """MkDocs' own message for an error (click exceptions keep it in ``format_message``)."""
    format_message = getattr(error, "format_message", None)
    return str(format_message() if callable(format_message) else error)
