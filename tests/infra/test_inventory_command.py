"""`portal inventory publish FILE.csv`: a day's report replaces the last one, a bad file changes nothing."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from helpers import REPO

from infra.cli import main

CONTENT = str(REPO / "content")
HEADER = "as_of,model,description,category,distributor,quantity\n"
GOOD = HEADER + (
    "2027-01-06,SCN-D310,Departmental scanner,scanners,docuflow,40\n"
    "2027-01-06,POS-T15,Countertop terminal,pos,mobility-supply,7\n"
)
BAD = HEADER + (
    "2027-01-06,SCN-D310,Departmental scanner,scanners,docuflow,forty\n"
    "2027-01-06,POS-T15,Countertop terminal,point-of-sale,mobility-supply,7\n"
    "2027-01-07,WL-AP6,Access point,wireless,voicepoint,3\n"
)


@pytest.fixture
def site(built_site: Path, tmp_path: Path) -> Path:
    """A private copy of the built site, with the report of content/ published."""
    return Path(shutil.copytree(built_site, tmp_path / "site"))


def publish(site: Path | None, text: str, tmp_path: Path, *extra: str) -> int:
    csv = tmp_path / "inventory.csv"
    csv.write_text(text, encoding="utf-8")
    target = ["--site-dir", str(site)] if site else []
    return main(["inventory", "publish", str(csv), "--content-dir", CONTENT, *target, *extra])


def test_a_good_file_is_published_and_the_pointer_switched_last(site, tmp_path, capsys):
    assert publish(site, GOOD, tmp_path) == 0
    assert "Published the inventory report of 2027-01-06 (2 rows, 2 categories)" in capsys.readouterr().out
    pointer = json.loads((site / "inventory/current.json").read_text())
    assert pointer["as_of"] == "2027-01-06" and pointer["categories"] == ["pos", "scanners"]
    rows = json.loads((site / f"library/pos/inventory/{pointer['version']}.json").read_text())["rows"]
    assert rows == [{"model": "POS-T15", "description": "Countertop terminal", "distributor": "mobility-supply",
                     "distributor_name": "Mobility Supply Co. (sample)", "quantity": 7}]  # fmt: skip


def test_a_bad_file_is_refused_with_each_row_and_the_old_report_stays(site, tmp_path, capsys):
    before = {p: p.read_bytes() for p in site.rglob("*") if p.is_file()}
    assert publish(site, BAD, tmp_path) == 1
    err = capsys.readouterr().err
    assert "the report of 2026-12-02 stays published" in err
    assert 'line 2, column quantity: "forty" is not a whole number' in err
    assert 'line 3, column category: unknown category "point-of-sale"' in err
    assert "line 4, column as_of: 2027-01-07 differs from 2027-01-06 on line 2" in err
    after = {p: p.read_bytes() for p in site.rglob("*") if p.is_file()}
    assert after == before, "nothing was written"


def test_check_only_reports_without_publishing(site, tmp_path, capsys):
    before = {p: p.read_bytes() for p in site.rglob("*") if p.is_file()}
    assert publish(site, GOOD, tmp_path, "--check") == 0
    out = capsys.readouterr().out
    assert "2 rows as of 2027-01-06, all valid (checked only; " in out
    assert f"publishing it would replace the report of 2026-12-02 on {site}" in out
    assert {p: p.read_bytes() for p in site.rglob("*") if p.is_file()} == before, "nothing was written"


def test_check_predicts_the_refusal_of_an_older_day_unless_allowed(site, tmp_path, capsys):
    assert publish(site, GOOD, tmp_path) == 0
    before = {p: p.read_bytes() for p in site.rglob("*") if p.is_file()}
    older = GOOD.replace("2027-01-06", "2027-01-05")
    capsys.readouterr()

    assert publish(site, older, tmp_path, "--check") == 1
    captured = capsys.readouterr()
    assert "is the report of 2027-01-05, older than the published report of 2027-01-06" in captured.err
    assert "publishing it would be refused (checked only" in captured.err and "--allow-older" in captured.err
    assert "all valid" not in captured.out

    assert publish(site, older, tmp_path, "--check", "--allow-older") == 0
    assert "publishing it would replace the newer report of 2027-01-06" in capsys.readouterr().out
    assert {p: p.read_bytes() for p in site.rglob("*") if p.is_file()} == before, "nothing was written"


@pytest.mark.parametrize(
    ("encoding", "why"),
    [
        ("utf-16", "it looks like UTF-16"),
        ("utf-16-le", "it looks like UTF-16"),
        ("latin-1", "byte 0xE9 on line 4 is not UTF-8"),
    ],
)
def test_a_file_not_saved_as_utf8_is_refused_saying_how_to_save_it(site, tmp_path, capsys, encoding, why):
    before = {p: p.read_bytes() for p in site.rglob("*") if p.is_file()}
    csv = tmp_path / "inventory.csv"
    csv.write_bytes((GOOD + "2027-01-06,CAF-1,Caf\xe9 terminal,pos,docuflow,1\n").encode(encoding))
    assert main(["inventory", "publish", str(csv), "--content-dir", CONTENT, "--site-dir", str(site)]) == 1
    err = capsys.readouterr().err
    assert f"{csv} is not saved as UTF-8 ({why}" in err
    assert 'Save it as UTF-8 (in Excel: Save As, file type "CSV UTF-8 (Comma delimited)")' in err
    assert "codec" not in err
    assert {p: p.read_bytes() for p in site.rglob("*") if p.is_file()} == before, "nothing was written"


def test_a_utf8_file_with_a_byte_order_mark_is_published(site, tmp_path, capsys):
    csv = tmp_path / "excel.csv"
    csv.write_bytes(GOOD.encode("utf-8-sig"))
    assert main(["inventory", "publish", str(csv), "--content-dir", CONTENT, "--site-dir", str(site)]) == 0
    assert "Published the inventory report of 2027-01-06 (2 rows" in capsys.readouterr().out


def test_publish_to_the_sites_bucket_and_refuse_a_bad_file_there(tmp_path):
    import boto3
    from moto import mock_aws

    with mock_aws():
        s3 = boto3.client("s3")
        s3.create_bucket(Bucket="portal-site")
        assert publish(None, GOOD, tmp_path, "--bucket", "portal-site") == 0
        keys = {o["Key"] for o in s3.list_objects_v2(Bucket="portal-site")["Contents"]}
        pointer = json.loads(s3.get_object(Bucket="portal-site", Key="inventory/current.json")["Body"].read())
        assert keys == {
            "inventory/current.json",
            *(f"library/{c}/inventory/{pointer['version']}.json" for c in ("pos", "scanners")),
        }
        assert s3.get_object(Bucket="portal-site", Key="inventory/current.json")["CacheControl"] == "private, no-cache"

        assert publish(None, BAD, tmp_path, "--bucket", "portal-site") == 1
        again = json.loads(s3.get_object(Bucket="portal-site", Key="inventory/current.json")["Body"].read())
        assert again == pointer, "the published report stays"
        assert len(s3.list_objects_v2(Bucket="portal-site")["Contents"]) == 3


def test_an_older_day_is_refused_naming_both_dates_unless_allowed(site, tmp_path, capsys):
    assert publish(site, GOOD, tmp_path) == 0
    published = json.loads((site / "inventory/current.json").read_text())
    before = {p: p.read_bytes() for p in site.rglob("*") if p.is_file()}
    older = GOOD.replace("2027-01-06", "2027-01-05")
    capsys.readouterr()

    assert publish(site, older, tmp_path) == 1
    err = capsys.readouterr().err
    assert "is the report of 2027-01-05, older than the published report of 2027-01-06" in err
    at = published["published_at"]  # 2027-01-06T13:02:11+00:00
    assert f"(published {at[:10]} {at[11:16]} UTC)" in err
    assert "--allow-older" in err
    assert {p: p.read_bytes() for p in site.rglob("*") if p.is_file()} == before, "nothing was written"

    assert publish(site, older, tmp_path, "--allow-older") == 0
    assert json.loads((site / "inventory/current.json").read_text())["as_of"] == "2027-01-05"


def test_a_corrected_file_of_the_same_day_replaces_the_report(site, tmp_path):
    assert publish(site, GOOD, tmp_path) == 0
    assert publish(site, GOOD.replace(",40\n", ",41\n"), tmp_path) == 0
    pointer = json.loads((site / "inventory/current.json").read_text())
    rows = json.loads((site / f"library/scanners/inventory/{pointer['version']}.json").read_text())["rows"]
    assert rows[0]["quantity"] == 41
