"""Source coordinate systems of boundary files and their conversion to WGS-84.

``wgs84``, ``gcj02`` and ``bd09`` are the systems of Chinese web maps (converted by
services/geo/coords.py); anything else is handed to pyproj: ``EPSG:4528`` (CGCS2000 3-degree
Gauss-Krüger zone 40), a PROJ string or WKT.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray
from pyproj import CRS, Transformer
from pyproj.exceptions import CRSError, ProjError

from services.geo.coords import Coord, to_wgs84_many

Arrays = tuple[NDArray[np.float64], NDArray[np.float64]]
ToWgs84 = Callable[[NDArray[np.float64], NDArray[np.float64]], Arrays]

# Geographic systems a WGS-84 file may declare without anyone needing a warning: CGCS2000
# (EPSG:4490) differs from WGS-84 by centimetres.
_WGS84_LIKE = {4326, 4490}
_MAX_TEXT = 10_000


class CrsError(ValueError):
    def __init__(self, text: str) -> None:
        self.text = text[:200]
        super().__init__(f"unknown CRS {self.text!r}")


@dataclass(frozen=True)
class SourceCrs:
    label: str
    coord: Coord | None = None
    crs: CRS | None = None

    def transformer(self) -> ToWgs84:
        """Vectorised (x, y) -> (lng, lat) in WGS-84, longitude first whatever the CRS says."""
        if self.coord is not None:
            coord = self.coord
            return lambda xs, ys: to_wgs84_many(xs, ys, coord)
        transformer = Transformer.from_crs(self.crs, CRS.from_epsg(4326), always_xy=True)

        def convert(xs: NDArray[np.float64], ys: NDArray[np.float64]) -> Arrays:
            lng, lat = transformer.transform(xs, ys, errcheck=False)
            return np.asarray(lng, dtype=np.float64), np.asarray(lat, dtype=np.float64)

        return convert

    def agrees_with(self, declared: CRS) -> bool:
        """Whether a CRS the file declares is the one we were told (gcj02/bd09 files usually
        claim WGS-84, the datum they are offset from, so any geographic claim agrees)."""
        epsg = declared.to_epsg(min_confidence=90)
        if self.coord in (Coord.GCJ02, Coord.BD09):
            return declared.is_geographic
        if self.coord is Coord.WGS84:
            return epsg in _WGS84_LIKE
        if self.crs is None:
            return False
        if epsg is not None and epsg == self.crs.to_epsg(min_confidence=90):
            return True
        return self.crs.equals(declared, ignore_axis_order=True)


def parse_crs(text: str) -> SourceCrs:
    """``wgs84`` / ``gcj02`` / ``bd09`` (any case), or what pyproj understands; else CrsError."""
    cleaned = (text or "").strip()
    if not cleaned or len(cleaned) > _MAX_TEXT:
        raise CrsError(cleaned)
    try:
        return SourceCrs(label=str(Coord(cleaned.lower())), coord=Coord(cleaned.lower()))
    except ValueError:
        pass
    try:
        crs = CRS.from_user_input(cleaned)
    except (CRSError, ProjError, TypeError, ValueError):
        raise CrsError(cleaned) from None
    if not (crs.is_geographic or crs.is_projected):
        raise CrsError(cleaned)  # e.g. a vertical or engineering CRS: no lng/lat to get to
    epsg = crs.to_epsg(min_confidence=90)
    label = f"EPSG:{epsg}" if epsg else (crs.name if crs.name != "unknown" else cleaned[:80])
    return SourceCrs(label=label, crs=crs)


def declared_crs(wkid: object = None, name: object = None, wkt: object = None) -> CRS | None:
    """The CRS a file declares (Esri ``spatialReference`` or a GeoJSON 2008 ``crs`` member),
    or None when it declares nothing we can read."""
    candidates: list[str] = []
    if isinstance(wkid, int) and not isinstance(wkid, bool):
        candidates += [f"EPSG:{wkid}", f"ESRI:{wkid}"]
    for value in (name, wkt):
        if isinstance(value, str) and 0 < len(value) <= _MAX_TEXT:
            candidates.append(value)
    for candidate in candidates:
        try:
            return CRS.from_user_input(candidate)
        except (CRSError, ProjError, TypeError, ValueError):
            continue
    return None


def describe(crs: CRS) -> str:
    epsg = crs.to_epsg(min_confidence=90)
    return f"EPSG:{epsg}" if epsg else crs.name
