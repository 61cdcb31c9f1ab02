"""Distances in metres between WGS-84 points and geometries held in degrees.

Near a point the ellipsoid is locally flat: scaling degrees by the meridional and prime-vertical
radii of curvature at the point's latitude gives metres with an error far below a millimetre at
the hundreds of metres a locator cares about. Longitudes are not wrapped at ±180°.
"""

from __future__ import annotations

import math

import numpy as np
import shapely
from numpy.typing import NDArray

_WGS84_A = 6378137.0
_WGS84_E2 = 0.00669437999014
_DEG = math.pi / 180.0
# Never divide by ~0 near the poles (the platform is nowhere near them).
_MIN_COS = 1e-6


def metres_per_degree(lats: NDArray[np.float64]) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """(metres per degree of longitude, metres per degree of latitude) at each latitude."""
    phi = np.radians(lats)
    w = 1.0 - _WGS84_E2 * np.sin(phi) ** 2
    meridional = _WGS84_A * (1.0 - _WGS84_E2) / w**1.5
    prime_vertical = _WGS84_A / np.sqrt(w)
    per_lng = prime_vertical * np.maximum(np.cos(phi), _MIN_COS) * _DEG
    return per_lng, meridional * _DEG


def search_boxes(
    lngs: NDArray[np.float64], lats: NDArray[np.float64], radius_m: float
) -> NDArray[np.object_]:
    """Boxes in degrees that surely contain every point within ``radius_m`` of each point."""
    per_lng, per_lat = metres_per_degree(lats)
    # 1 % slack: the radii change a little across the box; never too small, only a few more hits.
    d_lng = radius_m / per_lng * 1.01
    d_lat = radius_m / per_lat * 1.01
    return shapely.box(lngs - d_lng, lats - d_lat, lngs + d_lng, lats + d_lat)


def distances_m(
    geoms: NDArray[np.object_], lngs: NDArray[np.float64], lats: NDArray[np.float64]
) -> NDArray[np.float64]:
    """Metres from each point to the geometry at the same position (0 inside a polygon)."""
    if geoms.size == 0:
        return np.zeros(0)
    per_lng, per_lat = metres_per_degree(lats)
    _, owner = shapely.get_coordinates(geoms, return_index=True)

    def to_local(coords: NDArray[np.float64]) -> NDArray[np.float64]:
        # shapely.transform hands over the coordinates in get_coordinates' order.
        x = (coords[:, 0] - lngs[owner]) * per_lng[owner]
        y = (coords[:, 1] - lats[owner]) * per_lat[owner]
        return np.column_stack((x, y))

    local = shapely.transform(geoms, to_local)
    origin = shapely.points(np.zeros(len(geoms)), np.zeros(len(geoms)))
    return shapely.distance(local, origin)
