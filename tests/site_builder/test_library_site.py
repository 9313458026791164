"""The built library, as a reseller and the CDN see it: where each file lands and who may open it."""

from __future__ import annotations

import html
import json
import re
from pathlib import Path

import pytest
import yaml
from helpers import REPO

from site_builder.access import rule_for


def read(site: Path, path: str) -> str:
    return (site / path).read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def manifest(built_site) -> dict:
    """The access manifest of the built site."""
    return json.loads(read(built_site, "access-manifest.json"))


def resources() -> list[dict]:
    """Every resource entry of the sample content."""
    entries = []
    for path in sorted((REPO / "content" / "data" / "resources").glob("*.yml")):
        entries += yaml.safe_load(path.read_text(encoding="utf-8"))
    return entries


def test_each_file_is_published_behind_the_rule_of_its_scope(built_site, manifest):
    expected = {"public": "public", "all": "signed-in"}
    checked = 0
    for file in (built_site / "library").rglob("*"):
        if not file.is_file() or file.name == "index.json":
            continue
        scope = file.relative_to(built_site / "library").parts[0]
        path = "/" + file.relative_to(built_site).as_posix()
        assert rule_for(manifest, path) == expected.get(scope, f"category:{scope}"), path
        checked += 1
    assert checked > 60
    assert rule_for(manifest, "/library/index.json") == "public"


def test_a_resource_for_two_categories_is_copied_into_each_and_public_ones_open_for_everyone(built_site):
    library = built_site / "library"
    assert (library / "computers-tablets/files/shared/mobile-computing-comparison.pdf").is_file()
    assert (library / "rugged-handhelds/files/shared/mobile-computing-comparison.pdf").is_file()
    assert not (library / "scanners/files/shared/mobile-computing-comparison.pdf").exists()
    assert (library / "public/files/applications/sample-application-pos.pdf").is_file()
    assert (library / "all/files/program/program-guidelines.pdf").read_bytes().startswith(b"%PDF-")


def test_the_finder_data_of_a_category_holds_only_its_resources(built_site):
    data = json.loads(read(built_site, "library/scanners/resources.json"))
    ids = {r["id"] for r in data["resources"]}
    assert {"scanners-brochure", "spiff-bulletin-scanners", "production-scanner-datasheet"} <= ids
    assert all("scanners" in r["categories"] for r in data["resources"])
    brochure = next(r for r in data["resources"] if r["id"] == "scanners-brochure")
    assert brochure["url"] == "library/scanners/files/scanners/scanners-brochure.pdf"
    assert brochure["format"] == "PDF" and brochure["size"] > 500 and brochure["type"] == "marketing"
    dates = [r["date"] for r in data["resources"]]
    assert dates == sorted(dates, reverse=True), "newest first"


def test_material_single_search_index_is_never_written(built_site):
    assert not (built_site / "search" / "search_index.json").exists()
    assert not list(built_site.rglob("search_index.js*"))


@pytest.mark.parametrize("index", ["public", "signed-in", "category/scanners", "category/pos"])
def test_each_search_index_holds_only_what_its_audience_may_open(built_site, manifest, index):
    data = json.loads(read(built_site, f"search/{index}.json"))
    rule = index.replace("category/", "category:")
    assert rule_for(manifest, f"/search/{index}.json") == rule
    assert data["docs"], "an index with nothing in it"
    for doc in data["docs"]:
        assert rule_for(manifest, "/" + doc["location"].split("#")[0]) == rule, doc["location"]


def test_gated_titles_and_sentences_appear_in_no_broader_index(built_site):
    public = read(built_site, "search/public.json") + read(built_site, "search/signed-in.json")
    pos = read(built_site, "search/category/pos.json")
    for secret in [
        "Scanners territory map",
        "Document Scanners brochure",
        "Avery Sample",
        "departmental scanner bundle",
    ]:
        assert secret not in public and secret not in pos
    assert "Document Scanners brochure" in read(built_site, "search/category/scanners.json")


def test_no_page_is_over_100_kb_and_none_lists_the_whole_library(built_site):
    titles = [r["title"] for r in resources()]
    for page in built_site.rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        assert len(text.encode()) <= 100 * 1024, page
        listed = sum(html.escape(t, quote=False) in text or t in text for t in titles)
        assert listed < len(titles), f"{page} lists every resource"


def test_a_category_page_shows_its_resources_requirements_mdf_and_programs(built_site):
    page = html.unescape(read(built_site, "products/broadcast-cinema-pro-video/index.html"))
    assert "4K studio camera system data sheet" in page
    assert "Document Scanners brochure" not in page, "another category's resource"
    for heading in ['id="resources"', 'id="requirements-and-benefits"', 'id="mdf"', 'id="programs"']:
        assert heading in page
    assert "offers Marketing Development Funds" in page
    assert 'href="../../information/programs/spiff-programs/#reseller-rebates"' in page
    scanners = html.unescape(read(built_site, "products/scanners/index.html"))
    assert 'href="../../resources/general/territory-maps/scanners/"' in scanners
    assert 'href="../../resources/?category=scanners"' in scanners


