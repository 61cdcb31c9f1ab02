"""/api/v1/departments refuses malformed, out-of-range and hostile input and stores nothing."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import func, select

from services.models.accounts import Role
from services.models.areas import Department
from services.models.audit import AuditEntry
from tests.assertions import assert_error
from tests.factories import login, make_department, make_user

URL = "/api/v1/departments"
GOOD = {
    "code": "SCQ-SJ",
    "name": "宿城区市场监督管理局",
    "phone": "0527-84000005",
    "area_code": "321302",
}


@pytest.fixture
def headers(session, client, tree):
    return login(client, make_user(session, role=Role.ADMIN, username="root-admin"))


@pytest.fixture
def dept(session, tree):
    return make_department(session, "SCQ-CG", area=tree["district"], name="宿城区城管局")


def _stored(session) -> tuple[int, int]:
    departments = session.scalar(select(func.count()).select_from(Department))
    entries = session.scalar(
        select(func.count())
        .select_from(AuditEntry)
        .where(AuditEntry.action.startswith("department."))
    )
    return departments, entries


def _send(client, method, url, body, headers):
    # ASCII JSON: lone surrogates travel as \ud800 escapes, as a hostile client would send them.
    return client.open(
        url,
        method=method,
        data=json.dumps(body),
        headers={**headers, "Content-Type": "application/json"},
    )


BAD_FIELDS = [
    ({"active": False}, "active"),
    ({"id": "00000000-0000-0000-0000-000000000000"}, "id"),
    ({"code": ""}, "code"),
    ({"code": "a" * 33}, "code"),
    ({"code": "SCQ CG"}, "code"),
    ({"code": "SCQ-CG\n"}, "code"),
    ({"code": "城管"}, "code"),
    ({"code": "'; DROP TABLE departments;--"}, "code"),
    ({"code": 12}, "code"),
    ({"code": None}, "code"),
    ({"name": ""}, "name"),
    ({"name": "   "}, "name"),
    ({"name": "x" * 101}, "name"),
    ({"name": "bell\x07"}, "name"),
    ({"name": "evil\u202ename"}, "name"),
    ({"name": "\ud800"}, "name"),
    ({"name": ["list"]}, "name"),
    ({"phone": "0527-8400000"}, "phone"),
    ({"phone": "138ABCD5678"}, "phone"),
    ({"phone": "1" * 40}, "phone"),
    ({"phone": "+1 650 253 0000"}, "phone"),
    ({"phone": "0527-84000001 ext 5"}, "phone"),
    ({"phone": ""}, "phone"),
    ({"phone": 52784000001}, "phone"),
    ({"area_code": "999999"}, "area_code"),
    ({"area_code": "321302\n"}, "area_code"),
    ({"area_code": None}, "area_code"),
    ({"area_code": "<script>"}, "area_code"),
]


@pytest.mark.parametrize(("overrides", "field"), BAD_FIELDS)
def test_create_refuses_bad_fields_and_stores_nothing(client, session, headers, overrides, field):
    before = _stored(session)
    response = _send(client, "POST", URL, {**GOOD, **overrides}, headers)
    body = assert_error(response, 422)
    assert field in body["errors"]["json"], body
    assert _stored(session) == before


@pytest.mark.parametrize("field", ["code", "name", "area_code"])
def test_create_needs_code_name_and_area(client, session, headers, field):
    before = _stored(session)
    body = {k: v for k, v in GOOD.items() if k != field}
    assert field in assert_error(_send(client, "POST", URL, body, headers), 422)["errors"]["json"]
    assert _stored(session) == before


@pytest.mark.parametrize("body", [[], "SCQ-SJ", 42, None])
def test_a_body_that_is_not_an_object_is_refused(client, session, headers, body):
    before = _stored(session)
    assert _send(client, "POST", URL, body, headers).status_code == 422
    assert _stored(session) == before


def test_a_body_that_is_not_json_is_refused(client, session, headers):
    before = _stored(session)
    response = client.post(URL, data="code=X", headers={**headers, "Content-Type": "text/plain"})
    assert_error(response, 415)
    bad_json = client.post(URL, data="{", headers={**headers, "Content-Type": "application/json"})
    assert bad_json.status_code in (400, 422)
    assert _stored(session) == before


@pytest.mark.parametrize(
    ("overrides", "field"),
    [(o, f) for o, f in BAD_FIELDS if f not in ("code",)] + [({"code": "NEW"}, "code")],
)
def test_update_refuses_bad_fields_and_changes_nothing(
    client, session, headers, dept, overrides, field
):
    before = _stored(session)
    response = _send(client, "PATCH", f"{URL}/{dept.id}", overrides, headers)
    assert field in assert_error(response, 422)["errors"]["json"]
    session.expire_all()
    same = session.get(Department, dept.id)
    assert (same.code, same.name, same.phone, same.area.code) == (
        "SCQ-CG",
        "宿城区城管局",
        None,
        "321302",
    )
    assert _stored(session) == before


@pytest.mark.parametrize("department_id", ["not-a-uuid", "1", "00000000-0000-0000-0000"])
def test_a_malformed_id_is_not_found(client, headers, department_id):
    assert_error(client.get(f"{URL}/{department_id}", headers=headers), 404)
    assert_error(client.post(f"{URL}/{department_id}/deactivate", headers=headers), 404)


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ({"page": 0}, "page"),
        ({"page": "x"}, "page"),
        ({"page_size": 101}, "page_size"),
        ({"active": "maybe"}, "active"),
        ({"q": ""}, "q"),
        ({"q": "x" * 65}, "q"),
        ({"q": "a\x00b"}, "q"),
        ({"area_code": "32 13"}, "area_code"),
    ],
)
def test_listing_refuses_bad_filters(client, headers, query, field):
    response = client.get(URL, query_string=query, headers=headers)
    assert field in assert_error(response, 422)["errors"]["query"]
