"""Intake administration: sources with API keys, and the category mappings."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from services.models.accounts import Role
from services.models.audit import AuditEntry
from services.models.workflow import IntakeSource
from tests.assertions import assert_error
from tests.factories import login, make_user
from tests.intake_factories import EVENTS, event_body, make_source

pytest_plugins = ("tests.report_fixtures",)
SOURCES = "/api/v1/intake/sources"
MAPPINGS = "/api/v1/intake/mappings"


@pytest.fixture
def admin(client, session, world):
    return login(client, make_user(session, role=Role.ADMIN))


def test_creating_a_source_shows_its_key_once_and_the_key_works(client, session, admin):
    response = client.post(
        SOURCES, json={"name": "hotline", "source": "hotline", "area_code": "321302"}, headers=admin
    )
    assert response.status_code == 201, response.json
    key = response.json["api_key"]
    assert key.startswith("ogk_") and len(key) >= 47
    assert response.json["key_prefix"] == key[:12]
    row = session.scalars(select(IntakeSource)).one()
    assert key not in row.key_hash and row.key_hash != key
    listed = client.get(SOURCES, headers=admin).json["items"]
    assert [s["name"] for s in listed] == ["hotline"] and "api_key" not in listed[0]
    assert client.post(EVENTS, json=event_body(), headers={"X-Api-Key": key}).status_code == 201
    actions = session.scalars(select(AuditEntry.action)).all()
    assert "intake_source.created" in actions


def test_rotating_a_key_replaces_it(client, session, container, admin):
    source, old = make_source(session, container)
    response = client.post(f"{SOURCES}/{source.id}/rotate-key", headers=admin)
    assert response.status_code == 200
    new = response.json["api_key"]
    assert new != old
    assert_error(client.post(EVENTS, json=event_body(), headers={"X-Api-Key": old}), 401)
    assert client.post(EVENTS, json=event_body(), headers={"X-Api-Key": new}).status_code == 201


def test_deactivating_a_source_refuses_its_key(client, session, container, admin):
    source, key = make_source(session, container)
    response = client.post(f"{SOURCES}/{source.id}/deactivate", headers=admin)
    assert response.status_code == 200 and response.json["active"] is False
    assert_error(client.post(EVENTS, json=event_body(), headers={"X-Api-Key": key}), 401)
    assert "intake_source.deactivated" in session.scalars(select(AuditEntry.action)).all()


def test_an_area_admin_manages_only_sources_of_their_area(client, session, container, world):
    other = make_user(session, role=Role.ADMIN, area=world["grid2"])
    headers = login(client, other)
    source, _key = make_source(session, container)
    assert client.get(SOURCES, headers=headers).json["items"] == []
    assert_error(client.post(f"{SOURCES}/{source.id}/rotate-key", headers=headers), 404)
    body = {"name": "mine", "source": "other", "area_code": "321302"}
    assert_error(client.post(SOURCES, json=body, headers=headers), 403)


def test_a_dispatcher_cannot_manage_sources(client, session, world):
    headers = login(client, make_user(session, role=Role.DISPATCHER))
    assert_error(client.get(SOURCES, headers=headers), 403)


@pytest.mark.parametrize(
    "body,field,status",
    [
        ({"name": "Hot Line", "source": "hotline", "area_code": "321302"}, "name", 422),
        ({"name": "h", "source": "hotline", "area_code": "321302"}, "name", 422),
        ({"name": "hotline", "source": "mini_program", "area_code": "321302"}, "source", 422),
        ({"name": "hotline", "source": "hotline", "area_code": "999999"}, "area_code", 422),
        ({"name": "hotline", "source": "hotline", "area_code": "12"}, "area_code", 422),
        ({"name": "hotline", "source": "hotline"}, "area_code", 422),
    ],
)
def test_bad_source_is_refused(client, session, admin, body, field, status):
    response = assert_error(client.post(SOURCES, json=body, headers=admin), status)
    assert field in response["errors"]["json"]
    assert session.scalars(select(IntakeSource)).all() == []


def test_a_taken_source_name_is_409(client, session, container, admin):
    make_source(session, container)
    body = {"name": "hotline", "source": "hotline", "area_code": "321302"}
    assert_error(client.post(SOURCES, json=body, headers=admin), 409)


def _event(client, key, external_id, text):
    body = event_body(external_id=external_id, category_code=None, text=text)
    response = client.post(EVENTS, json=body, headers={"X-Api-Key": key})
    assert response.status_code == 201, response.json
    return response.json["category_code"]


def test_mappings_source_specific_before_global_then_priority_else_fallback(
    client, session, container, admin, world
):
    from tests.catalogue_factories import make_category

    make_category(session, "0102")
    source, key = make_source(session, container)
    assert _event(client, key, "e0", "井盖") == "5699"
    for body in (
        {"pattern": "井盖", "category_code": "0102", "priority": 1},
        {"pattern": "井盖", "category_code": "0101", "priority": 50, "source_id": str(source.id)},
        {"pattern": "破损", "category_code": "0102", "priority": 10, "source_id": str(source.id)},
    ):
        assert client.post(MAPPINGS, json=body, headers=admin).status_code == 201
    # Both source mappings match: priority 10 first; a global one only when none of its own do.
    assert _event(client, key, "e1", "井盖破损") == "0102"
    assert _event(client, key, "e2", "井盖丢失") == "0101"
    _other, other_key = make_source(session, container, name="city-110", kind="police_110")
    assert _event(client, other_key, "e3", "井盖丢失") == "0102"
    listed = client.get(MAPPINGS, headers=admin).json["items"]
    assert [m["pattern"] for m in listed] == ["破损", "井盖", "井盖"]
    global_id = listed[-1]["id"]
    assert client.delete(f"{MAPPINGS}/{global_id}", headers=admin).status_code == 204
    assert _event(client, other_key, "e4", "井盖丢失") == "5699"
    assert_error(client.delete(f"{MAPPINGS}/{global_id}", headers=admin), 404)


@pytest.mark.parametrize(
    "body,field",
    [
        ({"pattern": "", "category_code": "0101"}, "pattern"),
        ({"pattern": "x" * 101, "category_code": "0101"}, "pattern"),
        ({"pattern": "井盖", "category_code": "01"}, "category_code"),
        ({"pattern": "井盖", "category_code": "9999"}, "category_code"),
        ({"pattern": "井盖", "category_code": "0101", "priority": -1}, "priority"),
        ({"pattern": "井盖", "category_code": "0101", "source_id": "not-a-uuid"}, "source_id"),
    ],
)
def test_bad_mapping_is_refused(client, admin, body, field):
    response = assert_error(client.post(MAPPINGS, json=body, headers=admin), 422)
    assert field in response["errors"]["json"]


def test_an_area_admin_cannot_make_global_mappings(client, session, world):
    headers = login(client, make_user(session, role=Role.ADMIN, area=world["district"]))
    body = {"pattern": "井盖", "category_code": "0101"}
    assert_error(client.post(MAPPINGS, json=body, headers=headers), 403)
