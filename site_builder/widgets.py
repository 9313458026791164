"""Library widgets placed in pages with a marker line: ``<!-- portal:NAME key=value -->``.

| marker | draws |
| --- | --- |
| ``resource-finder`` | the Resource Finder (latest files, types, categories, search within the list) |
| ``document-types`` | the table of document types from document_types.yml |
| ``program-resources program=<slug>`` | the documents of a program page |
| ``category-overview category=<slug>`` | a category page's resources, programs, map and distributors |
| ``rep-finder`` | "find my representative" by state, over every map the reader may open (and |
|  | which of the company's product groups have no map yet) |
| ``territory-groups`` | the product groups' maps, or a pointer to Reseller Support for the others |
| ``where-to-buy`` | the distributor list with its filters |
| ``inventory-report`` | the Channel Inventory Report table |
| ``events [limit=N]`` | upcoming and past events with their calendar files |
| ``service-health`` | the current notice and recent ones |

Only what the page's own audience may see is written into its HTML; anything more restricted
(say, a category's documents on a page every signed-in user opens) is fetched by the browser
from that category's gated folder, so a page never carries another category's titles.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import jinja2
from mkdocs.exceptions import PluginError
from mkdocs.utils import get_relative_url

from site_builder.access import CATEGORY_PREFIX, PUBLIC, SIGNED_IN
from site_builder.emit import page_url, resource_entry
from site_builder.events import split_events
from site_builder.library import Library
from site_builder.programs import INCENTIVES
from site_builder.resources import ALL, Resource
from site_builder.territories import states_options

MARKER = re.compile(r"^<!-- portal:(?P<name>[a-z-]+)(?P<args>(?: [a-z_]+=[A-Za-z0-9_\-]+)*) -->$", re.M)
LATEST_ON_CATEGORY_PAGE = 10


def visible_on(resource: Resource, page_rule: str) -> bool:
    """Whether everyone who may open a page with ``page_rule`` may also open ``resource``."""
    if resource.public:
        return True
    if resource.categories == ALL:
        return page_rule != PUBLIC
    return page_rule.startswith(CATEGORY_PREFIX) and page_rule.removeprefix(CATEGORY_PREFIX) in resource.categories


class Widgets:
    """Renders the markers of one build's pages from the library and the templates folder."""

    def __init__(self, library: Library, templates: jinja2.Environment) -> None:
        self.library = library
        self.templates = templates
        self.renderers: dict[str, Callable[..., str]] = {
            "resource-finder": self.resource_finder,
            "document-types": self.document_types,
            "program-resources": self.program_resources,
            "category-overview": self.category_overview,
            "rep-finder": self.rep_finder,
            "territory-groups": self.territory_groups,
            "where-to-buy": self.where_to_buy,
            "inventory-report": self.inventory_report,
            "events": self.events,
            "service-health": self.service_health,
        }

    def render(self, markdown: str, page: Any) -> str:
        """``markdown`` with every marker replaced; an unknown marker or argument fails the build."""

        def replace(match: re.Match) -> str:
            name = match["name"]
            args = dict(pair.split("=", 1) for pair in match["args"].split())
            renderer = self.renderers.get(name)
            if renderer is None:
                raise PluginError(
                    f"{page.file.src_uri}: unknown widget portal:{name}; use one of {', '.join(self.renderers)}"
                )
            try:
                return renderer(page, **args)
            except TypeError as e:
                raise PluginError(f"{page.file.src_uri}: portal:{name} does not take {match['args'].strip()}") from e

        if "<!-- portal:" not in markdown:
            return markdown
        return MARKER.sub(replace, markdown)

    def _html(self, template: str, page: Any, **context: Any) -> str:
        html = self.templates.get_template(template).render(
            library=self.library, url=lambda target: get_relative_url(target, page.url), **context
        )
        # One raw HTML block for Markdown: no blank lines inside.
        return "\n".join(line for line in html.splitlines() if line.strip())

    def _page_rule(self, page: Any) -> str:
        return str(page.meta.get("access") or SIGNED_IN).strip().lower()

    def resource_finder(self, page: Any) -> str:
        return self._html("finder.html.j2", page)

    def document_types(self, page: Any) -> str:
        return self._html("document_types.html.j2", page)

    def program_resources(self, page: Any, program: str) -> str:
        found = self.library.program(program)
        if found is None:
            raise PluginError(f"{page.file.src_uri}: portal:program-resources names the unknown program {program!r}")
        rule = self._page_rule(page)
        members = [r for r in self.library.resources if r.program == program]
        shown = [r for r in members if visible_on(r, rule)]
        return self._html(
            "program_resources.html.j2",
            page,
            program=found,
            items=self._items(shown, rule.removeprefix(CATEGORY_PREFIX)),
            more_elsewhere=len(shown) < len(members),
        )

    def _items(self, resources: list[Resource], category: str) -> list[dict[str, Any]]:
        ordered = sorted(resources, key=lambda r: (r.date, r.id), reverse=True)
        return [resource_entry(self.library, r, _scope_for(r, category)) for r in ordered]

    def category_overview(self, page: Any, category: str) -> str:
        if category not in self.library.category_names:
            raise PluginError(f"{page.file.src_uri}: portal:category-overview names the unknown category {category!r}")
        rule = CATEGORY_PREFIX + category
        mine = [r for r in self.library.resources if visible_on(r, rule) and _serves(r, category)]
        latest = sorted(mine, key=lambda r: (r.date, r.id), reverse=True)[:LATEST_ON_CATEGORY_PAGE]
        items = [resource_entry(self.library, r, _scope_for(r, category)) for r in latest]
        distributors = [d for d in self.library.distributors if d.categories == ALL or category in d.categories]
        return self.templates.get_template("category_overview.md.j2").render(
            library=self.library,
            category=category,
            name=self.library.category_names[category],
            items=items,
            total=len(mine),
            program=self.library.category_programs[category],
            incentives=INCENTIVES,
            has_map=self.library.territory_map(category) is not None,
            distributors=distributors,
            url=lambda target: get_relative_url(target, page.url),
            rel=lambda src: get_relative_url(src, page.file.src_uri),
        )

    def _groups(self) -> list[tuple[str, str]]:
        return [(m.group, self.library.category_names[m.group]) for m in self.library.territory_maps]

    def rep_finder(self, page: Any) -> str:
        groups = self._groups()
        mapped = {slug for slug, _ in groups}
        # The product groups without a map: the finder names those the reader's company holds.
        unmapped = [(c.slug, c.name) for c in self.library.catalog.categories if c.slug not in mapped]
        return self._html("rep_finder_all.html.j2", page, groups=groups, unmapped=unmapped, states=states_options())

    def territory_groups(self, page: Any) -> str:
        return self._html("territory_overview.html.j2", page, groups=self._groups())

    def where_to_buy(self, page: Any) -> str:
        return self._html("where_to_buy.html.j2", page, states=states_options())

    def inventory_report(self, page: Any) -> str:
        return self._html("inventory.html.j2", page)

    def events(self, page: Any, limit: str = "0") -> str:
        upcoming, past = split_events(self.library.events, self.library.built_at)
        count = int(limit)
        # A few more than shown, hidden: the reader's clock may move some from upcoming to past.
        keep = count * 4 or None
        return self._html(
            "events.html.j2",
            page,
            upcoming=upcoming[:keep],
            past=past[:keep],
            limit=count,
            training_url=page_url("training/index.md"),
        )

    def service_health(self, page: Any) -> str:
        return self._html("service_health.html.j2", page)


def _serves(resource: Resource, category: str) -> bool:
    return resource.categories == ALL or category in resource.categories


def _scope_for(resource: Resource, category: str) -> str:
    """The copy of ``resource`` a reader of ``category``'s page opens."""
    scopes = resource.scopes
    return category if category in scopes else scopes[0]
