"""The built application pages: who may open them, the progress indicator, and forms drawn from the definitions."""

from __future__ import annotations

import html
import json
import re

import pytest
from helpers import build_site, copy_project
from mkdocs.exceptions import Abort, PluginError

STEP_PAGES = {
    "apply/categories": (1, "public"),
    "apply/user-information": (2, "public"),
    "apply/product-information": (3, "signed-in"),
    "apply/review": (4, "signed-in"),
}


def read(site, path: str) -> str:
    return (site / path / "index.html").read_text(encoding="utf-8")


def article(page: str) -> str:
    return page[page.find("<article") : page.find("</article>")]


def test_who_may_open_the_application_pages(built_site):
    manifest = json.loads((built_site / "access-manifest.json").read_text())["paths"]
    assert manifest["/apply/"] == "public"
    for path, (_, rule) in STEP_PAGES.items():
        assert manifest[f"/{path}/"] == rule, path
    assert manifest["/account/dashboard/"] == "signed-in"
    assert manifest["/staff/applications/"] == "signed-in"


@pytest.mark.parametrize("path", list(STEP_PAGES))
def test_each_step_page_marks_its_step_in_the_progress_indicator(built_site, path):
    page = article(read(built_site, path))
    number, _ = STEP_PAGES[path]
    steps = re.findall(r"<li class=\"portal-steps__step[^\"]*\"( aria-current=\"step\")?>.*?</li>", page)
    assert len(steps) == 4
    assert [bool(s) for s in steps] == [n == number for n in range(1, 5)]
    for title in ("Category Selection", "User Information", "Product Information", "Complete"):
        assert title in page
    assert not re.search(r"<script(?![^>]*\bsrc=)", page), "no inline scripts"


def test_step_1_offers_every_category_with_the_note(built_site, catalog):
    page = article(read(built_site, "apply/categories"))
    boxes = re.findall(r'<input type="checkbox" id="c-([a-z0-9-]+)" name="categories" value="\1">', page)
    assert boxes == [c.slug for c in catalog.categories]
    assert "Apply only for those your company is qualified for and interested in pursuing." in page
    assert "SAVE AND CONTINUE" in page


def test_step_2_is_drawn_from_the_model_in_four_tabs(built_site):
    from portal.application_steps import UserInformation

    page = html.unescape(article(read(built_site, "apply/user-information")))
    tabs = re.findall(r'role="tab" id="tab-(\w+)"', page)
    assert tabs == ["you", "company", "people", "sales"]
    for name, field in UserInformation.model_fields.items():
        assert f'name="{name}"' in page, name
        assert f'<label for="f-{name}">{field.title}' in page or f"<legend>{field.title}" in page, name
    assert 'name="email" type="email" autocomplete="email" data-max-length="254"' in page
    assert 'id="f-first_name" name="first_name" type="text" autocomplete="given-name" data-max-length="80"' in page
    assert "maxlength" not in page, "a limit is told next to the field, never cut silently"
    assert re.search(r'id="f-employees" name="employees" type="number" inputmode="numeric" step="1" min="1"', page)
    assert '<option value="$5-25 million">$5-25 million</option>' in page
    assert 'name="referred" value="yes"' in page and "data-when-referred" in page
    assert "BACK TO CATEGORY SELECTION" in page


def test_step_3_asks_every_question_of_the_content_data(built_site, catalog):
    from portal.application_questions import load_application_questions

    page = article(read(built_site, "apply/product-information"))
    for slug, questions in load_application_questions(None, catalog).items():
        assert f'data-category-questions="{slug}" hidden disabled' in page
        for q in questions:
            assert f'name="answers.{slug}.{q.id}"' in page, (slug, q.id)
            assert html.escape(q.label, quote=False) in page
            assert f'data-error-for="answers.{slug}.{q.id}"' in page


def test_number_fields_show_their_limits_with_thousands_separated(built_site):
    step_2 = html.unescape(article(read(built_site, "apply/user-information")))
    assert '<p class="portal-form__hint" id="f-employees-range">A whole number from 1 to 1,000,000.</p>' in step_2
    assert re.search(r'id="f-employees"[^>]*aria-describedby="[^"]*f-employees-range', step_2)
    step_3 = html.unescape(article(read(built_site, "apply/product-information")))
    assert (
        '<p class="portal-form__hint" id="q-scanners-annual-units-range">A whole number from 0 to 100,000.</p>'
    ) in step_3
    assert "A whole number from 0 to 100000" not in step_3


def test_step_4_asks_to_accept_the_guidelines(built_site):
    page = article(read(built_site, "apply/review"))
    assert 'name="accept_guidelines"' in page and 'href="../#guidelines"' in page
    assert "SUBMIT APPLICATION" in page


def test_the_home_page_and_the_start_page_lead_into_the_application(built_site):
    home = read(built_site, "")
    assert re.search(r'<a class="md-button md-button--primary" href="apply/">START YOUR APPLICATION</a>', home)
    start = article(read(built_site, "apply"))
    assert re.search(r'<a class="md-button md-button--primary" href="categories/">START YOUR APPLICATION</a>', start)
    assert 'id="guidelines"' in start


def test_the_header_offers_my_dashboard(built_site):
    assert re.search(r'data-dashboard-url="(\.\./)*account/dashboard/"', read(built_site, "help"))


def test_question_labels_are_escaped(tmp_path):
    project = copy_project(tmp_path / "project")
    pos = project / "content" / "data" / "application_questions" / "pos.yml"
    pos.write_text(pos.read_text() + '- id: tags\n  label: "Do you sell <b>bold</b> & more?"\n  type: yes-no\n')
    site = build_site(project, tmp_path / "site")
    page = read(site, "apply/product-information")
    assert "Do you sell &lt;b&gt;bold&lt;/b&gt; &amp; more?" in page and "<b>bold</b>" not in page


def test_a_bad_question_fails_the_build_naming_the_file_entry_and_field(tmp_path, caplog):
    project = copy_project(tmp_path / "project")
    scanners = project / "content" / "data" / "application_questions" / "scanners.yml"
    scanners.write_text(scanners.read_text().replace("  type: yes-no\n", "  type: yes-no\n  choices: [Yes, No]\n", 1))
    with pytest.raises((PluginError, Abort)) as failure:
        build_site(project, tmp_path / "site")
    message = str(failure.value) + caplog.text
    assert "application_questions/scanners.yml" in message
    assert 'entry 3 ("capture-software")' in message and "field choices" in message
