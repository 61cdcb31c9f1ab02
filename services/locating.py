"""Use cases: locate one point or a batch of points in the grids.

Read-only (nothing is committed). Any authenticated user may locate: residents need it to tag
their reports, so there is no area scope to check; the answer reveals only the public grid map.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from sqlalchemy.orm import Session

from services.errors import ValidationFailed
from services.geo.coords import Coord, to_wgs84, to_wgs84_many
from services.geo.locator import Location
from services.geo.locator_cache import LocatorCache

MAX_BATCH = 10_000


@dataclass(frozen=True, slots=True)
class PointIn:
    lng: float
    lat: float
    ref: str | None = None  # the client's own label, echoed back


def locate_point(
    session: Session, *, locator: LocatorCache, lng: float, lat: float, coord: Coord
) -> Location:
    """Where one point given in ``coord`` falls."""
    _check(lng, lat, prefix="")
    wgs_lng, wgs_lat = to_wgs84(lng, lat, Coord(coord))
    return locator.get(session).locate(wgs_lng, wgs_lat)


def locate_points(
    session: Session, *, locator: LocatorCache, points: Sequence[PointIn], coord: Coord
) -> list[Location]:
    """Where each point falls, in the order given (at most ``MAX_BATCH`` points)."""
    if len(points) > MAX_BATCH:
        raise ValidationFailed(fields={"points": "too_many_points"}, limit=MAX_BATCH)
    for i, point in enumerate(points):
        _check(point.lng, point.lat, prefix=f"points.{i}.")
    if not points:
        return []
    lngs = np.fromiter((p.lng for p in points), dtype=np.float64, count=len(points))
    lats = np.fromiter((p.lat for p in points), dtype=np.float64, count=len(points))
    lngs, lats = to_wgs84_many(lngs, lats, Coord(coord))
    index = locator.get(session)
    batch = index.locate_arrays(lngs, lats)
    return [index.location(batch, i, p.ref) for i, p in enumerate(points)]


def _check(lng: float, lat: float, *, prefix: str) -> None:
    """The HTTP schemas refuse these already; other callers (CLI, imports) are checked here."""
    fields = {}
    if not (isinstance(lng, (int, float)) and math.isfinite(lng) and -180 <= lng <= 180):
        fields[f"{prefix}lng"] = "lng_out_of_range"
    if not (isinstance(lat, (int, float)) and math.isfinite(lat) and -90 <= lat <= 90):
        fields[f"{prefix}lat"] = "lat_out_of_range"
    if fields:
        raise ValidationFailed(fields=fields)
