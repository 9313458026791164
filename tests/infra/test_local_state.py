"""The state file keeps DynamoDB items and sent emails across restarts."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import threading
import time
from decimal import Decimal
from pathlib import Path
from types import SimpleNamespace

import pytest
from local_stack_fixtures import fake_repo_fixture, http_fixture, stack_fixture, state_file_fixture  # noqa: F401 - registers the fixtures

from infra.local import stack as stack_module
from infra.local.stack import LocalStack
from infra.local.state import State, StateFileError, decode_value, encode_value, load_state, save_state

ITEM = {
    "pk": {"S": "user#ann@example.com"},
    "sk": {"S": "profile"},
    "password_hash": {"B": b"\x00\xffargon"},
    "recovery_codes": {"BS": [b"\x01", b"\x02"]},
    "categories": {"SS": ["hvac", "water"]},
    "scores": {"NS": ["1", "2.5"]},
    "nested": {"M": {"blob": {"B": b"\xfe"}, "list": {"L": [{"B": b"\x00"}, {"N": "3"}, {"NULL": True}]}}},
    "active": {"BOOL": True},
}


@pytest.mark.parametrize(
    "value",
    [ITEM["password_hash"], ITEM["recovery_codes"], ITEM["nested"], ITEM["categories"], ITEM["scores"]],
    ids=["binary", "binary-set", "nested-binary", "string-set", "number-set"],
)
def test_attribute_values_round_trip_through_json(value) -> None:
    assert decode_value(json.loads(json.dumps(encode_value(value)))) == value


def test_save_replaces_the_file_atomically_and_leaves_no_temporary_file(tmp_path: Path) -> None:
    path = tmp_path / "deep" / "state.json"

    save_state(path, State(tables={"PortalTable": [ITEM]}, emails=[{"id": "m1", "raw": "Subject: hi\n\nbody"}]))
    save_state(path, State(tables={"PortalTable": [ITEM]}, emails=[]))

    assert load_state(path).tables == {"PortalTable": [ITEM]}
    assert [entry.name for entry in path.parent.iterdir()] == ["state.json"]


@pytest.mark.parametrize(
    "content",
    [
        "{not json",
        '{"format": "other"}',
        '{"format": "portal-local-state", "version": 99}',
        '{"format": "portal-local-state", "version": 1, "tables": {"T": [{"pk": {"B": "not base64!"}}]}}',
        '{"format": "portal-local-state", "version": 1, "emails": [{"id": 1}]}',
    ],
    ids=["not-json", "foreign-file", "future-version", "bad-binary", "bad-email"],
)
def test_an_unreadable_state_file_says_to_delete_it(tmp_path: Path, content: str) -> None:
    path = tmp_path / "state.json"
    path.write_text(content)

    with pytest.raises(StateFileError, match="delete") as raised:
        load_state(path)

    message = str(raised.value)
    assert message.startswith(f"{path}: ")
    assert f"mv {path} {path}.broken" in message
    assert "make clean" in message


def test_an_item_survives_a_restart_of_the_stack(fake_repo: Path, state_file: Path) -> None:
    with LocalStack(fake_repo, state_file, port=0, site_dir=fake_repo / "site") as first:
        first.client("dynamodb").put_item(TableName="PortalTable", Item=ITEM)
        first.save_state()
    assert state_file.exists()

    with LocalStack(fake_repo, state_file, port=0, site_dir=fake_repo / "site") as second:
        item = second.client("dynamodb").get_item(TableName="PortalTable", Key={"pk": ITEM["pk"], "sk": ITEM["sk"]})

    assert item["Item"]["password_hash"] == {"B": b"\x00\xffargon"}
    assert item["Item"]["recovery_codes"]["BS"] == [b"\x01", b"\x02"]
    assert item["Item"]["nested"] == ITEM["nested"]
    assert sorted(item["Item"]["categories"]["SS"]) == ["hvac", "water"]


def test_with_no_save_delay_a_write_is_saved_before_the_response(fake_repo: Path, state_file: Path, http) -> None:
    with LocalStack(fake_repo, state_file, port=0, site_dir=fake_repo / "site", save_delay_ms=0) as stack:
        write_note(http, stack, "n9")

        saved = load_state(state_file).tables["PortalTable"]

    assert [item["text"] for item in saved] == [{"S": "note n9"}]


def write_note(http, stack, note_id: str) -> None:
    """One write through the API: a note item and an email."""
    body = json.dumps({"id": note_id, "text": f"note {note_id}"}).encode()
    response = http(stack, "POST", "/api/notes", body=body, headers={"Content-Type": "application/json"})
    assert response.status == 201, response.body


def saved_notes(path: Path) -> set[str]:
    """The ids of the notes in the state file (empty when there is no file yet)."""
    tables = load_state(path).tables
    return {item["pk"]["S"].removeprefix("note#") for item in tables.get("PortalTable", [])}


def test_a_burst_of_writes_is_saved_a_few_times_not_once_per_write(
    fake_repo: Path, state_file: Path, http, monkeypatch
) -> None:
    saves: list[int] = []

    def counting_save(path: Path, state: State) -> None:
        saves.append(len(state.tables["PortalTable"]))
        save_state(path, state)

    monkeypatch.setattr(stack_module, "save_state", counting_save)
    clients, writes_each = 4, 10
    failures: list[BaseException] = []

    def client(number: int, stack: LocalStack) -> None:
        try:
            for index in range(writes_each):
                write_note(http, stack, f"{number}-{index}")
        except BaseException as error:  # reported by the main thread
            failures.append(error)

    with LocalStack(fake_repo, state_file, port=0, site_dir=fake_repo / "site", save_delay_ms=1000) as stack:
        threads = [threading.Thread(target=client, args=(number, stack)) for number in range(clients)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    writes = clients * writes_each

    assert not failures, failures
    # One save per second of writing, plus the one at the stop: a handful, not one per write.
    assert 1 <= len(saves) <= writes // 4, saves
    assert saves[-1] == writes
    assert len(saved_notes(state_file)) == writes
    assert len(load_state(state_file).emails) == writes


def test_writes_answered_before_a_clean_stop_are_there_after_a_restart(fake_repo: Path, state_file: Path, http) -> None:
    with LocalStack(fake_repo, state_file, port=0, site_dir=fake_repo / "site", save_delay_ms=60_000) as stack:
        write_note(http, stack, "last")
        # Within the save window nothing is written yet: only the stop saves it.
        assert not state_file.exists()

    with LocalStack(fake_repo, state_file, port=0, site_dir=fake_repo / "site") as restarted:
        item = restarted.client("dynamodb").get_item(
            TableName="PortalTable", Key={"pk": {"S": "note#last"}, "sk": {"S": "note"}}
        )
        subjects = [email.subject for email in restarted.outbox.emails()]

    assert item["Item"]["text"] == {"S": "note last"}
    assert subjects == ["Note last"]


SERVE_UNTIL_KILLED = """
import sys
from pathlib import Path

