"""The edge function's key value store, made from ``access-manifest.json`` and the access-cookie key.

A CloudFront Function cannot read files or call the network, and a key value store value holds
at most 1 KB, so the manifest is stored one rule per key:

| key | value |
| --- | --- |
| ``path:<path>`` (``path:/products/pos/``) | the page's rule |
| ``prefix:<folder>`` (``prefix:/assets/``) | the rule of everything below the folder |
| ``default`` | the rule of any other path |
| ``access-key`` | the HMAC key, hex |

Usage (writes the import file of ``CreateKeyValueStore``; it holds the key, so it is mode 600)::

    python -m infra.edge.manifest_to_kvs site/access-manifest.json --key-file .portal/access.key -o kvs.json

For a store that already exists, ``plan_update`` gives the ``UpdateKeys`` puts and deletes.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

PATH_KEY = "path:"
PREFIX_KEY = "prefix:"
DEFAULT_KEY = "default"
ACCESS_KEY = "access-key"
# CloudFront KeyValueStore limits.
MAX_KEY_BYTES = 512
MAX_VALUE_BYTES = 1024
MAX_STORE_BYTES = 5 * 1024 * 1024
MIN_ACCESS_KEY_BYTES = 32
_RULES = ("public", "signed-in")
_CATEGORY = "category:"


class KvsError(ValueError):
    """The manifest or key cannot be put in a key value store; the message says which entry."""


def _check_rule(where: str, rule: object) -> str:
    if not isinstance(rule, str) or not (rule in _RULES or (rule.startswith(_CATEGORY) and len(rule) > len(_CATEGORY))):
        raise KvsError(f"{where}: {rule!r} is not public, signed-in or category:<slug>")
    return rule


def kvs_items(manifest: Mapping[str, Any], key: bytes) -> list[dict[str, str]]:
    """Every key value store entry for ``manifest`` and ``key``, sorted by key.

    Raises:
        KvsError: the manifest is malformed, a rule is unknown, a key or value is over the store's
            limits, the whole is over 5 MB, or the access key is shorter than 32 bytes.
    """
    if not isinstance(manifest, Mapping) or manifest.get("version") != 1:
        raise KvsError("not an access manifest of version 1")
    if len(key) < MIN_ACCESS_KEY_BYTES:
        raise KvsError(f"the access key has {len(key)} bytes; use at least {MIN_ACCESS_KEY_BYTES}")
    entries = {DEFAULT_KEY: _check_rule("default", manifest.get("default")), ACCESS_KEY: key.hex()}
    for part, prefix, folder in (("paths", PATH_KEY, False), ("prefixes", PREFIX_KEY, True)):
        rules = manifest.get(part)
        if not isinstance(rules, Mapping):
            raise KvsError(f"{part} must be an object of path: rule")
        for path, rule in rules.items():
            if not isinstance(path, str) or not path.startswith("/") or (folder and not path.endswith("/")):
                raise KvsError(f"{part}: {path!r} must start with '/'" + (" and end with '/'" if folder else ""))
            entries[prefix + path] = _check_rule(f"{part} {path}", rule)
    total = 0
    for name, value in entries.items():
        size_key, size_value = len(name.encode()), len(value.encode())
        if size_key > MAX_KEY_BYTES:
            raise KvsError(f"{name[:80]}...: the key is {size_key} bytes; the store allows {MAX_KEY_BYTES}")
        if size_value > MAX_VALUE_BYTES:
            raise KvsError(f"{name}: the value is {size_value} bytes; the store allows {MAX_VALUE_BYTES}")
        total += size_key + size_value
    if total > MAX_STORE_BYTES:
        raise KvsError(f"the store would hold {total} bytes; the limit is {MAX_STORE_BYTES}")
    return [{"key": name, "value": entries[name]} for name in sorted(entries)]


def import_document(items: Sequence[Mapping[str, str]]) -> dict[str, list[dict[str, str]]]:
    """The import file that ``CreateKeyValueStore`` reads from S3: ``{"data": [{key, value}]}``."""
    return {"data": [{"key": item["key"], "value": item["value"]} for item in items]}


def plan_update(
    current: Mapping[str, str], items: Sequence[Mapping[str, str]]
) -> tuple[list[dict[str, str]], list[dict[str, str]]]:
    """The ``UpdateKeys`` ``Puts`` and ``Deletes`` that turn the store's ``current`` entries into ``items``.

    Apply the puts before uploading the new site and the deletes after it: a new page is then
    never served before its rule is in the store (it would get a looser prefix or default rule).
    """
    wanted = {item["key"]: item["value"] for item in items}
    puts = [{"Key": name, "Value": value} for name, value in sorted(wanted.items()) if current.get(name) != value]
    deletes = [{"Key": name} for name in sorted(current) if name not in wanted]
    return puts, deletes


def _read_key(args: argparse.Namespace) -> bytes:
    """The key from ``--key-file`` (hex) or the ``PORTAL_ACCESS_KEY`` variable (hex)."""
    text = args.key_file.read_text(encoding="ascii") if args.key_file else os.environ.get("PORTAL_ACCESS_KEY", "")
    try:
        return bytes.fromhex(text.strip())
    except ValueError as error:
        raise KvsError("the access key is not hex") from error


def main(argv: Sequence[str] | None = None) -> int:
    """Write the import file (or JSON lines with ``--jsonl``); returns the exit status."""
    parser = argparse.ArgumentParser(prog="manifest_to_kvs", description=__doc__.split("\n\n", 1)[0])
    parser.add_argument("manifest", type=Path, help="the built site's access-manifest.json")
    parser.add_argument("--key-file", type=Path, help="the access key in hex (default: $PORTAL_ACCESS_KEY)")
    parser.add_argument("--jsonl", action="store_true", help="one {key, value} object per line instead")
    parser.add_argument("-o", "--output", type=Path, help="file to write (mode 600); default: standard output")
    args = parser.parse_args(argv)
    try:
        manifest = json.loads(args.manifest.read_text(encoding="utf-8"))
        items = kvs_items(manifest, _read_key(args))
    except (OSError, ValueError) as error:
        print(f"manifest_to_kvs: {error}", file=sys.stderr)
        return 1
    if args.jsonl:
        text = "".join(json.dumps(item, sort_keys=True) + "\n" for item in items)
    else:
        text = json.dumps(import_document(items), indent=1) + "\n"
    if args.output is None:
        sys.stdout.write(text)
        return 0
    # The file carries the HMAC key: never readable by others, not even for a moment.
    descriptor = os.open(args.output, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    os.fchmod(descriptor, 0o600)
    with os.fdopen(descriptor, "w", encoding="utf-8") as stream:
        stream.write(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
