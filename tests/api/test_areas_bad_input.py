"""The area endpoints refuse malformed, out-of-range and hostile input: a 4xx, nothing stored."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import func, select

from services.area_version import current_area_version
from services.models.accounts import Role
from services.models.areas import Area
from services.models.audit import AuditEntry
from tests.factories import login, make_user

URL = "/api/v1/areas"
RING = [[118.27, 33.96], [118.28, 33.96], [118.28, 33.97], [118.27, 33.97], [118.27, 33.96]]
GOOD = {"code": "321302001001003", "name": "第三网格", "parent_code": "321302001001"}


@pytest.fixture
def headers(session, client, tree):
    admin = make_user(session, role=Role.ADMIN, username="root-admin")
    return {**login(client, admin), "Accept-Language": "en"}


def _stored(session) -> tuple[int, int, int, str]:
    session.expire_all()
    areas = session.scalar(select(func.count()).select_from(Area))
    entries = session.scalar(
        select(func.count()).select_from(AuditEntry).where(AuditEntry.action.startswith("area."))
    )
    grid = session.scalar(select(Area.name).where(Area.code == "321302001001001"))
    return areas, entries, current_area_version(session), grid


def _polygon(coordinates) -> dict:
    return {"type": "Polygon", "coordinates": coordinates}


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"id": "00000000-0000-4000-8000-000000000000"}, "id"),
        ({"path": "/x/"}, "path"),
        ({"code": 321302001001003}, "code"),
        ({"code": ""}, "code"),
        ({"code": "32130A"}, "code"),
        ({"code": "３２１３０２００１００１００３"}, "code"),  # full-width digits
        ({"code": "٣٢١٣٠٢"}, "code"),  # Arabic-Indic digits
        ({"code": "321302001001003\n"}, "code"),
        ({"code": "1" * 16}, "code"),
        ({"code": "1234567"}, "code"),
        ({"name": ""}, "name"),
        ({"name": "   "}, "name"),
        ({"name": "a" * 101}, "name"),
        ({"name": "网格\n二"}, "name"),
        ({"name": "\u202eevil"}, "name"),
        ({"name": "bad\ud800"}, "name"),
        ({"name": None}, "name"),
        ({"level": "province"}, "level"),
        ({"level": 3}, "level"),
        ({"parent_code": "321302001001'; DROP TABLE areas;--"}, "parent_code"),
        ({"parent_code": ["321302001001"]}, "parent_code"),
        ({"geometry": "POLYGON((0 0, 1 0, 1 1, 0 0))"}, "geometry"),
        ({"geometry": {"type": "Point", "coordinates": [118.27, 33.96]}}, "geometry"),
        ({"geometry": {"type": "LineString", "coordinates": RING}}, "geometry"),
        ({"geometry": {"type": "Polygon"}}, "geometry"),
        ({"geometry": _polygon([])}, "geometry"),
        ({"geometry": {**_polygon([RING]), "crs": "EPSG:4528"}}, "geometry"),
        ({"geometry": _polygon("not a list")}, "geometry"),
        ({"geometry": _polygon([RING[:3]])}, "geometry"),  # too short
        ({"geometry": _polygon([[*RING[:-1], [118.27, 33.961]]])}, "geometry"),  # not closed
        ({"geometry": _polygon([[[118.27, "33.96"], *RING[1:]]])}, "geometry"),
        ({"geometry": _polygon([[[True, False], *RING[1:]]])}, "geometry"),
        ({"geometry": _polygon([[[118.27], *RING[1:]]])}, "geometry"),
        ({"geometry": _polygon([[[118.27, 33.96, 1, 2], *RING[1:]]])}, "geometry"),
        ({"geometry": _polygon([[[218.27, 33.96], *RING[1:-1], [218.27, 33.96]]])}, "geometry"),
        ({"geometry": _polygon([[[118.27, 93.96], *RING[1:-1], [118.27, 93.96]]])}, "geometry"),
        ({"geometry": _polygon([[[10**400, 33.96], *RING[1:-1], [10**400, 33.96]]])}, "geometry"),
        ({"geometry": _polygon([[[1, 1], [1, 1], [1, 1], [1, 1]]])}, "geometry"),  # no area
        ({"geometry": _polygon([[[[[[[[RING]]]]]]]])}, "geometry"),
        ({"geometry": {"type": "MultiPolygon", "coordinates": [RING]}}, "geometry"),
    ],
)
def test_create_refuses_bad_fields_and_stores_nothing(client, session, headers, overrides, field):
    before = _stored(session)
    # json.dumps escapes lone surrogates, which the test client's own encoder cannot send.
    response = client.post(
        URL,
        data=json.dumps({**GOOD, **overrides}),
        headers={**headers, "Content-Type": "application/json"},
    )
    assert response.status_code == 422, response.json
    assert field in response.json["errors"]["json"], response.json
    assert response.json["message"]
    assert _stored(session) == before


@pytest.mark.parametrize("literal", ["NaN", "Infinity", "-Infinity", "1e400"])
def test_non_finite_coordinates_are_refused(client, session, headers, literal):
    ring = ", ".join(f"[{x}, {y}]" for x, y in RING[1:])
    body = (
        '{"code": "321302001001003", "name": "n", "parent_code": "321302001001", '
        f'"geometry": {{"type": "Polygon", "coordinates": [[[{literal}, 33.96], {ring}]]}}}}'
    )
    before = _stored(session)
    response = client.post(URL, data=body, headers={**headers, "Content-Type": "application/json"})
    assert response.status_code == 422
    assert _stored(session) == before


def test_geometry_messages_say_what_is_wrong(client, headers):
    open_ring = _polygon([[*RING[:-1], [118.27, 33.961]]])
    response = client.post(URL, json={**GOOD, "geometry": open_ring}, headers=headers)
    assert response.json["errors"]["json"]["geometry"] == [
        "A ring of the boundary is not closed: its first and last positions must be equal."
    ]
    far = _polygon([[[218.27, 33.96], *RING[1:-1], [218.27, 33.96]]])
    response = client.post(URL, json={**GOOD, "geometry": far}, headers=headers)
    assert "outside WGS-84" in response.json["errors"]["json"]["geometry"][0]


@pytest.mark.parametrize(
    "body",
    [b"{not json", b"[]", b'"text"', b"null", b'{"code": "321302001001003"'],
)
def test_malformed_bodies_are_4xx(client, session, headers, body):
    before = _stored(session)
    response = client.post(URL, data=body, headers={**headers, "Content-Type": "application/json"})
    assert 400 <= response.status_code < 500
    assert _stored(session) == before


def test_non_json_body_is_415(client, headers):
    response = client.post(URL, data="code=1", headers={**headers, "Content-Type": "text/plain"})
    assert response.status_code == 415


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"name": None}, "name"),
        ({"name": ""}, "name"),
        ({"name": "x" * 101}, "name"),
        ({"geometry": None}, "geometry"),
        ({"geometry": {"type": "Point", "coordinates": [1, 2]}}, "geometry"),
        ({"code": "321302001001009"}, "code"),
        ({"level": "city"}, "level"),
        ({"active": False}, "active"),
    ],
)
def test_update_refuses_bad_fields_and_stores_nothing(client, session, headers, tree, body, field):
    before = _stored(session)
    response = client.patch(f"{URL}/{tree['grid'].id}", json=body, headers=headers)
    assert response.status_code == 422, response.json
    assert field in response.json["errors"]["json"]
    assert _stored(session) == before


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({}, "reason"),
        ({"reason": ""}, "reason"),
        ({"reason": "x" * 201}, "reason"),
        ({"reason": "a\x00b"}, "reason"),
        ({"reason": 5}, "reason"),
        ({"reason": "ok", "cascade": "maybe"}, "cascade"),
        ({"reason": "ok", "force": True}, "force"),
    ],
)
def test_retire_refuses_bad_fields_and_stores_nothing(client, session, headers, tree, body, field):
    before = _stored(session)
    response = client.post(f"{URL}/{tree['grid2'].id}/retire", json=body, headers=headers)
    assert response.status_code == 422, response.json
    assert field in response.json["errors"]["json"]
    assert _stored(session) == before


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"level": "province"}, "level"),
        ({"parent": "abc"}, "parent"),
        ({"code_prefix": "32%"}, "code_prefix"),
        ({"code_prefix": "1" * 16}, "code_prefix"),
        ({"q": ""}, "q"),
        ({"q": "x" * 65}, "q"),
        ({"q": "a\x01"}, "q"),
        ({"include_retired": "perhaps"}, "include_retired"),
        ({"page": 0}, "page"),
        ({"page_size": 101}, "page_size"),
    ],
)
def test_list_refuses_bad_filters(client, headers, params, field):
    response = client.get(URL, query_string=params, headers=headers)
    assert response.status_code == 422
    assert field in response.json["errors"]["query"]
