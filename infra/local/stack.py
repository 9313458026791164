"""``LocalStack``: the whole local portal (site, API, emulated AWS, outbox) in one object."""

from __future__ import annotations

import logging
import threading
from contextlib import AbstractContextManager
from pathlib import Path
from types import TracebackType
from typing import Any

from infra.local.api import ApiBridge, Functions
from infra.local.aws import EmulatedAws, patched_environment
from infra.local.gate import AccessGate, load_or_create_key
from infra.local.outbox import Outbox
from infra.local.queues import QueuePump
from infra.local.routes import RouteTable
from infra.local.saving import DEFAULT_SAVE_DELAY_MS, DebouncedSaver
from infra.local.server import OUTBOX_PATH, PortalServer
from infra.local.site import build_site, configured_site_dir
from infra.local.state import State, load_state, save_state
from infra.local.static import StaticSite
from infra.local.template import Template, load_template, resolve_environment

logger = logging.getLogger("portal.local")

DEFAULT_STATE_FILE = Path(".portal/state.json")


class CannotListen(OSError):
    """The address is in use or not available on this machine."""


def local_parameters(repo_root: Path, site_url: str) -> dict[str, str]:
    """Local values of the template's parameters (a parameter not listed here uses its Default)."""
    return {"SiteUrl": site_url, "ContentDir": str(repo_root / "content")}


