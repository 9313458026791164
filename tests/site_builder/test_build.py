"""A real ``mkdocs build`` of the portal: what a reseller and an editor would notice."""

from __future__ import annotations

import html
import re
from pathlib import Path

import pytest
import yaml
from helpers import REPO, build_site, copy_project
from mkdocs.exceptions import Abort, PluginError

SEED = REPO.parent / "shared" / "seed" / "partner-portal-faq.txt"
CATEGORY_NAMES = [
    "Computers & Tablets", "Storage", "Building Automation Systems", "Evidence Capture", "Medical Imaging", "POS",
    "Broadcast, Cinema and Professional Video Systems", "Rugged Handhelds", "Scanners", "Unified Communications",
    "Video Surveillance", "Visual Systems", "Wireless", "Fax and All In One", "Presentation Technologies",
]  # fmt: skip


def seed_questions() -> list[str]:
    """Every question line of the requirements FAQ."""
    lines = [line.strip() for line in SEED.read_text(encoding="utf-8").splitlines()]
    return [line for line in lines if line.endswith("?") and len(line) > 12]


def read(site: Path, path: str) -> str:
    return (site / path).read_text(encoding="utf-8")


def test_every_seed_question_is_answered_in_the_faq(built_site):
    """The map (kept beside this test) names each requirements question and the anchor answering it."""
    map_file = Path(__file__).with_name("faq_seed_map.yml")
    mapping = {entry["seed"].strip(): entry["anchor"] for entry in yaml.safe_load(map_file.read_text(encoding="utf-8"))}
    assert len(mapping) == 25
    if SEED.exists():  # CI and developers have shared/ beside the repository: the map must cover it all
        missing = [q for q in seed_questions() if q not in mapping]
        assert not missing, f"seed questions with no FAQ entry: {missing}"
    faq = read(built_site, "information/support/faq/index.html")
    for question, anchor in mapping.items():
        match = re.search(rf'<h3 id="{re.escape(anchor)}">(.*?)<a', faq, re.S)
        assert match, f"FAQ has no heading #{anchor} for: {question}"
        answer = faq[match.end() : faq.find("<h", match.end())]
        assert len(re.sub(r"<[^>]+>", "", answer).split()) >= 15, f"answer to '{question}' is too thin"


def test_faq_answers_link_to_the_places_they_name(built_site):
    faq = read(built_site, "information/support/faq/index.html")
    for target in [
        "../../programs/inventory-report/",
        "../../../resources/general/territory-maps/",
        "../../programs/about/",
        "../../programs/about/#mdf",
        "../where-to-buy/",
        "../../../help/",
        "../../../help/service-health/",
    ]:
        assert f'href="{target}' in faq, f"the FAQ never links to {target}"


def test_faq_shows_contacts_from_the_contacts_file(built_site):
    contacts = yaml.safe_load(read(REPO, "content/data/contacts.yml"))
    faq = read(built_site, "information/support/faq/index.html")
    assert contacts["reseller_support"]["email"] in faq
    assert "{{" not in faq and "panasonic" not in faq.lower()


def test_each_of_the_15_categories_has_a_generated_page(built_site):
    overview = html.unescape(read(built_site, "products/index.html"))
    categories = yaml.safe_load(read(REPO, "content/data/categories.yml"))
    assert [c["name"] for c in categories] == CATEGORY_NAMES
    for category in categories:
        page = html.unescape(read(built_site, f"products/{category['slug']}/index.html"))
        assert "<h1 id=" in page and category["name"] in page
        assert category["name"] in overview


def test_category_pages_are_not_listed_in_every_pages_navigation(built_site):
    home = read(built_site, "index.html")
    assert "products/storage/" not in home, "the home page's navigation lists generated category pages"


@pytest.mark.parametrize(
    "path",
    [
        "index.html", "products/index.html", "resources/index.html", "resources/general/territory-maps/index.html",
        "information/index.html", "information/programs/about/index.html",
        "information/programs/authorization-opportunities/index.html",
        "information/programs/deal-registration/index.html",
        "information/programs/pos-upload/index.html", "information/programs/spiff-programs/index.html",
        "information/programs/inventory-report/index.html", "information/programs/instant-rebates/index.html",
        "information/support/faq/index.html", "information/support/warranties/index.html",
        "information/support/where-to-buy/index.html", "information/support/finance-solutions/index.html",
        "information/support/product-registration/index.html", "information/support/instructions/index.html",
        "information/support/technical-support/index.html", "training/index.html", "help/index.html",
        "help/service-health/index.html",
    ],
)  # fmt: skip
def test_every_navigation_page_has_real_prose(built_site, path):
    page = read(built_site, path)
    article = page[page.find("<article") : page.find("</article>")]
    words = re.sub(r"<[^>]+>", " ", article).split()
    assert len(words) >= 120, f"{path} has only {len(words)} words"
    assert "lorem" not in article.lower() and "todo" not in article.lower()


