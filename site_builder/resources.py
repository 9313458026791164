"""The resource library: documents resellers download, described in ``content/data/resources/*.yml``.

Each resource is a file kept under ``content/files/`` (PDF and the like) or a page of the site,
with a document type, the product categories it serves (or ``all``), a date and a version. The
build checks every file (it exists, its type is allowed and its content matches that type) and
reports its size; the Resource Finder, the category pages and the program pages list them.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any, Literal

from portal.catalog import SLUG_PATTERN, ContentError
from pydantic import BaseModel, ConfigDict, Field, ValidationInfo, field_validator, model_validator

from site_builder.content_data import ContentErrors, known, parse_entries, read_data

ALL = "all"
PUBLIC_SCOPE = "public"
# Allowed file types: what a reseller sees as the format, and the bytes such a file starts with
# (None when the format has no fixed signature). A renamed file of another type is refused.
ZIP = b"PK\x03\x04"
FILE_TYPES: dict[str, tuple[str, bytes | None]] = {
    ".pdf": ("PDF", b"%PDF-"),
    ".docx": ("Word", ZIP),
    ".xlsx": ("Excel", ZIP),
    ".pptx": ("PowerPoint", ZIP),
    ".zip": ("ZIP", ZIP),
    ".png": ("PNG image", b"\x89PNG\r\n\x1a\n"),
    ".jpg": ("JPEG image", b"\xff\xd8\xff"),
    ".jpeg": ("JPEG image", b"\xff\xd8\xff"),
    ".csv": ("CSV", None),
}
MAX_FILE_BYTES = 200 * 1024 * 1024


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)


class DocumentType(_Strict):
    """A Resource Finder document type (General, Marketing, Product, Technical, Business Activity)."""

    slug: str = Field(pattern=SLUG_PATTERN)
    name: str = Field(min_length=2, max_length=40)
    summary: str = Field(min_length=10, max_length=300)


class Program(_Strict):
    """A channel program page that lists the resources attached to it."""

    slug: str = Field(pattern=SLUG_PATTERN)
    name: str = Field(min_length=2, max_length=80)
    page: str = Field(description="the program's page, relative to content/pages, e.g. information/programs/about.md")


class Resource(_Strict):
    """One document or page in the Resource Finder."""

    id: str = Field(pattern=SLUG_PATTERN)
    title: str = Field(min_length=3, max_length=160)
    description: str = Field(min_length=10, max_length=1000)
    type: str
    categories: Literal["all"] | tuple[str, ...] = Field(min_length=1)
    file: str | None = None
    page: str | None = None
    date: dt.date
    version: str = Field(min_length=1, max_length=20, pattern=r"^[0-9A-Za-z][0-9A-Za-z.\-]*$")
    program: str | None = None
    public: bool = Field(default=False, description="anyone may open it, signed in or not (e.g. sample applications)")
    valid_until: dt.date | None = None

    @field_validator("type")
    @classmethod
    def _known_type(cls, value: str, info: ValidationInfo) -> str:
        return known(value, (info.context or {}).get("types", [value]), "document type", "document_types.yml")

    @field_validator("categories", mode="before")
    @classmethod
    def _one_or_many(cls, value: Any) -> Any:
        return [value] if isinstance(value, str) and value != ALL else value

    @field_validator("categories")
    @classmethod
    def _known_categories(cls, value: Any, info: ValidationInfo) -> Any:
        if value == ALL:
            return value
        slugs = (info.context or {}).get("categories", value)
        for slug in value:
            known(slug, slugs, "category", 'categories.yml (or "all")')
        if len(set(value)) != len(value):
            raise ValueError("a category is listed twice")
        return value

    @field_validator("program")
    @classmethod
    def _known_program(cls, value: str | None, info: ValidationInfo) -> str | None:
        if value is None:
            return value
        return known(value, (info.context or {}).get("programs", [value]), "program", "programs.yml")

    @field_validator("file")
    @classmethod
    def _safe_file_name(cls, value: str | None) -> str | None:
        if value is None:
            return value
        path = PurePosixPath(value)
        if path.is_absolute() or ".." in path.parts or "\\" in value:
            raise ValueError("give the file's path inside content/files/, e.g. scanners/brochure.pdf")
        if path.suffix.lower() not in FILE_TYPES:
            raise ValueError(f'files of type "{path.suffix or "(none)"}" are not allowed; use {", ".join(FILE_TYPES)}')
        return value

    @field_validator("page")
    @classmethod
    def _page_exists(cls, value: str | None, info: ValidationInfo) -> str | None:
        if value is None:
            return value
        pages_dir = (info.context or {}).get("pages_dir")
        if not value.endswith(".md") or ".." in PurePosixPath(value).parts:
            raise ValueError("give the page's markdown file inside content/pages/, e.g. training/index.md")
        if pages_dir is not None and not (pages_dir / value).is_file():
            raise ValueError(f"there is no page content/pages/{value}")
        return value

    @model_validator(mode="after")
    def _file_or_page(self) -> Resource:
        if (self.file is None) == (self.page is None):
            raise ValueError("give either file (a document in content/files/) or page (a page of the site), not both")
        if self.valid_until and self.valid_until < self.date:
            raise ValueError("valid_until is before the resource's date")
        return self

    @property
    def scopes(self) -> tuple[str, ...]:
        """Where the resource is published: ``public``, ``all`` (signed-in) or its categories."""
        if self.public:
            return (PUBLIC_SCOPE,)
        return (ALL,) if self.categories == ALL else tuple(self.categories)


@dataclass(frozen=True)
class FileFacts:
    """What the build found out about a resource's file."""

    path: Path
    format: str
    size: int