class LocalStack:
    """The local portal on one port; use ``with LocalStack(...) as stack`` to serve in the background.

    Args:
        repo_root: the repository (holds mkdocs.yml, content/ and infra/template.yaml).
        state_path: the state file; relative paths are below ``repo_root``.
        host: the address to listen on.
        port: the port; 0 picks a free one (see ``url`` once started).
        site_dir: an already built site to serve; by default mkdocs.yml's ``site_dir``.
        build: build the site (with MkDocs) before serving.
        template_path: the SAM template; by default ``infra/template.yaml``.
        save_delay_ms: after a write, save the state file within this many milliseconds (the
            window's other writes join that save); 0 saves after every write, before answering.
    """

    def __init__(
        self,
        repo_root: Path,
        state_path: Path = DEFAULT_STATE_FILE,
        host: str = "127.0.0.1",
        port: int = 8000,
        *,
        site_dir: Path | None = None,
        build: bool = False,
        template_path: Path | None = None,
        save_delay_ms: int = DEFAULT_SAVE_DELAY_MS,
    ) -> None:
        self.repo_root = repo_root.resolve()
        self.state_path = self.repo_root / state_path
        self.host = host
        self.port = port
        self.site_dir = site_dir
        self.build = build
        self.template_path = template_path or self.repo_root / "infra" / "template.yaml"
        self.aws: EmulatedAws | None = None
        # The access-cookie key (set by open()): the API signs with it, the gate verifies with it.
        self.access_key: bytes | None = None
        self.outbox = Outbox()
        self._server: PortalServer | None = None
        self._thread: threading.Thread | None = None
        self._poller: threading.Thread | None = None
        self._stop_polling = threading.Event()
        self._environment: AbstractContextManager[None] | None = None
        self.save_delay_ms = save_delay_ms
        self._saver: DebouncedSaver | None = None
        # Snapshots are numbered as taken (under the API lock) and written outside it, in order:
        # a save that took an older snapshot never overwrites a newer one.
        self._file_lock = threading.Lock()
        self._snapshots_taken = 0
        self._snapshot_written = 0
        # Set once the saved state is fully restored: saving before that could overwrite it with less.
        self._restored = False

    @property
    def url(self) -> str:
        """The address being served, e.g. ``http://127.0.0.1:8000/``."""
        if self._server is None:
            raise RuntimeError("The local stack is not started")
        host = {"0.0.0.0": "127.0.0.1", "::": "localhost", "": "127.0.0.1"}.get(self.host, self.host)  # noqa: S104
        return f"http://{host}:{self._server.server_address[1]}/"

    @property
    def outbox_url(self) -> str:
        """The outbox page's address."""
        return self.url.rstrip("/") + OUTBOX_PATH

    def open(self) -> LocalStack:
        """Bind the port, build the site if asked, start emulated AWS and restore the state.

        Serving starts with ``serve_forever`` (blocking) or by entering the context manager.
        """
        template = load_template(self.template_path)
        state = load_state(self.state_path)
        self.access_key = load_or_create_key(self.state_path.parent)
        site_dir = self.site_dir
        try:
            self._saver = DebouncedSaver(self.save_state, self.save_delay_ms)
            # Bind first: the port is then known for the site's URL, and a busy port fails before a build.
            try:
                self._server = PortalServer((self.host, self.port), self._saver.schedule)
            except OSError as error:
                raise CannotListen(
                    f"Cannot listen on {self.host}:{self.port} ({error.strerror or error}); try another --port."
                ) from error
            if self.build:
                site_dir = build_site(self.repo_root, site_url=self.url)
            site_dir = site_dir or configured_site_dir(self.repo_root)
            gate = AccessGate(site_dir, self.access_key)
            api, queues = self._start_aws(template, state)
            self._server.mount(StaticSite(site_dir), api, self.outbox, gate, queues)
            self._start_polling()
        except BaseException:
            self.close()
            raise
        return self

    def _start_aws(self, template: Template, state: State) -> tuple[ApiBridge, QueuePump]:
        """Start emulated AWS with the saved state and the functions' environment; return the API and the queues."""
        parameters = local_parameters(self.repo_root, self.url)
        assert self.access_key is not None, "open() loads the key first"
        # The functions sign access cookies with this key (production reads it from SSM instead).
        environments = {
            function.logical_id: {
                **resolve_environment(template, function, parameters),
                "PORTAL_ACCESS_KEY": self.access_key.hex(),
            }
            for function in template.functions
        }
        merged: dict[str, str] = {"POWERTOOLS_TRACE_DISABLED": "true", "PORTAL_ACCESS_KEY": self.access_key.hex()}
        for environment in environments.values():
            merged.update(environment)
        # Set for the whole process too, so code and tests using the stack see the template's values.
        self._environment = patched_environment(merged)
        self._environment.__enter__()
        self.aws = EmulatedAws(template.tables, self.repo_root / "content" / "data" / "contacts.yml", template.queues)
        self.aws.start()
        self.aws.restore(state, self.state_path)
        self.aws.restore_queues(state)
        self.outbox = Outbox(state.emails)
        self._restored = True
        functions = Functions(environments)
        return ApiBridge(RouteTable.from_template(template), functions), QueuePump(
            template, functions, self.aws.client("sqs")
        )

    def _start_polling(self, interval_s: float = 1.0) -> None:
        """Deliver queued messages every ``interval_s`` too: retries come back after their visibility timeout."""
        server = self._server
        assert server is not None, "open() binds the server first"

        def poll() -> None:
            while not self._stop_polling.wait(interval_s):
                try:
                    server.deliver_queued()
                except Exception:
                    logger.exception("Delivering queued messages failed")

        self._stop_polling.clear()
        self._poller = threading.Thread(target=poll, name="portal-local-queues", daemon=True)
        self._poller.start()

    def serve_forever(self, poll_interval: float = 0.5) -> None:
        """Serve in this thread until interrupted (Ctrl+C); the caller then calls ``close``."""
        assert self._server is not None, "call open() first"
        self._server.serve_forever(poll_interval)

    def save_state(self) -> None:
        """Write the tables, the outbox and the messages still queued to the state file now.

        The snapshot is taken under the lock the API requests hold, so it never sees half a
        request; the file is written after the lock is released, so requests go on meanwhile.
        """
        if self.aws is None or not self._restored:
            return
        lock = self._server.aws_lock if self._server else threading.RLock()
        with lock:
            self.outbox.collect()
            state = State(
                tables=self.aws.snapshot_tables(),
                emails=list(self.outbox.records),
                queues=self.aws.snapshot_queues(),
            )
            self._snapshots_taken += 1
            number = self._snapshots_taken
        with self._file_lock:
            if number > self._snapshot_written:
                save_state(self.state_path, state)
                self._snapshot_written = number

    def client(self, service: str) -> Any:
        """A boto3 client of the emulated account (for tests and commands running beside the server)."""
        assert self.aws is not None, "the local stack is not started"
        return self.aws.client(service)

    def close(self) -> None:
        """Stop serving, save the state, stop emulated AWS and restore the environment."""
        if self._server is not None:
            # First, so no request of a connection a browser keeps open runs a function from here on.
            self._server.stop_serving()
        if self._poller is not None:
            self._stop_polling.set()
            self._poller.join()
            self._poller = None
        if self._thread is not None and self._server is not None:
            self._server.shutdown()
            self._thread.join()
            self._thread = None
        if self._saver is not None:
            # A save the background thread has not started yet is covered by the one below.
            self._saver.stop()
            self._saver = None
        try:
            self.save_state()
        finally:
            self._restored = False
            if self._server is not None:
                self._server.server_close()
                self._server = None
            if self.aws is not None:
                self.aws.stop()
                self.aws = None
            if self._environment is not None:
                self._environment.__exit__(None, None, None)
                self._environment = None

    def __enter__(self) -> LocalStack:
        self.open()
        # A short poll interval makes close() quick, which keeps test suites fast.
        self._thread = threading.Thread(
            target=self.serve_forever, args=(0.05,), name="portal-local-server", daemon=True
        )
        self._thread.start()
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, traceback: TracebackType | None
    ) -> None:
        self.close()
