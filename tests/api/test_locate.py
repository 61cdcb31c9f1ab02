"""GET and POST /api/v1/areas/locate: which grid a point is in, for any signed-in user."""

from __future__ import annotations

import numpy as np
import pytest

from services.area_version import bump_area_version
from services.geo.coords import Coord, from_wgs84, haversine_m
from services.locating import MAX_BATCH
from services.models.accounts import Role
from tests.assertions import assert_error
from tests.factories import login, login_resident, make_user
from tests.geo_factories import CELL, ORIGIN_LAT, ORIGIN_LNG, cell, make_shaped_tree, set_shape

URL = "/api/v1/areas/locate"


def centre(col: float, row: float) -> tuple[float, float]:
    return ORIGIN_LNG + (col + 0.5) * CELL, ORIGIN_LAT + (row + 0.5) * CELL


@pytest.fixture
def areas(session):
    return make_shaped_tree(session)


@pytest.fixture
def headers(session, client, areas):
    return login(client, make_user(session, role=Role.GRID_WORKER, area=areas["street"]))


def locate(client, headers, lng, lat, coord: str | None = "wgs84"):
    query = {"lng": repr(lng), "lat": repr(lat)}
    if coord is not None:
        query["coord"] = coord
    response = client.get(URL, query_string=query, headers=headers)
    assert response.status_code == 200, response.json
    return response.json


def test_point_in_a_grid_answers_the_grid_and_its_ancestors(client, headers, areas):
    lng, lat = centre(1, 1)
    body = locate(client, headers, lng, lat)
    assert body["status"] == "grid"
    assert body["area"] == {
        "id": str(areas["grid4"].id),
        "code": "321302001001004",
        "name": "第4网格",
        "level": "grid",
    }
    assert [(a["code"], a["name"], a["level"]) for a in body["ancestors"]] == [
        ("321300", "宿迁市", "city"),
        ("321302", "宿城区", "district"),
        ("321302001", "幸福街道", "street"),
        ("321302001001", "幸福社区", "community"),
    ]
    assert body["distance_m"] is None
    assert (body["lng"], body["lat"]) == (lng, lat)


def test_shared_vertex_of_four_grids_goes_to_the_smallest_code(client, headers):
    body = locate(client, headers, ORIGIN_LNG + CELL, ORIGIN_LAT + CELL)
    assert body["area"]["code"] == "321302001001001"


def test_shared_edge_goes_to_the_smaller_code(client, headers):
    body = locate(client, headers, ORIGIN_LNG + CELL, ORIGIN_LAT + 0.3 * CELL)
    assert body["area"]["code"] == "321302001001001"
    body = locate(client, headers, ORIGIN_LNG + 1.3 * CELL, ORIGIN_LAT + CELL)
    assert body["area"]["code"] == "321302001001002"


def test_point_just_outside_every_grid_goes_to_the_nearest(client, headers):
    lng, lat = ORIGIN_LNG + 2 * CELL + 0.0006, ORIGIN_LAT + 0.5 * CELL  # ~55 m east of grid 2
    body = locate(client, headers, lng, lat)
    assert (body["status"], body["area"]["code"]) == ("nearest", "321302001001002")
    assert body["distance_m"] == pytest.approx(
        haversine_m(lng, lat, ORIGIN_LNG + 2 * CELL, lat), rel=5e-3
    )


def test_point_beyond_the_distance_is_unassigned_to_the_smallest_enclosing_area(client, headers):
    body = locate(client, headers, *centre(2, 0))  # ~460 m from grid 2, inside the community
    assert (body["status"], body["area"]["code"]) == ("unassigned", "321302001001")
    assert [a["code"] for a in body["ancestors"]] == ["321300", "321302", "321302001"]
    assert body["distance_m"] is None
    assert locate(client, headers, *centre(4, 0))["area"]["code"] == "321302001"


def test_point_outside_the_city_is_outside(client, headers):
    body = locate(client, headers, 121.47, 31.23)
    assert body == {
        "status": "outside",
        "area": None,
        "ancestors": [],
        "distance_m": None,
        "lng": 121.47,
        "lat": 31.23,
    }


@pytest.mark.parametrize("coord", [Coord.GCJ02, Coord.BD09])
def test_chinese_map_coordinates_are_converted_before_locating(client, headers, coord):
    wgs = centre(0, 0)
    given = from_wgs84(*wgs, coord)
    # Read as WGS-84, the given point would land elsewhere: the conversion matters here.
    assert locate(client, headers, *given, coord="wgs84")["area"]["code"] != "321302001001001"
    body = locate(client, headers, *given, coord=coord.value)
    assert body["area"]["code"] == "321302001001001"
    assert haversine_m(body["lng"], body["lat"], *wgs) < 0.01


