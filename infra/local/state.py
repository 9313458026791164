"""The local state file: DynamoDB items, sent emails and queued messages, so a restart keeps what people did.

Items are stored in DynamoDB's attribute-value JSON (what a low-level ``scan`` returns), with the
bytes of Binary values written as base64 so the file is plain JSON.
"""

from __future__ import annotations

import base64
import json
import os
import tempfile
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

FORMAT = "portal-local-state"
VERSION = 1


class StateFileError(ValueError):
    """The state file cannot be read; deleting it starts the portal with empty tables."""


@dataclass
class State:
    """What the local stack keeps between runs."""

    tables: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    emails: list[dict[str, Any]] = field(default_factory=list)
    # Per queue: the bodies of messages not yet handled (a file without them has none).
    queues: dict[str, list[str]] = field(default_factory=dict)


def load_state(path: Path) -> State:
    """The state saved at ``path`` (empty when there is no file yet).

    Raises:
        StateFileError: the file is not a state file this version can read.
    """
    if not path.exists():
        return State()
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        raise StateFileError(f"{path}: cannot read the state file ({error}); delete it to start fresh") from error
    if not isinstance(document, dict) or document.get("format") != FORMAT:
        raise StateFileError(f"{path}: not a portal state file; delete it to start fresh")
    if document.get("version") != VERSION:
        raise StateFileError(f"{path}: state version {document.get('version')} is not {VERSION}; delete it")
    try:
        tables = {
            name: [{key: decode_value(value) for key, value in item.items()} for item in items]
            for name, items in document.get("tables", {}).items()
        }
    except (AttributeError, KeyError, TypeError, ValueError) as error:
        raise StateFileError(f"{path}: a saved item is malformed ({error}); delete the file to start fresh") from error
    emails = document.get("emails", [])
    if not isinstance(emails, list) or not all(
        isinstance(record, dict) and isinstance(record.get("id"), str) and isinstance(record.get("raw"), str)
        for record in emails
    ):
        raise StateFileError(f"{path}: the saved emails are malformed; delete the file to start fresh")
    queues = document.get("queues", {})
    if not isinstance(queues, dict) or not all(
        isinstance(bodies, list) and all(isinstance(body, str) for body in bodies) for bodies in queues.values()
    ):
        raise StateFileError(f"{path}: the saved queue messages are malformed; delete the file to start fresh")
    return State(tables=tables, emails=emails, queues=queues)


def save_state(path: Path, state: State) -> None:
    """Write ``state`` to ``path`` atomically: a crash mid-write never leaves half a file."""
    document = {
        "format": FORMAT,
        "version": VERSION,
        "saved_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "tables": {
            name: [{key: encode_value(value) for key, value in item.items()} for item in items]
            for name, items in state.tables.items()
        },
        "emails": state.emails,
        "queues": state.queues,
    }
    path.parent.mkdir(parents=True, exist_ok=True)
    descriptor, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(descriptor, "w", encoding="utf-8") as stream:
            json.dump(document, stream, indent=1, sort_keys=True)
            stream.flush()
            os.fsync(stream.fileno())
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def encode_value(value: dict[str, Any]) -> dict[str, Any]:
    """A DynamoDB attribute value made JSON-safe (bytes → base64, recursively)."""
    ((kind, inner),) = value.items()
    if kind == "B":
        return {"B": base64.b64encode(inner).decode("ascii")}
    if kind == "BS":
        return {"BS": [base64.b64encode(member).decode("ascii") for member in inner]}
    if kind == "M":
        return {"M": {key: encode_value(member) for key, member in inner.items()}}
    if kind == "L":
        return {"L": [encode_value(member) for member in inner]}
    return {kind: inner}


def decode_value(value: dict[str, Any]) -> dict[str, Any]:
    """The inverse of ``encode_value``: base64 back to bytes, ready for ``put_item``."""
    ((kind, inner),) = value.items()
    if kind == "B":
        return {"B": base64.b64decode(inner, validate=True)}
    if kind == "BS":
        return {"BS": [base64.b64decode(member, validate=True) for member in inner]}
    if kind == "M":
        return {"M": {key: decode_value(member) for key, member in inner.items()}}
    if kind == "L":
        return {"L": [decode_value(member) for member in inner]}
    return {kind: inner}
