"""A rebuild keeps what staff changed in the running site: a posted notice, a newer inventory report."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from helpers import REPO, build_site, copy_project

from infra.cli import main


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A throwaway copy of the portal's sources."""
    return copy_project(tmp_path / "project")


def test_a_posted_notice_survives_a_rebuild_and_a_damaged_file_is_replaced(project, tmp_path):
    site = build_site(project, tmp_path / "site")
    assert main(["status", "post", "--level", "info", "--message", "Planned maintenance", "--site-dir", str(site)]) == 0
    build_site(project, site)
    assert json.loads((site / "status.json").read_text())["notice"]["message"] == "Planned maintenance"
    (site / "status.json").write_text("{broken")
    build_site(project, site)
    assert json.loads((site / "status.json").read_text())["notice"] is None


def test_a_published_report_survives_a_rebuild_until_content_has_a_newer_one(project, tmp_path):
    site = build_site(project, tmp_path / "site")
    day = tmp_path / "day.csv"
    day.write_text(
        "as_of,model,description,category,distributor,quantity\n2027-01-06,SCN-9,Scanner,scanners,docuflow,5\n"
    )
    content = str(project / "content")
    assert main(["inventory", "publish", str(day), "--site-dir", str(site), "--content-dir", content]) == 0
    build_site(project, site)
    pointer = json.loads((site / "inventory/current.json").read_text())
    assert pointer["as_of"] == "2027-01-06"
    assert (site / f"library/scanners/inventory/{pointer['version']}.json").is_file()

    newer = (REPO / "content/data/inventory/channel-inventory.csv").read_text().replace("2026-12-02", "2027-01-07")
    (project / "content/data/inventory/channel-inventory.csv").write_text(newer)
    build_site(project, site)
    assert json.loads((site / "inventory/current.json").read_text())["as_of"] == "2027-01-07"
    shutil.rmtree(site)
