"""The local HTTP server: one port for the site, ``/api/*`` and the outbox."""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlsplit

from infra.headers import SECURITY_HEADERS, site_security_headers
from infra.local.api import MAX_BODY_BYTES, ApiBridge, Functions
from infra.local.events import HttpResponse, IncomingRequest, json_response
from infra.local.gate import AccessGate, Decision, decision_response
from infra.local.outbox import Outbox
from infra.local.outbox_page import render_outbox_html, render_outbox_json
from infra.local.queues import QueuePump
from infra.local.routes import RouteTable
from infra.local.static import StaticSite

logger = logging.getLogger("portal.local")

OUTBOX_PATH = "/_outbox/"
OUTBOX_JSON_PATH = "/_outbox.json"
# Up to this much of a refused body is drained, so the client gets the 413 instead of a reset.
_MAX_DISCARDED_BYTES = 16 * MAX_BODY_BYTES


class PortalServer(ThreadingHTTPServer):
    """Serves the site from threads; API calls and outbox reads take turns on one lock.

    The port is bound at construction (so its number is known early); ``mount`` supplies what to
    serve before ``serve_forever`` starts.
    """

    daemon_threads = True

    def __init__(self, address: tuple[str, int], after_write: Callable[[], None]) -> None:
        super().__init__(address, PortalRequestHandler)
        self.site = StaticSite(Path(__file__).parent / "no-site")
        # Until mount() there is no gate, and without one no page is served (fail closed).
        self.gate: AccessGate | None = None
        self.api = ApiBridge(RouteTable([]), Functions({}))
        self.outbox = Outbox()
        # Delivers queued messages to their functions (Lambda's SQS event sources); none until mount().
        self.queues: QueuePump | None = None
        # Called after a request that may have changed data: the state file is saved soon after.
        self.after_write = after_write
        # moto's backends are not made for concurrent use, so emulated AWS sees one request at a time.
        self.aws_lock = threading.RLock()
        # Set by stop_serving(): a connection kept open by a browser may still bring a request after
        # the stack began to close (emulated AWS stopping, environment restored); it gets a 503.
        self.stopping = False
        # The CSP allows the mounted site's inline scripts by hash, as CloudFront's policy does.
        self.security_headers = SECURITY_HEADERS

    def mount(
        self, site: StaticSite, api: ApiBridge, outbox: Outbox, gate: AccessGate, queues: QueuePump | None = None
    ) -> None:
        """What to serve: the built site behind its access gate, the API bridge, the outbox, the queues."""
        self.site, self.api, self.outbox, self.gate, self.queues = site, api, outbox, gate, queues
        self.security_headers = site_security_headers(site.root)

    def stop_serving(self) -> None:
        """Answer no more requests; returns once no API call or queued delivery is running."""
        with self.aws_lock:
            self.stopping = True

    def deliver_queued(self) -> None:
        """Hand queued messages to their functions now, and save the state when any were handled."""
        if self.queues is None:
            return
        with self.aws_lock:
            if self.stopping:
                return
            if self.queues.drain():
                self.after_write()


