"""Which paths are public, which need sign-in, which need a product category.

Every page says so in its front matter (``access: public``, ``access: signed-in`` or
``access: category:<slug>``; signed-in when absent). Files the build emits for a page or a
category (downloads, search indexes) are added with ``AccessMap.set``. After the build the map
is written to ``access-manifest.json``; the CDN's viewer-request function and the local server
decide every request from it, with the same lookup:

1. the exact path (``/x/index.html`` is looked up as ``/x/``);
2. otherwise the longest registered prefix among the path's parent folders;
3. otherwise the default, ``signed-in``.
"""

from __future__ import annotations

import json
from pathlib import Path

PUBLIC = "public"
SIGNED_IN = "signed-in"
CATEGORY_PREFIX = "category:"
MANIFEST_FILE = "access-manifest.json"


class AccessRuleError(ValueError):
    """An ``access`` value that is not one of the three forms, or names an unknown category."""


def parse_rule(value: object, category_slugs: set[str]) -> str:
    """Check an ``access`` value from front matter or data and return it in canonical form."""
    if value is None:
        return SIGNED_IN
    if not isinstance(value, str):
        raise AccessRuleError(f"access must be text (public, signed-in or category:<slug>), not {value!r}")
    rule = value.strip().lower()
    if rule in {PUBLIC, SIGNED_IN}:
        return rule
    if rule.startswith(CATEGORY_PREFIX):
        slug = rule.removeprefix(CATEGORY_PREFIX)
        if slug in category_slugs:
            return rule
        raise AccessRuleError(f'access names the category "{slug}", which is not in content/data/categories.yml')
    raise AccessRuleError(f'access is "{value}"; use public, signed-in or category:<slug>')


def lookup_key(path: str) -> str:
    """The manifest key for a request path: ``/x/index.html`` and ``/x/`` are one page."""
    return path[: -len("index.html")] if path.endswith("/index.html") else path


class AccessMap:
    """The access rule of every path the build emits."""

    def __init__(self, default: str = SIGNED_IN) -> None:
        self.default = default
        self.paths: dict[str, str] = {}
        self.prefixes: dict[str, str] = {}

    def set(self, path: str, rule: str) -> None:
        """Give one path (``/help/``, ``/resources/files/guide.pdf``) its rule."""
        if not path.startswith("/"):
            raise ValueError(f"paths start with '/': {path!r}")
        self.paths[lookup_key(path)] = rule

    def set_prefix(self, prefix: str, rule: str) -> None:
        """Give every path under the folder ``prefix`` (ending in '/') a rule, unless set exactly."""
        if not (prefix.startswith("/") and prefix.endswith("/")):
            raise ValueError(f"prefixes start and end with '/': {prefix!r}")
        self.prefixes[prefix] = rule

    def rule_for(self, path: str) -> str:
        """The rule for a request path, by the lookup described above."""
        return rule_for(self.as_manifest(), path)

    def as_manifest(self) -> dict:
        return {"version": 1, "default": self.default, "paths": self.paths, "prefixes": self.prefixes}

    def write(self, site_dir: Path) -> Path:
        target = site_dir / MANIFEST_FILE
        target.write_text(json.dumps(self.as_manifest(), sort_keys=True, separators=(",", ":")), encoding="utf-8")
        return target


def rule_for(manifest: dict, path: str) -> str:
    """The rule for ``path`` in a loaded manifest (the local server uses this on every request)."""
    key = lookup_key(path)
    exact = manifest["paths"].get(key)
    if exact:
        return exact
    folder = key if key.endswith("/") else key[: key.rfind("/") + 1]
    while folder:
        rule = manifest["prefixes"].get(folder)
        if rule:
            return rule
        if folder == "/":
            break
        folder = folder[: folder[:-1].rfind("/") + 1]
    return manifest["default"]
