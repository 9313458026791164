"""Planning a site upload: Content-Type, Cache-Control, kept and deleted files, runtime files, invalidation."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from pathlib import Path

import pytest

from infra.deploy.releases import ReleaseHistory
from infra.deploy.site_plan import (
    CACHE_IMMUTABLE,
    CACHE_REVALIDATE,
    BucketState,
    SitePlanError,
    cache_control,
    invalidation_paths,
    plan_site,
)
from site_builder.status import all_clear, post_notice

MANIFEST = {
    "version": 1,
    "default": "signed-in",
    "paths": {"/": "public", "/404.html": "public"},
    "prefixes": {"/assets/": "public", "/library/pos/": "category:pos"},
}


def write(site: Path, files: dict[str, str | bytes]) -> Path:
    for key, content in files.items():
        path = site / key
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content if isinstance(content, bytes) else content.encode())
    return site


def pointer(as_of: str, version: str, categories=("pos",)) -> str:
    return json.dumps({"as_of": as_of, "version": version, "categories": list(categories)})


@pytest.fixture
def site(tmp_path) -> Path:
    """A small built site: pages, a fingerprinted bundle, a gated file, the runtime files."""
    return write(
        tmp_path / "site",
        {
            "index.html": "<h1>home</h1>",
            "404.html": "<h1>not found</h1>",
            "help/index.html": "<h1>help</h1>",
            "access-manifest.json": json.dumps(MANIFEST),
            "assets/javascripts/bundle.a5f9d56c.min.js": "bundle()",
            "assets/javascripts/portal-forms.js": "forms()",
            "library/pos/files/guide.pdf": b"%PDF-1.4",
            "status.json": all_clear(dt.datetime(2027, 1, 1, tzinfo=dt.UTC)).to_bytes().decode(),
            "inventory/current.json": pointer("2027-01-04", "2027-01-04.build"),
            "library/pos/inventory/2027-01-04.build.json": "{}",
        },
    )


def first_plan(site: Path):
    return plan_site(site, BucketState(), "r1", "2027-01-05T00:00:00+00:00", "abc123")


def bucket_after(plan, site: Path, **runtime) -> BucketState:
    """The bucket as a publish of ``plan`` leaves it."""
    objects = {key: record.md5 for key, record in plan.history.latest.files.items()}
    return BucketState(objects=objects, history=plan.history, **runtime)


@pytest.mark.parametrize(
    ("key", "rule", "expected"),
    [
        ("index.html", "public", CACHE_REVALIDATE),
        ("search/public.json", "public", CACHE_REVALIDATE),
        ("assets/javascripts/bundle.a5f9d56c.min.js", "public", CACHE_IMMUTABLE),
        ("assets/stylesheets/main.57a0d79d.min.css.map", "public", CACHE_IMMUTABLE),
        ("assets/javascripts/portal-forms.js", "public", "public, max-age=300"),
        ("library/pos/files/guide.pdf", "category:pos", "private, max-age=300"),
        ("status.json", "public", "public, max-age=30"),
        ("inventory/current.json", "signed-in", "private, no-cache"),
        ("library/pos/inventory/2027-01-04.x.json", "category:pos", "private, max-age=86400"),
    ],
    ids=["page", "json", "bundle", "source-map", "plain-script", "gated-file", "status", "pointer", "report"],
)
def test_cache_control(key, rule, expected):
    assert cache_control(key, rule) == expected


def test_a_first_deploy_uploads_everything_assets_first_and_pointers_last(site):
    plan = first_plan(site)
    keys = [u.key for u in plan.uploads]
    assert keys[0] == "assets/javascripts/bundle.a5f9d56c.min.js"
    assert keys.index("assets/javascripts/portal-forms.js") < keys.index("index.html")
    assert keys[-3:] == ["library/pos/inventory/2027-01-04.build.json", "inventory/current.json", "status.json"]
    types = {u.key: u.record.content_type for u in plan.uploads}
    assert types["index.html"] == "text/html; charset=utf-8"
    assert types["library/pos/files/guide.pdf"] == "application/pdf"
    assert plan.deletions == () and plan.unchanged == ()


def test_an_unchanged_site_uploads_nothing_and_invalidates_nothing(site):
    plan = first_plan(site)
    again = plan_site(site, bucket_after(plan, site), "r2", "2027-01-06T00:00:00+00:00", "abc123")
    assert again.uploads == () and again.deletions == () and again.invalidation_paths == ()


def test_a_new_release_keeps_the_previous_fingerprinted_assets_and_deletes_old_pages(site):
    plan = first_plan(site)
    bucket = bucket_after(plan, site)
    (site / "assets/javascripts/bundle.a5f9d56c.min.js").rename(site / "assets/javascripts/bundle.0badf00d.min.js")
    (site / "help/index.html").unlink()
    (site / "index.html").write_text("<h1>new home</h1>")
    second = plan_site(site, bucket, "r2", "2027-01-06T00:00:00+00:00", "def456")
    assert second.kept_assets == ("assets/javascripts/bundle.a5f9d56c.min.js",)
    assert second.deletions == ("help/index.html",)
    assert [u.key for u in second.uploads] == ["assets/javascripts/bundle.0badf00d.min.js", "index.html"]
    assert second.invalidation_paths == ("/", "/help/", "/help/index.html", "/index.html")


def test_assets_older_than_the_kept_releases_are_deleted(site):
    plan = first_plan(site)
    bucket = bucket_after(plan, site)
    bundle = site / "assets/javascripts/bundle.a5f9d56c.min.js"
    for number, name in enumerate(["11111111", "22222222", "33333333"], start=2):
        bundle = bundle.rename(site / f"assets/javascripts/bundle.{name}.min.js")
        plan = plan_site(site, bucket, f"r{number}", "2027-01-06T00:00:00+00:00", "x")
        objects = {**bucket.objects, **{u.key: u.record.md5 for u in plan.uploads}}
        bucket = BucketState({k: v for k, v in objects.items() if k not in plan.deletions}, history=plan.history)
    # Three releases later, the first bundle is gone; the two before the current one stay.
    assert "assets/javascripts/bundle.a5f9d56c.min.js" not in bucket.objects
    assert {"assets/javascripts/bundle.11111111.min.js", "assets/javascripts/bundle.22222222.min.js"} <= set(
        bucket.objects
    )


def test_a_posted_notice_and_a_newer_published_report_are_kept(site):
    plan = first_plan(site)
    now = dt.datetime(2027, 1, 5, 12, tzinfo=dt.UTC)
    notice = post_notice(None, "outage", "Ordering is down until noon", None, now).to_bytes()
    published = pointer("2027-01-05", "2027-01-05.publish")
    bucket = bucket_after(plan, site, status=notice, pointer=published.encode())
    bucket.objects["library/pos/inventory/2027-01-05.publish.json"] = "x"
    second = plan_site(site, bucket, "r2", "2027-01-06T00:00:00+00:00", "x")
    uploaded = {u.key for u in second.uploads}
    assert {"status.json", "inventory/current.json", "library/pos/inventory/2027-01-04.build.json"}.isdisjoint(uploaded)
    assert second.kept_runtime == ("inventory/current.json", "status.json")
    assert "library/pos/inventory/2027-01-05.publish.json" not in second.deletions


def test_an_older_published_report_is_replaced_by_the_built_one(site):
    plan = first_plan(site)
    old_pointer = pointer("2027-01-01", "2027-01-01.old").encode()
    bucket = bucket_after(plan, site, pointer=old_pointer)
    bucket.objects["inventory/current.json"] = hashlib.md5(old_pointer, usedforsecurity=False).hexdigest()
    bucket.objects["library/pos/inventory/2027-01-01.old.json"] = "x"
    second = plan_site(site, bucket, "r2", "2027-01-06T00:00:00+00:00", "x")
    assert "inventory/current.json" in {u.key for u in second.uploads}
    # Readers that loaded the old pointer a moment ago can still fetch its report.
    assert "library/pos/inventory/2027-01-01.old.json" not in second.deletions


def test_a_site_without_the_error_page_is_refused(site):
    (site / "404.html").unlink()
    with pytest.raises(SitePlanError, match=r"404\.html"):
        first_plan(site)


def test_an_unknown_bucket_invalidates_everything():
    assert invalidation_paths(["a.html"], known=False) == ("/*",)
    assert invalidation_paths([f"p{n}/index.html" for n in range(30)], known=True) == ("/*",)
    assert invalidation_paths(["a b/index.html"], known=True) == ("/a%20b/", "/a%20b/index.html")


def test_the_release_record_survives_a_round_trip(site):
    history = first_plan(site).history
    assert ReleaseHistory.from_bytes(history.to_bytes()) == history
    assert ReleaseHistory.from_bytes(b"not json") == ReleaseHistory()
