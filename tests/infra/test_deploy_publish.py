"""Publishing a site plan against moto's S3 and CloudFront, with a fake key value store."""

from __future__ import annotations

import datetime as dt
import json
import shutil
from pathlib import Path

import pytest

from infra.deploy.publish import publish_site, read_bucket
from infra.deploy.site_plan import plan_site
from infra.edge.manifest_to_kvs import kvs_items
from site_builder.status import post_notice

BUCKET = "portal-site"
KEY = bytes(range(32))


class FakeKeyValueStore:
    """The two calls the deploy makes, with a log of what happened in which order."""

    def __init__(self, entries: dict[str, str] | None = None, log: list[str] | None = None) -> None:
        self.data = dict(entries or {})
        self.log = log if log is not None else []

    def entries(self) -> dict[str, str]:
        return dict(self.data)

    def update(self, puts, deletes) -> None:
        for put in puts:
            self.data[put["Key"]] = put["Value"]
        for delete in deletes:
            self.data.pop(delete["Key"])
        self.log.append(f"kvs puts={len(puts)} deletes={len(deletes)}")


@pytest.fixture
def aws_site():
    """moto S3 (the site bucket) and a CloudFront distribution in front of it."""
    from moto import mock_aws

    with mock_aws():
        import boto3

        s3 = boto3.client("s3", region_name="us-east-1")
        s3.create_bucket(Bucket=BUCKET)
        cloudfront = boto3.client("cloudfront", region_name="us-east-1")
        distribution = cloudfront.create_distribution(
            DistributionConfig={
                "CallerReference": "portal-test",
                "Comment": "portal",
                "Enabled": True,
                "Origins": {
                    "Quantity": 1,
                    "Items": [
                        {
                            "Id": "site",
                            "DomainName": f"{BUCKET}.s3.us-east-1.amazonaws.com",
                            "S3OriginConfig": {"OriginAccessIdentity": ""},
                        }
                    ],
                },
                "DefaultCacheBehavior": {
                    "TargetOriginId": "site",
                    "ViewerProtocolPolicy": "redirect-to-https",
                    "CachePolicyId": "658327ea-f89d-4fab-a63d-7e88639e58f6",
                },
            }
        )["Distribution"]
        yield {"s3": s3, "cloudfront": cloudfront, "distribution_id": distribution["Id"]}


def deploy(site: Path, aws: dict, store: FakeKeyValueStore, release: str):
    """Plan against the bucket as it is, then publish; returns (plan, result)."""
    plan = plan_site(site, read_bucket(aws["s3"], BUCKET), release, "2027-01-05T00:00:00+00:00", "test")
    result = publish_site(
        plan,
        kvs_items(plan.manifest, KEY),
        s3=aws["s3"],
        bucket=BUCKET,
        cloudfront=aws["cloudfront"],
        distribution_id=aws["distribution_id"],
        store=store,
        caller_reference=f"portal-deploy-{release}",
        log=store.log.append,
    )
    return plan, result


def head(aws: dict, key: str) -> dict:
    return aws["s3"].head_object(Bucket=BUCKET, Key=key)


def test_a_first_deploy_uploads_the_real_site_with_types_and_cache_rules(built_site, tmp_path, aws_site):
    site = shutil.copytree(built_site, tmp_path / "site")
    store = FakeKeyValueStore()
    plan, result = deploy(site, aws_site, store, "r1")
    assert result.uploaded == len(plan.uploads) > 100
    assert head(aws_site, "index.html")["CacheControl"] == "no-cache"
    assert head(aws_site, "index.html")["ContentType"] == "text/html; charset=utf-8"
    bundle = next(u.key for u in plan.uploads if u.key.startswith("assets/javascripts/bundle."))
    assert head(aws_site, bundle)["CacheControl"] == "public, max-age=31536000, immutable"
    assert head(aws_site, "status.json")["CacheControl"] == "public, max-age=30"
    assert store.data["access-key"] == KEY.hex()
    assert store.data["path:/"] == "public"
    # The new rules were in the store before the first file went up.
    uploaded_at = next(n for n, line in enumerate(store.log) if "files uploaded" in line)
    assert store.log[0].startswith("kvs puts=") and uploaded_at > 0
    records = json.loads(aws_site["s3"].get_object(Bucket=BUCKET, Key="_deploy/releases.json")["Body"].read())
    assert [r["id"] for r in records["releases"]] == ["r1"]


def test_a_second_deploy_keeps_old_assets_and_the_posted_notice_and_invalidates(built_site, tmp_path, aws_site):
    site = shutil.copytree(built_site, tmp_path / "site")
    store = FakeKeyValueStore()
    deploy(site, aws_site, store, "r1")
    # While the site runs, staff post a notice (portal status post --bucket).
    notice = post_notice(None, "warning", "Ordering is slow today", None, dt.datetime.now(dt.UTC)).to_bytes()
    aws_site["s3"].put_object(Bucket=BUCKET, Key="status.json", Body=notice, CacheControl="public, max-age=30")
    # The next release: a new bundle name, a changed page, a page removed.
    old_bundle = next(site.glob("assets/javascripts/bundle.*.min.js"))
    old_bundle.rename(old_bundle.with_name("bundle.0badf00d.min.js"))
    (site / "index.html").write_text((site / "index.html").read_text() + "<!-- new -->")
    shutil.rmtree(site / "help" / "service-health")
    store.data["path:/gone/"] = "public"
    _, result = deploy(site, aws_site, store, "r2")
    keys = {o["Key"] for o in aws_site["s3"].list_objects_v2(Bucket=BUCKET)["Contents"]}
    assert f"assets/javascripts/{old_bundle.name}" in keys  # open pages still load it
    assert "assets/javascripts/bundle.0badf00d.min.js" in keys
    assert "help/service-health/index.html" not in keys
    assert aws_site["s3"].get_object(Bucket=BUCKET, Key="status.json")["Body"].read() == notice
    assert "path:/gone/" not in store.data
    assert result.uploaded == 2  # the new bundle and the changed home page; the rest is unchanged
    invalidation = aws_site["cloudfront"].get_invalidation(
        DistributionId=aws_site["distribution_id"], Id=result.invalidation_id
    )
    paths = invalidation["Invalidation"]["InvalidationBatch"]["Paths"]["Items"]
    assert "/index.html" in paths and "/help/service-health/" in paths


def test_a_deploy_of_an_unchanged_site_changes_nothing(built_site, tmp_path, aws_site):
    site = shutil.copytree(built_site, tmp_path / "site")
    store = FakeKeyValueStore()
    deploy(site, aws_site, store, "r1")
    _, result = deploy(site, aws_site, store, "r2")
    assert result.uploaded == 0 and result.deleted == 0 and result.invalidation_id is None
    assert result.kvs_puts == 0 and result.kvs_deletes == 0


def test_the_real_store_client_batches_updates_with_the_etag():
    from infra.deploy.kvs import CloudFrontKeyValueStore

    class Client:
        def __init__(self):
            self.calls = []

        def describe_key_value_store(self, KvsARN):
            return {"ETag": "e0"}

        def update_keys(self, **request):
            self.calls.append(request)
            return {"ETag": f"e{len(self.calls)}"}

    client = Client()
    puts = [{"Key": f"path:/{n}/", "Value": "public"} for n in range(70)]
    CloudFrontKeyValueStore(client, "arn:kvs").update(puts, [{"Key": "old"}])
    assert [len(c.get("Puts", [])) + len(c.get("Deletes", [])) for c in client.calls] == [50, 21]
    assert [c["IfMatch"] for c in client.calls] == ["e0", "e1"]
