"""The demo city's map: 2 districts, 6 streets, 18 communities and 216 grids that tile it exactly.

The grids are quadrilaterals on a lattice whose inner vertices are nudged a little, so shapes look
hand-drawn while neighbours still share their edges exactly (no gaps, no overlaps). Parents are
the unions of their children, so every child lies inside its parent.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from shapely.geometry import Polygon
from shapely.ops import unary_union
from sqlalchemy import select
from sqlalchemy.orm import Session

from services.area_version import bump_area_version
from services.geo.shapes import summarise, to_geojson
from services.models.areas import Area, AreaLevel

CITY = ("321300", "宿迁市")
DISTRICTS = [
    ("321302", "宿城区", ["幸福街道", "项里街道", "河滨街道"]),
    ("321311", "宿豫区", ["顺河街道", "豫新街道", "下相街道"]),
]
COMMUNITY_PREFIXES = {
    "幸福街道": ["幸福", "古黄河", "金柏"],
    "项里街道": ["项里", "梧桐", "朱瓦"],
    "河滨街道": ["河滨", "洋河", "运河"],
    "顺河街道": ["顺河", "双庄", "东大街"],
    "豫新街道": ["豫新", "新庄", "张家港"],
    "下相街道": ["下相", "项王", "马陵"],
}
GRID_COLS, GRID_ROWS = 4, 3  # per community
COMMUNITIES_PER_STREET = 3
WEST, EAST, SOUTH, NORTH = 118.20, 118.44, 33.88, 34.04
JITTER = 0.25  # of a cell, for inner lattice vertices


@dataclass(frozen=True)
class PlannedArea:
    code: str
    name: str
    level: AreaLevel
    parent_code: str | None
    shape: Polygon


def _lattice(cols: int, rows: int) -> list[list[tuple[float, float]]]:
    rng = random.Random(321300)  # noqa: S311 - a fixed seed: the same demo city every time
    dx, dy = (EAST - WEST) / cols, (NORTH - SOUTH) / rows
    points = []
    for i in range(cols + 1):
        column = []
        for j in range(rows + 1):
            x, y = WEST + i * dx, SOUTH + j * dy
            if 0 < i < cols:
                x += rng.uniform(-JITTER, JITTER) * dx
            if 0 < j < rows:
                y += rng.uniform(-JITTER, JITTER) * dy
            column.append((round(x, 6), round(y, 6)))
        points.append(column)
    return points


def plan_city() -> list[PlannedArea]:
    """Every area of the demo city, parents before children."""
    streets_per_district = len(DISTRICTS[0][2])
    cols = len(DISTRICTS) * COMMUNITIES_PER_STREET * GRID_COLS
    rows = streets_per_district * GRID_ROWS
    lattice = _lattice(cols, rows)

    def cell(i: int, j: int) -> Polygon:
        return Polygon([lattice[i][j], lattice[i + 1][j], lattice[i + 1][j + 1], lattice[i][j + 1]])

    grids, communities, streets, districts = [], [], [], []
    for d, (d_code, d_name, street_names) in enumerate(DISTRICTS):
        d_shapes = []
        for s, s_name in enumerate(street_names):
            s_code = f"{d_code}{s + 1:03d}"
            s_shapes = []
            for c in range(COMMUNITIES_PER_STREET):
                c_code = f"{s_code}{c + 1:03d}"
                c_name = f"{COMMUNITY_PREFIXES[s_name][c]}社区"
                c_cells = []
                for g in range(GRID_COLS * GRID_ROWS):
                    i = (d * COMMUNITIES_PER_STREET + c) * GRID_COLS + g % GRID_COLS
                    j = s * GRID_ROWS + g // GRID_COLS
                    shape = cell(i, j)
                    c_cells.append(shape)
                    grids.append(
                        PlannedArea(
                            f"{c_code}{g + 1:03d}",
                            f"{c_name}第{g + 1}网格",
                            AreaLevel.GRID,
                            c_code,
                            shape,
                        )
                    )
                c_shape = unary_union(c_cells)
                s_shapes.append(c_shape)
                communities.append(
                    PlannedArea(c_code, c_name, AreaLevel.COMMUNITY, s_code, c_shape)
                )
            s_shape = unary_union(s_shapes)
            d_shapes.append(s_shape)
            streets.append(PlannedArea(s_code, s_name, AreaLevel.STREET, d_code, s_shape))
        d_shape = unary_union(d_shapes)
        districts.append(PlannedArea(d_code, d_name, AreaLevel.DISTRICT, CITY[0], d_shape))
    city = PlannedArea(
        CITY[0], CITY[1], AreaLevel.CITY, None, unary_union([d.shape for d in districts])
    )
    return [city, *districts, *streets, *communities, *grids]


def seed_city(session: Session) -> dict[str, Area]:
    """Create the demo map, or complete it (missing areas, missing shapes); returns areas by code.

    Adds to the session without committing: the demo seed commits once for everything.
    """
    areas: dict[str, Area] = {a.code: a for a in session.scalars(select(Area))}
    changed = False
    for planned in plan_city():
        area = areas.get(planned.code)
        if area is None:
            parent = areas.get(planned.parent_code) if planned.parent_code else None
            area = Area(
                code=planned.code,
                name=planned.name,
                level=planned.level,
                parent=parent,
                path=Area.child_path(parent, planned.code),
            )
            session.add(area)
            areas[planned.code] = area
            changed = True
        if area.geometry is None:
            summary = summarise(planned.shape)
            area.geometry = to_geojson(planned.shape)
            area.min_lng, area.min_lat = summary.min_lng, summary.min_lat
            area.max_lng, area.max_lat = summary.max_lng, summary.max_lat
            area.centroid_lng, area.centroid_lat = summary.centroid_lng, summary.centroid_lat
            changed = True
    if changed:
        session.flush()
        bump_area_version(session)
    return areas
