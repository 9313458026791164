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


def unreadable(path: Path, problem: str) -> StateFileError:
    """The error for a state file that cannot be used: which file, what is wrong, what to do."""
    return StateFileError(
        f"{path}: {problem}. Move it aside to keep it (mv {path} {path}.broken) or delete it, "
        "then start again with empty tables; `make clean` removes all local data."
    )


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
        raise unreadable(path, f"cannot read the state file ({error})") from error
    if not isinstance(document, dict) or document.get("format") != FORMAT:
        raise unreadable(path, "not a portal state file")
    if document.get("version") != VERSION:
        raise unreadable(path, f"state version {document.get('version')} is not {VERSION}")
    try:
        tables = {
            name: [{key: decode_value(value) for key, value in item.items()} for item in items]
            for name, items in document.get("tables", {}).items()
        }
    except (AttributeError, KeyError, TypeError, ValueError) as error:
        raise unreadable(path, f"a saved item is malformed ({error})") from error
    emails = document.get("emails", [])
    if not isinstance(emails, list) or not all(
        isinstance(record, dict) and isinstance(record.get("id"), str) and isinstance(record.get("raw"), str)
        for record in emails
    ):
        raise unreadable(path, "the saved emails are malformed")
    queues = document.get("queues", {})
    if not isinstance(queues, dict) or not all(
        isinstance(bodies, list) and all(isinstance(body, str) for body in bodies) for bodies in queues.values()
    ):
        raise unreadable(path, "the saved queue messages are malformed")
    return State(tables=tables, emails=emails, queues=queues)


def save_state(path: Path, state: State) -> None:
    """Write ``state`` to ``path`` atomically: a crash mid-write never leaves half a file.

    The new content goes to a temporary file beside ``path``, is flushed to disk, then renamed over
    ``path``; the folder is flushed too, so the rename itself survives a power cut.
    """
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
    _sync_folder(path.parent)


def _sync_folder(folder: Path) -> None:
    """Flush a folder's entries (a rename) to disk, where the system allows opening folders."""
    try:
        descriptor = os.open(folder, os.O_RDONLY)
    except OSError:
        return  # e.g. Windows: folders cannot be opened; the rename is as durable as the system makes it
    try:
        os.fsync(descriptor)
    except OSError:
        pass  # some file systems refuse fsync on a folder; the file's own content is already flushed
    finally:
        os.close(descriptor)


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