def check_file(files_dir: Path, name: str) -> FileFacts:
    """Facts about ``content/files/<name>``, or a ValueError saying what is wrong with it."""
    path = files_dir / name
    if not path.is_file():
        raise ValueError(f"the file content/files/{name} does not exist")
    size = path.stat().st_size
    label, signature = FILE_TYPES[path.suffix.lower()]
    if size == 0:
        raise ValueError(f"the file content/files/{name} is empty")
    if size > MAX_FILE_BYTES:
        raise ValueError(f"the file content/files/{name} is {size // 1_048_576} MB; the limit is 200 MB")
    if signature is not None:
        with path.open("rb") as handle:
            if handle.read(len(signature)) != signature:
                raise ValueError(f"the file content/files/{name} is not really a {label} file")
    return FileFacts(path=path, format=label, size=size)


def load_resources(data_dir: Path, context: dict[str, Any]) -> tuple[tuple[Resource, ...], dict[str, FileFacts]]:
    """Every resource of ``data/resources/*.yml`` with the facts about its file.

    Raises:
        ContentError: a bad entry, a duplicate id (also across files) or a bad file.
    """
    folder = data_dir / "resources"
    files_dir: Path = context["files_dir"]
    resources: list[Resource] = []
    facts: dict[str, FileFacts] = {}
    errors: list[ContentError] = []
    first_seen: dict[str, str] = {}
    for path in sorted(folder.glob("*.yml")):
        data = read_data(path)
        try:
            entries = parse_entries(path, Resource, context=context, data=data)
        except ContentError as e:
            errors.append(e)
            continue
        problems = []
        for index, resource in enumerate(entries):
            where = f'entry {index + 1} ("{resource.id}")'
            if resource.id in first_seen:
                problems.append(f'{where}: field id: "{resource.id}" is already used in {first_seen[resource.id]}')
            first_seen.setdefault(resource.id, path.name)
            if resource.file is not None:
                try:
                    facts[resource.id] = check_file(files_dir, resource.file)
                except ValueError as e:
                    problems.append(f"{where}: field file: {e}")
            resources.append(resource)
        if problems:
            errors.append(ContentError(path, problems))
    if errors:
        raise errors[0] if len(errors) == 1 else ContentErrors(errors)
    return tuple(resources), facts