def test_a_program_page_never_embeds_a_category_gated_document(built_site):
    spiff = html.unescape(read(built_site, "information/programs/spiff-programs/index.html"))
    assert "SPIFF bulletin: scanners" not in spiff
    assert 'data-program-resources="spiff-programs" data-program-dynamic' in spiff
    about = html.unescape(read(built_site, "information/programs/about/index.html"))
    for title in ["Program Guidelines", "Demo Program Guidelines", "UMAP"]:
        assert title in about
    opportunities = html.unescape(read(built_site, "information/programs/authorization-opportunities/index.html"))
    assert opportunities.count("Sample application:") == 15
    assert "library/public/files/applications/sample-application-scanners.pdf" in opportunities


def test_a_territory_map_is_an_accessible_svg_with_a_table_and_a_finder(built_site, manifest):
    page = read(built_site, "resources/general/territory-maps/scanners/index.html")
    assert rule_for(manifest, "/resources/general/territory-maps/scanners/") == "category:scanners"
    start = page.find('<svg class="portal-tile-map"')
    svg = page[start : page.find("</svg>", start)]
    assert 'role="img"' in svg and 'aria-labelledby="map-title-scanners map-desc-scanners"' in svg
    assert '<title id="map-title-scanners">Territory map for Scanners</title>' in svg
    assert len(re.findall(r'data-state="[A-Z]{2}"', svg)) == 51
    assert "Texas: Central, Jordan Fictive" in svg
    assert page.count('<tr id="territory-') == 3
    assert 'data-rep-finder="scanners"' in page and '<option value="TX">Texas</option>' in page
    overview = read(built_site, "resources/general/territory-maps/index.html")
    assert 'data-territory-group="rugged-handhelds"' in overview
    # Each group without a map is named in a span of its own (the maps page's script reads them).
    assert "No territory map is published yet for Storage" in html.unescape(re.sub(r"<[^>]+>", "", overview))
    assert "Avery Sample" not in overview, "a gated representative on the signed-in overview"
    # The overview's finder knows the groups without a map (to name the reader's own); a map's does not.
    unmapped = json.loads(html.unescape(re.search(r"data-unmapped-groups='([^']*)'", overview)[1]))
    assert unmapped["pos"] == "POS" and "scanners" not in unmapped
    assert "data-unmapped-groups" not in page


def test_every_event_has_a_valid_calendar_file(built_site, manifest):
    events = yaml.safe_load(read(REPO, "content/data/events.yml"))
    for event in events:
        data = (built_site / "events" / f"{event['id']}.ics").read_bytes()
        assert rule_for(manifest, f"/events/{event['id']}.ics") == "public"
        assert data.endswith(b"\r\n") and b"\n" not in data.replace(b"\r\n", b"")
        lines = data.split(b"\r\n")[:-1]
        assert all(len(line) <= 75 for line in lines), "lines are folded at 75 octets"
        unfolded = data.replace(b"\r\n ", b"").decode("utf-8")
        assert unfolded.startswith("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:")
        assert f"UID:{event['id']}@127.0.0.1" in unfolded
        assert re.search(r"DTSTAMP:\d{8}T\d{6}Z", unfolded)
        assert re.search(r"DTSTART:\d{8}T\d{6}Z\r\nDTEND:\d{8}T\d{6}Z", unfolded)
    roadshow = (built_site / "events/rugged-roadshow-dallas-2027.ics").read_bytes().replace(b"\r\n ", b"").decode()
    assert "LOCATION:Example Conference Center\\, Dallas\\, TX" in roadshow
    assert "DTSTART:20270304T153000Z" in roadshow, "09:30 in Chicago is 15:30 UTC"


def test_home_page_lists_upcoming_and_past_events_with_calendar_links(built_site):
    page = html.unescape(read(built_site, "index.html"))
    upcoming = page[page.find("data-events-upcoming") : page.find("data-events-past")]
    past = page[page.find("data-events-past") :]
    assert "Reseller Partner Portal tour (live webinar)" in upcoming
    assert "What's new in the communication server release" in past
    assert 'href="events/portal-tour-2027-01.ics"' in page
    assert page.count('class="portal-event"') >= 6


def test_status_and_inventory_files_are_published_with_their_rules(built_site, manifest):
    status = json.loads(read(built_site, "status.json"))
    assert status["notice"] is None and rule_for(manifest, "/status.json") == "public"
    pointer = json.loads(read(built_site, "inventory/current.json"))
    assert pointer["as_of"] == "2026-12-02" and rule_for(manifest, "/inventory/current.json") == "signed-in"
    scanners = json.loads(read(built_site, f"library/scanners/inventory/{pointer['version']}.json"))
    assert {row["model"] for row in scanners["rows"]} >= {"SCN-D310", "SCN-P4200"}
    assert rule_for(manifest, f"/library/scanners/inventory/{pointer['version']}.json") == "category:scanners"


def test_the_faq_links_to_the_library_pages_it_mentions(built_site):
    faq = read(built_site, "information/support/faq/index.html")
    for target in [
        "../../../resources/?view=latest",
        "../../../resources/?type=general",
        "../../../resources/?type=business-activity",
        "../../../training/#portal-training",
        "../../programs/instant-rebates/",
        "../../programs/spiff-programs/#reseller-rebates",
        "../../programs/authorization-opportunities/",
    ]:
        assert f'href="{target}' in faq, f"the FAQ never links to {target}"
