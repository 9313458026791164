"""The files the build emits for the library, and the access rule of each.

Everything gated lives under one folder per *scope*, so a single prefix rule covers it:

| scope folder | who may open it | what is in it |
| --- | --- | --- |
| ``library/public/`` | everyone | public resources (e.g. sample applications) |
| ``library/all/`` | signed-in users | resources and distributors for every category |
| ``library/<category>/`` | its resellers | its resources, files, distributors, territories, inventory |

A resource for several categories is published once per category, so each copy sits behind
exactly one category's rule. No file lists every resource: the Resource Finder fetches the JSON
of the scopes the reader may open.
"""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from site_builder.access import CATEGORY_PREFIX, PUBLIC, SIGNED_IN, AccessMap
from site_builder.ics import render_calendar
from site_builder.inventory import report_files
from site_builder.library import Library
from site_builder.resources import ALL, PUBLIC_SCOPE, Resource
from site_builder.status import STATUS_PATH, all_clear
from site_builder.territories import territories_json

INDEX_PATH = "library/index.json"


@dataclass(frozen=True)
class Emitted:
    """A file of the built site: in-memory ``content`` or a copy of ``source``."""

    path: str
    content: bytes | None = None
    source: Path | None = None


def scope_rule(scope: str) -> str:
    """The access rule of a scope folder."""
    return {PUBLIC_SCOPE: PUBLIC, ALL: SIGNED_IN}.get(scope, CATEGORY_PREFIX + scope)


def scopes(library: Library) -> list[str]:
    """Every scope folder, public first."""
    return [PUBLIC_SCOPE, ALL, *library.category_names]


def register_access(library: Library, access_map: AccessMap) -> None:
    """Give every folder and file the library emits its rule (before the manifest is written)."""
    for scope in scopes(library):
        access_map.set_prefix(f"/library/{scope}/", scope_rule(scope))
    access_map.set("/" + INDEX_PATH, PUBLIC)
    access_map.set_prefix("/events/", PUBLIC)
    access_map.set("/" + STATUS_PATH, PUBLIC)
    access_map.set_prefix("/inventory/", SIGNED_IN)


def resource_url(library: Library, resource: Resource, scope: str) -> str:
    """The site path (no leading slash) where ``resource`` opens from ``scope``."""
    if resource.page is not None:
        return page_url(resource.page)
    return f"library/{scope}/files/{resource.file}"


def page_url(src: str) -> str:
    """The URL of a page from its markdown path (directory URLs, as mkdocs.yml sets)."""
    stem = src.removesuffix(".md")
    if stem == "index" or stem.endswith("/index"):
        return stem.removesuffix("index")
    return stem + "/"


def resource_entry(library: Library, resource: Resource, scope: str) -> dict[str, Any]:
    """What the Resource Finder needs to list, filter and open one resource."""
    facts = library.file_facts.get(resource.id)
    return {
        "id": resource.id,
        "title": resource.title,
        "description": resource.description,
        "type": resource.type,
        "categories": [ALL] if resource.categories == ALL else list(resource.categories),
        "date": resource.date.isoformat(),
        "version": resource.version,
        "url": resource_url(library, resource, scope),
        "format": facts.format if facts else "Page",
        "size": facts.size if facts else None,
        "program": resource.program,
        "valid_until": resource.valid_until.isoformat() if resource.valid_until else None,
    }


def by_scope(library: Library) -> dict[str, list[Resource]]:
    """Resources per scope folder, newest first."""
    grouped: dict[str, list[Resource]] = defaultdict(list)
    for resource in sorted(library.resources, key=lambda r: (r.date, r.id), reverse=True):
        for scope in resource.scopes:
            grouped[scope].append(resource)
    return grouped


def library_files(library: Library, site_host: str) -> list[Emitted]:
    """Every data file, download and calendar entry of the library."""
    out: list[Emitted] = []
    contents: dict[str, list[str]] = defaultdict(list)
    copied: set[str] = set()
    for scope, resources in by_scope(library).items():
        entries = [resource_entry(library, r, scope) for r in resources]
        out.append(Emitted(f"library/{scope}/resources.json", _json({"scope": scope, "resources": entries})))
        contents[scope].append("resources")
        for resource in resources:
            path = resource_url(library, resource, scope)
            if resource.file is not None and path not in copied:
                copied.add(path)
                out.append(Emitted(path, source=library.file_facts[resource.id].path))
    distributors: dict[str, list[dict]] = defaultdict(list)
    for distributor in library.distributors:
        for scope in distributor.scopes:
            distributors[scope].append(distributor.as_json())
    for scope, items in distributors.items():
        out.append(Emitted(f"library/{scope}/distributors.json", _json({"scope": scope, "distributors": items})))
        contents[scope].append("distributors")
    for territory_map in library.territory_maps:
        data = territories_json(territory_map, library.category_names[territory_map.group])
        out.append(Emitted(f"library/{territory_map.group}/territories.json", _json(data)))
        contents[territory_map.group].append("territories")
    for event in library.events:
        calendar = render_calendar([event.calendar_event(site_host, library.category_names)], library.built_at)
        out.append(Emitted(f"events/{event.id}.ics", calendar.encode("utf-8")))
    out += _runtime_files(library)
    index = {
        "categories": [{"slug": s, "name": n} for s, n in library.category_names.items()],
        "types": [{"slug": t.slug, "name": t.name} for t in library.document_types],
        "scopes": {scope: contents.get(scope, []) for scope in scopes(library)},
    }
    out.append(Emitted(INDEX_PATH, _json(index)))
    return out


def _runtime_files(library: Library) -> list[Emitted]:
    """The status file and the inventory report: from the last build or publish, else defaults."""
    files = dict(library.carried_over)
    files.setdefault(STATUS_PATH, all_clear(library.built_at).to_bytes())
    if "inventory/current.json" not in files and library.inventory is not None:
        names = {d.id: d.name for d in library.distributors}
        files |= report_files(library.inventory, names, library.built_at, "content/data/inventory")
    return [Emitted(path, content) for path, content in files.items()]


def _json(data: Any) -> bytes:
    return json.dumps(data, separators=(",", ":"), ensure_ascii=False).encode("utf-8")
