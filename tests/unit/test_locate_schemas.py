"""The locate batch's fast load and dump give exactly what the generic marshmallow path gives."""

import uuid

import marshmallow as ma
import pytest

from api.resources.areas.locate_schemas import (
    LocateBatchResultSchema,
    LocateBatchSchema,
    LocatedPointSchema,
    LocatePointSchema,
    LocationResponseSchema,
    LocationSchema,
)
from services.geo.coords import Coord
from services.geo.locator import AreaRef, LocateStatus, Location
from services.models.areas import AreaLevel

GENERIC_POINTS = ma.fields.List(ma.fields.Nested(LocatePointSchema))


@pytest.mark.parametrize(
    "points",
    [
        [{"lat": 33.9, "lng": 118.3}],
        [{"lat": 0, "lng": -180}, {"lat": -90, "lng": 180, "ref": "边界"}],
        [{"lng": 118.3, "lat": 33.9, "ref": "x" * 64}, {"lat": 90, "lng": 0.0}],
        # Cases the fast path hands to the generic one:
        [{"lat": "33.9", "lng": "118.3"}],
        [{"lat": 33.9, "lng": 118.3, "ref": "tab\tinside"}],
    ],
)
def test_batch_load_equals_the_generic_nested_load(points):
    loaded = LocateBatchSchema().load({"points": points})
    assert loaded["points"] == GENERIC_POINTS.deserialize(points)
    assert loaded["coord"] is Coord.GCJ02
    assert all(type(p["lat"]) is float and type(p["lng"]) is float for p in loaded["points"])


@pytest.mark.parametrize(
    "point",
    [
        {"lat": float("nan"), "lng": 118.3},
        {"lat": 33.9, "lng": float("inf")},
        {"lat": 95, "lng": 118.3},
        {"lat": False, "lng": 118.3},
        {"lat": 33.9, "lng": 118.3, "ref": "\x00"},
        {"lat": 33.9, "lng": 118.3, "height": 3},
        {"lat": 33.9},
        "33.9,118.3",
    ],
)
def test_batch_load_errors_equal_the_generic_errors(point):
    with pytest.raises(ma.ValidationError) as ours:
        LocateBatchSchema().load({"points": [{"lat": 1, "lng": 1}, point]})
    with pytest.raises(ma.ValidationError) as generic:
        GENERIC_POINTS.deserialize([{"lat": 1, "lng": 1}, point])
    assert ours.value.messages["points"] == generic.value.messages


def _ref(code: str, level: AreaLevel) -> AreaRef:
    return AreaRef(uuid.uuid4(), code, f"区域{code}", level, f"/{code}/")


def test_batch_dump_equals_the_generic_nested_dump():
    city = _ref("321300", AreaLevel.CITY)
    street = _ref("321302001", AreaLevel.STREET)
    grid = _ref("321302001001001", AreaLevel.GRID)
    results = [
        Location(LocateStatus.GRID, 118.3, 33.9, grid, (city, street), None, "a"),
        Location(LocateStatus.NEAREST, 118.31, 33.91, grid, (city, street), 42.5, None),
        Location(LocateStatus.UNASSIGNED, 118.4, 33.8, street, (city,), None, "c"),
        Location(LocateStatus.OUTSIDE, 120.0, 30.0, None, (), None, "d"),
    ]
    fast = LocateBatchResultSchema().dump({"results": results})
    generic = {"results": LocatedPointSchema(many=True).dump(results)}
    assert fast == generic
    assert list(fast["results"][0]) == list(generic["results"][0])


def test_single_answer_dump_equals_the_generic_dump():
    city = _ref("321300", AreaLevel.CITY)
    grid = _ref("321302001001001", AreaLevel.GRID)
    for location in (
        Location(LocateStatus.GRID, 118.3, 33.9, grid, (city,), None, None),
        Location(LocateStatus.NEAREST, 118.31, 33.91, grid, (city,), 42.5, None),
        Location(LocateStatus.OUTSIDE, 120.0, 30.0, None, (), None, None),
    ):
        fast = LocationResponseSchema().dump(location)
        generic = LocationSchema().dump(location)
        assert fast == generic
        assert list(fast) == list(generic)
