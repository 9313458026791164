"""Territory maps: per product group, the territories, their states and each territory's sales rep.

Kept in ``content/data/territories.yml``. A product group is a product category (its slug), so a
group's map opens for exactly the resellers authorized for that category.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from portal.catalog import PHONE_PATTERN, SLUG_PATTERN
from pydantic import BaseModel, ConfigDict, EmailStr, Field, ValidationInfo, field_validator, model_validator

from site_builder.content_data import known

# USPS codes of the 50 states and the District of Columbia, with the names shown to resellers.
STATES: dict[str, str] = {
    "AL": "Alabama", "AK": "Alaska", "AZ": "Arizona", "AR": "Arkansas", "CA": "California",
    "CO": "Colorado", "CT": "Connecticut", "DE": "Delaware", "DC": "District of Columbia",
    "FL": "Florida", "GA": "Georgia", "HI": "Hawaii", "ID": "Idaho", "IL": "Illinois",
    "IN": "Indiana", "IA": "Iowa", "KS": "Kansas", "KY": "Kentucky", "LA": "Louisiana",
    "ME": "Maine", "MD": "Maryland", "MA": "Massachusetts", "MI": "Michigan", "MN": "Minnesota",
    "MS": "Mississippi", "MO": "Missouri", "MT": "Montana", "NE": "Nebraska", "NV": "Nevada",
    "NH": "New Hampshire", "NJ": "New Jersey", "NM": "New Mexico", "NY": "New York",
    "NC": "North Carolina", "ND": "North Dakota", "OH": "Ohio", "OK": "Oklahoma", "OR": "Oregon",
    "PA": "Pennsylvania", "RI": "Rhode Island", "SC": "South Carolina", "SD": "South Dakota",
    "TN": "Tennessee", "TX": "Texas", "UT": "Utah", "VT": "Vermont", "VA": "Virginia",
    "WA": "Washington", "WV": "West Virginia", "WI": "Wisconsin", "WY": "Wyoming",
}  # fmt: skip


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)


class SalesRepresentative(_Strict):
    """The person who looks after the resellers of one territory."""

    name: str = Field(min_length=2, max_length=80)
    email: EmailStr
    phone: str = Field(pattern=PHONE_PATTERN)


class Territory(_Strict):
    """A named set of states covered by one sales representative."""

    id: str = Field(pattern=SLUG_PATTERN)
    name: str = Field(min_length=2, max_length=60)
    states: tuple[str, ...] = Field(min_length=1)
    representative: SalesRepresentative

    @field_validator("states", mode="before")
    @classmethod
    def _upper(cls, value: Any) -> Any:
        return [s.strip().upper() if isinstance(s, str) else s for s in value] if isinstance(value, list) else value

    @field_validator("states")
    @classmethod
    def _known_states(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        for code in value:
            if code not in STATES:
                raise ValueError(f'unknown state "{code}"; use the two-letter USPS code of a state or DC')
        return value


class TerritoryMap(_Strict):
    """One product group's territories."""

    group: str
    territories: tuple[Territory, ...] = Field(min_length=1)

    @field_validator("group")
    @classmethod
    def _known_group(cls, value: str, info: ValidationInfo) -> str:
        return known(value, (info.context or {}).get("categories", [value]), "product group", "categories.yml")

    @model_validator(mode="after")
    def _each_state_once(self) -> TerritoryMap:
        owner: dict[str, str] = {}
        ids: set[str] = set()
        for territory in self.territories:
            if territory.id in ids:
                raise ValueError(f'territory id "{territory.id}" is used twice')
            ids.add(territory.id)
            for code in territory.states:
                if code in owner:
                    raise ValueError(f"{code} is in both {owner[code]} and {territory.name}")
                owner[code] = territory.name
        return self

    def territory_of(self, state: str) -> Territory | None:
        """The territory covering ``state``, if any."""
        return next((t for t in self.territories if state in t.states), None)

    @property
    def uncovered(self) -> list[str]:
        """States no territory of this group covers (shown as 'ask Reseller Support')."""
        covered = {s for t in self.territories for s in t.states}
        return [code for code in STATES if code not in covered]


def territories_json(territory_map: TerritoryMap, category_name: str) -> dict[str, Any]:
    """What the 'find my representative' script needs for one group."""
    return {
        "group": territory_map.group,
        "name": category_name,
        "territories": [
            {
                "id": t.id,
                "name": t.name,
                "states": list(t.states),
                "representative": t.representative.model_dump(),
            }
            for t in territory_map.territories
        ],
    }


def states_options(codes: Iterable[str] | None = None) -> list[tuple[str, str]]:
    """(code, name) pairs sorted by name, for a state picker."""
    return sorted(((c, STATES[c]) for c in (codes or STATES)), key=lambda pair: pair[1])
