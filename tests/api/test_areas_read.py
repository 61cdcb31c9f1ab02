"""Reading the area map: lists with filters, one area with its ancestors, children, GeoJSON."""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import replace

import pytest
from shapely.geometry import box

from services.geo.shapes import summarise, to_geojson
from services.models.accounts import Role
from tests.factories import login, login_resident, make_area, make_area_tree, make_user

URL = "/api/v1/areas"


def _shape(area, geometry):
    s = summarise(geometry)
    area.geometry = to_geojson(geometry)
    area.min_lng, area.min_lat, area.max_lng, area.max_lat = geometry.bounds
    area.centroid_lng, area.centroid_lat = s.centroid_lng, s.centroid_lat
    return area


@pytest.fixture
def tree(session):
    tree = make_area_tree(session)
    _shape(tree["grid"], box(118.27, 33.96, 118.28, 33.97))
    session.flush()
    return tree


@pytest.fixture
def headers(session, client, tree):
    return login(client, make_user(session, role=Role.GRID_WORKER, area=tree["grid"]))


def _codes(response) -> list[str]:
    assert response.status_code == 200, response.json
    return [item["code"] for item in response.json["items"]]


def test_reading_needs_a_signed_in_user(client, tree):
    assert client.get(URL).status_code == 401
    assert client.get(f"{URL}/{tree['grid'].id}").status_code == 401


def test_residents_can_read_the_map(client, sms, session, tree):
    headers = login_resident(client, sms, "13912345678")
    response = client.get(f"{URL}/{tree['grid'].id}", headers=headers)
    assert response.status_code == 200
    assert response.json["code"] == "321302001001001"


def test_list_is_ordered_by_code_and_paged(client, headers):
    first = client.get(URL, query_string={"page_size": 3}, headers=headers)
    assert _codes(first) == ["321300", "321302", "321302001"]
    assert first.json["total"] == 8
    second = client.get(URL, query_string={"page_size": 3, "page": 3}, headers=headers)
    assert _codes(second) == ["321311", "321311001"]


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"level": "grid"}, ["321302001001001", "321302001001002"]),
        ({"level": "district"}, ["321302", "321311"]),
        ({"parent": "321300"}, ["321302", "321311"]),
        ({"parent": "321302001001"}, ["321302001001001", "321302001001002"]),
        ({"code_prefix": "321311"}, ["321311", "321311001"]),
        ({"code_prefix": "3213020010"}, ["321302001001", "321302001001001", "321302001001002"]),
        ({"q": "幸福"}, ["321302001", "321302001001"]),
        ({"level": "street", "code_prefix": "321302"}, ["321302001"]),
    ],
)
def test_list_filters(client, headers, params, expected):
    assert _codes(client.get(URL, query_string=params, headers=headers)) == expected


def test_name_search_is_literal_not_a_pattern(client, session, headers, tree):
    make_area(session, "321302001003", parent=tree["street"], name="百分之100%社区")
    assert _codes(client.get(URL, query_string={"q": "%"}, headers=headers)) == ["321302001003"]
    assert _codes(client.get(URL, query_string={"q": "_"}, headers=headers)) == []


def test_list_by_unknown_parent_is_404(client, headers):
    response = client.get(URL, query_string={"parent": "999999"}, headers=headers)
    assert response.status_code == 404


def test_retired_areas_are_listed_only_when_asked(client, session, headers, tree):
    tree["grid2"].active = False
    tree["grid2"].retired_at = dt.datetime.now(dt.UTC)
    session.flush()
    params = {"parent": "321302001001"}
    assert _codes(client.get(URL, query_string=params, headers=headers)) == ["321302001001001"]
    everything = client.get(
        URL, query_string={**params, "include_retired": "true"}, headers=headers
    )
    assert _codes(everything) == ["321302001001001", "321302001001002"]
    retired = everything.json["items"][1]
    assert retired["active"] is False and retired["retired_at"]


def test_one_area_has_its_ancestors_root_first_and_its_child_count(client, headers, tree):
    response = client.get(f"{URL}/{tree['community'].id}", headers=headers)
    assert response.status_code == 200
    body = response.json
    assert [a["code"] for a in body["ancestors"]] == ["321300", "321302", "321302001"]
    assert body["child_count"] == 2
    assert body["parent_code"] == "321302001"
    assert body["path"] == "/321300/321302/321302001/321302001001/"
    assert (body["level"], body["geometry"], body["bbox"]) == ("community", None, None)


