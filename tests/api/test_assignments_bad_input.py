"""The assignment endpoints refuse malformed and hostile input with a 4xx and store nothing."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import func, select

from services.models.accounts import Role
from services.models.areas import GridAssignment
from services.models.audit import AuditEntry
from tests.assertions import assert_error
from tests.factories import login, make_user


@pytest.fixture
def headers(session, client, tree):
    return login(client, make_user(session, role=Role.ADMIN, username="root-admin"))


@pytest.fixture
def worker(session, tree):
    return make_user(session, role=Role.GRID_WORKER, area=tree["grid"])


def _stored(session) -> tuple[int, int]:
    rows = session.scalar(select(func.count()).select_from(GridAssignment))
    entries = session.scalar(
        select(func.count())
        .select_from(AuditEntry)
        .where(AuditEntry.action.startswith("assignment."))
    )
    return rows, entries


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({}, "user_id"),
        ({"user_id": None}, "user_id"),
        ({"user_id": "not-a-uuid"}, "user_id"),
        ({"user_id": 42}, "user_id"),
        ({"user_id": "'; DELETE FROM grid_assignments;--"}, "user_id"),
        ({"user_id": "\ud800"}, "user_id"),
        ({"duty": "boss"}, "duty"),
        ({"duty": ""}, "duty"),
        ({"duty": None}, "duty"),
        ({"duty": ["leader"]}, "duty"),
        ({"ended_at": "2026-01-01T00:00:00Z"}, "ended_at"),
        ({"area_id": "00000000-0000-0000-0000-000000000000"}, "area_id"),
    ],
)
def test_assigning_refuses_bad_bodies_and_stores_nothing(
    client, session, tree, headers, worker, body, field
):
    before = _stored(session)
    payload = {"user_id": str(worker.id), **body} if field != "user_id" else body
    response = client.post(
        f"/api/v1/areas/{tree['grid'].id}/workers",
        data=json.dumps(payload),
        headers={**headers, "Content-Type": "application/json"},
    )
    assert field in assert_error(response, 422)["errors"]["json"]
    assert _stored(session) == before


@pytest.mark.parametrize("body", ["[]", '"x"', "null", "{", "1"])
def test_assigning_refuses_bodies_that_are_not_objects(client, session, tree, headers, body):
    before = _stored(session)
    response = client.post(
        f"/api/v1/areas/{tree['grid'].id}/workers",
        data=body,
        headers={**headers, "Content-Type": "application/json"},
    )
    assert response.status_code in (400, 422)
    assert _stored(session) == before


@pytest.mark.parametrize("area_id", ["grid", "1", "321302001001001", "../users"])
def test_a_malformed_area_id_is_not_found(client, session, headers, worker, area_id):
    before = _stored(session)
    url = f"/api/v1/areas/{area_id}/workers"
    assert client.get(url, headers=headers).status_code == 404
    assert client.post(url, json={"user_id": str(worker.id)}, headers=headers).status_code == 404
    assert client.delete(f"{url}/{worker.id}", headers=headers).status_code == 404
    assert _stored(session) == before


def test_a_malformed_user_id_in_the_path_is_not_found(client, tree, headers):
    response = client.delete(f"/api/v1/areas/{tree['grid'].id}/workers/nobody", headers=headers)
    assert_error(response, 404)


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ({"duty": "boss"}, "duty"),
        ({"page": 0}, "page"),
        ({"page": -1}, "page"),
        ({"page_size": 0}, "page_size"),
        ({"page_size": 1000}, "page_size"),
        ({"page": "1e9"}, "page"),
    ],
)
def test_listing_refuses_bad_filters(client, tree, headers, query, field):
    response = client.get(
        f"/api/v1/areas/{tree['grid'].id}/workers", query_string=query, headers=headers
    )
    assert field in assert_error(response, 422)["errors"]["query"]
