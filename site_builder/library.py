"""Everything the resource library and the channel programs are built from, loaded and checked once.

``load_library`` reads every data file under ``content/data/`` that the Resource Finder, the
territory maps, Where to Buy, the programs, the events and the inventory report use, validates
them against each other (a resource's category must exist, a territory's states must be real,
a file must be there...) and reports every problem of every file in one go.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from portal.catalog import Catalog, ContentError

from site_builder import inventory as inv
from site_builder.content_data import ErrorCollector, parse_entries
from site_builder.distributors import Distributor
from site_builder.events import Event
from site_builder.programs import CategoryProgram
from site_builder.resources import ALL, PUBLIC_SCOPE, DocumentType, FileFacts, Program, Resource, load_resources
from site_builder.status import STATUS_PATH, ServiceStatus, StatusError
from site_builder.territories import TerritoryMap

INVENTORY_CSV = "inventory/channel-inventory.csv"
RESERVED_SLUGS = {ALL, PUBLIC_SCOPE}


def now() -> dt.datetime:
    """The build's clock (a seam for tests)."""
    return dt.datetime.now(dt.UTC)


@dataclass
class Library:
    """The validated library data of one build."""

    catalog: Catalog
    built_at: dt.datetime
    document_types: tuple[DocumentType, ...] = ()
    programs: tuple[Program, ...] = ()
    resources: tuple[Resource, ...] = ()
    file_facts: dict[str, FileFacts] = field(default_factory=dict)
    territory_maps: tuple[TerritoryMap, ...] = ()
    distributors: tuple[Distributor, ...] = ()
    events: tuple[Event, ...] = ()
    category_programs: dict[str, CategoryProgram] = field(default_factory=dict)
    inventory: inv.InventoryReport | None = None
    # Files a previous build or `portal status|inventory` left in site_dir that outlive a rebuild.
    carried_over: dict[str, bytes] = field(default_factory=dict)

    @property
    def category_names(self) -> dict[str, str]:
        return {c.slug: c.name for c in self.catalog.categories}

    @property
    def type_names(self) -> dict[str, str]:
        return {t.slug: t.name for t in self.document_types}

    def territory_map(self, slug: str) -> TerritoryMap | None:
        return next((m for m in self.territory_maps if m.group == slug), None)

    def program(self, slug: str) -> Program | None:
        return next((p for p in self.programs if p.slug == slug), None)


def load_library(content_dir: Path, catalog: Catalog, pages_dir: Path, site_dir: Path | None = None) -> Library:
    """Load and cross-check the library's data files.

    Raises:
        ContentError: every problem found, per file, naming the entry and the field.
    """
    data_dir = content_dir / "data"
    errors = ErrorCollector()
    slugs = [c.slug for c in catalog.categories]
    reserved = sorted(RESERVED_SLUGS.intersection(slugs))
    if reserved:
        errors.errors.append(
            ContentError(data_dir / "categories.yml", [f'the slug "{s}" is reserved; choose another' for s in reserved])
        )
    library = Library(catalog=catalog, built_at=now())
    library.document_types = errors.run(parse_entries, data_dir / "document_types.yml", DocumentType, key="slug") or ()
    context: dict[str, Any] = {"categories": slugs, "pages_dir": pages_dir, "files_dir": content_dir / "files"}
    library.programs = errors.run(parse_entries, data_dir / "programs.yml", Program, key="slug", context=context) or ()
    missing_pages = [
        f'entry {index + 1} ("{p.slug}"), field page: there is no page content/pages/{p.page}'
        for index, p in enumerate(library.programs)
        if not (pages_dir / p.page).is_file()
    ]
    if missing_pages:
        errors.errors.append(ContentError(data_dir / "programs.yml", missing_pages))
    context |= {"types": [t.slug for t in library.document_types], "programs": [p.slug for p in library.programs]}
    library.resources, library.file_facts = errors.run(load_resources, data_dir, context, default=((), {}))
    library.territory_maps = (
        errors.run(
            parse_entries, data_dir / "territories.yml", TerritoryMap, key="group", labels=("group",), context=context
        )
        or ()
    )
    library.distributors = errors.run(parse_entries, data_dir / "distributors.yml", Distributor, context=context) or ()
    library.events = errors.run(parse_entries, data_dir / "events.yml", Event, context=context) or ()
    programs = errors.run(
        parse_entries,
        data_dir / "category_programs.yml",
        CategoryProgram,
        key="category",
        labels=("category",),
        context=context,
    )
    library.category_programs = {p.category: p for p in programs or ()}
    if programs is not None:
        missing = [slug for slug in slugs if slug not in library.category_programs]
        if missing:
            errors.errors.append(
                ContentError(data_dir / "category_programs.yml", [f'category "{s}" has no entry' for s in missing])
            )
    library.inventory = errors.run(_load_inventory, data_dir, set(slugs), {d.id for d in library.distributors})
    errors.raise_if_any()
    if site_dir is not None:
        library.carried_over = carry_over(site_dir, library.inventory)
    return library


def _load_inventory(data_dir: Path, categories: set[str], distributors: set[str]) -> inv.InventoryReport | None:
    path = data_dir / INVENTORY_CSV
    if not path.is_file():
        return None
    try:
        return inv.parse_inventory(path.read_text(encoding="utf-8"), str(path), categories, distributors)
    except inv.InventoryError as e:
        raise ContentError(path, e.problems) from e
    except UnicodeDecodeError as e:
        raise ContentError(path, [f"is not UTF-8 text: {e}"]) from e


def carry_over(site_dir: Path, content_report: inv.InventoryReport | None) -> dict[str, bytes]:
    """The runtime files of the previous build that the new one keeps.

    A posted service notice stays up across a rebuild, and an inventory report published with
    ``portal inventory publish`` stays when it is newer than the one in content/.
    """
    kept: dict[str, bytes] = {}
    status = site_dir / STATUS_PATH
    if status.is_file():
        try:
            ServiceStatus.from_bytes(status.read_bytes())
            kept[STATUS_PATH] = status.read_bytes()
        except StatusError:
            pass  # A damaged file is replaced by the build's "all clear"; staff can post again.
    pointer_path = site_dir / inv.POINTER
    try:
        pointer = json.loads(pointer_path.read_bytes())
        published = dt.date.fromisoformat(pointer["as_of"])
        version, categories = pointer["version"], pointer["categories"]
    except (OSError, ValueError, KeyError, TypeError):
        return kept
    if content_report is not None and published <= content_report.as_of:
        return kept
    parts = {f"library/{c}/inventory/{version}.json" for c in categories}
    if all((site_dir / p).is_file() for p in parts):
        kept |= {p: (site_dir / p).read_bytes() for p in sorted(parts)}
        kept[inv.POINTER] = pointer_path.read_bytes()
    return kept
