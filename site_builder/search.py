"""Search that respects access: one index per audience instead of Material's single index.

Material's ``search`` plugin still parses every page into sections (and its header search box,
worker and result list stay as they are), but its one ``search/search_index.json``, which would
hand every gated page's text to anyone, is never written. Instead this plugin writes

* ``search/public.json`` (everyone), ``search/signed-in.json`` (signed-in users) and
* ``search/category/<slug>.json`` (that category's resellers, with its resources),

each under the same access rule as the pages in it, and the browser (``portal-search.js``)
fetches only those the reader may open and merges them before Material's search worker sees
them. So a gated page's title or sentence can only be found by someone who can open it.
"""

from __future__ import annotations

import json
from collections import defaultdict
from pathlib import Path
from typing import Any

from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, event_priority, get_plugin_logger

from site_builder.access import CATEGORY_PREFIX, PUBLIC, SIGNED_IN, AccessMap
from site_builder.emit import by_scope, resource_url, scope_rule
from site_builder.library import Library

log = get_plugin_logger(__name__)
INDEX_FIELDS = ("lang", "separator", "pipeline", "fields")


def index_path(rule: str) -> str:
    """Where the index of the pages with ``rule`` is served (no leading slash)."""
    if rule.startswith(CATEGORY_PREFIX):
        return f"search/category/{rule.removeprefix(CATEGORY_PREFIX)}.json"
    return f"search/{rule}.json"


def split_by_access(entries: list[dict[str, Any]], access_map: AccessMap) -> dict[str, list[dict[str, Any]]]:
    """Material's index entries grouped by the access rule of the page each belongs to."""
    groups: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for entry in entries:
        page = "/" + entry["location"].split("#", 1)[0]
        groups[access_map.rule_for(page)].append(entry)
    return groups


def resource_entries(library: Library) -> dict[str, list[dict[str, Any]]]:
    """One search entry per resource and scope, under the scope's rule."""
    types = library.type_names
    groups: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for scope, resources in by_scope(library).items():
        for resource in resources:
            facts = library.file_facts.get(resource.id)
            kind = f"{facts.format} file" if facts else "Page"
            about = f"{types[resource.type]} resource, version {resource.version}, {kind}."
            groups[scope_rule(scope)].append(
                {
                    "location": resource_url(library, resource, scope),
                    "title": resource.title,
                    "text": f"{resource.description} {about}",
                }
            )
    return groups


class PortalSearchPlugin(BasePlugin):
    """Writes the per-access search indexes and keeps Material from writing its single one."""

    @event_priority(50)  # before Material's search (writes its index) and portal (writes the manifest)
    def on_post_build(self, config: Any) -> None:
        search = config.plugins.get("material/search")
        portal = config.plugins.get("portal")
        if portal is None:
            raise PluginError("portal-search needs the portal plugin; list it in mkdocs.yml")
        if search is None or not search.config.enabled:
            return
        settings = {key: search.search_index.config[key] for key in INDEX_FIELDS}
        groups = split_by_access(search.search_index.entries, portal.access_map)
        for rule, entries in resource_entries(portal.library.library).items():
            groups[rule].extend(entries)
        rules = [PUBLIC, SIGNED_IN, *(CATEGORY_PREFIX + slug for slug in portal.library.library.category_names)]
        unexpected = set(groups) - set(rules)
        if unexpected:
            raise PluginError(f"search entries with an unknown access rule: {sorted(unexpected)}")
        site_dir = Path(config.site_dir)
        for rule in rules:
            path = index_path(rule)
            portal.access_map.set("/" + path, rule)
            target = site_dir / path
            target.parent.mkdir(parents=True, exist_ok=True)
            body = {"config": settings, "docs": groups.get(rule, [])}
            target.write_text(json.dumps(body, separators=(",", ":"), default=str), encoding="utf-8")
        # Material's plugin checks this flag when it is about to write search_index.json; the
        # header search box was already rendered with the flag on.
        search.config.enabled = False
        log.info("Search: %d indexes by access, no single index", len(rules))