def test_help_page_has_the_form_built_from_the_api_model(built_site):
    page = read(built_site, "help/index.html")
    start = page.find('<form class="portal-form"')
    form = page[start : page.find("</form>", start)]
    for name in ["name", "email", "company", "phone", "topic", "category", "message"]:
        assert f'name="{name}"' in form
    # The limit is told next to the field while typing; the browser never cuts the text.
    assert 'data-max-length="5000"' in form and "maxlength" not in form
    assert 'id="f-homepage"' in form and 'tabindex="-1"' in form
    topics = yaml.safe_load(read(REPO, "content/data/help_topics.yml"))
    assert all(f'value="{t["id"]}"' in form for t in topics)


def test_no_field_cuts_what_is_typed_or_pasted(built_site):
    cutting = []
    for path in sorted(built_site.rglob("*.html")):
        for field in re.findall(r"<(?:input|textarea)\b[^>]*\bmaxlength=[^>]*>", path.read_text(encoding="utf-8")):
            # The company finder is a search box: a longer query finds nothing either way.
            if 'id="company-finder-name"' not in field:
                cutting.append(f"{path.relative_to(built_site)}: {field}")
    assert cutting == [], "use data-max-length (the limit is then told, not enforced by cutting)"


def test_no_page_requests_another_origin(built_site):
    offenders = []
    for page in built_site.rglob("*.html"):
        for tag in re.findall(r"<(?:script|img|iframe|source|link)\b[^>]*>", page.read_text(encoding="utf-8")):
            if re.search(r'rel="(?:canonical|alternate)"', tag):
                continue  # names the page's own address; the browser fetches nothing
            if re.search(r'(?:src|href)="(?:https?:)?//', tag):
                offenders.append((str(page.relative_to(built_site)), tag))
    assert not offenders, offenders[:5]


def _break_and_build(tmp_path: Path, file: str, change, caplog) -> str:
    project = copy_project(tmp_path / "project")
    path = project / file
    path.write_text(change(path.read_text(encoding="utf-8")), encoding="utf-8")
    with pytest.raises((PluginError, Abort)) as failure:
        build_site(project, tmp_path / "site")
    # MkDocs logs the plugin's message, then aborts: the editor sees the log.
    return str(failure.value) + "\n" + caplog.text


@pytest.mark.parametrize(
    ("file", "change", "expected"),
    [
        pytest.param(
            "content/data/categories.yml",
            lambda text: text.replace("slug: storage", "slug: Storage Products", 1),
            ["categories.yml", 'entry 2 ("Storage Products")', "field slug"],
            id="bad-slug",
        ),
        pytest.param(
            "content/data/categories.yml",
            lambda text: text.replace("slug: storage", "slug: computers-tablets", 1),
            ["categories.yml", "entry 2", 'field slug: "computers-tablets" is used by an earlier entry'],
            id="duplicate-slug",
        ),
        pytest.param(
            "content/data/contacts.yml",
            lambda text: re.sub(
                r"(reseller_support:\s*\n(?:\s+\w+:.*\n)*?\s+email:).*", r"\1 not-an-email", text, count=1
            ),
            ["contacts.yml", "field reseller_support.email"],
            id="bad-email",
        ),
        pytest.param(
            "content/data/help_topics.yml",
            lambda text: text + "\n- {id: extra-topic}\n",
            ["help_topics.yml", "field label", "Field required"],
            id="missing-field",
        ),
        pytest.param(
            "content/data/categories.yml",
            lambda text: text + "\n  - : : broken\n",
            ["categories.yml", "not valid YAML"],
            id="bad-yaml",
        ),
    ],
)
def test_bad_data_fails_the_build_naming_file_entry_and_field(tmp_path, caplog, file, change, expected):
    message = _break_and_build(tmp_path, file, change, caplog)
    for part in expected:
        assert part in message


def test_unknown_template_variable_fails_naming_the_page(tmp_path, caplog):
    message = _break_and_build(
        tmp_path, "content/pages/help/service-health.md", lambda t: t + "\nCall {{ contacts.nobody.phone }}.\n", caplog
    )
    assert "help/service-health.md" in message and "nobody" in message


def test_broken_internal_link_fails_the_build(tmp_path, caplog):
    message = _break_and_build(
        tmp_path, "content/pages/training/index.md", lambda t: t + "\nSee [the old guide](no-such-page.md).\n", caplog
    )
    assert "training/index.md" in message and "no-such-page.md" in message