from infra.local.stack import LocalStack

repo, state, delay = Path(sys.argv[1]), Path(sys.argv[2]), int(sys.argv[3])
stack = LocalStack(repo, state, port=0, site_dir=repo / "site", save_delay_ms=delay).open()
print(stack.url, flush=True)
stack.serve_forever(0.05)
"""


def run_server(http, command: list[str], cwd: Path, notes: list[str], stop: signal.Signals, state_file: Path) -> str:
    """Start a server process, write ``notes`` once each is saved, then send ``stop``; its output.

    Each note but the last is waited for in the state file before the next is written, so the
    last one is the only write of the open save window when the signal comes.
    """
    server = subprocess.Popen(command, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        first = server.stdout.readline()
        while first and "http://" not in first:
            first = server.stdout.readline()
        stack = SimpleNamespace(url=first.strip().removeprefix("Portal:").strip())
        for number, note_id in enumerate(notes, start=1):
            write_note(http, stack, note_id)
            deadline = time.monotonic() + 60
            while number < len(notes) and note_id not in saved_notes(state_file) and time.monotonic() < deadline:
                time.sleep(0.05)
    finally:
        server.send_signal(stop)
        output, errors = server.communicate(timeout=60)
    return first + output + errors


SERVE_UNTIL_KILLED = """
import sys
from pathlib import Path

from infra.local.stack import LocalStack

