"""Reading the editors' YAML files into validated models, shared by the site build and the API.

A bad value is a ``ContentError`` naming the file, the entry and the field. Dates stay text
until pydantic reads them, so ``2026-13-01`` is reported on its entry and field instead of
aborting the whole file; the C YAML parser is used when available, because a library of 10,000
resources is read on every build.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ValidationError


class ContentError(Exception):
    """A content file is missing or holds a value the portal cannot use.

    The message names the file, the entry and the field so an editor can fix it without
    reading Python.
    """

    def __init__(self, file: Path | str, problems: list[str]):
        self.file = str(file)
        self.problems = problems
        lines = "\n".join(f"  - {p}" for p in problems)
        super().__init__(f"{self.file}:\n{lines}")


_BaseLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_TIMESTAMP = "tag:yaml.org,2002:timestamp"


class ContentLoader(_BaseLoader):  # type: ignore[misc, valid-type]
    """Safe YAML loader that leaves dates as text for the models to check."""

    yaml_implicit_resolvers = {  # noqa: RUF012 (PyYAML's own class attribute, replaced not mutated)
        first: [(tag, regexp) for tag, regexp in resolvers if tag != _TIMESTAMP]
        for first, resolvers in _BaseLoader.yaml_implicit_resolvers.items()
    }


def read_data(path: Path) -> Any:
    """The YAML document in ``path``; a missing or unparsable file is a ContentError."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError as e:
        raise ContentError(path, ["the file is missing"]) from e
    try:
        return yaml.load(text, Loader=ContentLoader)  # noqa: S506 (a safe loader, see above)
    except yaml.YAMLError as e:
        raise ContentError(path, [f"is not valid YAML: {e}"]) from e


def describe(error: dict[str, Any], data: Any, labels: Sequence[str]) -> str:
    """Turn one pydantic error into 'entry 3 ("label"), field x.y: message'."""
    loc = list(error["loc"])
    parts = []
    if loc and isinstance(loc[0], int):
        index = loc.pop(0)
        entry = data[index] if isinstance(data, list) and index < len(data) else None
        label = next((entry[k] for k in labels if isinstance(entry, dict) and entry.get(k)), None)
        parts.append(f"entry {index + 1}" + (f' ("{label}")' if label else ""))
    if loc:
        # Positions inside a field count from 1, like entries: territories[2].states.
        path = ""
        for part in loc:
            path += f"[{part + 1}]" if isinstance(part, int) else ("." if path else "") + str(part)
        parts.append("field " + path)
    message = str(error["msg"]).removeprefix("Value error, ")
    return f"{', '.join(parts) or 'the file'}: {message}"


def parse_entries(
    path: Path,
    model: type[BaseModel],
    *,
    key: str = "id",
    labels: Sequence[str] = ("id", "slug"),
    context: dict[str, Any] | None = None,
    data: Any = None,
) -> tuple[Any, ...]:
    """Validate a YAML list of entries into models; a repeated ``key`` is an error too.

    Args:
        path: the file, named in every error.
        model: the pydantic model of one entry.
        key: the field that must be unique.
        labels: fields used to name an entry in errors, first present wins.
        context: passed to the model's validators (known categories, types...).
        data: the already loaded document; read from ``path`` when None.
    """
    data = read_data(path) if data is None else data
    if data is None:
        return ()
    if not isinstance(data, list):
        raise ContentError(path, ["should be a list of entries (each starting with '- ')"])
    items, problems = [], []
    for index, raw in enumerate(data):
        try:
            items.append(model.model_validate(raw, context=context))
        except ValidationError as e:
            problems += [describe({**err, "loc": (index, *err["loc"])}, data, labels) for err in e.errors()]
    seen: set[str] = set()
    for index, item in enumerate(items):
        value = getattr(item, key)
        if value in seen:
            problems.append(f'entry {index + 1} ("{value}"): field {key}: "{value}" is used by an earlier entry')
        seen.add(value)
    if problems:
        raise ContentError(path, problems)
    return tuple(items)