def test_coordinates_default_to_gcj02(client, headers):
    given = from_wgs84(*centre(0, 0), Coord.GCJ02)
    assert locate(client, headers, *given, coord=None) == locate(
        client, headers, *given, coord="gcj02"
    )


def test_a_resident_may_locate(client, sms, areas):
    headers = login_resident(client, sms, "+8613912345678")
    assert locate(client, headers, *centre(0, 0))["area"]["code"] == "321302001001001"


def test_locating_requires_sign_in(client, areas):
    for response in (
        client.get(URL, query_string={"lng": 118.3, "lat": 33.9}),
        client.post(URL, json={"points": [{"lng": 118.3, "lat": 33.9}]}),
    ):
        assert_error(response, 401)


def test_retired_grid_is_not_answered(client, session, headers, areas):
    areas["grid1"].active = False
    areas["grid1"].retired_at = areas["grid1"].created_at
    bump_area_version(session)
    session.commit()
    body = locate(client, headers, *centre(0, 0))
    assert (body["status"], body["area"]["code"]) == ("unassigned", "321302001001")


def test_the_index_follows_a_change_committed_elsewhere(client, session_factory, headers, areas):
    assert locate(client, headers, *centre(3, 0))["status"] == "unassigned"
    # Another process moves grid 2 and bumps the version; this process's cache notices.
    with session_factory() as other:
        grid = other.get(type(areas["grid2"]), areas["grid2"].id)
        set_shape(grid, cell(3, 0))
        bump_area_version(other)
        other.commit()
    body = locate(client, headers, *centre(3, 0))
    assert (body["status"], body["area"]["code"]) == ("grid", "321302001001002")


def test_batch_answers_each_point_in_the_order_sent_with_its_ref(client, headers):
    gcj = [from_wgs84(*p, Coord.GCJ02) for p in (centre(1, 1), centre(2, 0), (121.47, 31.23))]
    points = [
        {"lng": gcj[0][0], "lat": gcj[0][1], "ref": "report-1"},
        {"lng": gcj[1][0], "lat": gcj[1][1]},
        {"lng": gcj[2][0], "lat": gcj[2][1], "ref": "上海"},
    ]
    response = client.post(URL, json={"coord": "gcj02", "points": points}, headers=headers)
    assert response.status_code == 200, response.json
    results = response.json["results"]
    assert [(r["ref"], r["status"]) for r in results] == [
        ("report-1", "grid"),
        (None, "unassigned"),
        ("上海", "outside"),
    ]
    assert results[0]["area"]["code"] == "321302001001004"
    assert results[1]["area"]["code"] == "321302001001"
    assert haversine_m(results[0]["lng"], results[0]["lat"], *centre(1, 1)) < 0.01


def test_batch_of_the_maximum_size_is_answered_like_single_points(client, headers):
    rng = np.random.default_rng(42)
    lngs = rng.uniform(ORIGIN_LNG - 0.01, ORIGIN_LNG + 0.06, MAX_BATCH)
    lats = rng.uniform(ORIGIN_LAT - 0.01, ORIGIN_LAT + 0.04, MAX_BATCH)
    pairs = zip(lngs.tolist(), lats.tolist(), strict=True)
    points = [{"lng": x, "lat": y, "ref": f"p{i}"} for i, (x, y) in enumerate(pairs)]
    response = client.post(URL, json={"coord": "wgs84", "points": points}, headers=headers)
    assert response.status_code == 200
    results = response.json["results"]
    assert [r["ref"] for r in results] == [p["ref"] for p in points]
    assert {r["status"] for r in results} == {"grid", "nearest", "unassigned"}
    for i in range(0, MAX_BATCH, 997):
        single = locate(client, headers, float(lngs[i]), float(lats[i]))
        assert {**single, "ref": f"p{i}"} == results[i]


def test_batch_with_long_refs_fits_its_own_body_limit(client, headers):
    points = [{"lng": 118.305123456789, "lat": 33.905123456789, "ref": "x" * 64}] * MAX_BATCH
    response = client.post(URL, json={"coord": "wgs84", "points": points}, headers=headers)
    assert response.status_code == 200
    assert len(response.json["results"]) == MAX_BATCH
