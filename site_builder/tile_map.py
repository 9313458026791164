"""A territory map drawn at build time: the US as a grid of equal state tiles, as accessible SVG.

A tile grid keeps every state, DC included, the same size and readable, needs no map data and
weighs a few kilobytes. Colour is never the only cue: each tile shows its state code and the
number of its territory, which the legend and the table under the map spell out.
"""

from __future__ import annotations

from html import escape

from site_builder.territories import STATES, TerritoryMap

# (column, row) of each state on a 12 x 8 grid, roughly where it lies on a map.
TILES: dict[str, tuple[int, int]] = {
    "AK": (0, 0), "ME": (11, 0),
    "WI": (6, 1), "VT": (10, 1), "NH": (11, 1),
    "WA": (1, 2), "ID": (2, 2), "MT": (3, 2), "ND": (4, 2), "MN": (5, 2), "IL": (6, 2), "MI": (7, 2),
    "NY": (9, 2), "MA": (10, 2),
    "OR": (1, 3), "NV": (2, 3), "WY": (3, 3), "SD": (4, 3), "IA": (5, 3), "IN": (6, 3), "OH": (7, 3),
    "PA": (8, 3), "NJ": (9, 3), "CT": (10, 3), "RI": (11, 3),
    "CA": (1, 4), "UT": (2, 4), "CO": (3, 4), "NE": (4, 4), "MO": (5, 4), "KY": (6, 4), "WV": (7, 4),
    "VA": (8, 4), "MD": (9, 4), "DE": (10, 4),
    "AZ": (2, 5), "NM": (3, 5), "KS": (4, 5), "AR": (5, 5), "TN": (6, 5), "NC": (7, 5), "SC": (8, 5),
    "DC": (9, 5),
    "OK": (4, 6), "LA": (5, 6), "MS": (6, 6), "AL": (7, 6), "GA": (8, 6),
    "HI": (0, 7), "TX": (4, 7), "FL": (9, 7),
}  # fmt: skip
# Light fills, all with at least 7:1 contrast against the dark tile text.
FILLS = ("#cfe3ff", "#ffe1b8", "#cdefd2", "#f7d3e8", "#e3dbff", "#fff1a8", "#c6eeec", "#ffd5cc", "#e0e8c0")
TILE, GAP, COLUMNS, ROWS = 44, 4, 12, 8


def territory_fill(index: int) -> str:
    """The fill of the ``index``-th territory (also used by the legend)."""
    return FILLS[index % len(FILLS)]


def render_tile_map(territory_map: TerritoryMap, group_name: str) -> str:
    """The SVG of one group's territories, on one line per element (safe inside Markdown)."""
    slug = territory_map.group
    number = {}
    for index, territory in enumerate(territory_map.territories):
        for code in territory.states:
            number[code] = index
    summary = "; ".join(f"{i + 1} {t.name}: {', '.join(t.states)}" for i, t in enumerate(territory_map.territories))
    uncovered = territory_map.uncovered
    if uncovered:
        summary += f". Not in a territory: {', '.join(uncovered)}"
    step = TILE + GAP
    width, height = COLUMNS * step, ROWS * step
    lines = [
        f'<svg class="portal-tile-map" viewBox="0 0 {width} {height}" role="img" '
        f'aria-labelledby="map-title-{slug} map-desc-{slug}" xmlns="http://www.w3.org/2000/svg">',
        f'<title id="map-title-{slug}">Territory map for {escape(group_name)}</title>',
        f'<desc id="map-desc-{slug}">{escape(summary)}.</desc>',
    ]
    for code, (column, row) in TILES.items():
        x, y = column * step, row * step
        index = number.get(code)
        if index is None:
            label = f"{STATES[code]}: not in a territory, ask Reseller Support"
            style, mark = 'fill="#ffffff" stroke="#6b6b76" stroke-dasharray="4 3"', "–"
        else:
            territory = territory_map.territories[index]
            label = f"{STATES[code]}: {territory.name}, {territory.representative.name}"
            style, mark = f'fill="{territory_fill(index)}" stroke="#3d3d45"', str(index + 1)
        lines.append(
            f'<g class="portal-tile" data-state="{code}"><title>{escape(label)}</title>'
            f'<rect x="{x}" y="{y}" width="{TILE}" height="{TILE}" rx="4" {style}/>'
            f'<text x="{x + TILE / 2}" y="{y + 19}" text-anchor="middle" class="portal-tile__code">{code}</text>'
            f'<text x="{x + TILE / 2}" y="{y + 35}" text-anchor="middle" class="portal-tile__number">{mark}</text></g>'
        )
    lines.append("</svg>")
    return "\n".join(lines)
