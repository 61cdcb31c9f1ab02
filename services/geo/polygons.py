"""Polygonal boundaries: strict parsing of GeoJSON coordinates, the WGS-84 range check, and the
repair and normalisation every stored area geometry goes through."""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import shapely
from shapely.geometry import MultiPolygon, Polygon
from shapely.geometry.base import BaseGeometry

POLYGONAL = ("Polygon", "MultiPolygon")
# A grid boundary has tens of vertices, a district a few thousand; more is a mistake or an attack.
MAX_VERTICES = 200_000
# Coordinates are kept to 1e-7 degrees (about 1 cm): enough for any boundary, and it makes
# re-imports of the same file compare equal.
PRECISION = 1e-7


class GeometryError(ValueError):
    """A geometry that cannot be used; ``key`` names a message in the catalogue."""

    def __init__(self, key: str, **params: Any) -> None:
        self.key = key
        self.params = params
        super().__init__(f"{key} {params}" if params else key)


@dataclass(frozen=True)
class CleanGeometry:
    """A valid, normalised Polygon or MultiPolygon; ``repaired`` says why it had to be fixed."""

    shape: BaseGeometry
    repaired: str | None = None


def _number(value: Any) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise GeometryError("geometry_malformed")
    try:
        number = float(value)
    except OverflowError:  # an integer too large for a float
        raise GeometryError("geometry_malformed") from None
    if not math.isfinite(number):
        raise GeometryError("geometry_malformed")
    return number


def _ring(value: Any, budget: list[int]) -> list[tuple[float, float]]:
    if not isinstance(value, list) or not all(isinstance(p, list) for p in value):
        raise GeometryError("geometry_malformed")
    if len(value) < 4:
        raise GeometryError("geometry_ring_short")
    budget[0] -= len(value)
    if budget[0] < 0:
        raise GeometryError("geometry_too_many_vertices", limit=MAX_VERTICES)
    points = []
    for position in value:
        if not isinstance(position, list) or not 2 <= len(position) <= 3:
            raise GeometryError("geometry_malformed")
        points.append((_number(position[0]), _number(position[1])))
    if points[0] != points[-1]:
        raise GeometryError("geometry_ring_open")
    return points


def _polygon(value: Any, budget: list[int]) -> Polygon:
    if not isinstance(value, list) or not value:
        raise GeometryError("geometry_malformed")
    rings = [_ring(ring, budget) for ring in value]
    return Polygon(rings[0], rings[1:])


def parse_geojson(doc: Any) -> BaseGeometry:
    """A shapely Polygon/MultiPolygon from a GeoJSON geometry, checked level by level (no
    recursion, so hostile nesting cannot exhaust the stack). Coordinates are not range-checked:
    files in projected systems come through here too."""
    if not isinstance(doc, dict) or not isinstance(doc.get("type"), str):
        raise GeometryError("geometry_malformed")
    kind = doc["type"]
    if kind not in POLYGONAL:
        raise GeometryError("geometry_type", type=kind[:40])
    coordinates = doc.get("coordinates")
    budget = [MAX_VERTICES]
    if kind == "Polygon":
        return _polygon(coordinates, budget)
    if not isinstance(coordinates, list) or not coordinates:
        raise GeometryError("geometry_malformed")
    return MultiPolygon([_polygon(p, budget) for p in coordinates])


def check_wgs84(geometry: BaseGeometry) -> None:
    """Longitudes within ±180 and latitudes within ±90 (a projected file read with the wrong
    CRS, or a failed transformation, lands outside)."""
    coords = shapely.get_coordinates(geometry)
    if coords.size == 0:
        raise GeometryError("geometry_empty")
    if not bool(
        (abs(coords[:, 0]) <= 180).all() and (abs(coords[:, 1]) <= 90).all()
    ):  # NaN and inf fail too
        raise GeometryError("geometry_out_of_range")


def polygonal_part(geometry: BaseGeometry) -> BaseGeometry:
    """The polygons of a geometry (make_valid may add lines or points where parts collapse)."""
    if isinstance(geometry, (Polygon, MultiPolygon)):
        return geometry
    parts: Iterable[BaseGeometry] = getattr(geometry, "geoms", ())
    polygons = [p for p in parts if isinstance(p, (Polygon, MultiPolygon)) and not p.is_empty]
    if not polygons:
        return Polygon()
    return shapely.unary_union(polygons)


def clean(geometry: BaseGeometry) -> CleanGeometry:
    """Repair (make_valid) if needed, snap to ``PRECISION``, orient exteriors counter-clockwise
    as RFC 7946 asks. Raises when nothing polygonal is left."""
    repaired = None
    if not geometry.is_valid:
        repaired = shapely.is_valid_reason(geometry)
        geometry = polygonal_part(shapely.make_valid(geometry))
    # The precision reducer keeps its output valid (it may merge vertices closer than 1 cm).
    geometry = polygonal_part(shapely.set_precision(geometry, PRECISION))
    if geometry.is_empty or geometry.area == 0:
        raise GeometryError("geometry_empty")
    return CleanGeometry(shapely.orient_polygons(geometry), repaired)


def wgs84_polygonal(doc: Any) -> CleanGeometry:
    """What the API accepts: a GeoJSON Polygon/MultiPolygon in WGS-84, repaired if invalid."""
    geometry = parse_geojson(doc)
    check_wgs84(geometry)
    return clean(geometry)


def vertex_count(geometry: BaseGeometry) -> int:
    return int(shapely.get_num_coordinates(geometry))
