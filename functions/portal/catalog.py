"""Content data that both the site build and the API rely on.

The YAML files under ``content/data/`` are the single source of the product categories, the
contact details and the help topics. The site builder renders pages from them and the API
validates submissions against them, so an editor changes a list in one place.
"""

from __future__ import annotations

import os
from functools import lru_cache
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, EmailStr, Field, ValidationError, field_validator

from portal.content_files import ContentError, describe, parse_entries, read_data

__all__ = ["ContentError", "load_catalog", "parse_list", "parse_object"]

SLUG_PATTERN = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"
PHONE_PATTERN = r"^\+?[0-9][0-9 ()\-.]{6,24}$"


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)


class ProductCategory(_Strict):
    """One of the product categories a reseller can be authorized for."""

    slug: str = Field(pattern=SLUG_PATTERN, description="URL name, e.g. rugged-handhelds")
    name: str = Field(min_length=2, max_length=80)
    summary: str = Field(min_length=20, max_length=400)
    description: str = Field(min_length=20)


class Contact(_Strict):
    """A person or desk resellers can reach."""

    name: str = Field(min_length=2, max_length=80)
    email: EmailStr
    phone: str | None = Field(default=None, pattern=PHONE_PATTERN)
    hours: str | None = None
    website: str | None = None

    @field_validator("email")
    @classmethod
    def _example_domain(cls, value: str) -> str:
        return value.lower()


class Contacts(_Strict):
    """Every contact detail the portal shows, kept in one file."""

    reseller_support: Contact
    channel_team: Contact
    literature: Contact
    spiff_program: Contact
    reseller_rebate_program: Contact
    mail_sender: EmailStr = Field(description="From address of every email the portal sends")


class HelpTopic(_Strict):
    """A choice for the help form's topic field."""

    id: str = Field(pattern=SLUG_PATTERN)
    label: str = Field(min_length=3, max_length=80)


class Catalog(_Strict):
    """All content data the portal's code reads."""

    categories: tuple[ProductCategory, ...]
    contacts: Contacts
    help_topics: tuple[HelpTopic, ...]

    def category(self, slug: str) -> ProductCategory | None:
        return next((c for c in self.categories if c.slug == slug), None)

    def help_topic(self, topic_id: str) -> HelpTopic | None:
        return next((t for t in self.help_topics if t.id == topic_id), None)


def default_content_dir() -> Path:
    """Where content lives: ``PORTAL_CONTENT_DIR`` or the repository's ``content/``."""
    configured = os.environ.get("PORTAL_CONTENT_DIR")
    if configured:
        return Path(configured)
    return Path(__file__).resolve().parents[2] / "content"


def parse_list(path: Path, model: type[BaseModel], key: str = "slug") -> tuple[Any, ...]:
    """Load a YAML list of entries into models; duplicate keys are an error too."""
    return parse_entries(path, model, key=key)


def parse_object(path: Path, model: type[BaseModel]) -> Any:
    """Load a YAML mapping into one model."""
    data = read_data(path)
    try:
        return model.model_validate(data)
    except ValidationError as e:
        raise ContentError(path, [describe(err, data, ("id", "slug")) for err in e.errors()]) from e


def load_catalog(content_dir: Path | None = None) -> Catalog:
    """Load and validate every data file the code depends on."""
    data_dir = (content_dir or default_content_dir()) / "data"
    return Catalog(
        categories=parse_list(data_dir / "categories.yml", ProductCategory),
        contacts=parse_object(data_dir / "contacts.yml", Contacts),
        help_topics=parse_list(data_dir / "help_topics.yml", HelpTopic, key="id"),
    )


@lru_cache(maxsize=4)
def cached_catalog(content_dir: str | None = None) -> Catalog:
    """The catalog, read once per process (a Lambda container keeps it warm)."""
    return load_catalog(Path(content_dir) if content_dir else None)
