"""The site build's side of reading content data: several files' errors reported together.

The loading itself (safe YAML, dates kept as text, errors naming file, entry and field) lives in
``portal.content_files``, shared with the API.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from portal.content_files import ContentError, ContentLoader, describe, parse_entries, read_data

__all__ = [
    "ContentError",
    "ContentErrors",
    "ContentLoader",
    "ErrorCollector",
    "describe",
    "known",
    "parse_entries",
    "read_data",
]


class ContentErrors(ContentError):
    """Problems in several files, reported together so an editor fixes them in one go."""

    def __init__(self, errors: Iterable[ContentError]):
        self.errors = list(errors)
        super().__init__(self.errors[0].file, [p for e in self.errors for p in e.problems])

    def __str__(self) -> str:
        return "\n".join(ContentError.__str__(e) for e in self.errors)


class ErrorCollector:
    """Runs loaders one after another and keeps every ContentError for one report."""

    def __init__(self) -> None:
        self.errors: list[ContentError] = []

    def run(self, loader: Any, *args: Any, default: Any = None, **kwargs: Any) -> Any:
        """``loader(*args, **kwargs)``, or ``default`` after recording its ContentError."""
        try:
            return loader(*args, **kwargs)
        except ContentErrors as e:
            self.errors += e.errors
        except ContentError as e:
            self.errors.append(e)
        return default

    def raise_if_any(self) -> None:
        if self.errors:
            raise self.errors[0] if len(self.errors) == 1 else ContentErrors(self.errors)


def known(value: str, allowed: Iterable[str], what: str, source: str) -> str:
    """``value`` when it is one of ``allowed``; otherwise a ValueError naming the choices."""
    choices = list(allowed)
    if value not in choices:
        shown = ", ".join(choices[:20]) + (", ..." if len(choices) > 20 else "")
        raise ValueError(f'unknown {what} "{value}"; use one of {source}: {shown}')
    return value
