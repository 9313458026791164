"""Every vector of ``vectors.json`` against the local gate (Python) and the edge function (node)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from edge_vectors import (
    TEST_KVS_ID,
    NodeMissing,
    comparable,
    load_vectors,
    run_edge_function,
    vector_request,
)

from infra.edge import function_code
from infra.edge.manifest_to_kvs import kvs_items
from infra.local.gate import decide, parse_cookie_headers

VECTORS = load_vectors()
NAMES = [vector["name"] for vector in VECTORS["vectors"]]
KEY = bytes.fromhex(VECTORS["key_hex"])
KNOWN = {"public", "signed-in"}


@pytest.fixture(scope="module")
def edge_results(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """Every vector run once through the deployable function code, with the store deploy would upload."""
    code_file = tmp_path_factory.mktemp("edge") / "viewer_request.js"
    code_file.write_text(function_code(TEST_KVS_ID), encoding="utf-8")
    requests = [vector_request(vector, VECTORS) for vector in VECTORS["vectors"]]
    try:
        return run_edge_function(code_file, vectors_store(), VECTORS["now"], requests)
    except NodeMissing as error:
        pytest.fail(str(error))


def vectors_store() -> list[dict[str, str]]:
    """The key value store of the vectors' manifest, made by the deploy tool.

    The tool refuses rules it does not know, so those (``/odd/``: a rule from some newer build
    reaching this function) are put in the store directly.
    """
    manifest = VECTORS["manifest"]
    known = {path: rule for path, rule in manifest["paths"].items() if rule in KNOWN or rule.startswith("category:")}
    items = kvs_items({**manifest, "paths": known}, KEY)
    unknown = [{"key": f"path:{path}", "value": rule} for path, rule in manifest["paths"].items() if path not in known]
    assert unknown, "the vectors should keep a path with an unknown rule"
    return items + unknown


def test_vector_names_are_unique() -> None:
    assert len(NAMES) == len(set(NAMES))


@pytest.mark.parametrize("vector", VECTORS["vectors"], ids=NAMES)
def test_the_local_gate_gives_the_expected_answer(vector: dict[str, Any]) -> None:
    request = vector_request(vector, VECTORS)
    cookies = parse_cookie_headers([] if request.cookie_header is None else [request.cookie_header])

    decision = decide(VECTORS["manifest"], KEY, request.uri, request.query, cookies, VECTORS["now"])

    assert decision.as_result() == vector["expected"]


@pytest.mark.parametrize("vector", VECTORS["vectors"], ids=NAMES)
def test_the_edge_function_gives_the_expected_answer(vector: dict[str, Any], edge_results: dict[str, Any]) -> None:
    result = edge_results["results"][vector["name"]]

    assert comparable(result) == vector["expected"]
    if result["action"] == "pass":
        # CloudFront must get its own request object back, only the uri rewritten.
        assert result["same_request"] is True
    else:
        # Nothing the function answers itself may be cached: it depends on the cookie.
        assert result["headers"]["cache-control"] == "no-store"


def test_the_edge_function_reads_the_store_it_was_deployed_with(edge_results: dict[str, Any]) -> None:
    assert edge_results["kvs_ids"] == [TEST_KVS_ID]


def test_the_vectors_cover_every_kind_of_case() -> None:
    """A guard against the vectors file losing its coverage in an edit."""
    kinds = {
        (spec or {}).get("kind")
        for vector in VECTORS["vectors"]
        for spec in (vector["cookie"] if isinstance(vector["cookie"], list) else [vector["cookie"]])
    }
    assert {None, "valid", "expired", "tampered", "bad-signature", "other-key", "raw", "signed", "oversized"} <= kinds
    outcomes = {(vector["expected"]["action"], vector["expected"].get("status")) for vector in VECTORS["vectors"]}
    assert {("pass", None), ("redirect", 301), ("redirect", 302), ("reject", 400), ("reject", 403)} <= outcomes
    assert any("needs-category" in vector["expected"].get("location", "") for vector in VECTORS["vectors"])


def test_the_vectors_manifest_is_one_the_build_could_write() -> None:
    from site_builder.access import AccessMap

    rebuilt = AccessMap(VECTORS["manifest"]["default"])
    for path, rule in VECTORS["manifest"]["paths"].items():
        rebuilt.set(path, rule)
    for prefix, rule in VECTORS["manifest"]["prefixes"].items():
        rebuilt.set_prefix(prefix, rule)

    assert rebuilt.as_manifest() == VECTORS["manifest"]


def test_node_missing_fails_with_a_clear_message(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    import edge_vectors

    monkeypatch.setattr(edge_vectors.shutil, "which", lambda name: None)

    with pytest.raises(NodeMissing, match="node is not on PATH"):
        run_edge_function(tmp_path / "unused.js", [], 0, [])
