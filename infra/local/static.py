"""Static files of the built site, served the way CloudFront and the edge function serve them."""

from __future__ import annotations

import mimetypes
import posixpath
from pathlib import Path
from urllib.parse import quote, unquote

from infra.local.events import HttpResponse

# Types the platform's mimetypes table gets wrong or lacks.
CONTENT_TYPES = {
    ".html": "text/html",
    ".js": "text/javascript",
    ".mjs": "text/javascript",
    ".css": "text/css",
    ".json": "application/json",
    ".map": "application/json",
    ".svg": "image/svg+xml",
    ".ics": "text/calendar",
    ".woff": "font/woff",
    ".woff2": "font/woff2",
    ".webmanifest": "application/manifest+json",
    ".xml": "application/xml",
    ".txt": "text/plain",
    ".csv": "text/csv",
    ".pdf": "application/pdf",
    ".gz": "application/gzip",
}
_CHARSET_TYPES = ("text/", "application/json", "application/xml", "image/svg+xml", "application/manifest+json")


class UnsafePath(ValueError):
    """The path tries to leave the site folder (``..``, encoded or not) or has forbidden bytes."""


def content_type(path: Path) -> str:
    """The Content-Type header for a file, with ``charset=utf-8`` on text types."""
    suffix = path.suffix.lower()
    guessed = CONTENT_TYPES.get(suffix) or mimetypes.guess_type(path.name)[0] or "application/octet-stream"
    return f"{guessed}; charset=utf-8" if guessed.startswith(_CHARSET_TYPES) else guessed


def safe_relative_path(raw_path: str) -> str:
    """The decoded path below the site root, refusing anything that could step outside it.

    Raises:
        UnsafePath: a ``..`` or ``.`` segment (also percent-encoded, even twice), a backslash or a NUL.
    """
    decoded = unquote(raw_path)
    # Decode once more: a double-encoded "%252e%252e" must not survive to a later decoder.
    for candidate in (decoded, unquote(decoded)):
        if "\\" in candidate or "\x00" in candidate:
            raise UnsafePath(raw_path)
        if any(segment in {".", ".."} for segment in candidate.split("/")):
            raise UnsafePath(raw_path)
    normalized = posixpath.normpath("/" + decoded.lstrip("/"))
    return normalized.lstrip("/")


class StaticSite:
    """The built site folder: ``/x/`` serves ``x/index.html``; no listings; 404 page on misses."""

    def __init__(self, root: Path) -> None:
        self.root = root.resolve()

    def respond(self, method: str, raw_path: str, raw_query: str = "") -> HttpResponse:
        """The response to ``GET``/``HEAD`` of ``raw_path`` (the body is dropped later for HEAD)."""
        if method not in {"GET", "HEAD"}:
            return HttpResponse(405, [("Allow", "GET, HEAD"), ("Content-Type", "text/plain; charset=utf-8")], b"")
        try:
            relative = safe_relative_path(raw_path)
        except UnsafePath:
            return HttpResponse(400, [("Content-Type", "text/plain; charset=utf-8")], b"Bad request path\n")
        target = self._inside(self.root / relative) if relative else self.root
        if target is not None and target.is_dir():
            if not raw_path.endswith("/"):
                # Like S3 website hosting: "/help" becomes "/help/", so relative links keep working.
                location = "/" + quote(relative) + "/" + (f"?{raw_query}" if raw_query else "")
                return HttpResponse(301, [("Location", location)], b"")
            target = self._inside(target / "index.html")
        if target is None or not target.is_file():
            return self.not_found()
        return self._file(200, target)

    def not_found(self) -> HttpResponse:
        """The site's own 404 page with status 404."""
        page = self.root / "404.html"
        if page.is_file():
            return self._file(404, page)
        return HttpResponse(404, [("Content-Type", "text/plain; charset=utf-8")], b"Not found\n")

    def _inside(self, path: Path) -> Path | None:
        """``path`` with symlinks resolved, or None when that lands outside the site folder."""
        resolved = path.resolve()
        return resolved if resolved == self.root or self.root in resolved.parents else None

    def _file(self, status: int, path: Path) -> HttpResponse:
        """A file response; HTML is revalidated on every load so a rebuild shows at once."""
        headers = [("Content-Type", content_type(path))]
        if path.suffix.lower() == ".html":
            headers.append(("Cache-Control", "no-cache"))
        return HttpResponse(status, headers, path.read_bytes())
