"""The state tile grid behind every territory map."""

from __future__ import annotations

from site_builder.territories import STATES, TerritoryMap
from site_builder.tile_map import COLUMNS, ROWS, TILES, render_tile_map


def test_every_state_and_dc_has_one_tile_of_its_own():
    assert len(STATES) == 51 and set(TILES) == set(STATES)
    positions = list(TILES.values())
    assert len(set(positions)) == len(positions)
    assert all(0 <= column < COLUMNS and 0 <= row < ROWS for column, row in positions)


def test_uncovered_states_are_drawn_and_described_as_such():
    territory_map = TerritoryMap.model_validate(
        {
            "group": "scanners",
            "territories": [
                {
                    "id": "east",
                    "name": "East & Coast",
                    "states": ["ny", "NJ"],
                    "representative": {"name": "Ann Example", "email": "ann@example.com", "phone": "+1-555-010-0101"},
                }
            ],
        }
    )
    svg = render_tile_map(territory_map, "Scanners <Pro>")
    assert "Territory map for Scanners &lt;Pro&gt;" in svg
    assert "New York: East &amp; Coast, Ann Example" in svg
    assert "Texas: not in a territory, ask Reseller Support" in svg
    assert "Not in a territory: AL, AK" in svg
    assert territory_map.territory_of("NY").id == "east" and territory_map.territory_of("TX") is None
