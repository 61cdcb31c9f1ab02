"""Chinese map coordinate systems: WGS-84, GCJ-02 ("Mars" coordinates) and Baidu's BD-09.

GCJ-02 is the obfuscation mandated for maps of mainland China (AMap/Gaode, Tencent, WeChat's
``wx.getLocation(type="gcj02")``); BD-09 is Baidu's further transform on top of GCJ-02. Everything
is stored in WGS-84, so inputs are converted with :func:`to_wgs84` / :func:`to_wgs84_many`.

The forward transforms are the widely published closed forms (Krasovsky 1940 ellipsoid). They
have no closed-form inverse; the inverses here iterate until the forward transform of the result
reproduces the input to ~1e-10 degrees (far below a millimetre), so round trips are exact for
practical purposes.

Where the offset applies (:func:`in_china`): the union of six rectangles covering mainland
China, minus rectangles for Taiwan and for border regions of Vietnam and the Russian Far East /
North Korea that the rectangles would otherwise sweep in (the region table used by many open
GCJ-02 libraries; a single big bounding box would wrongly offset e.g. Mongolia, Vietnam or Korea).
Hong Kong and Macau are kept inside, because the Chinese map providers that produce GCJ-02 offset
them too. Points outside pass through every transform unchanged. The test is rectangular, so
right at a land border (within the offset's ~0.5 km) a point may be treated either way; it is
exact everywhere that matters for a city platform.
"""

from __future__ import annotations

import math
from enum import StrEnum
from types import SimpleNamespace
from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray


class Coord(StrEnum):
    WGS84 = "wgs84"
    GCJ02 = "gcj02"
    BD09 = "bd09"


_A = 6378245.0  # Krasovsky 1940 semi-major axis, metres
_EE = 0.00669342162296594323  # Krasovsky 1940 first eccentricity squared
_X_PI = math.pi * 3000.0 / 180.0  # Baidu's constant
_TOLERANCE_DEG = 1e-10
EARTH_RADIUS_M = 6371008.8  # mean Earth radius (IUGG)
_MAX_ITERATIONS = 30

# [north, west, south, east] in degrees.
_INSIDE = np.array(
    [
        [49.2204, 79.4462, 42.8899, 96.33],
        [54.1415, 109.6872, 39.3742, 135.0002],
        [42.8899, 73.1246, 29.5297, 124.143255],
        [29.5297, 82.9684, 26.7186, 97.0352],
        [29.5297, 97.0253, 20.414096, 124.367395],
        [20.414096, 107.975793, 17.871542, 111.744104],
    ]
)
_OUTSIDE = np.array(
    [
        [25.398623, 119.921265, 21.785006, 122.497559],  # Taiwan
        [22.284, 101.8652, 20.0988, 106.665],  # northern Vietnam / Laos
        [21.5422, 106.4525, 20.4878, 108.051],  # Gulf of Tonkin coast of Vietnam
        [55.8175, 109.0323, 50.3257, 119.127],  # Russia east of Mongolia
        [55.8175, 127.4568, 49.5574, 137.0227],  # Russian Far East
        [44.8922, 131.2662, 42.5692, 137.0227],  # Primorsky Krai / North Korea coast
    ]
)
_INSIDE_BOXES = [tuple(r) for r in _INSIDE.tolist()]
_OUTSIDE_BOXES = [tuple(r) for r in _OUTSIDE.tolist()]

# The same formulas serve scalars (math: fast for one point) and arrays (numpy).
_SCALAR = SimpleNamespace(
    sin=math.sin, cos=math.cos, sqrt=math.sqrt, abs=abs, atan2=math.atan2, max_abs=abs
)
_ARRAY = SimpleNamespace(
    sin=np.sin,
    cos=np.cos,
    sqrt=np.sqrt,
    abs=np.abs,
    atan2=np.arctan2,
    max_abs=lambda a: float(np.max(np.abs(a), initial=0.0)),
)


def in_china(lng: float, lat: float) -> bool:
    """Whether GCJ-02's offset applies at this point (see the module docstring)."""
    for north, west, south, east in _INSIDE_BOXES:
        if south <= lat <= north and west <= lng <= east:
            break
    else:
        return False
    for north, west, south, east in _OUTSIDE_BOXES:
        if south <= lat <= north and west <= lng <= east:
            return False
    return True


