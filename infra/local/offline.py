"""Emulated AWS with the local state file, for CLI commands that change data while nothing is served.

``portal users import`` and friends use this to work on the same data ``portal serve`` shows.
The server keeps its own copy in memory and writes it back, so these commands refuse to run
while it is up on the same state file (its lock file tells).
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any


def lock_path(state_file: Path) -> Path:
    """The lock file next to a state file: present while ``portal serve`` uses that state."""
    return state_file.with_name(state_file.name + ".lock")


class ServerRunning(RuntimeError):
    """``portal serve`` holds the state file."""


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


@contextmanager
def serve_lock(state_file: Path) -> Iterator[None]:
    """Mark the state file as in use by this server process."""
    lock = lock_path(state_file)
    lock.parent.mkdir(parents=True, exist_ok=True)
    lock.write_text(str(os.getpid()), encoding="utf-8")
    try:
        yield
    finally:
        lock.unlink(missing_ok=True)


@contextmanager
def local_table(repo_root: Path, state_path: Path) -> Iterator[Any]:
    """The portal's table in emulated AWS, restored from and saved back to ``state_path``.

    Raises:
        ServerRunning: ``portal serve`` is running on the same repository.
    """
    from infra.local.aws import EmulatedAws, patched_environment
    from infra.local.outbox import Outbox
    from infra.local.state import State, load_state, save_state
    from infra.local.template import load_template

    state_file = repo_root / state_path
    lock = lock_path(state_file)
    if lock.exists():
        pid = int(lock.read_text(encoding="utf-8").strip() or 0)
        if pid and _alive(pid):
            raise ServerRunning(f"portal serve is running (process {pid}); stop it first, then run this again.")
    template = load_template(repo_root / "infra" / "template.yaml")
    state = load_state(state_file)
    with patched_environment({"AWS_DEFAULT_REGION": "us-east-1"}):
        aws = EmulatedAws(template.tables, repo_root / "content" / "data" / "contacts.yml", template.queues)
        aws.start()
        try:
            aws.restore(state, state_file)
            # Messages portal serve had not delivered yet are kept for its next start.
            aws.restore_queues(state)
            import boto3

            yield boto3.resource("dynamodb", region_name="us-east-1").Table(template.tables[0].name)
            # Emails the command sent (a decision's notice) join the outbox that portal serve shows.
            outbox = Outbox(state.emails)
            outbox.collect()
            save_state(
                state_file,
                State(tables=aws.snapshot_tables(), emails=outbox.records, queues=aws.snapshot_queues()),
            )
        finally:
            aws.stop()
