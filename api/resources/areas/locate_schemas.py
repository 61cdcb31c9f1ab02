"""Arguments and answers of the locate endpoints.

A full batch is 10,000 points: marshmallow's generic nested load and dump would spend about a
second each on it, so the two batch lists take a fast path with identical results (tested
against the generic path) and fall back to it whenever a point is not plainly well-formed, so
errors read exactly as everywhere else.
"""

from collections.abc import Sequence

import marshmallow as ma
from marshmallow import validate

from api.schemas import AreaRefSchema, text
from services.geo.coords import Coord
from services.geo.locator import AreaRef, LocateStatus, Location
from services.locating import MAX_BATCH

COORD_HELP = (
    "coordinate system of the input: `gcj02` (default; what WeChat's `wx.getLocation` and "
    "Chinese map SDKs such as AMap/Tencent give), `bd09` (Baidu) or `wgs84` (GPS)"
)


def _lng(**kwargs) -> ma.fields.Float:
    return ma.fields.Float(
        required=True,
        allow_nan=False,
        validate=validate.Range(min=-180, max=180),
        metadata={"description": "longitude, degrees", "example": 118.2755},
        **kwargs,
    )


def _lat(**kwargs) -> ma.fields.Float:
    return ma.fields.Float(
        required=True,
        allow_nan=False,
        validate=validate.Range(min=-90, max=90),
        metadata={"description": "latitude, degrees", "example": 33.9631},
        **kwargs,
    )


def _coord() -> ma.fields.Enum:
    return ma.fields.Enum(
        Coord, by_value=True, load_default=Coord.GCJ02, metadata={"description": COORD_HELP}
    )


class LocateQuerySchema(ma.Schema):
    lat = _lat()
    lng = _lng()
    coord = _coord()


class LocatePointSchema(ma.Schema):
    lat = _lat()
    lng = _lng()
    ref = text(1, 64, metadata={"description": "your label for the point, echoed back"})


_POINT_KEYS = frozenset(LocatePointSchema().fields)
_REF = LocatePointSchema().fields["ref"]
_NUMBER = (int, float)


def _plain_points(value: object) -> list[dict] | None:
    """The points as LocatePointSchema would load them, or None if any needs the full check."""
    if type(value) is not list:
        return None
    points = []
    for item in value:
        if type(item) is not dict or not item.keys() <= _POINT_KEYS:
            return None
        lat, lng = item.get("lat"), item.get("lng")
        # type() excludes bool; NaN fails every comparison, infinities fail the ranges.
        if type(lat) not in _NUMBER or type(lng) not in _NUMBER:
            return None
        if not (-90 <= lat <= 90 and -180 <= lng <= 180):
            return None
        point = {"lat": float(lat), "lng": float(lng)}
        if "ref" in item:
            try:
                point["ref"] = _REF.deserialize(item["ref"])
            except ma.ValidationError:
                return None
        points.append(point)
    return points


class _PointList(ma.fields.List):
    def _deserialize(self, value, attr, data, **kwargs):
        plain = _plain_points(value)
        return plain if plain is not None else super()._deserialize(value, attr, data, **kwargs)


class LocateBatchSchema(ma.Schema):
    coord = _coord()
    points = _PointList(
        ma.fields.Nested(LocatePointSchema),
        required=True,
        validate=validate.Length(min=1),
        metadata={
            "description": f"1 to {MAX_BATCH:,} points; more are refused with 422",
            "maxItems": MAX_BATCH,
            "example": [
                {"lat": 33.9631, "lng": 118.2755, "ref": "a"},
                {"lat": 33.9402, "lng": 118.3011},
            ],
        },
    )


class LocationSchema(ma.Schema):
    status = ma.fields.Enum(
        LocateStatus,
        by_value=True,
        required=True,
        metadata={
            "description": "`grid`: inside (or on the border of) a grid; `nearest`: in no grid "
            "but within the configured distance of one; `unassigned`: in no grid, `area` is the "
            "smallest enclosing area; `outside`: in no area at all"
        },
    )
    area = ma.fields.Nested(
        AreaRefSchema,
        allow_none=True,
        required=True,
        metadata={"description": "the grid (grid, nearest), the enclosing area (unassigned)"},
    )
    ancestors = ma.fields.List(
        ma.fields.Nested(AreaRefSchema),
        required=True,
        metadata={"description": "the area's ancestors from the city down to its parent"},
    )
    distance_m = ma.fields.Float(
        allow_none=True,
        required=True,
        metadata={"description": "metres to the grid when status is `nearest`, else null"},
    )
    lng = ma.fields.Float(
        required=True, metadata={"description": "the WGS-84 longitude that was located"}
    )
    lat = ma.fields.Float(
        required=True, metadata={"description": "the WGS-84 latitude that was located"}
    )


class LocatedPointSchema(LocationSchema):
    ref = ma.fields.String(allow_none=True, required=True, metadata={"description": "as sent"})


def _area_json(ref: AreaRef, seen: dict[str, dict]) -> dict:
    found = seen.get(ref.code)
    if found is None:
        found = {"id": str(ref.id), "code": ref.code, "name": ref.name, "level": ref.level.value}
        seen[ref.code] = found
    return found


def located_json(locations: Sequence[Location]) -> list[dict]:
    """What LocatedPointSchema dumps, built directly (areas shared between points)."""
    seen: dict[str, dict] = {}
    return [
        {
            "status": loc.status.value,
            "area": _area_json(loc.area, seen) if loc.area is not None else None,
            "ancestors": [_area_json(a, seen) for a in loc.ancestors],
            "distance_m": loc.distance_m,
            "lng": loc.lng,
            "lat": loc.lat,
            "ref": loc.ref,
        }
        for loc in locations
    ]


class _LocatedList(ma.fields.List):
    def _serialize(self, value, attr, obj, **kwargs):
        return None if value is None else located_json(value)


class LocateBatchResultSchema(ma.Schema):
    results = _LocatedList(
        ma.fields.Nested(LocatedPointSchema),
        required=True,
        metadata={"description": "one per point, in the order sent"},
    )


class LocationResponseSchema(LocationSchema):
    """LocationSchema for one answer, dumped directly like the batch (same output, less work)."""

    def dump(self, obj, *, many=None):
        if many or not isinstance(obj, Location):
            return super().dump(obj, many=many)
        located = located_json([obj])[0]
        del located["ref"]
        return located
