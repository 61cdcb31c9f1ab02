"""Test helpers for areas with shapes: grids and their parents drawn as WGS-84 polygons."""

from __future__ import annotations

import datetime as dt

from shapely.geometry import Polygon, box
from shapely.geometry.base import BaseGeometry
from sqlalchemy.orm import Session

from services.area_version import bump_area_version
from services.geo.shapes import summarise, to_geojson
from services.models.areas import Area, AreaLevel
from tests.factories import make_area

# A grid cell of 0.01° x 0.01° (about 920 m x 1110 m) near Suqian, by column and row.
ORIGIN_LNG, ORIGIN_LAT = 118.30, 33.90
CELL = 0.01


def cell(col: int, row: int, size: float = CELL) -> Polygon:
    x, y = ORIGIN_LNG + col * CELL, ORIGIN_LAT + row * CELL
    return box(x, y, x + size, y + size)


def set_shape(area: Area, geometry: BaseGeometry | None) -> Area:
    """Store ``geometry`` (WGS-84) on ``area`` with its bounding box and inside centroid."""
    if geometry is None:
        area.geometry = None
        area.min_lng = area.min_lat = area.max_lng = area.max_lat = None
        area.centroid_lng = area.centroid_lat = None
        return area
    summary = summarise(geometry)
    area.geometry = to_geojson(geometry)
    area.min_lng, area.min_lat = summary.min_lng, summary.min_lat
    area.max_lng, area.max_lat = summary.max_lng, summary.max_lat
    area.centroid_lng, area.centroid_lat = summary.centroid_lng, summary.centroid_lat
    return area


def make_shaped_area(
    session: Session,
    code: str,
    geometry: BaseGeometry | None,
    *,
    parent: Area | None = None,
    name: str | None = None,
    level: AreaLevel | None = None,
    retired: bool = False,
) -> Area:
    area = set_shape(make_area(session, code, parent=parent, name=name), geometry)
    if level is not None:
        area.level = level
    if retired:
        area.active = False
        area.retired_at = dt.datetime.now(dt.UTC)
    session.flush()
    return area


def make_shaped_tree(session: Session) -> dict[str, Area]:
    """city 321300 (118.2–118.5E, 33.8–34.1N) → district 321302 (118.2–118.45E, 33.8–34.05N)
    → street 321302001 (cells cols 0–4 × rows 0–2) → community 321302001001 (cols 0–2 × rows
    0–2) → four grids 001 (0,0), 002 (1,0), 003 (0,1), 004 (1,1) tiling cols 0–1 × rows 0–1.
    Column 2 and row 2 are community without grid, columns 3–4 street without community.
    Bumps the area version."""
    city = make_shaped_area(
        session, "321300", box(118.2, 33.8, 118.5, 34.1), name="宿迁市", level=AreaLevel.CITY
    )
    district = make_shaped_area(
        session, "321302", box(118.2, 33.8, 118.45, 34.05), parent=city, name="宿城区"
    )
    street = make_shaped_area(
        session, "321302001", _cells(0, 0, 5, 3), parent=district, name="幸福街道"
    )
    community = make_shaped_area(
        session, "321302001001", _cells(0, 0, 3, 3), parent=street, name="幸福社区"
    )
    areas = {"city": city, "district": district, "street": street, "community": community}
    for n, (col, row) in enumerate([(0, 0), (1, 0), (0, 1), (1, 1)], start=1):
        code = f"321302001001{n:03d}"
        areas[f"grid{n}"] = make_shaped_area(
            session, code, cell(col, row), parent=community, name=f"第{n}网格"
        )
    bump_area_version(session)
    session.flush()
    return areas


def _cells(col: int, row: int, cols: int, rows: int) -> Polygon:
    x, y = ORIGIN_LNG + col * CELL, ORIGIN_LAT + row * CELL
    return box(x, y, x + cols * CELL, y + rows * CELL)
