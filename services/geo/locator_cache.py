"""The per-process spatial index, built from the database and rebuilt when the area map changes.

Every use reads the area map's version (one single-row query) and rebuilds under a lock when it
differs from the version the index was built from; so several server processes, each with its
own cache, follow every change committed by any of them (changes to areas bump the version in
the same transaction, see :mod:`services.area_version`). The version is read *before* the areas
are loaded, so an index may be newer than its label (then it is rebuilt once more, harmlessly)
but never older.
"""

from __future__ import annotations

import logging
import threading
import time

from shapely.geometry.base import BaseGeometry
from sqlalchemy import select
from sqlalchemy.orm import Session

from services.area_version import current_area_version
from services.geo.locator import DEFAULT_MAX_DISTANCE_M, AreaRef, SpatialIndex
from services.geo.shapes import POLYGONAL, to_shape
from services.models.areas import Area, AreaLevel

logger = logging.getLogger(__name__)


def build_index(
    session: Session, *, version: int, max_distance_m: float = DEFAULT_MAX_DISTANCE_M
) -> SpatialIndex:
    """Load every area: active grids and active non-grid areas with a polygonal geometry are
    indexed; every area (retired too) can appear as an ancestor."""
    rows = session.execute(
        select(
            Area.id,
            Area.code,
            Area.name,
            Area.level,
            Area.path,
        )
    ).all()
    refs = {row.code: AreaRef(row.id, row.code, row.name, row.level, row.path) for row in rows}
    shapes = session.execute(
        select(Area.code, Area.geometry).where(Area.active.is_(True), Area.retired_at.is_(None))
    ).all()
    grids: list[tuple[AreaRef, BaseGeometry]] = []
    areas: list[tuple[AreaRef, BaseGeometry]] = []
    for row in shapes:
        if not row.geometry:  # SQL NULL or JSON null: no shape drawn yet
            continue
        geometry = _polygonal(row.code, row.geometry)
        if geometry is None:
            continue
        ref = refs[row.code]
        (grids if ref.level is AreaLevel.GRID else areas).append((ref, geometry))
    return SpatialIndex(
        grids, areas, all_areas=refs, max_distance_m=max_distance_m, version=version
    )


def _polygonal(code: str, geojson: dict) -> BaseGeometry | None:
    try:
        geometry = to_shape(geojson)
    except Exception:  # a stored shape that cannot be read must not take locating down
        logger.warning("area %s: unreadable geometry ignored by the locator", code)
        return None
    if geometry.geom_type not in POLYGONAL or geometry.is_empty:
        logger.warning("area %s: %s geometry ignored by the locator", code, geometry.geom_type)
        return None
    return geometry


class LocatorCache:
    """Thread-safe holder of the current :class:`SpatialIndex` (one per process)."""

    def __init__(self, *, max_distance_m: float = DEFAULT_MAX_DISTANCE_M) -> None:
        self.max_distance_m = float(max_distance_m)
        self._lock = threading.Lock()
        self._index: SpatialIndex | None = None
        self.builds = 0

    def get(self, session: Session) -> SpatialIndex:
        """The index matching the database's current area version (rebuilt if it changed)."""
        version = current_area_version(session)
        index = self._index
        if index is not None and index.version == version:
            return index
        with self._lock:
            index = self._index
            # Another thread may have rebuilt it while we waited for the lock.
            if index is None or index.version != version:
                index = self._rebuild(session, version)
            return index

    def _rebuild(self, session: Session, version: int) -> SpatialIndex:
        started = time.perf_counter()
        index = build_index(session, version=version, max_distance_m=self.max_distance_m)
        self._index = index
        self.builds += 1
        logger.info(
            "spatial index v%s built: %s grids, %s areas in %.0f ms",
            version,
            index.grid_count,
            len(index.areas),
            (time.perf_counter() - started) * 1000,
        )
        return index

    def clear(self) -> None:
        """Forget the index (tests whose transactions roll the version back use this)."""
        with self._lock:
            self._index = None
