"""The catalogue endpoints refuse malformed, out-of-range and hostile input and store nothing."""

from __future__ import annotations

import copy
import json

import pytest
from sqlalchemy import func, select

from services.models.accounts import Role
from services.models.audit import AuditEntry
from services.models.catalogue import Category, CategoryDepartmentOverride
from tests.assertions import assert_error
from tests.catalogue_factories import limits, make_category
from tests.factories import login, make_department, make_user

URL = "/api/v1/categories"


@pytest.fixture
def headers(session, client, tree):
    make_department(session, "SCQ-CG", area=tree["district"])
    make_category(session, "01")
    make_category(session, "0101")
    return login(client, make_user(session, role=Role.ADMIN, username="root-admin"))


def _stored(session) -> tuple:
    def count(model):
        return session.scalar(select(func.count()).select_from(model))

    entries = session.scalar(
        select(func.count())
        .select_from(AuditEntry)
        .where(AuditEntry.action.startswith("category."))
    )
    return count(Category), count(CategoryDepartmentOverride), entries


def _send(client, method, url, body, headers):
    # ASCII JSON: lone surrogates travel as \ud800 escapes, as a hostile client would send them.
    return client.open(
        url,
        method=method,
        data=json.dumps(body),
        headers={**headers, "Content-Type": "application/json"},
    )


def _limits_with(path: tuple, value) -> dict:
    doc = copy.deepcopy(limits())
    node = doc
    for key in path[:-1]:
        node = node[key]
    if value is ...:
        del node[path[-1]]
    else:
        node[path[-1]] = value
    return doc


GOOD = {
    "code": "0102",
    "parent_code": "01",
    "name_zh": "污水井盖",
    "name_en": "Sewer manhole cover",
    "default_department_code": "SCQ-CG",
    "time_limits": limits(),
}

BAD_COMMON = [
    ({"name_zh": ""}, "name_zh"),
    ({"name_zh": "x" * 51}, "name_zh"),
    ({"name_zh": "tab\tname"}, "name_zh"),
    ({"name_zh": "\u202egnp.exe"}, "name_zh"),
    ({"name_zh": "\ud800"}, "name_zh"),
    ({"name_zh": None}, "name_zh"),
    ({"name_en": "x" * 101}, "name_en"),
    ({"name_en": 5}, "name_en"),
    ({"default_department_code": "no spaces"}, "default_department_code"),
    ({"default_department_code": "x" * 33}, "default_department_code"),
    ({"resident_selectable": "yes please"}, "resident_selectable"),
    ({"photo_required": [True]}, "photo_required"),
    ({"sort_order": -1}, "sort_order"),
    ({"sort_order": 10_000}, "sort_order"),
    ({"sort_order": 1.5}, "sort_order"),
    ({"sort_order": "1"}, "sort_order"),
    ({"time_limits": None}, "time_limits"),
    ({"time_limits": "3 days"}, "time_limits"),
    ({"time_limits": []}, "time_limits"),
    ({"time_limits": _limits_with(("filing",), ...)}, "time_limits"),
    ({"time_limits": _limits_with(("disposal", "critical"), ...)}, "time_limits"),
    ({"time_limits": _limits_with(("closing",), {})}, "time_limits"),
    ({"time_limits": _limits_with(("filing", "normal", "amount"), 0)}, "time_limits"),
    ({"time_limits": _limits_with(("filing", "normal", "amount"), -3)}, "time_limits"),
    ({"time_limits": _limits_with(("filing", "normal", "amount"), 2.5)}, "time_limits"),
    ({"time_limits": _limits_with(("filing", "normal", "amount"), "1")}, "time_limits"),
    ({"time_limits": _limits_with(("filing", "normal", "amount"), True)}, "time_limits"),
    ({"time_limits": _limits_with(("filing", "normal", "amount"), 10**20)}, "time_limits"),
    ({"time_limits": _limits_with(("filing", "normal", "amount"), 91)}, "time_limits"),
    ({"time_limits": _limits_with(("filing", "normal", "unit"), "weeks")}, "time_limits"),
    ({"time_limits": _limits_with(("filing", "normal", "note"), "x")}, "time_limits"),
    ({"time_limits": _limits_with(("filing", "urgent"), None)}, "time_limits"),
    ({"kind": "event"}, "kind"),
    ({"active": False, "id": "x"}, "id"),
]


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        *BAD_COMMON,
        ({"code": "1"}, "code"),
        ({"code": "01020"}, "code"),
        ({"code": "01a2"}, "code"),
        ({"code": "01٠٢"}, "code"),
        ({"code": "0102\n"}, "code"),
        ({"code": 102}, "code"),
        ({"code": None}, "code"),
        ({"parent_code": "1"}, "parent_code"),
        ({"parent_code": "0101"}, "parent_code"),
        ({"parent_code": 1}, "parent_code"),
        ({"active": False}, "active"),
    ],
)
def test_create_refuses_bad_fields_and_stores_nothing(client, session, headers, overrides, field):
    before = _stored(session)
    response = _send(client, "POST", URL, {**GOOD, **overrides}, headers)
    body = assert_error(response, 422)
    assert field in body["errors"]["json"], body
    assert _stored(session) == before


