"""The locate use cases check their input for callers other than the HTTP API."""

import math

import pytest

from services.errors import ValidationFailed
from services.geo.coords import Coord
from services.geo.locator import LocateStatus
from services.geo.locator_cache import LocatorCache
from services.locating import MAX_BATCH, PointIn, locate_point, locate_points
from tests.geo_factories import make_shaped_tree


@pytest.fixture
def locator(session):
    make_shaped_tree(session)
    return LocatorCache()


@pytest.mark.parametrize(
    ("lng", "lat", "field"),
    [
        (118.3, math.nan, "lat"),
        (math.inf, 33.9, "lng"),
        (118.3, 90.5, "lat"),
        (-180.5, 33.9, "lng"),
        ("118.3", 33.9, "lng"),
    ],
)
def test_locate_point_refuses_non_finite_and_out_of_range(session, locator, lng, lat, field):
    with pytest.raises(ValidationFailed) as refused:
        locate_point(session, locator=locator, lng=lng, lat=lat, coord=Coord.WGS84)
    assert refused.value.fields == {field: f"{field}_out_of_range"}


def test_locate_points_names_the_bad_point(session, locator):
    points = [PointIn(118.305, 33.905), PointIn(118.305, math.nan)]
    with pytest.raises(ValidationFailed) as refused:
        locate_points(session, locator=locator, points=points, coord=Coord.WGS84)
    assert refused.value.fields == {"points.1.lat": "lat_out_of_range"}


def test_locate_points_refuses_more_than_the_maximum(session, locator):
    points = [PointIn(118.305, 33.905)] * (MAX_BATCH + 1)
    with pytest.raises(ValidationFailed) as refused:
        locate_points(session, locator=locator, points=points, coord=Coord.WGS84)
    assert refused.value.fields == {"points": "too_many_points"}
    assert refused.value.params == {"limit": MAX_BATCH}


def test_locate_points_of_nothing_is_nothing(session, locator):
    assert locate_points(session, locator=locator, points=[], coord=Coord.GCJ02) == []


def test_locate_points_keeps_order_and_refs(session, locator):
    points = [PointIn(120.0, 30.0, "far"), PointIn(118.305, 33.905, "in")]
    found = locate_points(session, locator=locator, points=points, coord=Coord.WGS84)
    assert [(f.ref, f.status) for f in found] == [
        ("far", LocateStatus.OUTSIDE),
        ("in", LocateStatus.GRID),
    ]