def test_one_area_carries_its_boundary_box_and_inside_point(client, headers, tree):
    body = client.get(f"{URL}/{tree['grid'].id}", headers=headers).json
    assert body["geometry"]["type"] == "Polygon"
    assert body["bbox"] == pytest.approx([118.27, 33.96, 118.28, 33.97])
    assert body["centroid"] == pytest.approx([118.275, 33.965])
    assert body["child_count"] == 0


def test_a_city_has_no_ancestors(client, headers, tree):
    body = client.get(f"{URL}/{tree['city'].id}", headers=headers).json
    assert (body["ancestors"], body["parent_code"], body["child_count"]) == ([], None, 2)


def test_unknown_area_is_404(client, headers):
    assert client.get(f"{URL}/{uuid.uuid4()}", headers=headers).status_code == 404
    assert client.get(f"{URL}/not-a-uuid", headers=headers).status_code == 404


def test_children_lists_one_level_down_only(client, headers, tree):
    response = client.get(f"{URL}/{tree['district'].id}/children", headers=headers)
    assert _codes(response) == ["321302001"]
    city = client.get(f"{URL}/{tree['city'].id}/children", headers=headers)
    assert _codes(city) == ["321302", "321311"]
    assert client.get(f"{URL}/{uuid.uuid4()}/children", headers=headers).status_code == 404


def _features(response) -> list[tuple[str, str | None]]:
    assert response.status_code == 200, response.json
    assert response.json["type"] == "FeatureCollection"
    return [
        (f["properties"]["code"], f["properties"]["parent_code"]) for f in response.json["features"]
    ]


def test_geojson_of_a_subtree_stops_at_the_requested_depth(client, headers, tree):
    url = f"{URL}/{tree['district'].id}/geojson"
    assert _features(client.get(url, query_string={"depth": 0}, headers=headers)) == [
        ("321302", "321300")
    ]
    assert _features(client.get(url, headers=headers)) == [
        ("321302", "321300"),
        ("321302001", "321302"),
    ]
    deep = client.get(url, query_string={"depth": 3}, headers=headers)
    assert [code for code, _ in _features(deep)] == [
        "321302",
        "321302001",
        "321302001001",
        "321302001001001",
        "321302001001002",
    ]


def test_geojson_features_carry_geometry_and_properties(client, headers, tree):
    url = f"{URL}/{tree['community'].id}/geojson"
    features = client.get(url, headers=headers).json["features"]
    grid = next(f for f in features if f["properties"]["code"] == "321302001001001")
    assert grid["type"] == "Feature"
    assert grid["geometry"]["type"] == "Polygon"
    assert grid["properties"] == {
        "id": str(tree["grid"].id),
        "code": "321302001001001",
        "name": tree["grid"].name,
        "level": "grid",
        "parent_code": "321302001001",
    }
    community = next(f for f in features if f["properties"]["code"] == "321302001001")
    assert community["geometry"] is None


def test_geojson_leaves_out_retired_descendants(client, session, headers, tree):
    tree["grid2"].active = False
    session.flush()
    url = f"{URL}/{tree['community'].id}/geojson"
    assert [c for c, _ in _features(client.get(url, headers=headers))] == [
        "321302001001",
        "321302001001001",
    ]


def test_geojson_refuses_a_subtree_larger_than_the_cap(client, container, headers, tree):
    original = container.config
    container.config = replace(original, areas_geojson_max_features=4)
    try:
        url = f"{URL}/{tree['city'].id}/geojson"
        ok = client.get(url, query_string={"depth": 1}, headers=headers)
        too_many = client.get(
            url, query_string={"depth": 4}, headers={**headers, "Accept-Language": "en"}
        )
    finally:
        container.config = original
    assert len(_features(ok)) == 3
    assert too_many.status_code == 422
    assert too_many.json["errors"]["json"]["depth"] == [
        "This subtree has 8 areas, more than the limit of 4; ask for less depth."
    ]


@pytest.mark.parametrize("depth", ["-1", "5", "x", "1.5", "99999999999999999999"])
def test_geojson_depth_out_of_range_is_422(client, headers, tree, depth):
    url = f"{URL}/{tree['city'].id}/geojson"
    response = client.get(url, query_string={"depth": depth}, headers=headers)
    assert response.status_code == 422
    assert "depth" in response.json["errors"]["query"]
