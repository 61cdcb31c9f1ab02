"""An in-memory spatial index answering "which grid is this WGS-84 point in?".

Rules, in order:

1. A point inside a grid, or on its boundary, belongs to that grid. On a border shared by several
   grids (an edge, or a vertex where four grids meet) the grid with the **smallest code** wins, so
   every process gives the same answer. A point inside a hole of a (multi)polygon is not in it.
2. A point in no grid goes to the nearest grid within ``max_distance_m`` metres (status
   ``nearest``, with the distance; equal distances again go to the smallest code).
3. Otherwise it is ``unassigned`` to the smallest enclosing non-grid area (the deepest level;
   the smallest code among equals), or ``outside`` when no area with a geometry contains it.

The index is immutable; :mod:`services.geo.locator_cache` rebuilds it when the area map changes.
Batches go through shapely's STRtree and vectorised predicates on prepared polygons.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum

import numpy as np
import shapely
from numpy.typing import ArrayLike, NDArray
from shapely.geometry.base import BaseGeometry

from services.geo.metric import distances_m, search_boxes
from services.models.areas import AreaLevel

DEFAULT_MAX_DISTANCE_M = 100.0
_NONE = -1


class LocateStatus(StrEnum):
    GRID = "grid"
    NEAREST = "nearest"
    UNASSIGNED = "unassigned"
    OUTSIDE = "outside"


# Status codes in the arrays of a batch, in the order of LocateStatus.
_STATUSES = tuple(LocateStatus)
_GRID, _NEAREST, _UNASSIGNED, _OUTSIDE = range(4)


@dataclass(frozen=True, slots=True)
class AreaRef:
    """What a located point reports about an area (no geometry)."""

    id: uuid.UUID
    code: str
    name: str
    level: AreaLevel
    path: str

    @property
    def depth(self) -> int:
        return self.path.strip("/").count("/") + 1


@dataclass(frozen=True, slots=True)
class Location:
    """Where one point fell. ``area`` is the grid (grid, nearest), the enclosing area
    (unassigned) or None (outside); ``ancestors`` run from the root down to its parent."""

    status: LocateStatus
    lng: float  # the WGS-84 point that was located
    lat: float
    area: AreaRef | None
    ancestors: tuple[AreaRef, ...]
    distance_m: float | None = None
    ref: str | None = None  # a caller's label for the point, echoed back


@dataclass(frozen=True, slots=True)
class LocatedBatch:
    """A batch's answers as arrays: ``status`` codes index LocateStatus; ``index`` points into
    the index's grids (grid, nearest) or areas (unassigned), -1 otherwise; ``distance_m`` is NaN
    except for nearest."""

    lngs: NDArray[np.float64]
    lats: NDArray[np.float64]
    status: NDArray[np.int8]
    index: NDArray[np.int64]
    distance_m: NDArray[np.float64]


class _Layer:
    """Polygons of one kind, in the order that breaks ties (position 0 wins), with their tree."""

    def __init__(self, items: Sequence[tuple[AreaRef, BaseGeometry]], sort_key) -> None:
        items = sorted(items, key=lambda item: sort_key(item[0]))
        self.refs: list[AreaRef] = [ref for ref, _ in items]
        geoms = np.array([geom for _, geom in items], dtype=object)
        if geoms.size:
            invalid = ~shapely.is_valid(geoms)
            if invalid.any():
                geoms[invalid] = shapely.make_valid(geoms[invalid])
            shapely.prepare(geoms)
        self.geoms: NDArray[np.object_] = geoms
        self.tree = shapely.STRtree(geoms)
        if geoms.size:
            # GEOS builds a prepared polygon's point locator, and the tree its nodes, on first
            # use; do it now, so threads serving requests (shapely releases the GIL) only read.
            probes = shapely.point_on_surface(geoms)
            shapely.intersects(geoms, probes)
            self.tree.query(probes[:1])

    def __len__(self) -> int:
        return len(self.refs)

    def first_covering(self, points: NDArray[np.object_], rows: NDArray[np.int64]) -> NDArray:
        """For each point in ``rows``: the first polygon (in tie order) it touches, or -1."""
        best = np.full(len(rows), np.iinfo(np.int64).max, dtype=np.int64)
        if len(self) and len(rows):
            subset = points[rows]
            p, g = self.tree.query(subset)
            hit = shapely.intersects(self.geoms[g], subset[p])
            np.minimum.at(best, p[hit], g[hit])
        return np.where(best == np.iinfo(np.int64).max, _NONE, best)


class SpatialIndex:
    """Immutable: grids, the non-grid areas around them, and every area's ancestors by code."""

    def __init__(
        self,
        grids: Sequence[tuple[AreaRef, BaseGeometry]],
        areas: Sequence[tuple[AreaRef, BaseGeometry]],
        *,
        all_areas: Mapping[str, AreaRef] | None = None,
        max_distance_m: float = DEFAULT_MAX_DISTANCE_M,
        version: int = 0,
    ) -> None:
        self.version = version
        self.max_distance_m = float(max_distance_m)
        self.grids = _Layer(grids, lambda ref: ref.code)
        # Deepest first: the smallest enclosing area comes first among those that cover a point.
        self.areas = _Layer(areas, lambda ref: (-ref.depth, ref.code))
        known = dict(all_areas or {})
        for ref in (*self.grids.refs, *self.areas.refs):
            known.setdefault(ref.code, ref)
        self._ancestors: dict[str, tuple[AreaRef, ...]] = {
            ref.code: _ancestors_of(ref, known) for ref in (*self.grids.refs, *self.areas.refs)
        }

    @property
    def grid_count(self) -> int:
        return len(self.grids)

    def ancestors(self, ref: AreaRef) -> tuple[AreaRef, ...]:
        return self._ancestors.get(ref.code, ())

    # ---- batches ----

    def locate_arrays(self, lngs: ArrayLike, lats: ArrayLike) -> LocatedBatch:
        """Locate many WGS-84 points at once (finite values; validation is the caller's)."""
        x = np.asarray(lngs, dtype=np.float64).reshape(-1)
        y = np.asarray(lats, dtype=np.float64).reshape(-1)
        n = len(x)
        points = shapely.points(x, y)
        status = np.full(n, _OUTSIDE, dtype=np.int8)
        distance = np.full(n, np.nan)

        index = self.grids.first_covering(points, np.arange(n))
        status[index >= 0] = _GRID

        rest = np.flatnonzero(index < 0)
        if rest.size and self.max_distance_m > 0 and len(self.grids):
            grid, metres = self._nearest_grids(x[rest], y[rest])
            found = grid >= 0
            index[rest[found]] = grid[found]
            status[rest[found]] = _NEAREST
            distance[rest[found]] = metres[found]
            rest = rest[~found]

        if rest.size:
            area = self.areas.first_covering(points, rest)
            index[rest] = area
            status[rest[area >= 0]] = _UNASSIGNED
        return LocatedBatch(x, y, status, index, distance)

    def _nearest_grids(self, x: NDArray, y: NDArray) -> tuple[NDArray, NDArray]:
        """The nearest grid within max_distance_m of each point (-1 if none), and the metres."""
        grid = np.full(len(x), _NONE, dtype=np.int64)
        metres = np.full(len(x), np.nan)
        p, g = self.grids.tree.query(search_boxes(x, y, self.max_distance_m))
        if p.size == 0:
            return grid, metres
        d = distances_m(self.grids.geoms[g], x[p], y[p])
        close = d <= self.max_distance_m
        p, g, d = p[close], g[close], d[close]
        # Sort by point, then distance, then tie order; the first row of each point wins.
        order = np.lexsort((g, d, p))
        p, g, d = p[order], g[order], d[order]
        first = np.flatnonzero(np.r_[True, p[1:] != p[:-1]]) if p.size else p
        grid[p[first]] = g[first]
        metres[p[first]] = d[first]
        return grid, metres

    def locations(self, batch: LocatedBatch) -> list[Location]:
        return [self.location(batch, i) for i in range(len(batch.status))]

    def location(self, batch: LocatedBatch, i: int, label: str | None = None) -> Location:
        code = int(batch.status[i])
        lng, lat = float(batch.lngs[i]), float(batch.lats[i])
        if code == _OUTSIDE:
            return Location(LocateStatus.OUTSIDE, lng, lat, None, (), None, label)
        layer = self.areas if code == _UNASSIGNED else self.grids
        ref = layer.refs[int(batch.index[i])]
        distance = float(batch.distance_m[i]) if code == _NEAREST else None
        return Location(_STATUSES[code], lng, lat, ref, self.ancestors(ref), distance, label)

    def locate_many(self, lngs: ArrayLike, lats: ArrayLike) -> list[Location]:
        return self.locations(self.locate_arrays(lngs, lats))

    # ---- one point ----

    def locate(self, lng: float, lat: float) -> Location:
        """One point: a direct tree probe for the common case (inside a grid), else the batch
        path, so both always agree."""
        point = shapely.Point(lng, lat)
        if len(self.grids):
            for i in sorted(self.grids.tree.query(point).tolist()):
                if self.grids.geoms[i].intersects(point):
                    ref = self.grids.refs[i]
                    return Location(LocateStatus.GRID, lng, lat, ref, self.ancestors(ref))
        return self.locate_many([lng], [lat])[0]


def _ancestors_of(ref: AreaRef, known: Mapping[str, AreaRef]) -> tuple[AreaRef, ...]:
    codes = ref.path.strip("/").split("/")[:-1]
    return tuple(known[code] for code in codes if code in known)
