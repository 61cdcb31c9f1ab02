"""GeoJSON geometry as stored on areas: validation into shapely, and the summary kept beside it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from shapely.geometry import mapping, shape
from shapely.geometry.base import BaseGeometry

POLYGONAL = ("Polygon", "MultiPolygon")


@dataclass(frozen=True)
class GeometrySummary:
    min_lng: float
    min_lat: float
    max_lng: float
    max_lat: float
    centroid_lng: float
    centroid_lat: float


def to_shape(geojson: dict[str, Any]) -> BaseGeometry:
    """A shapely geometry from a GeoJSON geometry dict (no validation beyond parsing)."""
    return shape(geojson)


def to_geojson(geometry: BaseGeometry) -> dict[str, Any]:
    """A plain-JSON GeoJSON dict (lists, not tuples) fit for a JSON column."""
    return _lists(mapping(geometry))


def _lists(value: Any) -> Any:
    if isinstance(value, (list, tuple)):
        return [_lists(v) for v in value]
    if isinstance(value, dict):
        return {k: _lists(v) for k, v in value.items()}
    return value


def summarise(geometry: BaseGeometry) -> GeometrySummary:
    """Bounding box and a centroid guaranteed to lie inside the area (a point on its surface)."""
    min_lng, min_lat, max_lng, max_lat = geometry.bounds
    inside = (
        geometry.centroid if geometry.contains(geometry.centroid) else geometry.point_on_surface()
    )
    return GeometrySummary(min_lng, min_lat, max_lng, max_lat, inside.x, inside.y)
