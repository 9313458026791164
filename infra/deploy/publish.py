"""Applies a site plan with boto3: key value store, bucket, release record, CDN invalidation.

The order keeps every moment of the deploy safe for readers:

1. new access rules go into the key value store first, so a new page is never served under a
   looser rule (a prefix or the default) before its own rule is there;
2. fingerprinted assets, then other files, then pages, then the runtime files' pointers;
3. files the new release no longer has are deleted, then the rules nobody needs any more;
4. the release record, then one CloudFront invalidation for what changed.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from infra.deploy.kvs import KeyValueStore
from infra.deploy.releases import RELEASES_KEY, ReleaseHistory
from infra.deploy.site_plan import BucketState, SitePlan
from infra.edge.manifest_to_kvs import plan_update
from site_builder.inventory import POINTER
from site_builder.status import STATUS_PATH

# DeleteObjects takes at most this many keys.
DELETE_BATCH = 1000

Log = Callable[[str], None]


@dataclass(frozen=True)
class PublishResult:
    """What the deploy changed."""

    uploaded: int
    deleted: int
    kvs_puts: int
    kvs_deletes: int
    invalidation_id: str | None


def _read(s3: Any, bucket: str, key: str) -> bytes | None:
    from botocore.exceptions import ClientError

    try:
        return s3.get_object(Bucket=bucket, Key=key)["Body"].read()
    except ClientError as error:
        if error.response.get("Error", {}).get("Code") in {"NoSuchKey", "404"}:
            return None
        raise


def read_bucket(s3: Any, bucket: str) -> BucketState:
    """Every key with its MD5, the runtime files and the release history."""
    objects: dict[str, str] = {}
    for page in s3.get_paginator("list_objects_v2").paginate(Bucket=bucket):
        for item in page.get("Contents", []):
            # A multipart upload's ETag is not an MD5 ("...-2"): such a file is simply uploaded again.
            objects[item["Key"]] = item["ETag"].strip('"')
    return BucketState(
        objects=objects,
        status=_read(s3, bucket, STATUS_PATH),
        pointer=_read(s3, bucket, POINTER),
        history=ReleaseHistory.from_bytes(_read(s3, bucket, RELEASES_KEY)),
    )


def publish_site(
    plan: SitePlan,
    kvs_items: Sequence[dict[str, str]],
    *,
    s3: Any,
    bucket: str,
    cloudfront: Any,
    distribution_id: str,
    store: KeyValueStore,
    caller_reference: str,
    log: Log = print,
) -> PublishResult:
    """Apply ``plan`` and the store's wanted ``kvs_items``; returns what changed."""
    puts, deletes = plan_update(store.entries(), kvs_items)
    if puts:
        store.update(puts, [])
        log(f"key value store: {len(puts)} entries put")
    for upload in plan.uploads:
        with upload.path.open("rb") as body:
            s3.put_object(
                Bucket=bucket,
                Key=upload.key,
                Body=body,
                ContentType=upload.record.content_type,
                CacheControl=upload.record.cache_control,
            )
    log(f"s3://{bucket}: {len(plan.uploads)} files uploaded, {len(plan.unchanged)} unchanged")
    for start in range(0, len(plan.deletions), DELETE_BATCH):
        batch = plan.deletions[start : start + DELETE_BATCH]
        s3.delete_objects(Bucket=bucket, Delete={"Objects": [{"Key": key} for key in batch], "Quiet": True})
    if plan.deletions:
        log(f"s3://{bucket}: {len(plan.deletions)} files of the old release deleted")
    if deletes:
        store.update([], deletes)
        log(f"key value store: {len(deletes)} entries deleted")
    s3.put_object(
        Bucket=bucket,
        Key=RELEASES_KEY,
        Body=plan.history.to_bytes(),
        ContentType="application/json",
        CacheControl="no-store",
    )
    invalidation_id = None
    if plan.invalidation_paths and (plan.deletions or any(u.reason == "changed" for u in plan.uploads)):
        paths = list(plan.invalidation_paths)
        answer = cloudfront.create_invalidation(
            DistributionId=distribution_id,
            InvalidationBatch={"Paths": {"Quantity": len(paths), "Items": paths}, "CallerReference": caller_reference},
        )
        invalidation_id = answer["Invalidation"]["Id"]
        log(f"CloudFront {distribution_id}: invalidation {invalidation_id} of {', '.join(paths)}")
    return PublishResult(len(plan.uploads), len(plan.deletions), len(puts), len(deletes), invalidation_id)
