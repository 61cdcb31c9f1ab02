"""Converting between WGS-84, GCJ-02 and BD-09."""

import math
import random

import numpy as np
import pytest

from services.geo.coords import (
    Coord,
    bd09_to_gcj02,
    bd09_to_wgs84,
    from_wgs84,
    gcj02_to_bd09,
    gcj02_to_wgs84,
    haversine_m,
    in_china,
    to_wgs84,
    to_wgs84_many,
    wgs84_to_bd09,
    wgs84_to_gcj02,
)

# Published WGS-84 -> GCJ-02 pairs, (wgs lng, wgs lat, gcj lng, gcj lat): the test table of
# googollee/eviltransform (Shanghai, Shenzhen, Beijing), reproduced by its ports in many
# languages, and the README example of wandergis/coordtransform (Tiananmen area, 116.404E
# 39.915N). All use the same closed form, so agreement is expected to the last bits.
WGS_TO_GCJ = [
    (121.5272106, 31.1774276, 121.531541859215, 31.17530398364597),
    (113.912316, 22.543847, 113.9171764808363, 22.540796131694766),
    (116.377817, 39.911954, 116.38404722455657, 39.91334545536069),
    (116.404, 39.915, 116.41024449916938, 39.91640428150164),
]
# wandergis/coordtransform's README: GCJ-02 (116.404, 39.915) -> BD-09, a closed form too.
GCJ_TO_BD = (116.404, 39.915, 116.41036949371029, 39.92133699351021)
# The same README's inverses are one-step approximations (coordinate*2 - forward(coordinate)),
# good to a few centimetres here; ours iterate, so we must land within 0.1 m of them.
GCJ_TO_WGS_APPROX = (116.404, 39.915, 116.39775550083061, 39.91359571849836)
BD_TO_GCJ_APPROX = (116.404, 39.915, 116.39762729119315, 39.90865673957631)

# Rectangles well inside mainland China (clear of the borders, where the region test is coarse).
CHINA_SAMPLE_BOXES = [
    (75.0, 36.0, 95.0, 42.0),  # Xinjiang
    (80.0, 30.0, 100.0, 35.0),  # Tibet, Qinghai
    (100.0, 23.0, 122.0, 40.0),  # the east
    (110.0, 40.0, 130.0, 48.0),  # the north-east, Inner Mongolia
    (108.0, 18.2, 111.0, 20.0),  # Hainan
]


def _sample_china(n: int, seed: int = 7) -> list[tuple[float, float]]:
    rng = random.Random(seed)
    points = []
    while len(points) < n:
        west, south, east, north = rng.choice(CHINA_SAMPLE_BOXES)
        lng, lat = rng.uniform(west, east), rng.uniform(south, north)
        if in_china(lng, lat):
            points.append((lng, lat))
    return points


@pytest.mark.parametrize(("lng", "lat", "gcj_lng", "gcj_lat"), WGS_TO_GCJ)
def test_wgs84_to_gcj02_matches_published_pairs(lng, lat, gcj_lng, gcj_lat):
    assert wgs84_to_gcj02(lng, lat) == pytest.approx((gcj_lng, gcj_lat), abs=1e-9)


@pytest.mark.parametrize(("lng", "lat", "gcj_lng", "gcj_lat"), WGS_TO_GCJ)
def test_gcj02_to_wgs84_recovers_published_pairs_exactly(lng, lat, gcj_lng, gcj_lat):
    back = gcj02_to_wgs84(gcj_lng, gcj_lat)
    assert haversine_m(*back, lng, lat) < 0.001


def test_gcj02_to_bd09_matches_published_pair():
    lng, lat, bd_lng, bd_lat = GCJ_TO_BD
    assert gcj02_to_bd09(lng, lat) == pytest.approx((bd_lng, bd_lat), abs=1e-9)


@pytest.mark.parametrize(
    ("inverse", "forward", "pair"),
    [
        (gcj02_to_wgs84, wgs84_to_gcj02, GCJ_TO_WGS_APPROX),
        (bd09_to_gcj02, gcj02_to_bd09, BD_TO_GCJ_APPROX),
    ],
)
def test_inverses_are_exact_where_published_approximations_are_close(inverse, forward, pair):
    lng, lat, approx_lng, approx_lat = pair
    ours = inverse(lng, lat)
    assert haversine_m(*ours, approx_lng, approx_lat) < 0.1
    # ... and ours is the better answer: the forward transform gives the input back.
    assert haversine_m(*forward(*ours), lng, lat) < 1e-4
    assert haversine_m(*forward(approx_lng, approx_lat), lng, lat) > haversine_m(
        *forward(*ours), lng, lat
    )


def test_gcj02_offset_near_suqian_is_a_few_hundred_metres():
    # A sanity bound that does not depend on any table: GCJ-02 moves points by 100-700 m.
    lng, lat = 118.2755, 33.9631
    assert 100 < haversine_m(lng, lat, *wgs84_to_gcj02(lng, lat)) < 700


