"""The deployable function: its size, its store id, and what it does when the store is incomplete."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from edge_vectors import TEST_KVS_ID, EdgeRequest, NodeMissing, load_vectors, run_edge_function
from portal.access import ACCESS_COOKIE, AccessClaims, sign_access

from infra.edge import FUNCTION_FILE, KVS_ID_PLACEHOLDER, MAX_FUNCTION_BYTES, FunctionCodeError, function_code
from infra.edge.manifest_to_kvs import kvs_items

VECTORS = load_vectors()
KEY = bytes.fromhex(VECTORS["key_hex"])
NOW = VECTORS["now"]
MANIFEST = {**VECTORS["manifest"], "paths": {k: v for k, v in VECTORS["manifest"]["paths"].items() if k != "/odd/"}}


def test_the_deployed_code_fits_cloudfronts_10_kb_limit() -> None:
    size = len(function_code(TEST_KVS_ID).encode())

    # The number is also in the report of `pytest -rP tests/edge/test_function_code.py`.
    print(f"viewer_request.js as deployed: {size} bytes of {MAX_FUNCTION_BYTES}")
    assert size <= MAX_FUNCTION_BYTES
    # Room to grow is part of the design: warn well before the hard limit.
    assert size <= MAX_FUNCTION_BYTES * 0.75, f"{size} bytes: trim comments before adding more"


def test_the_store_id_is_filled_in_once() -> None:
    code = function_code(TEST_KVS_ID)

    assert KVS_ID_PLACEHOLDER not in code
    assert code.count(f"cf.kvs('{TEST_KVS_ID}')") == 1


@pytest.mark.parametrize("bad_id", ["", "x'); fetch('evil", "a b", "a" * 65], ids=["empty", "quote", "space", "long"])
def test_a_store_id_that_is_not_an_id_is_refused(bad_id: str) -> None:
    with pytest.raises(FunctionCodeError, match="is not a key value store id"):
        function_code(bad_id)


def test_code_over_the_limit_is_refused(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    import infra.edge

    big = tmp_path / "viewer_request.js"
    big.write_text(FUNCTION_FILE.read_text() + "//" + "x" * MAX_FUNCTION_BYTES)
    monkeypatch.setattr(infra.edge, "FUNCTION_FILE", big)

    with pytest.raises(FunctionCodeError, match="CloudFront Functions allows 10240"):
        function_code(TEST_KVS_ID)


def _run(requests: list[EdgeRequest], tmp_path: Path, store: list[dict[str, str]] | None = None) -> dict[str, Any]:
    code_file = tmp_path / "viewer_request.js"
    code_file.write_text(function_code(TEST_KVS_ID))
    try:
        return run_edge_function(code_file, kvs_items(MANIFEST, KEY) if store is None else store, NOW, requests)[
            "results"
        ]
    except NodeMissing as error:
        pytest.fail(str(error))


def _cookie(*categories: str) -> str:
    claims = AccessClaims("user-1", "company-1", "account_user", categories, NOW + 600)
    return f"{ACCESS_COOKIE}={sign_access(claims, KEY)}"


def test_without_the_key_in_the_store_gated_pages_answer_503_and_public_ones_still_work(tmp_path: Path) -> None:
    results = _run(
        [
            EdgeRequest("gated", "/products/pos/", "", _cookie("pos"), drop_keys=("access-key",)),
            EdgeRequest("public", "/help/", "", None, drop_keys=("access-key",)),
        ],
        tmp_path,
    )

    assert (results["gated"]["action"], results["gated"]["status"]) == ("reject", 503)
    assert results["public"] == {**results["public"], "action": "pass", "uri": "/help/index.html"}


def test_without_a_default_in_the_store_unknown_paths_need_sign_in(tmp_path: Path) -> None:
    results = _run([EdgeRequest("unknown", "/training/", "", None, drop_keys=("default",))], tmp_path)

    assert results["unknown"]["location"] == "/account/sign-in/?next=%2Ftraining%2F"


def test_an_empty_store_opens_nothing(tmp_path: Path) -> None:
    results = _run(
        [EdgeRequest("home", "/", "", None), EdgeRequest("page", "/products/pos/", "", _cookie("pos"))],
        tmp_path,
        store=[],
    )

    # With no rules every path is signed-in, and with no key nobody can be: 503, never a page.
    assert (results["home"]["action"], results["home"]["status"]) == ("reject", 503)
    assert (results["page"]["action"], results["page"]["status"]) == ("reject", 503)


def test_store_reads_per_request_stay_few(tmp_path: Path) -> None:
    """Every read costs compute time; a page costs one or two reads, a theme file three."""
    results = _run(
        [
            EdgeRequest("public page", "/help/", "", None),
            EdgeRequest("category page", "/products/pos/", "", _cookie("pos")),
            EdgeRequest("theme file", "/assets/javascripts/bundle.js", "", None),
            EdgeRequest("folder redirect", "/help", "", None),
            EdgeRequest("refused path", "/a/../b/", "", None),
        ],
        tmp_path,
    )

    reads = {name: result["reads"] for name, result in results.items()}
    print(f"key value store reads per request: {reads}")
    assert reads == {
        "public page": 1,
        "category page": 2,
        "theme file": 3,
        "folder redirect": 0,
        "refused path": 0,
    }
