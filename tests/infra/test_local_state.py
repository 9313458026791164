"""The state file keeps DynamoDB items and sent emails across restarts."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import pytest
from local_stack_fixtures import fake_repo_fixture, http_fixture, stack_fixture, state_file_fixture  # noqa: F401 - registers the fixtures

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

    with pytest.raises(StateFileError, match="delete"):
        load_state(path)


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


def test_a_write_through_the_api_is_saved_before_the_response(stack, http, state_file: Path) -> None:
    http(
        stack, "POST", "/api/notes", body=b'{"id": "n9", "text": "kept"}', headers={"Content-Type": "application/json"}
    )

    saved = load_state(state_file).tables["PortalTable"]

    assert [item["text"] for item in saved] == [{"S": "kept"}]


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
