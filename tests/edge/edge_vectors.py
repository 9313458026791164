"""Turning ``vectors.json`` into concrete requests, and running requests through the edge function in node.

Both implementations get the very same inputs: each vector's cookie spec becomes a real cookie
value here, once, and the Python gate and the node harness both receive the resulting path, query
and ``Cookie`` header.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from portal.access import ACCESS_COOKIE, AccessClaims, sign_access

HERE = Path(__file__).parent
VECTORS_FILE = HERE / "vectors.json"
HARNESS = HERE / "run_vectors.mjs"
# A real-looking key value store id, so the size test measures the code as deployed.
TEST_KVS_ID = "a1b2c3d4-5678-90ab-cdef-0123456789ab"


@dataclass(frozen=True)
class EdgeRequest:
    """One viewer request, as both implementations receive it."""

    id: str
    uri: str
    query: str
    cookie_header: str | None
    drop_keys: tuple[str, ...] = ()

    def as_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "uri": self.uri,
            "query": self.query,
            "cookie_header": self.cookie_header,
            "drop_keys": list(self.drop_keys),
        }


def load_vectors() -> dict[str, Any]:
    """The parsed vectors file."""
    return json.loads(VECTORS_FILE.read_text(encoding="utf-8"))


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _sign_text(text: str, key: bytes, body_suffix: str = "") -> str:
    """Any text signed like a cookie (``sign_access`` only signs well-formed claims).

    ``body_suffix`` is appended to the base64 body before signing: one extra character makes a
    body no base64 decoder should accept, though a lenient one (node's Buffer) would.
    """
    body = _b64(text.encode())
    if body_suffix and len(body) % 4:
        raise ValueError("body_suffix needs a text whose base64 length is a multiple of 4 (length divisible by 3)")
    body += body_suffix
    return f"{body}.{_b64(hmac.new(key, body.encode(), hashlib.sha256).digest())}"


def cookie_value(spec: dict[str, Any], key: bytes, other_key: bytes, now: int) -> str:
    """The cookie value a vector's cookie spec describes."""
    kind = spec["kind"]
    if kind == "raw":
        return spec["value"]
    if kind == "oversized":
        return "A" * 4000 + "." + "A" * 1000
    if kind == "signed":
        text = spec["text"] if "text" in spec else json.dumps(spec["payload"], separators=(",", ":"))
        return _sign_text(text, key, spec.get("body_suffix", ""))
    claims = AccessClaims(
        user_id="user-1",
        company_id="company-1",
        role=spec.get("role", "account_user"),
        # "pad" adds one long category: a genuine cookie too big to be accepted.
        categories=(*spec.get("categories", []), *(["x" * spec["pad"]] if "pad" in spec else [])),
        expires_at=now + spec.get("exp", -60 if kind == "expired" else 600),
    )
    if kind in {"valid", "expired"}:
        return sign_access(claims, key)
    if kind == "other-key":
        return sign_access(claims, other_key)
    value = sign_access(claims, key)
    body, _, signature = value.partition(".")
    if kind == "bad-signature":
        # A character in the middle: every bit of it counts (the last one carries padding bits).
        middle = len(signature) // 2
        swapped = "B" if signature[middle] == "A" else "A"
        return f"{body}.{signature[:middle]}{swapped}{signature[middle + 1 :]}"
    if kind == "tampered":
        payload = json.loads(base64.urlsafe_b64decode(body + "=" * (-len(body) % 4)))
        changes = dict(spec["tampered"])
        if "exp" in changes:
            changes["exp"] = now + changes["exp"]
        payload.update(changes)
        return f"{_b64(json.dumps(payload, separators=(',', ':'), sort_keys=True).encode())}.{signature}"
    raise ValueError(f"unknown cookie kind {kind!r}")


def vector_request(vector: dict[str, Any], vectors: dict[str, Any]) -> EdgeRequest:
    """The concrete request of one vector."""
    key, other_key = bytes.fromhex(vectors["key_hex"]), bytes.fromhex(vectors["other_key_hex"])
    uri, _, query = vector["path"].partition("?")
    spec = vector.get("cookie")
    specs = [] if spec is None else spec if isinstance(spec, list) else [spec]
    values = [cookie_value(item, key, other_key, vectors["now"]) for item in specs]
    template = vector.get("cookie_header")
    if template is None and values:
        template = "; ".join(f"{ACCESS_COOKIE}={{{number}}}" for number in range(len(values)))
    header = template
    if header is not None:
        for number, value in enumerate(values):
            header = header.replace(f"{{{number}}}", value)
    return EdgeRequest(id=vector["name"], uri=uri, query=query, cookie_header=header)


class NodeMissing(RuntimeError):
    """``node`` is not on PATH."""


def run_edge_function(
    code_file: Path, kvs: list[dict[str, str]], now: int, requests: list[EdgeRequest]
) -> dict[str, Any]:
    """Run ``requests`` through the edge function in ``code_file`` under node (one process for all).

    Returns:
        ``{"kvs_ids": [...], "results": {request id: result}}``.

    Raises:
        NodeMissing: node is not installed.
        RuntimeError: the harness failed (its stderr is in the message).
    """
    node = shutil.which("node")
    if node is None:
        raise NodeMissing(
            "node is not on PATH: the edge function's tests run it under node (v20+), which is part of the "
            "machine image; install it (e.g. apt-get install nodejs) rather than skipping these tests"
        )
    document = {
        "function": str(code_file),
        "kvs": kvs,
        "now": now,
        "requests": [request.as_json() for request in requests],
    }
    finished = subprocess.run(
        [node, str(HARNESS)], input=json.dumps(document), capture_output=True, text=True, timeout=60, check=False
    )
    if finished.returncode != 0:
        raise RuntimeError(f"the node harness failed ({finished.returncode}):\n{finished.stderr}")
    output = json.loads(finished.stdout)
    return {"kvs_ids": output["kvs_ids"], "results": {result["id"]: result for result in output["results"]}}


def comparable(result: dict[str, Any]) -> dict[str, Any]:
    """The part of a harness result that the vectors state."""
    if result["action"] == "pass":
        return {"action": "pass", "uri": result["uri"]}
    if result["action"] == "redirect":
        return {"action": "redirect", "status": result["status"], "location": result["location"]}
    return {"action": "reject", "status": result["status"]}