class PortalRequestHandler(BaseHTTPRequestHandler):
    """Routes each request to the API bridge, the outbox or the static site."""

    server: PortalServer
    protocol_version = "HTTP/1.1"
    server_version = "PortalLocal/1"

    def do_GET(self) -> None:
        self._serve()

    def do_HEAD(self) -> None:
        self._serve()

    def do_POST(self) -> None:
        self._serve()

    def do_PUT(self) -> None:
        self._serve()

    def do_PATCH(self) -> None:
        self._serve()

    def do_DELETE(self) -> None:
        self._serve()

    def do_OPTIONS(self) -> None:
        self._serve()

    def _serve(self) -> None:
        """Answer one request and log one line about it."""
        started = time.monotonic()
        parts = urlsplit(self.path)
        path = parts.path or "/"
        if self.server.stopping:
            self._stopping()
            return
        try:
            if path == "/api" or path.startswith("/api/"):
                response = self._api(path, parts.query)
            elif path in {OUTBOX_PATH, OUTBOX_JSON_PATH, OUTBOX_PATH.rstrip("/")}:
                response = self._outbox(path)
            else:
                self._discard_body()
                response = self._static(path, parts.query)
        except Exception:
            # E.g. the state file could not be written: say so in the log, answer a plain 500.
            logger.exception("Local server failed on %s %s", self.command, self.path)
            self.close_connection = True
            response = HttpResponse(500, [("Content-Type", "text/plain; charset=utf-8")], b"Internal Server Error\n")
        self._write(response)
        if self.command not in {"GET", "HEAD"} and (path == "/api" or path.startswith("/api/")):
            # After the answer is written, as Lambda polls the queue apart from the API's request.
            self._deliver_queued()
        logger.info(
            '%s "%s %s" %s %s %.0fms',
            self.client_address[0],
            self.command,
            self.path,
            response.status,
            len(response.body),
            (time.monotonic() - started) * 1000,
        )

    def _stopping(self) -> None:
        """A request that came in over a kept-open connection while the stack closes."""
        self._discard_body()
        self.close_connection = True
        self._write(
            HttpResponse(503, [("Content-Type", "text/plain; charset=utf-8")], b"The local portal is stopping\n")
        )

    def _deliver_queued(self) -> None:
        try:
            self.server.deliver_queued()
        except Exception:
            logger.exception("Local server failed to deliver queued messages")

    def _static(self, path: str, query: str) -> HttpResponse:
        """A site file, if the access gate (the edge function's rule) lets the request through."""
        gate = self.server.gate
        if gate is None:
            return decision_response(Decision("reject", 503, message="The site is not mounted yet"))
        decision = gate.decide(path, query, self.headers.get_all("Cookie") or [])
        if decision.action != "pass":
            return decision_response(decision)
        return self.server.site.respond(self.command, decision.uri, query)

    def _api(self, path: str, query: str) -> HttpResponse:
        """Hand the request to the bridge; have the state saved when it may have written something."""
        if "chunked" in self.headers.get("Transfer-Encoding", "").lower():
            self.close_connection = True
            return json_response(411, {"message": "Send a Content-Length with the request body"})
        try:
            length = int(self.headers.get("Content-Length") or 0)
        except ValueError:
            self.close_connection = True
            return json_response(400, {"message": "Invalid Content-Length"})
        if length > MAX_BODY_BYTES:
            self._discard_body()
            return json_response(413, {"message": f"Request body is larger than {MAX_BODY_BYTES} bytes"})
        request = IncomingRequest(
            method=self.command,
            raw_path=path,
            raw_query=query,
            headers=list(self.headers.items()),
            body=self.rfile.read(length) if length > 0 else b"",
            source_ip=self.client_address[0],
            protocol=self.request_version,
        )
        with self.server.aws_lock:
            if self.server.stopping:
                self.close_connection = True
                return json_response(503, {"message": "The local portal is stopping"})
            response = self.server.api.handle(request)
            if self.command not in {"GET", "HEAD"}:
                self.server.after_write()
        return response

    def _outbox(self, path: str) -> HttpResponse:
        """The outbox page or its JSON (local server only)."""
        self._discard_body()
        if self.command not in {"GET", "HEAD"}:
            return HttpResponse(405, [("Allow", "GET, HEAD")])
        if path == OUTBOX_PATH.rstrip("/"):
            return HttpResponse(301, [("Location", OUTBOX_PATH)])
        # Whatever is still queued (e.g. the email of a request answered a moment ago) is sent first.
        self._deliver_queued()
        with self.server.aws_lock:
            if self.server.stopping:
                self.close_connection = True
                return HttpResponse(
                    503, [("Content-Type", "text/plain; charset=utf-8")], b"The local portal is stopping\n"
                )
            self.server.outbox.collect()
            messages = self.server.outbox.emails()
        if path == OUTBOX_JSON_PATH:
            return HttpResponse(
                200,
                [("Content-Type", "application/json"), ("Cache-Control", "no-cache")],
                render_outbox_json(messages).encode(),
            )
        return HttpResponse(
            200,
            [("Content-Type", "text/html; charset=utf-8"), ("Cache-Control", "no-cache")],
            render_outbox_html(messages).encode(),
        )

    def _discard_body(self) -> None:
        """Read and drop a body nobody uses, so the client can read our answer and reuse the connection."""
        length = self.headers.get("Content-Length", "")
        remaining = int(length) if length.isdigit() else 0
        if remaining > _MAX_DISCARDED_BYTES or (
            not length.isdigit() and (length or self.headers.get("Transfer-Encoding"))
        ):
            # Too big (or unknown) to drain: closing is all we can do; the client may see a reset.
            self.close_connection = True
            return
        while remaining > 0:
            chunk = self.rfile.read(min(remaining, 65536))
            if not chunk:
                break
            remaining -= len(chunk)

    def _write(self, response: HttpResponse) -> None:
        """Send status, headers and (except for HEAD) the body."""
        self.send_response_only(response.status)
        self.send_header("Date", self.date_time_string())
        own = {name.lower() for name, _ in response.headers}
        for name, value in response.headers:
            if name.lower() not in {"content-length", "connection", "transfer-encoding"}:
                self.send_header(name, value)
        for name, value in self.server.security_headers:
            if name.lower() not in own:
                self.send_header(name, value)
        self.send_header("Content-Length", str(len(response.body)))
        if self.close_connection:
            self.send_header("Connection", "close")
        self.end_headers()
        if self.command != "HEAD":
            try:
                self.wfile.write(response.body)
            except (BrokenPipeError, ConnectionResetError):
                # The browser went away mid-answer (a cancelled load): nothing to tell anyone.
                self.close_connection = True

    def log_message(self, format: str, *args: object) -> None:
        """Route the stdlib's own messages (bad request lines, timeouts) to the portal's log."""
        logger.warning("%s %s", self.client_address[0], format % args)
