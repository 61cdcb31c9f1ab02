"""Reading boundary files: GeoJSON FeatureCollections (DataV style included) and Esri JSON.

Readers only parse: they return each feature's attributes and its polygon in the file's own
coordinates, or why the polygon cannot be used. Converting, repairing and checking come later.
"""

from __future__ import annotations

import itertools
import json
from dataclasses import dataclass, field
from typing import Any

from pyproj import CRS
from shapely.errors import GEOSException
from shapely.geometry import MultiPolygon, Polygon
from shapely.geometry.base import BaseGeometry

from services.geo.crs import declared_crs
from services.geo.polygons import MAX_VERTICES, GeometryError, parse_geojson

Note = tuple[str, dict[str, Any]]

_ESRI_NOT_POLYGONS = {"paths": "polyline", "points": "multipoint", "x": "point"}
_ESRI_CURVES = ("curveRings", "curvePaths")


class ReadError(ValueError):
    """The file as a whole cannot be read; ``key`` names a message in the catalogue."""

    def __init__(self, key: str, **params: Any) -> None:
        self.key = key
        self.params = params
        super().__init__(key)


@dataclass
class RawFeature:
    index: int  # 1-based position in the file, as people count
    properties: dict[str, Any]
    geometry: BaseGeometry | None = None  # in the file's coordinates
    problem: Note | None = None  # why the geometry cannot be used
    notes: list[Note] = field(default_factory=list)  # things worth a warning


@dataclass
class SourceFile:
    format: str  # "geojson" or "esri"
    features: list[RawFeature]
    declared_crs: CRS | None = None


def read_boundaries(data: bytes) -> SourceFile:
    """Parse a boundary file; ReadError when it is not JSON or not a known format."""
    try:
        doc = json.loads(data.decode("utf-8-sig"))
    except UnicodeDecodeError as exc:
        raise ReadError("import_unreadable", reason=f"not UTF-8 text ({exc.reason})") from None
    except ValueError as exc:  # JSONDecodeError, or an integer of more than 4300 digits
        raise ReadError("import_unreadable", reason=f"invalid JSON: {exc}") from None
    except RecursionError:
        raise ReadError("import_unreadable", reason="invalid JSON: nested too deeply") from None
    if not isinstance(doc, dict):
        raise ReadError("import_format_unknown")
    if doc.get("type") == "FeatureCollection" and isinstance(doc.get("features"), list):
        return _geojson(doc)
    if doc.get("type") == "Feature":
        return _geojson({"type": "FeatureCollection", "features": [doc], "crs": doc.get("crs")})
    if isinstance(doc.get("features"), list) and _looks_esri(doc):
        return _esri(doc)
    raise ReadError("import_format_unknown")


def _looks_esri(doc: dict) -> bool:
    if "spatialReference" in doc or "geometryType" in doc:
        return True
    return any(isinstance(f, dict) and "attributes" in f for f in doc["features"])


# ---- GeoJSON ----


def _geojson_declared(doc: dict) -> CRS | None:
    crs = doc.get("crs")
    if isinstance(crs, dict) and isinstance(crs.get("properties"), dict):
        return declared_crs(name=crs["properties"].get("name"))
    return None


def _geojson(doc: dict) -> SourceFile:
    features = []
    for index, item in enumerate(doc["features"], start=1):
        if not isinstance(item, dict):
            features.append(RawFeature(index, {}, problem=("geometry_malformed", {})))
            continue
        properties = item.get("properties") if isinstance(item.get("properties"), dict) else {}
        feature = RawFeature(index, properties)
        geometry = item.get("geometry")
        if geometry is None:
            feature.problem = ("import_geometry_missing", {})
        else:
            try:
                feature.geometry = parse_geojson(geometry)
            except GeometryError as exc:
                feature.problem = (exc.key, exc.params)
        features.append(feature)
    return SourceFile("geojson", features, _geojson_declared(doc))


# ---- Esri JSON ----


def _esri_declared(reference: object) -> CRS | None:
    if not isinstance(reference, dict):
        return None
    wkid = reference.get("latestWkid", reference.get("wkid"))
    return declared_crs(wkid=wkid, wkt=reference.get("wkt"))