repo, state, delay = Path(sys.argv[1]), Path(sys.argv[2]), int(sys.argv[3])
stack = LocalStack(repo, state, port=0, site_dir=repo / "site", save_delay_ms=delay).open()
print(stack.url, flush=True)
stack.serve_forever(0.05)
"""


def test_a_kill_loses_at_most_the_writes_of_the_last_save_window(fake_repo: Path, state_file: Path, http) -> None:
    command = [sys.executable, "-c", SERVE_UNTIL_KILLED, str(fake_repo), str(state_file), "3000"]

    # SIGKILL: no handler runs, nothing is saved at the stop.
    run_server(http, command, fake_repo, ["saved", "in-the-window"], signal.SIGKILL, state_file)

    # The file is whole and holds everything up to the last save; the last window's write is lost.
    assert saved_notes(state_file) == {"saved"}


def serve_in_copy(fake_repo: Path, tmp_path: Path, state_file: Path) -> tuple[Path, list[str]]:
    """A copy of the fake repository to run ``portal serve`` in, and the command (a long save delay)."""
    repo = tmp_path / "repo"
    shutil.copytree(fake_repo, repo, symlinks=True)
    (repo / "pages").mkdir()
    (repo / "mkdocs.yml").write_text("site_name: Fake\ndocs_dir: pages\nsite_dir: site\n")
    portal = Path(sys.executable).with_name("portal")
    command = [str(portal), "serve", "--no-build", "--no-demo", "--port", "0", "--save-delay", "60000"]
    return repo, [*command, "--state", str(state_file)]


def test_sigterm_stops_portal_serve_cleanly_and_saves_the_open_window(
    fake_repo: Path, tmp_path: Path, state_file: Path, http
) -> None:
    repo, command = serve_in_copy(fake_repo, tmp_path, state_file)

    output = run_server(http, command, repo, ["answered"], signal.SIGTERM, state_file)

    assert saved_notes(state_file) == {"answered"}
    assert f"Stopped; state saved to {state_file}" in output
    assert "Traceback" not in output


IGNORED_AT_START = "import signal, sys; print(signal.getsignal(int(sys.argv[1])) is signal.SIG_IGN)"


@pytest.mark.parametrize("stop", [signal.SIGINT, signal.SIGTERM], ids=["sigint", "sigterm"])
def test_portal_serve_started_with_the_stop_signal_ignored_still_stops_cleanly_on_it(
    fake_repo: Path, tmp_path: Path, state_file: Path, http, stop: signal.Signals
) -> None:
    """As after ``portal serve &`` in a script: the shell starts it with SIGINT ignored."""
    import socket

    def start_ignoring() -> None:
        signal.signal(stop, signal.SIG_IGN)

    # The child really starts with the signal ignored (an ignored signal survives exec).
    control = subprocess.run(
        [sys.executable, "-c", IGNORED_AT_START, str(int(stop))],
        preexec_fn=start_ignoring,
        capture_output=True,
        text=True,
        check=True,
    )
    assert control.stdout.strip() == "True"
    repo, command = serve_in_copy(fake_repo, tmp_path, state_file)
    server = subprocess.Popen(
        command,
        cwd=repo,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        preexec_fn=start_ignoring,
    )
    try:
        first = server.stdout.readline()
        while first and "http://" not in first:
            first = server.stdout.readline()
        url = first.strip().removeprefix("Portal:").strip()
        write_note(http, SimpleNamespace(url=url), "answered")
        server.send_signal(stop)
        sent_at = time.monotonic()
        output, errors = server.communicate(timeout=30)
        took = time.monotonic() - sent_at
    finally:
        if server.poll() is None:
            server.kill()
            server.communicate()

    assert server.returncode == 0, errors
    assert took < 5, f"took {took:.1f} s to stop"
    assert f"Stopped; state saved to {state_file}" in output
    assert "Traceback" not in errors
    assert saved_notes(state_file) == {"answered"}
    port = int(url.rstrip("/").rsplit(":", 1)[1])
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", port))  # the port is free again


@pytest.mark.parametrize("failure", ["unserializable-value", "disk-error-on-fsync"])
def test_a_save_that_fails_midway_leaves_the_old_file_whole(tmp_path: Path, monkeypatch, failure: str) -> None:
    path = tmp_path / "state.json"
    save_state(path, State(tables={"PortalTable": [ITEM]}))
    before = path.read_bytes()
    newer = State(tables={"PortalTable": [ITEM] * 100}, emails=[{"id": "m1", "raw": "Subject: hi\n\nbody"}])
    if failure == "unserializable-value":
        # json.dump has written part of the document to the temporary file when this fails.
        newer.emails.append({"id": "m2", "raw": object()})
        expected: type[Exception] = TypeError
    else:

        def full_disk(descriptor: int) -> None:
            raise OSError(28, "No space left on device")

        monkeypatch.setattr(os, "fsync", full_disk)
        expected = OSError

    with pytest.raises(expected):
        save_state(path, newer)

    assert path.read_bytes() == before
    assert load_state(path).tables == {"PortalTable": [ITEM]}
    assert [entry.name for entry in tmp_path.iterdir()] == ["state.json"]


def test_the_stack_stops_moto_and_restores_the_environment(fake_repo: Path, state_file: Path, monkeypatch) -> None:
    import os

    monkeypatch.setenv("AWS_PROFILE", "someone-real")
    monkeypatch.delenv("PORTAL_TABLE", raising=False)

    with LocalStack(fake_repo, state_file, port=0, site_dir=fake_repo / "site") as stack:
        assert os.environ["PORTAL_TABLE"] == "PortalTable"
        assert "AWS_PROFILE" not in os.environ
        assert stack.client("dynamodb").describe_table(TableName="PortalTable")["Table"]["ItemCount"] == 0

    assert os.environ["AWS_PROFILE"] == "someone-real"
    assert "PORTAL_TABLE" not in os.environ


def test_decimal_free_numbers_stay_strings_in_the_file(tmp_path: Path) -> None:
    path = tmp_path / "state.json"
    save_state(path, State(tables={"T": [{"pk": {"S": "a"}, "n": {"N": "12.50"}}]}))

    assert json.loads(path.read_text())["tables"]["T"][0]["n"] == {"N": "12.50"}
    assert not isinstance(load_state(path).tables["T"][0]["n"]["N"], Decimal)


def test_a_state_that_no_longer_fits_the_table_is_refused_and_left_untouched(fake_repo: Path, state_file: Path) -> None:
    save_state(state_file, State(tables={"PortalTable": [{"id": {"S": "no pk or sk"}}]}))
    before = state_file.read_bytes()

    with pytest.raises(StateFileError, match="item 1 of table PortalTable"):
        LocalStack(fake_repo, state_file, port=0, site_dir=fake_repo / "site").open()

    assert state_file.read_bytes() == before
