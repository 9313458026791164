"""The library's part of a build, called from the ``portal`` plugin's hooks.

``on_config`` → ``LibraryBuild.load`` (validates all data, fails the build with file/entry/field),
``on_files`` → ``add_files`` (territory map pages, JSON, downloads, calendar files),
``on_page_markdown`` → ``render_widgets`` (the ``<!-- portal:... -->`` markers).
"""

from __future__ import annotations

import datetime as dt
import logging
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import jinja2
from markupsafe import Markup
from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File, Files, InclusionLevel
from portal.catalog import Catalog

from site_builder.access import AccessMap
from site_builder.emit import Emitted, library_files, register_access
from site_builder.library import Library, load_library
from site_builder.territories import STATES, states_options
from site_builder.tile_map import FILLS, render_tile_map
from site_builder.widgets import Widgets

TEMPLATES = Path(__file__).parent / "templates"
TERRITORY_PAGES = "resources/general/territory-maps"
log = logging.getLogger("mkdocs.plugins.portal.library")


def template_environment() -> jinja2.Environment:
    """The library's Jinja2 templates: HTML-escaped, no stray blank lines from block tags."""
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES),
        undefined=jinja2.StrictUndefined,
        autoescape=True,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["filesize"] = filesize
    env.filters["long_date"] = long_date
    env.filters["pluralize"] = lambda count: "" if count == 1 else "s"
    return env


def long_date(iso: str) -> str:
    """'2027-01-05' → 'January 5, 2027'."""
    day = dt.date.fromisoformat(str(iso))
    return f"{day:%B} {day.day}, {day.year}"


def filesize(size: float) -> str:
    """1536 → '1.5 KB' (binary units, as file managers show them)."""
    for unit in ("bytes", "KB", "MB"):
        if size < 1024 or unit == "MB":
            return f"{size} {unit}" if unit == "bytes" else f"{size:.1f} {unit}".replace(".0 ", " ")
        size /= 1024
    return f"{size:.1f} GB"


class LibraryBuild:
    """The validated library of one build and what it adds to the site."""

    def __init__(self, library: Library) -> None:
        self.library = library
        self.templates = template_environment()
        self.widgets = Widgets(library, self.templates)

    @classmethod
    def load(cls, content_dir: Path, catalog: Catalog, config: Any) -> LibraryBuild:
        """Read and check the data (ContentError on any problem) and report the files' sizes."""
        library = load_library(content_dir, catalog, Path(config.docs_dir), Path(config.site_dir))
        total = sum(f.size for f in library.file_facts.values())
        largest = max(library.file_facts.items(), key=lambda item: item[1].size, default=None)
        log.info(
            "Resource library: %d resources, %d files, %s in total%s",
            len(library.resources),
            len(library.file_facts),
            filesize(total),
            f"; largest {largest[1].path.name} ({filesize(largest[1].size)})" if largest else "",
        )
        return cls(library)

    def register_access(self, access_map: AccessMap) -> None:
        register_access(self.library, access_map)

    def add_files(self, files: Files, config: Any) -> Files:
        """Add the territory map pages and every emitted file to the build."""
        for territory_map in self.library.territory_maps:
            src_uri = f"{TERRITORY_PAGES}/{territory_map.group}.md"
            if files.get_file_from_path(src_uri):
                raise PluginError(f"{src_uri} is generated from territories.yml; remove the file from content/pages.")
            name = self.library.category_names[territory_map.group]
            content = self.templates.get_template("territory_group.md.j2").render(
                slug=territory_map.group,
                name=name,
                territory_map=territory_map,
                svg=Markup(render_tile_map(territory_map, name)),  # noqa: S704 (built from validated data, escaped)
                state_names=STATES,
                states=states_options(),
                fills=FILLS,
                library=self.library,
                url=lambda target: target,
            )
            # Reached from the Territory Maps page, like category pages from the overview.
            self._add(files, File.generated(config, src_uri, content=content, inclusion=InclusionLevel.NOT_IN_NAV))
        host = urlsplit(config.site_url or "http://localhost/").hostname or "localhost"
        for item in library_files(self.library, host):
            self._add(files, self._file(config, item))
        return files

    def _file(self, config: Any, item: Emitted) -> File:
        if item.source is not None:
            return File.generated(config, item.path, abs_src_path=str(item.source))
        return File.generated(config, item.path, content=item.content or b"")

    @staticmethod
    def _add(files: Files, file: File) -> None:
        file.generated_by = "portal"
        files.append(file)

    def render_widgets(self, markdown: str, page: Any) -> str:
        return self.widgets.render(markdown, page)
