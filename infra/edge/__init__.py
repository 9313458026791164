"""The CloudFront viewer-request function that enforces page access at the edge.

``viewer_request.js`` is the function (runtime ``cloudfront-js-2.0``); ``manifest_to_kvs`` turns
the build's ``access-manifest.json`` and the access-cookie key into the key value store it reads.
Deploy code calls ``function_code`` to get the exact text to publish.
"""

from __future__ import annotations

import re
from pathlib import Path

FUNCTION_FILE = Path(__file__).with_name("viewer_request.js")
RUNTIME = "cloudfront-js-2.0"
# CloudFront Functions refuses code over 10 KB.
MAX_FUNCTION_BYTES = 10 * 1024
KVS_ID_PLACEHOLDER = "__PORTAL_KVS_ID__"
# A key value store id is a UUID; anything else must not be pasted into code.
_KVS_ID = re.compile(r"[A-Za-z0-9-]{1,64}")


class FunctionCodeError(ValueError):
    """The function cannot be published as it is (too big, or a bad key value store id)."""


def function_code(kvs_id: str) -> str:
    """The function's source with the key value store id filled in, ready to publish.

    Raises:
        FunctionCodeError: ``kvs_id`` is not an id, or the result is over CloudFront's 10 KB limit.
    """
    if not _KVS_ID.fullmatch(kvs_id):
        raise FunctionCodeError(f"{kvs_id!r} is not a key value store id")
    source = FUNCTION_FILE.read_text(encoding="utf-8")
    if source.count(KVS_ID_PLACEHOLDER) != 1:
        raise FunctionCodeError(f"{FUNCTION_FILE} must name {KVS_ID_PLACEHOLDER} exactly once")
    code = source.replace(KVS_ID_PLACEHOLDER, kvs_id)
    size = len(code.encode("utf-8"))
    if size > MAX_FUNCTION_BYTES:
        raise FunctionCodeError(f"{FUNCTION_FILE} is {size} bytes; CloudFront Functions allows {MAX_FUNCTION_BYTES}")
    return code
