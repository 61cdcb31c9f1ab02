"""/api/v1/areas/locate refuses malformed, out-of-range and hostile input with a clear 4xx."""

from __future__ import annotations

import json

import pytest

from services.locating import MAX_BATCH
from services.models.accounts import Role
from tests.assertions import assert_error
from tests.factories import login, make_user
from tests.geo_factories import make_shaped_tree

URL = "/api/v1/areas/locate"
GOOD = {"lng": 118.305, "lat": 33.905}


@pytest.fixture
def headers(session, client):
    areas = make_shaped_tree(session)
    return login(client, make_user(session, role=Role.DISPATCHER, area=areas["city"]))


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ({"lng": "118.3"}, "lat"),
        ({"lat": "33.9"}, "lng"),
        ({"lat": "91", "lng": "118.3"}, "lat"),
        ({"lat": "-90.0001", "lng": "118.3"}, "lat"),
        ({"lat": "33.9", "lng": "180.5"}, "lng"),
        ({"lat": "33.9", "lng": "-181"}, "lng"),
        ({"lat": "nan", "lng": "118.3"}, "lat"),
        ({"lat": "33.9", "lng": "NaN"}, "lng"),
        ({"lat": "inf", "lng": "118.3"}, "lat"),
        ({"lat": "33.9", "lng": "-Infinity"}, "lng"),
        ({"lat": "1e999", "lng": "118.3"}, "lat"),
        ({"lat": "north", "lng": "118.3"}, "lat"),
        ({"lat": "", "lng": "118.3"}, "lat"),
        ({"lat": "33.9'; DROP TABLE areas;--", "lng": "118.3"}, "lat"),
        ({"lat": "33.9", "lng": "118.3", "coord": "utm"}, "coord"),
        ({"lat": "33.9", "lng": "118.3", "coord": "WGS84 "}, "coord"),
    ],
)
def test_get_refuses_bad_query_with_the_field_named(client, headers, query, field):
    body = assert_error(client.get(URL, query_string=query, headers=headers), 422)
    assert field in body["errors"]["query"]


def test_get_explains_the_range_in_the_callers_language(client, headers):
    query = {"lat": "95", "lng": "118.3"}
    zh = client.get(URL, query_string=query, headers=headers).json
    en = client.get(URL, query_string=query, headers={**headers, "Accept-Language": "en"}).json
    assert zh["errors"]["query"]["lat"] == ["必须在 -90 到 90 之间。"]
    assert en["errors"]["query"]["lat"] == [
        "Must be greater than or equal to -90 and less than or equal to 90."
    ]


def test_batch_over_the_limit_is_refused_with_a_clear_message(client, headers):
    points = [GOOD] * (MAX_BATCH + 1)
    response = client.post(URL, json={"points": points}, headers=headers)
    body = assert_error(response, 422)
    assert body["errors"]["json"]["points"] == ["一次最多定位 10000 个点，请分批提交。"]
    english = client.post(
        URL, json={"points": points}, headers={**headers, "Accept-Language": "en"}
    ).json
    assert english["errors"]["json"]["points"] == [
        "At most 10000 points can be located per request; split the batch."
    ]


@pytest.mark.parametrize(
    ("point", "field"),
    [
        ({"lng": 118.3}, "lat"),
        ({"lat": 33.9}, "lng"),
        ({"lat": 90.5, "lng": 118.3}, "lat"),
        ({"lat": 33.9, "lng": 181}, "lng"),
        ({"lat": "33.9x", "lng": 118.3}, "lat"),
        ({"lat": True, "lng": 118.3}, "lat"),
        ({"lat": None, "lng": 118.3}, "lat"),
        ({"lat": [33.9], "lng": 118.3}, "lat"),
        ({"lat": 33.9, "lng": {"deg": 118}}, "lng"),
        ({**GOOD, "ref": ""}, "ref"),
        ({**GOOD, "ref": "x" * 65}, "ref"),
        ({**GOOD, "ref": "bell\x07"}, "ref"),
        ({**GOOD, "ref": "\ud800"}, "ref"),
        ({**GOOD, "ref": 7}, "ref"),
        ({**GOOD, "ref": None}, "ref"),
        ({**GOOD, "alt": 12.5}, "alt"),
        ({**GOOD, "<script>": 1}, "<script>"),
    ],
)
def test_batch_refuses_a_bad_point_naming_its_position_and_field(client, headers, point, field):
    body = json.dumps({"points": [GOOD, GOOD, point]})
    response = client.post(URL, data=body, headers={**headers, "Content-Type": "application/json"})
    errors = assert_error(response, 422)["errors"]["json"]
    assert field in errors["points"]["2"]
    assert set(errors["points"]) == {"2"}


@pytest.mark.parametrize("literal", ["NaN", "Infinity", "-Infinity", "1e999"])
def test_batch_refuses_non_finite_numbers(client, headers, literal):
    body = '{"points": [{"lat": LAT, "lng": 118.3}]}'.replace("LAT", literal)
    response = client.post(URL, data=body, headers={**headers, "Content-Type": "application/json"})
    assert "lat" in assert_error(response, 422)["errors"]["json"]["points"]["0"]


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({}, "points"),
        ({"points": []}, "points"),
        ({"points": None}, "points"),
        ({"points": GOOD}, "points"),
        ({"points": "118.3,33.9"}, "points"),
        ({"points": [[118.3, 33.9]]}, "points"),
        ({"points": [GOOD], "coord": "cgcs2000"}, "coord"),
        ({"points": [GOOD], "coord": None}, "coord"),
        ({"points": [GOOD], "max_distance_m": 5000}, "max_distance_m"),
    ],
)
def test_batch_refuses_a_bad_envelope(client, headers, body, field):
    response = client.post(URL, json=body, headers=headers)
    assert field in assert_error(response, 422)["errors"]["json"]


@pytest.mark.parametrize("raw", ['["a", "list"]', '"just a string"', "null", "42", "{not json", ""])
def test_batch_refuses_bodies_that_are_not_objects(client, headers, raw):
    response = client.post(URL, data=raw, headers={**headers, "Content-Type": "application/json"})
    assert response.status_code in (400, 422)
    assert_error(response, response.status_code)


def test_batch_refuses_other_content_types(client, headers):
    response = client.post(
        URL, data="lat=33.9&lng=118.3", headers={**headers, "Content-Type": "text/plain"}
    )
    assert_error(response, 415)


def test_batch_body_beyond_its_limit_is_413_stating_the_limit(client, headers):
    body = json.dumps({"points": [{**GOOD, "ref": "x" * 64}] * 40_000})
    response = client.post(
        URL,
        data=body,
        headers={**headers, "Content-Type": "application/json", "Accept-Language": "en"},
    )
    message = assert_error(response, 413)["message"]
    assert str(MAX_BATCH * 200) in message


def test_other_endpoints_keep_the_app_wide_body_limit(client, headers):
    body = json.dumps({"username": "x", "password": "y" * (1024 * 1024 + 10)})
    response = client.post(
        "/api/v1/auth/login", data=body, headers={"Content-Type": "application/json"}
    )
    assert assert_error(response, 413)["message"] == "请求体过大，最大 1048576 字节。"