@pytest.mark.parametrize("field", ["code", "name_zh", "name_en"])
def test_create_needs_code_and_both_names(client, session, headers, field):
    before = _stored(session)
    body = {k: v for k, v in GOOD.items() if k != field}
    assert field in assert_error(_send(client, "POST", URL, body, headers), 422)["errors"]["json"]
    assert _stored(session) == before


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        *[(o, f) for o, f in BAD_COMMON if f != "time_limits" or o["time_limits"] is not None],
        ({"code": "0199"}, "code"),
        ({"parent_code": "02"}, "parent_code"),
        ({"active": "maybe"}, "active"),
    ],
)
def test_update_refuses_bad_fields_and_changes_nothing(client, session, headers, overrides, field):
    before = _stored(session)
    response = _send(client, "PATCH", f"{URL}/0101", overrides, headers)
    assert field in assert_error(response, 422)["errors"]["json"]
    session.expire_all()
    same = session.scalar(select(Category).where(Category.code == "0101"))
    assert (same.name_zh, same.time_limits, same.active) == ("类别0101", limits(), True)
    assert _stored(session) == before


def test_time_limits_cannot_be_removed_from_a_minor_class(client, session, headers):
    before = _stored(session)
    response = _send(client, "PATCH", f"{URL}/0101", {"time_limits": None}, headers)
    assert "time_limits" in assert_error(response, 422)["errors"]["json"]
    assert _stored(session) == before


@pytest.mark.parametrize("body", [[], "0102", 1, None, {"department_code": None}, {}])
def test_override_refuses_a_body_without_a_department_code(client, session, headers, body):
    before = _stored(session)
    response = _send(client, "PUT", f"{URL}/0101/overrides/321302", body, headers)
    assert response.status_code == 422
    assert _stored(session) == before


@pytest.mark.parametrize(
    "body",
    [
        {"department_code": "x y"},
        {"department_code": "x" * 33},
        {"department_code": 7},
        {"department_code": "SCQ-CG", "area_code": "321311"},
        {"department_code": "\ud800"},
    ],
)
def test_override_refuses_bad_fields(client, session, headers, body):
    before = _stored(session)
    response = _send(client, "PUT", f"{URL}/0101/overrides/321302", body, headers)
    assert_error(response, 422)
    assert _stored(session) == before


@pytest.mark.parametrize("area_code", ["%25", "..", "321302%0A", "x" * 300])
def test_override_on_a_malformed_area_is_404(client, session, headers, area_code):
    before = _stored(session)
    response = client.put(
        f"{URL}/0101/overrides/{area_code}", json={"department_code": "SCQ-CG"}, headers=headers
    )
    assert response.status_code == 404
    assert _stored(session) == before


def test_a_non_json_body_is_415(client, session, headers):
    before = _stored(session)
    response = client.post(URL, data="code=0102", headers={**headers, "Content-Type": "text/plain"})
    assert_error(response, 415)
    assert _stored(session) == before