def test_round_trips_are_below_a_millimetre_across_china():
    worst = 0.0
    for lng, lat in _sample_china(3000):
        for there, back in (
            (wgs84_to_gcj02, gcj02_to_wgs84),
            (wgs84_to_bd09, bd09_to_wgs84),
            (gcj02_to_bd09, bd09_to_gcj02),
        ):
            worst = max(worst, haversine_m(*back(*there(lng, lat)), lng, lat))
    assert worst < 0.001


def test_bd09_to_wgs84_equals_bd09_to_gcj02_then_gcj02_to_wgs84():
    for lng, lat in _sample_china(500, seed=11):
        direct = bd09_to_wgs84(lng, lat)
        stepwise = gcj02_to_wgs84(*bd09_to_gcj02(lng, lat))
        assert haversine_m(*direct, *stepwise) < 1e-6


def test_bd09_is_gcj02_shifted_by_baidus_offset():
    # BD-09 sits about 0.0065E / 0.006N from GCJ-02; WGS-84 -> BD-09 composes the two steps.
    lng, lat = 118.2755, 33.9631
    gcj = wgs84_to_gcj02(lng, lat)
    assert wgs84_to_bd09(lng, lat) == gcj02_to_bd09(*gcj)
    bd = gcj02_to_bd09(*gcj)
    assert 0.005 < bd[0] - gcj[0] < 0.008
    assert 0.004 < bd[1] - gcj[1] < 0.008


@pytest.mark.parametrize(
    ("lng", "lat"),
    [
        (-0.1276, 51.5072),  # London
        (139.6917, 35.6895),  # Tokyo
        (126.978, 37.5665),  # Seoul
        (106.9057, 47.8864),  # Ulaanbaatar
        (105.8342, 21.0278),  # Hanoi
        (121.5654, 25.033),  # Taipei
        (103.8198, 1.3521),  # Singapore
        (0.0, 0.0),
        (180.0, 90.0),
        (-180.0, -90.0),
    ],
)
def test_points_outside_mainland_china_pass_through_unchanged(lng, lat):
    assert not in_china(lng, lat)
    for fn in (
        wgs84_to_gcj02,
        gcj02_to_wgs84,
        gcj02_to_bd09,
        bd09_to_gcj02,
        wgs84_to_bd09,
        bd09_to_wgs84,
    ):
        assert fn(lng, lat) == (lng, lat)
    assert to_wgs84_many([lng], [lat], Coord.BD09)[0].tolist() == [lng]


@pytest.mark.parametrize(
    ("lng", "lat"),
    [(116.404, 39.915), (121.4737, 31.2304), (87.6168, 43.8256), (91.1409, 29.6456)],
)
def test_mainland_cities_are_in_china(lng, lat):
    assert in_china(lng, lat)


@pytest.mark.parametrize("coord", list(Coord))
def test_to_wgs84_and_from_wgs84_are_inverse_for_every_system(coord):
    lng, lat = 118.31234, 33.95678
    assert haversine_m(*to_wgs84(*from_wgs84(lng, lat, coord), coord), lng, lat) < 0.001


def test_to_wgs84_accepts_the_coord_value_as_a_string():
    assert to_wgs84(118.3, 33.9, "gcj02") == to_wgs84(118.3, 33.9, Coord.GCJ02)


@pytest.mark.parametrize("coord", list(Coord))
def test_to_wgs84_many_agrees_with_the_scalar_function(coord):
    points = [*_sample_china(300, seed=3), (-0.1276, 51.5072), (121.5654, 25.033)]
    lngs = np.array([p[0] for p in points])
    lats = np.array([p[1] for p in points])
    out_lng, out_lat = to_wgs84_many(lngs, lats, coord)
    assert isinstance(out_lng, np.ndarray) and out_lng.dtype == np.float64
    assert len(out_lng) == len(points)
    for (lng, lat), x, y in zip(points, out_lng, out_lat, strict=True):
        assert haversine_m(x, y, *to_wgs84(lng, lat, coord)) < 1e-6
    # The inputs are not modified in place.
    assert lngs.tolist() == [p[0] for p in points]


def test_to_wgs84_many_refuses_arrays_of_different_lengths():
    with pytest.raises(ValueError, match="same length"):
        to_wgs84_many([1.0, 2.0], [1.0], Coord.GCJ02)


def test_to_wgs84_many_accepts_an_empty_batch():
    lngs, lats = to_wgs84_many([], [], Coord.BD09)
    assert lngs.size == lats.size == 0


def test_haversine_measures_a_degree_of_latitude_as_about_111_km():
    assert haversine_m(118.0, 33.0, 118.0, 34.0) == pytest.approx(111_195, rel=1e-3)
    assert haversine_m(118.0, 33.0, 118.0, 33.0) == 0.0
    # A degree of longitude shrinks with the cosine of the latitude.
    expected = 111_195 * math.cos(math.radians(60))
    assert haversine_m(10.0, 60.0, 11.0, 60.0) == pytest.approx(expected, rel=1e-3)
