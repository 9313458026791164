"""The Channel Inventory Report's CSV rules, shared by the build and `portal inventory publish`."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from site_builder.inventory import POINTER, InventoryError, parse_inventory, report_files

CATEGORIES = {"scanners", "pos"}
DISTRIBUTORS = {"docuflow", "northstar-distribution"}
HEADER = "as_of,model,description,category,distributor,quantity\n"
ROW = "2027-01-05,SCN-1,Scanner,{category},{distributor},{quantity}\n"


def parse(text: str):
    return parse_inventory(text, "day.csv", CATEGORIES, DISTRIBUTORS)


def problems(text: str) -> list[str]:
    with pytest.raises(InventoryError) as refused:
        parse(text)
    return refused.value.problems


def test_a_good_file_becomes_a_report_in_any_column_order_with_a_bom_and_quoted_commas():
    report = parse(
        "\ufeffmodel,quantity,as_of,category,distributor,description\n"
        'SCN-1,12,2027-01-05,scanners,docuflow,"Scanner, 60 ppm"\n'
        "POS-9,0,2027-01-05,pos,northstar-distribution,Terminal\n\n"
    )
    assert report.as_of == dt.date(2027, 1, 5)
    assert [(r.model, r.quantity, r.description) for r in report.rows] == [
        ("SCN-1", 12, "Scanner, 60 ppm"),
        ("POS-9", 0, "Terminal"),
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", "line 1: the header is missing"),
        ("as_of,model,category,distributor,quantity\n", "line 1: missing column(s) description"),
        (HEADER.strip() + ",price\n", "line 1: unknown column(s) price"),
        (HEADER, "the file has a header but no rows"),
        (HEADER + "2027-01-05,SCN-1,Scanner,scanners,docuflow\n", "line 2: has 5 values; the header has 6 columns"),
        (HEADER + "2027-02-30,SCN-1,Scanner,scanners,docuflow,1\n", 'line 2, column as_of: "2027-02-30" is not a date'),
        (HEADER + ROW.format(category="scaners", distributor="docuflow", quantity=1), 'unknown category "scaners"'),
        (HEADER + ROW.format(category="scanners", distributor="acme", quantity=1), 'unknown distributor "acme"'),
        (HEADER + ROW.format(category="scanners", distributor="docuflow", quantity=-3), 'column quantity: "-3" is not'),
        (HEADER + "2027-01-05,SCN 1!,Scanner,scanners,docuflow,1\n", 'line 2, column model: "SCN 1!" is not a model'),
    ],
    ids=["empty", "missing-column", "unknown-column", "no-rows", "short-row", "bad-date", "bad-category",
         "bad-distributor", "negative-quantity", "bad-model"],
)  # fmt: skip
def test_a_bad_file_is_refused_naming_line_and_column(text, expected):
    assert any(expected in p for p in problems(text)), problems(text)


def test_every_bad_row_is_reported_with_its_own_line_and_two_dates_are_refused():
    found = problems(
        HEADER
        + "2027-01-05,SCN-1,Scanner,scanners,docuflow,1\n"
        + "2027-01-05,SCN-2,Scanner,scanners,docuflow,x\n"
        + "2027-01-06,SCN-3,Scanner,scanners,docuflow,2\n"
        + "2027-01-05,SCN-1,Scanner,scanners,docuflow,4\n"
        + "2027-01-05,SCN-4,Scanner,nope,docuflow,y\n"
    )
    assert any(p.startswith("line 3, column quantity") for p in found)
    assert any(p.startswith("line 4, column as_of") and "differs from 2027-01-05 on line 2" in p for p in found)
    assert any(p.startswith("line 5:") and "already on line 2" in p for p in found)
    assert any(p.startswith("line 6, column category") for p in found)
    assert any(p.startswith("line 6, column quantity") for p in found)


def test_published_files_put_each_category_in_its_own_folder_and_the_pointer_last():
    report = parse(HEADER + "2027-01-05,SCN-1,Scanner,scanners,docuflow,1\n2027-01-05,POS-1,Pos,pos,docuflow,2\n")
    files = report_files(report, {"docuflow": "DocuFlow"}, dt.datetime(2027, 1, 5, 14, 30, tzinfo=dt.UTC), "day.csv")
    assert list(files)[-1] == POINTER
    pointer = json.loads(files[POINTER])
    assert pointer["version"] == "2027-01-05.20270105T143000Z" and pointer["categories"] == ["pos", "scanners"]
    scanners = json.loads(files[f"library/scanners/inventory/{pointer['version']}.json"])
    assert scanners["rows"] == [
        {
            "model": "SCN-1",
            "description": "Scanner",
            "distributor": "docuflow",
            "distributor_name": "DocuFlow",
            "quantity": 1,
        }
    ]