def in_china_many(lngs: NDArray[np.float64], lats: NDArray[np.float64]) -> NDArray[np.bool_]:
    def inside(boxes: NDArray[np.float64]) -> NDArray[np.bool_]:
        north, west, south, east = (boxes[:, i][:, None] for i in range(4))
        return ((lats >= south) & (lats <= north) & (lngs >= west) & (lngs <= east)).any(axis=0)

    return inside(_INSIDE) & ~inside(_OUTSIDE)


def _gcj_offset(lng: Any, lat: Any, m: SimpleNamespace) -> tuple[Any, Any]:
    """GCJ-02 minus WGS-84 at a WGS-84 point, in degrees (no region test)."""
    x, y = lng - 105.0, lat - 35.0
    pi = math.pi
    wave = (20.0 * m.sin(6.0 * x * pi) + 20.0 * m.sin(2.0 * x * pi)) * 2.0 / 3.0
    d_lat = -100.0 + 2.0 * x + 3.0 * y + 0.2 * y * y + 0.1 * x * y + 0.2 * m.sqrt(m.abs(x))
    d_lat = d_lat + wave
    d_lat = d_lat + (20.0 * m.sin(y * pi) + 40.0 * m.sin(y / 3.0 * pi)) * 2.0 / 3.0
    d_lat = d_lat + (160.0 * m.sin(y / 12.0 * pi) + 320.0 * m.sin(y * pi / 30.0)) * 2.0 / 3.0
    d_lng = 300.0 + x + 2.0 * y + 0.1 * x * x + 0.1 * x * y + 0.1 * m.sqrt(m.abs(x))
    d_lng = d_lng + wave
    d_lng = d_lng + (20.0 * m.sin(x * pi) + 40.0 * m.sin(x / 3.0 * pi)) * 2.0 / 3.0
    d_lng = d_lng + (150.0 * m.sin(x / 12.0 * pi) + 300.0 * m.sin(x / 30.0 * pi)) * 2.0 / 3.0
    rad_lat = lat / 180.0 * pi
    magic = 1.0 - _EE * m.sin(rad_lat) ** 2
    sqrt_magic = m.sqrt(magic)
    d_lat = (d_lat * 180.0) / ((_A * (1.0 - _EE)) / (magic * sqrt_magic) * pi)
    d_lng = (d_lng * 180.0) / (_A / sqrt_magic * m.cos(rad_lat) * pi)
    return d_lng, d_lat


def _bd_forward(lng: Any, lat: Any, m: SimpleNamespace) -> tuple[Any, Any]:
    z = m.sqrt(lng * lng + lat * lat) + 0.00002 * m.sin(lat * _X_PI)
    theta = m.atan2(lat, lng) + 0.000003 * m.cos(lng * _X_PI)
    return z * m.cos(theta) + 0.0065, z * m.sin(theta) + 0.006


def _bd_approx_inverse(lng: Any, lat: Any, m: SimpleNamespace) -> tuple[Any, Any]:
    x, y = lng - 0.0065, lat - 0.006
    z = m.sqrt(x * x + y * y) - 0.00002 * m.sin(y * _X_PI)
    theta = m.atan2(y, x) - 0.000003 * m.cos(x * _X_PI)
    return z * m.cos(theta), z * m.sin(theta)


def _gcj_forward(lng: Any, lat: Any, m: SimpleNamespace) -> tuple[Any, Any]:
    d_lng, d_lat = _gcj_offset(lng, lat, m)
    return lng + d_lng, lat + d_lat


def _gcj_approx_inverse(lng: Any, lat: Any, m: SimpleNamespace) -> tuple[Any, Any]:
    d_lng, d_lat = _gcj_offset(lng, lat, m)
    return lng - d_lng, lat - d_lat


def _invert(forward, approx, lng: Any, lat: Any, m: SimpleNamespace) -> tuple[Any, Any]:
    """Solve forward(x) = target by fixed-point refinement from an approximate inverse.

    Both transforms are the identity plus a slowly varying shift, so each step shrinks the error
    by orders of magnitude; three steps usually reach the tolerance.
    """
    x, y = approx(lng, lat, m)
    for _ in range(_MAX_ITERATIONS):
        fx, fy = forward(x, y, m)
        err_x, err_y = fx - lng, fy - lat
        x, y = x - err_x, y - err_y
        if m.max_abs(err_x) < _TOLERANCE_DEG and m.max_abs(err_y) < _TOLERANCE_DEG:
            break
    return x, y


# ---- scalar API: (lng, lat) in, (lng, lat) out ----


def wgs84_to_gcj02(lng: float, lat: float) -> tuple[float, float]:
    if not in_china(lng, lat):
        return lng, lat
    return _gcj_forward(lng, lat, _SCALAR)


