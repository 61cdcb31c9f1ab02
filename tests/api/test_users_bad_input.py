"""/api/v1/users refuses malformed, out-of-range and hostile input with a 4xx and stores nothing."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import func, select

from services.models.accounts import Role, User
from services.models.audit import AuditEntry
from tests.factories import login, make_user

URL = "/api/v1/users"
GOOD = {"username": "new.user", "password": "Str0ng-enough-pw", "roles": ["dispatcher"]}


@pytest.fixture
def admin(session, client, tree):
    return make_user(session, role=Role.ADMIN, username="root-admin")


@pytest.fixture
def headers(client, admin):
    return login(client, admin)


@pytest.fixture
def target(session, tree):
    return make_user(session, role=Role.DISPATCHER, area=tree["street"], username="target")


def _stored(session) -> tuple[int, int]:
    users = session.scalar(select(func.count()).select_from(User))
    changes = session.scalar(
        select(func.count()).select_from(AuditEntry).where(AuditEntry.action.startswith("user."))
    )
    return users, changes


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"is_active": False}, "is_active"),
        ({"password_hash": "x"}, "password_hash"),
        ({"username": 123}, "username"),
        ({"username": "ab"}, "username"),
        ({"username": "a" * 65}, "username"),
        ({"username": "has space"}, "username"),
        ({"username": "name\n"}, "username"),
        ({"username": "用户名"}, "username"),
        ({"password": None}, "password"),
        ({"password": ""}, "password"),
        ({"password": "Passw0rd-\ud800"}, "password"),
        ({"roles": []}, "roles"),
        ({"roles": "dispatcher"}, "roles"),
        ({"roles": ["superuser"]}, "roles"),
        ({"roles": ["dispatcher"] * 7}, "roles"),
        ({"display_name": ""}, "display_name"),
        ({"display_name": "x" * 51}, "display_name"),
        ({"display_name": "bell\x07"}, "display_name"),
        ({"display_name": "\ud800"}, "display_name"),
        ({"area_code": "'; DROP TABLE users;--"}, "area_code"),
        ({"area_code": "321302\n"}, "area_code"),
        ({"area_code": 321302}, "area_code"),
        ({"phone": "1" * 40}, "phone"),
        ({"phone": "1381234567\x00"}, "phone"),
        ({"locale": "fr"}, "locale"),
    ],
)
def test_create_refuses_bad_fields_and_stores_nothing(client, session, headers, overrides, field):
    before = _stored(session)
    # ASCII JSON: lone surrogates travel as \ud800 escapes, as a hostile client would send them.
    body = json.dumps({**GOOD, "area_code": "321302001", **overrides})
    response = client.post(URL, data=body, headers={**headers, "Content-Type": "application/json"})
    assert response.status_code == 422, response.json
    assert field in response.json["errors"]["json"]
    assert response.json["message"] == "请求参数校验失败。"
    assert _stored(session) == before


@pytest.mark.parametrize(
    "body",
    [{k: v for k, v in GOOD.items() if k != key} for key in GOOD],
    ids=[f"missing-{key}" for key in GOOD],
)
def test_create_refuses_missing_required_fields(client, session, headers, body):
    before = _stored(session)
    response = client.post(URL, json={**body, "area_code": "321302"}, headers=headers)
    assert response.status_code == 422
    (missing,) = set(GOOD) - set(body)
    assert response.json["errors"]["json"][missing] == ["缺少必填字段。"]
    assert _stored(session) == before


@pytest.mark.parametrize("raw", ['["a", "list"]', '"just a string"', "null", "42", "{not json", ""])
def test_create_refuses_bodies_that_are_not_objects(client, session, headers, raw):
    before = _stored(session)
    response = client.post(URL, data=raw, headers={**headers, "Content-Type": "application/json"})
    assert response.status_code in (400, 422), response.json
    assert response.json["code"] == response.status_code and response.json["message"]
    assert _stored(session) == before


def test_hostile_unknown_field_names_are_refused_and_echoed_safely(client, session, headers):
    before = _stored(session)
    body = json.dumps({**GOOD, "area_code": "321302", "\ud800": 1, "<script>": 2})
    response = client.post(URL, data=body, headers={**headers, "Content-Type": "application/json"})
    assert response.status_code == 422
    assert set(response.json["errors"]["json"]) == {"\\ud800", "<script>"}
    assert response.headers["Content-Type"].startswith("application/json")
    assert _stored(session) == before


def test_oversized_body_is_413(client, session, headers):
    body = json.dumps({**GOOD, "display_name": "x" * (2 * 1024 * 1024)})
    response = client.post(URL, data=body, headers={**headers, "Content-Type": "application/json"})
    assert response.status_code == 413
    assert response.json["code"] == 413


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"roles": []}, "roles"),
        ({"roles": None}, "roles"),
        ({"password": "short"}, "password"),
        ({"display_name": None}, "display_name"),
        ({"username": "renamed"}, "username"),
        ({"is_active": False}, "is_active"),
        ({"area_code": "nope!"}, "area_code"),
        ({"phone": "not a phone"}, "phone"),
    ],
)
def test_update_refuses_bad_fields_and_changes_nothing(
    client, session, headers, target, body, field
):
    before = _stored(session)
    response = client.patch(f"{URL}/{target.id}", json=body, headers=headers)
    assert response.status_code == 422, response.json
    assert field in response.json["errors"]["json"]
    assert _stored(session) == before
    session.expire_all()
    user = session.get(User, target.id)
    assert (user.username, user.roles, user.is_active) == ("target", {Role.DISPATCHER}, True)


@pytest.mark.parametrize("body", [{}, {"reason": ""}, {"reason": "x" * 201}, {"reason": 5}])
def test_disable_needs_a_sensible_reason(client, session, headers, target, body):
    response = client.post(f"{URL}/{target.id}/disable", json=body, headers=headers)
    assert response.status_code == 422
    assert "reason" in response.json["errors"]["json"]
    session.expire_all()
    assert session.get(User, target.id).is_active


@pytest.mark.parametrize(
    "params",
    [
        {"page_size": 0},
        {"page_size": 1000},
        {"page": 0},
        {"page": "first"},
        {"role": "superuser"},
        {"active": "maybe"},
        {"area_code": "%"},
        {"q": ""},
        {"q": "x" * 65},
        {"q": "nul\x00"},
    ],
)
def test_list_refuses_bad_query_parameters(client, headers, params):
    response = client.get(URL, query_string=params, headers={**headers, "Accept-Language": "en"})
    assert response.status_code == 422
    assert set(response.json["errors"]["query"]) == set(params)
    assert response.json["message"] == "The request did not pass validation."


@pytest.mark.parametrize("method", ["get", "patch"])
@pytest.mark.parametrize("user_id", ["not-a-uuid", "1", "00000000-0000-0000-0000-00000000000g"])
def test_invalid_user_id_in_path_is_404(client, headers, method, user_id):
    response = getattr(client, method)(f"{URL}/{user_id}", json={}, headers=headers)
    assert response.status_code == 404
    assert response.json["code"] == 404


@pytest.mark.parametrize("action", ["disable", "enable"])
def test_unknown_user_id_is_404(client, headers, action):
    response = client.post(
        f"{URL}/5d1f5e8e-0000-4000-8000-000000000000/{action}",
        json={"reason": "r"},
        headers=headers,
    )
    assert response.status_code == 404
    assert response.json["message"] == "用户不存在。"
