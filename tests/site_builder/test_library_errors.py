"""Bad library data fails the build with a message naming the file, the entry and the field."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from helpers import build_site, copy_project
from mkdocs.exceptions import Abort, PluginError

RESOURCES = "content/data/resources/product.yml"


def break_and_build(tmp_path: Path, caplog, changes: dict[str, object]) -> str:
    """Apply ``changes`` (file -> function of its text, or bytes to write) to a copy and build it."""
    project = copy_project(tmp_path / "project")
    for name, change in changes.items():
        path = project / name
        if isinstance(change, bytes):
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(change)
        else:
            path.write_text(change(path.read_text(encoding="utf-8") if path.exists() else ""), encoding="utf-8")
    with pytest.raises((PluginError, Abort)) as failure:
        build_site(project, tmp_path / "site")
    return str(failure.value) + "\n" + caplog.text


def once(old: str, new: str):
    def change(text: str) -> str:
        assert old in text, old
        return text.replace(old, new, 1)

    return change


CASES = [
    pytest.param(
        {RESOURCES: once("categories: [storage]", "categories: [storag]")},
        ["product.yml", 'entry 3 ("storage-archive-spec")', "field categories", 'unknown category "storag"'],
        id="unknown-category",
    ),
    pytest.param(
        {RESOURCES: once("type: product\n  categories: [storage]", "type: brochure\n  categories: [storage]")},
        ["product.yml", 'entry 3 ("storage-archive-spec")', "field type", 'unknown document type "brochure"'],
        id="unknown-type",
    ),
    pytest.param(
        {RESOURCES: once("file: storage/archive-system-specifications.pdf", "file: storage/missing.pdf")},
        [
            "product.yml",
            'entry 3 ("storage-archive-spec")',
            "field file",
            "content/files/storage/missing.pdf does not exist",
        ],
        id="missing-file",
    ),
    pytest.param(
        {
            RESOURCES: once("file: storage/archive-system-specifications.pdf", "file: storage/fake.pdf"),
            "content/files/storage/fake.pdf": b"<html>not a pdf</html>",
        },
        ["product.yml", 'entry 3 ("storage-archive-spec")', "field file", "is not really a PDF file"],
        id="file-content-not-its-type",
    ),
    pytest.param(
        {RESOURCES: once("file: storage/archive-system-specifications.pdf", "file: storage/setup.exe")},
        ["product.yml", 'entry 3 ("storage-archive-spec")', "field file", 'files of type ".exe" are not allowed'],
        id="file-type-not-allowed",
    ),
    pytest.param(
        {RESOURCES: once("id: storage-archive-spec", "id: computers-tablets-line-card")},
        ["product.yml", 'entry 3 ("computers-tablets-line-card")', "field id", "is used by an earlier entry"],
        id="duplicate-id-in-a-file",
    ),
    pytest.param(
        {RESOURCES: once("id: storage-archive-spec", "id: scanners-brochure")},
        ["product.yml", 'entry 3 ("scanners-brochure")', "field id", "already used in marketing.yml"],
        id="duplicate-id-across-files",
    ),
    pytest.param(
        {RESOURCES: once("date: 2026-02-09", "date: 2026-13-09")},
        ["product.yml", 'entry 3 ("storage-archive-spec")', "field date", "month"],
        id="malformed-date",
    ),
    pytest.param(
        {RESOURCES: once('  version: "1.2"\n', "")},
        ["product.yml", 'entry 3 ("storage-archive-spec")', "field version", "Field required"],
        id="missing-version",
    ),
    pytest.param(
        {
            "content/data/territories.yml": once(
                "states: [ME, NH, VT, MA, RI, CT, NY, NJ, PA, DE", "states: [ME, NH, VT, MA, RI, CT, NY, NJ, PA, XX"
            )
        },
        ["territories.yml", 'entry 1 ("scanners")', "field territories[1].states", 'unknown state "XX"'],
        id="territory-unknown-state",
    ),
    pytest.param(
        {"content/data/territories.yml": once("states: [OH, MI,", "states: [FL, OH, MI,")},
        ["territories.yml", 'entry 1 ("scanners")', "FL is in both East and Central"],
        id="state-in-two-territories",
    ),
    pytest.param(
        {"content/data/territories.yml": once("- group: scanners", "- group: scaners")},
        ["territories.yml", 'entry 1 ("scaners")', "field group", 'unknown product group "scaners"'],
        id="territory-unknown-group",
    ),
    pytest.param(
        {"content/data/events.yml": once("start: 2027-01-19 13:00", "start: 2027-01-19 25:00")},
        ["events.yml", 'entry 1 ("portal-tour-2027-01")', "field start"],
        id="event-malformed-time",
    ),
    pytest.param(
        {"content/data/events.yml": once("timezone: America/Chicago", "timezone: Mars/Olympus")},
        ["events.yml", 'entry 2 ("scanner-capture-certification-2027")', "field timezone", "unknown time zone"],
        id="event-unknown-zone",
    ),
    pytest.param(
        {"content/data/distributors.yml": once("categories: [medical-imaging]", "categories: [medical]")},
        ["distributors.yml", 'entry 7 ("healthtech-supply")', "field categories", 'unknown category "medical"'],
        id="distributor-unknown-category",
    ),
    pytest.param(
        {"content/data/inventory/channel-inventory.csv": lambda t: t.replace(",48\n", ",forty-eight\n", 1)},
        ["channel-inventory.csv", "line 2, column quantity", '"forty-eight" is not a whole number'],
        id="inventory-bad-quantity",
    ),
    pytest.param(
        {"content/data/category_programs.yml": lambda t: re.sub(r"- category: storage\n(?:  .*\n|    .*\n)+", "", t)},
        ["category_programs.yml", 'category "storage" has no entry'],
        id="category-without-program",
    ),
    pytest.param(
        {"content/data/programs.yml": once("page: information/programs/pos-upload.md", "page: programs/pos.md")},
        ["programs.yml", 'entry 4 ("pos-upload")', "field page", "there is no page content/pages/programs/pos.md"],
        id="program-page-missing",
    ),
]


@pytest.mark.parametrize(("changes", "expected"), CASES)
def test_bad_library_data_fails_the_build_naming_file_entry_and_field(tmp_path, caplog, changes, expected):
    message = break_and_build(tmp_path, caplog, changes)
    assert "Content data is not valid" in message
    for part in expected:
        assert part in message, f"{part!r} not in:\n{message}"


def test_problems_in_several_files_are_reported_together(tmp_path, caplog):
    message = break_and_build(
        tmp_path,
        caplog,
        {
            RESOURCES: once("categories: [storage]", "categories: [storag]"),
            "content/data/events.yml": once("timezone: America/Chicago", "timezone: Mars/Olympus"),
        },
    )
    assert "product.yml" in message and "events.yml" in message


def test_an_unknown_widget_names_the_page(tmp_path, caplog):
    message = break_and_build(
        tmp_path, caplog, {"content/pages/training/index.md": lambda t: t + "\n<!-- portal:calendar -->\n"}
    )
    assert "training/index.md" in message and "unknown widget portal:calendar" in message
