"""The edge function's key value store, made from the access manifest."""

from __future__ import annotations

import json
import stat
from pathlib import Path

import pytest

from infra.edge.manifest_to_kvs import (
    MAX_KEY_BYTES,
    MAX_VALUE_BYTES,
    KvsError,
    import_document,
    kvs_items,
    main,
    plan_update,
)
from site_builder.access import MANIFEST_FILE, rule_for

KEY = bytes(range(32))
MANIFEST = {
    "version": 1,
    "default": "signed-in",
    "paths": {"/": "public", "/products/pos/": "category:pos"},
    "prefixes": {"/assets/": "public"},
}


def test_each_rule_is_one_entry_and_the_key_is_hex() -> None:
    assert kvs_items(MANIFEST, KEY) == [
        {"key": "access-key", "value": KEY.hex()},
        {"key": "default", "value": "signed-in"},
        {"key": "path:/", "value": "public"},
        {"key": "path:/products/pos/", "value": "category:pos"},
        {"key": "prefix:/assets/", "value": "public"},
    ]


def test_the_import_file_has_cloudfronts_import_shape() -> None:
    document = import_document(kvs_items(MANIFEST, KEY))

    assert list(document) == ["data"]
    assert document["data"][0] == {"key": "access-key", "value": KEY.hex()}


@pytest.mark.parametrize(
    ("manifest", "message"),
    [
        ({**MANIFEST, "version": 2}, "version 1"),
        ({**MANIFEST, "default": "everyone"}, "default: 'everyone' is not public"),
        ({**MANIFEST, "paths": {"/x/": "category:"}}, "paths /x/: 'category:'"),
        ({**MANIFEST, "paths": {"x/": "public"}}, "must start with '/'"),
        ({**MANIFEST, "prefixes": {"/assets": "public"}}, "and end with '/'"),
        ({**MANIFEST, "paths": ["/"]}, "paths must be an object"),
        ({**MANIFEST, "paths": {"/" + "a" * MAX_KEY_BYTES: "public"}}, f"the store allows {MAX_KEY_BYTES}"),
    ],
    ids=["version", "default", "empty-category", "relative", "prefix-slash", "not-object", "long-key"],
)
def test_a_manifest_the_edge_could_not_apply_is_refused(manifest: dict, message: str) -> None:
    with pytest.raises(KvsError, match=message):
        kvs_items(manifest, KEY)


def test_a_long_value_is_refused() -> None:
    with pytest.raises(KvsError, match=f"the store allows {MAX_VALUE_BYTES}"):
        kvs_items({**MANIFEST, "paths": {"/x/": "category:" + "a" * MAX_VALUE_BYTES}}, KEY)


def test_a_short_key_is_refused() -> None:
    with pytest.raises(KvsError, match="use at least 32"):
        kvs_items(MANIFEST, b"short")


def test_an_update_puts_what_changed_and_deletes_what_went() -> None:
    current = {"access-key": KEY.hex(), "default": "signed-in", "path:/": "signed-in", "path:/old/": "public"}

    puts, deletes = plan_update(current, kvs_items(MANIFEST, KEY))

    assert puts == [
        {"Key": "path:/", "Value": "public"},
        {"Key": "path:/products/pos/", "Value": "category:pos"},
        {"Key": "prefix:/assets/", "Value": "public"},
    ]
    assert deletes == [{"Key": "path:/old/"}]


def test_the_built_sites_manifest_becomes_a_store_with_the_same_rules(built_site: Path) -> None:
    manifest = json.loads((built_site / MANIFEST_FILE).read_text())

    store = {item["key"]: item["value"] for item in kvs_items(manifest, KEY)}

    for path, rule in manifest["paths"].items():
        assert store[f"path:{path}"] == rule == rule_for(manifest, path)
    assert store["prefix:/assets/"] == "public"
    assert store["default"] == "signed-in"


def test_the_pages_people_are_sent_to_are_public_when_they_exist(built_site: Path) -> None:
    """The sign-in and needs-category pages must never be gated, or the redirects would loop."""
    manifest = json.loads((built_site / MANIFEST_FILE).read_text())

    for page in ("/account/sign-in/", "/account/needs-category/"):
        if page in manifest["paths"]:
            assert manifest["paths"][page] == "public", page


def test_the_command_writes_the_import_file_readable_by_its_owner_only(tmp_path: Path) -> None:
    manifest_file = tmp_path / MANIFEST_FILE
    manifest_file.write_text(json.dumps(MANIFEST))
    key_file = tmp_path / "access.key"
    key_file.write_text(KEY.hex() + "\n")
    output = tmp_path / "kvs.json"

    assert main([str(manifest_file), "--key-file", str(key_file), "-o", str(output)]) == 0

    assert json.loads(output.read_text()) == import_document(kvs_items(MANIFEST, KEY))
    assert stat.S_IMODE(output.stat().st_mode) == 0o600


def test_the_command_writes_json_lines_with_the_key_from_the_environment(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    manifest_file = tmp_path / MANIFEST_FILE
    manifest_file.write_text(json.dumps(MANIFEST))
    monkeypatch.setenv("PORTAL_ACCESS_KEY", KEY.hex())

    assert main([str(manifest_file), "--jsonl"]) == 0

    lines = capsys.readouterr().out.splitlines()
    assert [json.loads(line) for line in lines] == kvs_items(MANIFEST, KEY)


def test_the_command_reports_a_bad_manifest_without_a_traceback(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    manifest_file = tmp_path / MANIFEST_FILE
    manifest_file.write_text(json.dumps({**MANIFEST, "default": "nobody"}))
    monkeypatch.setenv("PORTAL_ACCESS_KEY", KEY.hex())

    assert main([str(manifest_file)]) == 1

    assert "default: 'nobody' is not public, signed-in or category:<slug>" in capsys.readouterr().err