def gcj02_to_wgs84(lng: float, lat: float) -> tuple[float, float]:
    """The WGS-84 point whose GCJ-02 image is (lng, lat), to ~1e-10 degrees."""
    if not in_china(lng, lat):
        return lng, lat
    x, y = _invert(_gcj_forward, _gcj_approx_inverse, lng, lat, _SCALAR)
    # Right at the region's edge the preimage may lie outside, where nothing was offset.
    return (x, y) if in_china(x, y) else (lng, lat)


def gcj02_to_bd09(lng: float, lat: float) -> tuple[float, float]:
    if not in_china(lng, lat):
        return lng, lat
    return _bd_forward(lng, lat, _SCALAR)


def bd09_to_gcj02(lng: float, lat: float) -> tuple[float, float]:
    if not in_china(lng, lat):
        return lng, lat
    return _invert(_bd_forward, _bd_approx_inverse, lng, lat, _SCALAR)


def wgs84_to_bd09(lng: float, lat: float) -> tuple[float, float]:
    return gcj02_to_bd09(*wgs84_to_gcj02(lng, lat))


def bd09_to_wgs84(lng: float, lat: float) -> tuple[float, float]:
    return gcj02_to_wgs84(*bd09_to_gcj02(lng, lat))


_TO_WGS84 = {
    Coord.WGS84: lambda lng, lat: (lng, lat),
    Coord.GCJ02: gcj02_to_wgs84,
    Coord.BD09: bd09_to_wgs84,
}
_FROM_WGS84 = {
    Coord.WGS84: lambda lng, lat: (lng, lat),
    Coord.GCJ02: wgs84_to_gcj02,
    Coord.BD09: wgs84_to_bd09,
}


def to_wgs84(lng: float, lat: float, coord: Coord) -> tuple[float, float]:
    """A point given in ``coord`` expressed in WGS-84."""
    x, y = _TO_WGS84[Coord(coord)](float(lng), float(lat))
    return float(x), float(y)


def from_wgs84(lng: float, lat: float, coord: Coord) -> tuple[float, float]:
    """A WGS-84 point expressed in ``coord``."""
    x, y = _FROM_WGS84[Coord(coord)](float(lng), float(lat))
    return float(x), float(y)


# ---- vectorised API: numpy arrays in and out ----


def _masked(fn, lngs: NDArray[np.float64], lats: NDArray[np.float64]):
    """Apply ``fn`` (array -> array) only where the offset applies; pass the rest through."""
    out_lng, out_lat = lngs.copy(), lats.copy()
    mask = in_china_many(lngs, lats)
    if mask.any():
        x, y = fn(lngs[mask], lats[mask])
        out_lng[mask], out_lat[mask] = x, y
    return out_lng, out_lat


def _gcj02_to_wgs84_array(lngs: NDArray[np.float64], lats: NDArray[np.float64]):
    x, y = _invert(_gcj_forward, _gcj_approx_inverse, lngs, lats, _ARRAY)
    keep = in_china_many(x, y)
    return np.where(keep, x, lngs), np.where(keep, y, lats)


def _bd09_to_gcj02_array(lngs: NDArray[np.float64], lats: NDArray[np.float64]):
    return _invert(_bd_forward, _bd_approx_inverse, lngs, lats, _ARRAY)


def to_wgs84_many(
    lngs: ArrayLike, lats: ArrayLike, coord: Coord
) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """Vectorised :func:`to_wgs84`: two equal-length arrays in, two new float64 arrays out."""
    x = np.asarray(lngs, dtype=np.float64).reshape(-1)
    y = np.asarray(lats, dtype=np.float64).reshape(-1)
    if x.shape != y.shape:
        raise ValueError("lngs and lats must have the same length")
    coord = Coord(coord)
    if coord is Coord.WGS84:
        return x.copy(), y.copy()
    if coord is Coord.BD09:
        x, y = _masked(_bd09_to_gcj02_array, x, y)
    return _masked(_gcj02_to_wgs84_array, x, y)


def haversine_m(lng1: float, lat1: float, lng2: float, lat2: float) -> float:
    """Great-circle distance in metres on a sphere of the mean Earth radius."""
    phi1, phi2 = math.radians(lat1), math.radians(lat2)
    d_phi, d_lambda = phi2 - phi1, math.radians(lng2 - lng1)
    h = math.sin(d_phi / 2) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(d_lambda / 2) ** 2
    return 2 * EARTH_RADIUS_M * math.asin(min(1.0, math.sqrt(h)))