def _esri(doc: dict) -> SourceFile:
    declared = _esri_declared(doc.get("spatialReference"))
    features = []
    for index, item in enumerate(doc["features"], start=1):
        if not isinstance(item, dict):
            features.append(RawFeature(index, {}, problem=("geometry_malformed", {})))
            continue
        attributes = item.get("attributes") if isinstance(item.get("attributes"), dict) else {}
        feature = RawFeature(index, attributes)
        geometry = item.get("geometry")
        if declared is None and isinstance(geometry, dict):
            declared = _esri_declared(geometry.get("spatialReference"))
        try:
            feature.geometry, orphans = esri_polygon(geometry)
            if orphans:
                feature.notes.append(("import_orphan_hole", {"count": orphans}))
        except GeometryError as exc:
            feature.problem = (exc.key, exc.params)
        features.append(feature)
    return SourceFile("esri", features, declared)


def _esri_ring(value: Any, budget: list[int]) -> list[tuple[float, float]]:
    # Reuse the GeoJSON ring rules (numbers, closed, at least 4 points) on a one-ring polygon.
    budget[0] -= len(value) if isinstance(value, list) else 0
    if budget[0] < 0:
        raise GeometryError("geometry_too_many_vertices", limit=MAX_VERTICES)
    polygon = parse_geojson({"type": "Polygon", "coordinates": [value]})
    return list(polygon.exterior.coords)


def signed_area(ring: list[tuple[float, float]]) -> float:
    """Shoelace area, positive counter-clockwise (y up). Coordinates are taken relative to the
    first vertex: projected eastings of 40 000 000 m would otherwise drown small rings."""
    x0, y0 = ring[0]
    total = 0.0
    for (x1, y1), (x2, y2) in itertools.pairwise(ring):
        total += (x1 - x0) * (y2 - y0) - (x2 - x0) * (y1 - y0)
    return total / 2.0


def _contains(shell: Polygon, hole: Polygon) -> bool:
    try:
        return shell.covers(hole)
    except GEOSException:  # an invalid ring; fall back to one point
        return shell.covers(hole.representative_point())


def esri_polygon(geometry: Any) -> tuple[BaseGeometry, int]:
    """A shapely polygon from an Esri JSON polygon, and how many holes had no exterior.

    Esri writes exterior rings clockwise and holes counter-clockwise, all in one flat list; each
    hole belongs to the smallest exterior that contains it (an island inside a lake inside a
    district is an exterior of its own, and the lake is the district's hole, not the island's).
    """
    if geometry is None:
        raise GeometryError("import_geometry_missing")
    if not isinstance(geometry, dict):
        raise GeometryError("geometry_malformed")
    for key in _ESRI_CURVES:
        if key in geometry:
            raise GeometryError("import_geometry_curves", kind=key)
    rings = geometry.get("rings")
    if rings is None:
        kind = next((v for k, v in _ESRI_NOT_POLYGONS.items() if k in geometry), "unknown")
        raise GeometryError("geometry_type", type=kind)
    if not isinstance(rings, list) or not rings:
        raise GeometryError("geometry_malformed")
    budget = [MAX_VERTICES]
    shells: list[list[tuple[float, float]]] = []
    holes: list[list[tuple[float, float]]] = []
    for value in rings:
        ring = _esri_ring(value, budget)
        (holes if signed_area(ring) > 0 else shells).append(ring)
    shell_polygons = [Polygon(s) for s in shells]
    assigned: list[list[list[tuple[float, float]]]] = [[] for _ in shells]
    orphans = 0
    for ring in holes:
        hole = Polygon(ring)
        containing = [i for i, s in enumerate(shell_polygons) if _contains(s, hole)]
        if containing:
            smallest = min(containing, key=lambda i: shell_polygons[i].area)
            assigned[smallest].append(ring)
        else:
            # Written with the wrong orientation: read it as an exterior rather than lose it.
            shells.append(ring)
            assigned.append([])
            orphans += 1
    polygons = [Polygon(shell, inner) for shell, inner in zip(shells, assigned, strict=True)]
    if len(polygons) == 1:
        return polygons[0], orphans
    return MultiPolygon(polygons), orphans
