"""Each product category's reseller program: requirements, benefits, MDF and incentives.

Kept in ``content/data/category_programs.yml``, one entry per category, and shown on the
category's own (gated) page, which the About page's MDF section and the FAQ point to.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationInfo, field_validator

from site_builder.content_data import known

INCENTIVES = {
    "sales-rep-spiff": ("Sales Rep SPIFF Program", "information/programs/spiff-programs.md#sales-rep-spiff"),
    "reseller-rebate": ("Reseller Rebate Program", "information/programs/spiff-programs.md#reseller-rebates"),
}


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)


class MarketingFunds(_Strict):
    """Whether a category offers Marketing Development Funds, and on what terms."""

    offered: bool
    details: str = Field(min_length=20, max_length=800)


class CategoryProgram(_Strict):
    """The requirements and benefits of being authorized for one category."""

    category: str
    requirements: tuple[str, ...] = Field(min_length=1)
    benefits: tuple[str, ...] = Field(min_length=1)
    mdf: MarketingFunds
    incentives: tuple[Literal["sales-rep-spiff", "reseller-rebate"], ...] = ()

    @field_validator("category")
    @classmethod
    def _known_category(cls, value: str, info: ValidationInfo) -> str:
        return known(value, (info.context or {}).get("categories", [value]), "category", "categories.yml")
