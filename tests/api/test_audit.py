"""/api/v1/audit: who did what to which object, when and from where, within the reader's area."""

from __future__ import annotations

import datetime as dt

import pytest

from services.models.accounts import Role
from services.models.audit import AuditEntry
from tests.factories import (
    PASSWORD,
    login,
    login_resident,
    make_resident,
    make_user,
)

URL = "/api/v1/audit"


@pytest.fixture
def root(session, client, tree):
    user = make_user(session, role=Role.ADMIN, username="root-admin")
    return user, login(client, user)


def _entries(client, headers, **params) -> list[dict]:
    response = client.get(URL, query_string={"page_size": 100, **params}, headers=headers)
    assert response.status_code == 200, response.json
    return response.json["items"]


def _one(client, headers, **params) -> dict:
    items = _entries(client, headers, **params)
    assert len(items) == 1, items
    return items[0]


def test_successful_and_failed_logins_are_recorded_with_request_id_and_ip(
    client, session, root, tree
):
    user = make_user(session, role=Role.DISPATCHER, area=tree["street"], username="clerk")
    good = client.post(
        "/api/v1/auth/login",
        json={"username": "clerk", "password": PASSWORD},
        headers={"X-Request-ID": "req-good-1"},
    )
    bad = client.post(
        "/api/v1/auth/login",
        json={"username": "clerk", "password": "wrong-Passw0rd"},
        headers={"X-Request-ID": "req-bad-1"},
    )
    assert (good.status_code, bad.status_code) == (200, 401)
    headers = root[1]
    succeeded = _one(client, headers, request_id="req-good-1")
    assert succeeded["action"] == "login.succeeded"
    assert (succeeded["object_type"], succeeded["object_id"]) == ("user", str(user.id))
    assert succeeded["after"]["username"] == "clerk"
    assert succeeded["ip"] == "127.0.0.1"
    # Whoever signs in is the actor of their sign-in.
    assert (succeeded["actor_id"], succeeded["actor_label"]) == (str(user.id), "clerk")
    failed = _one(client, headers, request_id="req-bad-1")
    assert failed["action"] == "login.failed"
    assert failed["after"]["reason"] == "wrong_password"
    assert "wrong-Passw0rd" not in str(failed)


def test_login_with_unknown_username_is_recorded_without_an_object(client, root):
    client.post(
        "/api/v1/auth/login",
        json={"username": "ghost", "password": PASSWORD},
        headers={"X-Request-ID": "req-ghost"},
    )
    entry = _one(client, root[1], request_id="req-ghost")
    assert (entry["action"], entry["object_id"]) == ("login.failed", None)
    assert entry["after"]["reason"] == "unknown_user"


def test_user_changes_record_actor_before_after_request_id_and_ip(client, session, root, tree):
    admin, headers = root
    user = make_user(session, role=Role.DISPATCHER, area=tree["street"])
    response = client.patch(
        f"/api/v1/users/{user.id}",
        json={"display_name": "新名字", "area_code": "321302001001001"},
        headers={**headers, "X-Request-ID": "req-change-1"},
    )
    assert response.status_code == 200
    entry = _one(client, headers, request_id="req-change-1")
    assert entry["action"] == "user.updated"
    assert (entry["actor_id"], entry["actor_label"]) == (str(admin.id), "root-admin")
    assert (entry["object_type"], entry["object_id"]) == ("user", str(user.id))
    assert entry["before"] == {"display_name": user.username, "area": "321302001"}
    assert entry["after"] == {"display_name": "新名字", "area": "321302001001001"}
    assert entry["ip"] == "127.0.0.1"


def test_disable_and_enable_are_recorded_with_the_reason(client, session, root, tree):
    user = make_user(session, area=tree["street"])
    headers = root[1]
    client.post(f"/api/v1/users/{user.id}/disable", json={"reason": "调岗"}, headers=headers)
    client.post(f"/api/v1/users/{user.id}/enable", headers=headers)
    disabled = _one(client, headers, action="user.disabled", object_id=str(user.id))
    assert disabled["before"] == {"is_active": True}
    assert disabled["after"] == {"is_active": False, "reason": "调岗"}
    enabled = _one(client, headers, action="user.enabled", object_id=str(user.id))
    assert enabled["after"]["is_active"] is True


def test_password_resets_are_recorded_without_the_password(client, session, root, tree):
    user = make_user(session, area=tree["street"])
    secret = "N3w-secret-value"
    client.patch(f"/api/v1/users/{user.id}", json={"password": secret}, headers=root[1])
    entry = _one(client, root[1], action="user.updated", object_id=str(user.id))
    assert entry["after"] == {"password": "reset"}
    assert secret not in str(entry)


def test_action_filter_matches_whole_segments(client, session, root, tree):
    user = make_user(session, area=tree["street"])
    headers = login(client, user)
    client.post("/api/v1/auth/logout", headers=headers)
    client.post("/api/v1/auth/login", json={"username": user.username, "password": "x"})
    actions = {e["action"] for e in _entries(client, root[1], action="login")}
    assert actions == {"login.succeeded", "login.failed"}
    assert {e["action"] for e in _entries(client, root[1], action="logout")} == {"logout"}
    assert _entries(client, root[1], action="log") == []
    assert _entries(client, root[1], action="login.fail") == []


