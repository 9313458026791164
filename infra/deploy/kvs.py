"""The edge function's key value store: its entries, and applying ``plan_update``'s puts and deletes.

``KeyValueStore`` is what the deploy needs; ``CloudFrontKeyValueStore`` implements it with the
``cloudfront-keyvaluestore`` API (SigV4A signing: botocore needs the CRT, ``botocore[crt]``).
moto does not emulate that API, so the tests use a fake with the same two methods.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Protocol

from infra.edge.manifest_to_kvs import ACCESS_KEY

# UpdateKeys takes at most this many puts and deletes together.
BATCH_SIZE = 50


class KeyValueStore(Protocol):
    """A store of text values by key, changed in batches."""

    def entries(self) -> dict[str, str]:
        """Every key and its value."""
        ...

    def update(self, puts: Sequence[dict[str, str]], deletes: Sequence[dict[str, str]]) -> None:
        """Apply ``UpdateKeys`` puts (``{"Key", "Value"}``) and deletes (``{"Key"}``)."""
        ...


class CloudFrontKeyValueStore:
    """A CloudFront KeyValueStore by ARN."""

    def __init__(self, client: Any, arn: str) -> None:
        self.client = client
        self.arn = arn

    def entries(self) -> dict[str, str]:
        found: dict[str, str] = {}
        for page in self.client.get_paginator("list_keys").paginate(KvsARN=self.arn):
            found.update({item["Key"]: item["Value"] for item in page.get("Items", [])})
        return found

    def update(self, puts: Sequence[dict[str, str]], deletes: Sequence[dict[str, str]]) -> None:
        etag = self.client.describe_key_value_store(KvsARN=self.arn)["ETag"]
        changes: list[tuple[str, dict[str, str]]] = [("Puts", p) for p in puts] + [("Deletes", d) for d in deletes]
        for start in range(0, len(changes), BATCH_SIZE):
            batch = changes[start : start + BATCH_SIZE]
            request: dict[str, Any] = {"KvsARN": self.arn, "IfMatch": etag}
            for kind in ("Puts", "Deletes"):
                items = [item for name, item in batch if name == kind]
                if items:
                    request[kind] = items
            etag = self.client.update_keys(**request)["ETag"]


def describe_changes(puts: Sequence[dict[str, str]], deletes: Sequence[dict[str, str]]) -> list[str]:
    """One line per change, the access key's value never shown."""
    lines = [f"put {put['Key']} = {'<the access key>' if put['Key'] == ACCESS_KEY else put['Value']}" for put in puts]
    return lines + [f"delete {delete['Key']}" for delete in deletes]
