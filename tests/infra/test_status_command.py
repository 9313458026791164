"""`portal status post|clear|show`: the Service Health notice, locally and in the site's S3 bucket."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from infra.cli import main


@pytest.fixture
def site(tmp_path: Path) -> Path:
    """A built site folder holding the build's all-clear status file."""
    folder = tmp_path / "site"
    folder.mkdir()
    (folder / "status.json").write_text('{"notice": null, "history": [], "updated_at": "2027-01-01T00:00:00Z"}')
    return folder


def status(site: Path) -> dict:
    return json.loads((site / "status.json").read_text())


def test_post_shows_a_notice_and_clear_keeps_it_in_the_history(site, capsys):
    assert main(["status", "post", "--level", "outage", "--message", "Sign-in is down", "--site-dir", str(site)]) == 0
    assert "Posted a outage notice" in capsys.readouterr().out
    posted = status(site)
    assert posted["notice"]["level"] == "outage" and posted["notice"]["message"] == "Sign-in is down"
    assert posted["notice"]["posted_at"].endswith("Z") or posted["notice"]["posted_at"].endswith("+00:00")

    assert main(["status", "post", "--level", "info", "--message", "Sign-in works again", "--site-dir", str(site)]) == 0
    assert main(["status", "clear", "--site-dir", str(site)]) == 0
    cleared = status(site)
    assert cleared["notice"] is None
    assert [n["message"] for n in cleared["history"]] == ["Sign-in works again", "Sign-in is down"]
    assert all(n["cleared_at"] for n in cleared["history"])
    assert not list(site.glob(".tmp-*")), "no temporary file left behind"


def test_until_must_be_a_future_time_with_a_zone(site, capsys):
    before = (site / "status.json").read_bytes()
    for until, message in [
        ("2027-01-05T18:00", "needs a time zone"),
        ("2001-01-01T00:00Z", "in the past"),
        ("next tuesday", "is not a date and time"),
    ]:
        code = main(["status", "post", "--level", "warning", "--message", "Maintenance", "--until", until,
                     "--site-dir", str(site)])  # fmt: skip
        assert code == 1
        assert message in capsys.readouterr().err
    assert (site / "status.json").read_bytes() == before, "a refused notice changes nothing"
    assert main(["status", "post", "--level", "warning", "--message", "Maintenance tonight",
                 "--until", "2099-01-05T18:00:00-05:00", "--site-dir", str(site)]) == 0  # fmt: skip
    assert status(site)["notice"]["until"] == "2099-01-05T18:00:00-05:00"


def test_a_message_on_several_lines_is_refused(site, capsys):
    assert main(["status", "post", "--level", "info", "--message", "one\ntwo", "--site-dir", str(site)]) == 1
    assert "one line" in capsys.readouterr().err


def test_without_a_built_site_it_says_what_to_do(tmp_path, capsys):
    assert main(["status", "clear", "--site-dir", str(tmp_path / "nowhere")]) == 1
    assert "No built site" in capsys.readouterr().err


def test_post_and_clear_in_the_sites_bucket():
    import boto3
    from moto import mock_aws

    with mock_aws():
        s3 = boto3.client("s3")
        s3.create_bucket(Bucket="portal-site")
        assert (
            main(["status", "post", "--level", "warning", "--message", "Slow downloads", "--bucket", "portal-site"])
            == 0
        )
        stored = s3.get_object(Bucket="portal-site", Key="status.json")
        assert stored["ContentType"] == "application/json"
        assert "max-age=30" in stored["CacheControl"], "the CDN must not keep an old notice for long"
        assert json.loads(stored["Body"].read())["notice"]["message"] == "Slow downloads"
        assert main(["status", "clear", "--bucket", "portal-site", "--prefix", "preview"]) == 0
        assert s3.get_object(Bucket="portal-site", Key="preview/status.json")
        assert main(["status", "clear", "--bucket", "portal-site"]) == 0
        cleared = json.loads(s3.get_object(Bucket="portal-site", Key="status.json")["Body"].read())
        assert cleared["notice"] is None and cleared["history"][0]["message"] == "Slow downloads"
