"""Each page loads the portal scripts it uses, and only those (site_builder/scripts.py)."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from helpers import REPO, build_site, copy_project
from mkdocs.exceptions import Abort, PluginError

from site_builder.scripts import SCRIPTS

JAVASCRIPTS = REPO / "site_builder" / "overrides" / "assets" / "javascripts"
EVERY_PAGE = ["portal-access.js", "portal-search.js", "portal-status.js", "portal-account.js"]


def page_scripts(html: str) -> list[str]:
    """The portal scripts a built page loads, in order, read from its <script src> tags."""
    return re.findall(r'<script\b[^>]*\bsrc="[^"]*assets/javascripts/(portal-[a-z-]+\.js)"', html)


def has_attribute(html: str, name: str) -> bool:
    return re.search(rf"<[a-zA-Z][^>]*\s{re.escape(name)}(?=[\s=/>])", html) is not None


def built_pages(site: Path) -> list[Path]:
    return sorted(p for p in site.rglob("*.html") if "<html" in p.read_text(encoding="utf-8"))


def test_every_page_with_a_scripts_hook_loads_that_script_and_what_it_needs_first(built_site):
    checked = 0
    for path in built_pages(built_site):
        html = path.read_text(encoding="utf-8")
        loaded = page_scripts(html)
        where = path.relative_to(built_site)
        assert len(loaded) == len(set(loaded)), f"{where} loads a script twice: {loaded}"
        for script in SCRIPTS:
            hooks = [hook for hook in script.hooks if has_attribute(html, hook)]
            if not (script.everywhere or hooks):
                continue
            checked += bool(hooks)
            assert script.name in loaded, f"{where} has {hooks or 'nothing special'} but does not load {script.name}"
            for need in script.needs:
                assert need in loaded, f"{where} loads {script.name} without {need}"
                assert loaded.index(need) < loaded.index(script.name), f"{where}: {need} after {script.name}"
    assert checked > 30  # forms, finder, tables, maps, account and application pages were all seen


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("information/support/faq/index.html", EVERY_PAGE),
        ("404.html", EVERY_PAGE),
        ("help/index.html", [*EVERY_PAGE[:3], "portal-forms.js", "portal-text-limits.js", "portal-account.js"]),
        ("resources/index.html", [*EVERY_PAGE[:3], "portal-library.js", "portal-account.js"]),
        (
            "information/support/where-to-buy/index.html",
            [*EVERY_PAGE[:3], "portal-tables.js", "portal-account.js"],
        ),
        (
            "apply/categories/index.html",
            [*EVERY_PAGE, "portal-application-core.js", "portal-application.js"],
        ),
    ],
)
def test_a_page_loads_only_the_global_scripts_and_its_own(built_site, path, expected):
    assert page_scripts((built_site / path).read_text(encoding="utf-8")) == expected


def test_every_script_is_declared_once_with_hooks_it_really_looks_for():
    names = [s.name for s in SCRIPTS]
    assert sorted(names) == sorted(p.name for p in JAVASCRIPTS.glob("portal-*.js"))
    assert len(names) == len(set(names))
    for position, script in enumerate(SCRIPTS):
        source = (JAVASCRIPTS / script.name).read_text(encoding="utf-8")
        for hook in script.hooks:
            assert f"[{hook}]" in source, f"{script.name} never looks for [{hook}]"
        for need in script.needs:
            assert need in names[:position], f"{script.name} needs {need}, declared later"


def test_a_hook_in_the_theme_without_its_script_fails_the_build(tmp_path, caplog):
    project = copy_project(tmp_path / "project")
    overrides = project / "site_builder" / "overrides"
    overrides.unlink()
    shutil.copytree(REPO / "site_builder" / "overrides", overrides)
    header = overrides / "partials" / "header.html"
    text = header.read_text(encoding="utf-8")
    header.write_text(text.replace("</header>", "<div data-where-to-buy hidden></div></header>", 1), encoding="utf-8")
    with pytest.raises((PluginError, Abort)) as failure:
        build_site(project, tmp_path / "site")
    message = str(failure.value) + "\n" + caplog.text
    assert "portal-tables.js" in message and "data-where-to-buy" in message


def test_no_page_gives_materials_content_tabs_hook_to_markup_that_is_not_content_tabs(built_site):
    """Material's bundle mounts every ``[data-tabs]`` as content tabs and throws (stopping its search)
    when the element lacks its ``.tabbed-labels``; the portal's own tabs must not carry that attribute."""
    wrong = []
    for page in built_pages(built_site):
        for tag in re.findall(r"<[a-zA-Z][^>]*\sdata-tabs(?=[\s=/>])[^>]*>", page.read_text(encoding="utf-8")):
            if "tabbed-set" not in tag:
                wrong.append(f"{page.relative_to(built_site)}: {tag}")
    assert wrong == []
