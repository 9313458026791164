"""The local stack: the built site, ``/api/*`` and emulated AWS served from one process.

``LocalStack`` is imported lazily so ``portal --help`` stays fast.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from infra.local.stack import LocalStack

__all__ = ["LocalStack"]


def __getattr__(name: str) -> Any:
    if name == "LocalStack":
        from infra.local.stack import LocalStack

        return LocalStack
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
