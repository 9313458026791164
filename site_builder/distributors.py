"""Where to Buy: the authorized distributors, the categories they carry and their contacts.

Kept in ``content/data/distributors.yml``. Each distributor is published with the categories it
carries, so a reseller sees the distributors of the categories the company is authorized for.
"""

from __future__ import annotations

from typing import Any, Literal

from portal.catalog import PHONE_PATTERN, SLUG_PATTERN
from pydantic import BaseModel, ConfigDict, EmailStr, Field, HttpUrl, ValidationInfo, field_validator

from site_builder.content_data import known
from site_builder.resources import ALL
from site_builder.territories import STATES


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)


class DistributorContact(_Strict):
    """A person or desk at a distributor."""

    name: str = Field(min_length=2, max_length=80)
    role: str = Field(default="Reseller accounts", max_length=80)
    email: EmailStr
    phone: str = Field(pattern=PHONE_PATTERN)


class Distributor(_Strict):
    """An authorized distributor."""

    id: str = Field(pattern=SLUG_PATTERN)
    name: str = Field(min_length=2, max_length=100)
    categories: Literal["all"] | tuple[str, ...]
    regions: Literal["nationwide"] | tuple[str, ...] = "nationwide"
    website: HttpUrl | None = None
    contacts: tuple[DistributorContact, ...] = Field(min_length=1)
    notes: str | None = Field(default=None, max_length=400)

    @field_validator("categories")
    @classmethod
    def _known_categories(cls, value: Any, info: ValidationInfo) -> Any:
        if value == ALL:
            return value
        if not value:
            raise ValueError('list at least one category, or write "all"')
        for slug in value:
            known(slug, (info.context or {}).get("categories", value), "category", 'categories.yml (or "all")')
        return value

    @field_validator("regions")
    @classmethod
    def _known_states(cls, value: Any) -> Any:
        if value == "nationwide":
            return value
        for code in value:
            if code not in STATES:
                raise ValueError(f'unknown state "{code}"; use USPS codes or "nationwide"')
        return value

    @property
    def scopes(self) -> tuple[str, ...]:
        return (ALL,) if self.categories == ALL else tuple(self.categories)

    def as_json(self) -> dict[str, Any]:
        data = self.model_dump(mode="json")
        data["categories"] = [ALL] if self.categories == ALL else list(self.categories)
        data["regions"] = ["nationwide"] if self.regions == "nationwide" else list(self.regions)
        return data