def test_object_type_and_actor_filters(client, session, root, tree, sms):
    admin, headers = root
    client.post("/api/v1/auth/otp", json={"phone": "13800001111"})
    assert {e["action"] for e in _entries(client, headers, object_type="phone")} == {
        "otp.requested"
    }
    target = make_user(session, area=tree["street"])
    login(client, target)
    client.patch(f"/api/v1/users/{target.id}", json={"locale": "en"}, headers=headers)
    by_admin = _entries(client, headers, actor_id=str(admin.id))
    assert {e["actor_id"] for e in by_admin} == {str(admin.id)}
    changes = [(e["action"], e["object_id"]) for e in by_admin if e["object_id"] == str(target.id)]
    assert changes == [("user.updated", str(target.id))]
    by_target = _entries(client, headers, actor_id=str(target.id))
    assert [e["action"] for e in by_target] == ["login.succeeded"]


@pytest.fixture
def dated(session):
    """Entries at known instants (UTC)."""
    instants = [dt.datetime(2026, 3, 1, h, tzinfo=dt.UTC) for h in (0, 6, 12, 18)]
    for i, at in enumerate(instants):
        session.add(AuditEntry(at=at, action="test.dated", object_type="thing", object_id=str(i)))
    session.flush()


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"since": "2026-03-01T06:00:00Z"}, ["3", "2", "1"]),
        ({"since": "2026-03-01T14:00:00+08:00"}, ["3", "2", "1"]),  # 06:00 UTC
        ({"until": "2026-03-01T12:00:00+00:00"}, ["1", "0"]),  # until is exclusive
        ({"since": "2026-03-01T08:00:00+08:00", "until": "2026-03-01T20:00:00+08:00"}, ["1", "0"]),
        ({"since": "2026-03-01T12:00:00-06:00"}, ["3"]),  # 18:00 UTC
        ({"since": "2026-03-02T00:00:00Z", "until": "2026-03-01T00:00:00Z"}, []),
    ],
)
def test_since_and_until_respect_time_zones(client, root, dated, params, expected):
    items = _entries(client, root[1], action="test.dated", **params)
    assert [e["object_id"] for e in items] == expected


@pytest.mark.parametrize("field", ["since", "until"])
@pytest.mark.parametrize(
    "value",
    ["2026-03-01T06:00:00", "yesterday", "2026-13-01T00:00:00Z", "0001-01-01T00:00:00+01:00"],
)
def test_naive_or_invalid_datetimes_are_refused(client, root, field, value):
    response = client.get(URL, query_string={field: value}, headers=root[1])
    assert response.status_code == 422, response.json
    assert field in response.json["errors"]["query"]


@pytest.mark.parametrize(
    "params",
    [
        {"action": "LOGIN"},
        {"action": "login%"},
        {"action": "login\n"},
        {"object_type": "User!"},
        {"actor_id": "me"},
        {"object_id": "\x00"},
        {"request_id": "abc\x00"},
        {"object_id": "x" * 65},
        {"page_size": 0},
        {"page_size": 101},
    ],
)
def test_bad_filters_are_refused(client, root, params):
    response = client.get(URL, query_string=params, headers=root[1])
    assert response.status_code == 422
    assert set(response.json["errors"]["query"]) == set(params)


def test_district_admin_sees_only_entries_in_their_subtree(client, session, tree):
    district = make_user(session, role=Role.ADMIN, area=tree["district"], username="d-admin")
    inside = make_user(session, area=tree["grid"], username="inside")
    outside = make_user(session, area=tree["other_street"], username="outside")
    for user in (inside, outside):
        client.post("/api/v1/auth/login", json={"username": user.username, "password": "bad"})
    client.post("/api/v1/auth/login", json={"username": "nobody", "password": "bad"})
    headers = login(client, district)
    seen = {
        (e["action"], e["after"]["username"]) for e in _entries(client, headers, action="login")
    }
    assert seen == {("login.failed", "inside"), ("login.succeeded", "d-admin")}
    assert _entries(client, headers, object_id=str(outside.id)) == []


@pytest.mark.parametrize("role", sorted(set(Role) - {Role.ADMIN, Role.RESIDENT}))
def test_non_admin_staff_are_forbidden(client, session, tree, role):
    user = make_user(session, role=role, area=tree["district"])
    assert client.get(URL, headers=login(client, user)).status_code == 403


def test_resident_is_forbidden_and_anonymous_is_401(client, session, sms):
    resident = make_resident(session)
    assert client.get(URL, headers=login_resident(client, sms, resident.phone)).status_code == 403
    assert client.get(URL).status_code == 401


def test_phone_numbers_are_masked_in_audit_entries(client, session, root, sms):
    headers = root[1]
    created = client.post(
        "/api/v1/users",
        json={
            "username": "has.phone",
            "password": "Str0ng-enough-pw",
            "roles": ["dispatcher"],
            "area_code": "321302",
            "phone": "13812345678",
        },
        headers=headers,
    )
    assert created.status_code == 201
    client.patch(
        f"/api/v1/users/{created.json['id']}", json={"phone": "13987654321"}, headers=headers
    )
    login_resident(client, sms, "13700001234")
    response = client.get(URL, query_string={"page_size": 100}, headers=headers)
    text = response.get_data(as_text=True)
    for number in ("13812345678", "13987654321", "13700001234"):
        assert number not in text
    assert "138****5678" in text and "139****4321" in text and "137****1234" in text
