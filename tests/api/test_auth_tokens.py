"""Token refresh with rotation and reuse detection, logout, and what ends a token's life."""

import datetime as dt
import uuid

import pytest
from sqlalchemy import select

from services.actors import Actor
from services.db import utcnow
from services.models.accounts import AuthSession, Role
from services.models.audit import AuditEntry
from services.users import set_user_active
from tests.assertions import assert_error as _error
from tests.factories import PASSWORD, make_area_tree, make_user

LOGIN = "/api/v1/auth/login"
REFRESH = "/api/v1/auth/refresh"
LOGOUT = "/api/v1/auth/logout"
ME = "/api/v1/me"


def _bearer(token):
    return {"Authorization": f"Bearer {token}"}


def _sign_in(client, username="worker.li"):
    response = client.post(LOGIN, json={"username": username, "password": PASSWORD})
    assert response.status_code == 200, response.json
    return response.json


def _refresh(client, token):
    return client.post(REFRESH, json={"refresh_token": token})


def _session_row(session, container, access_token):
    sid = container.auth.codec.decode_access(access_token).session_id
    return session.scalars(
        select(AuthSession).where(AuthSession.id == sid).execution_options(populate_existing=True)
    ).one()


@pytest.fixture
def staff(session):
    tree = make_area_tree(session)
    user = make_user(session, area=tree["grid"], username="worker.li")
    session.commit()
    return user


def test_refresh_returns_a_new_working_pair(client, staff, container):
    first = _sign_in(client)
    response = _refresh(client, first["refresh_token"])
    assert response.status_code == 200
    second = response.json
    assert second["refresh_token"] != first["refresh_token"]
    assert second["access_token"] != first["access_token"]
    assert second["token_type"] == "Bearer"
    assert second["expires_in"] == container.config.access_token_minutes * 60
    me = client.get(ME, headers=_bearer(second["access_token"]))
    assert me.status_code == 200
    assert me.json["id"] == str(staff.id)


def test_refresh_keeps_the_session_and_counts_generations(client, session, staff, container):
    first = _sign_in(client)
    second = _refresh(client, first["refresh_token"]).json
    third = _refresh(client, second["refresh_token"]).json
    row = _session_row(session, container, third["access_token"])
    assert row.id == _session_row(session, container, first["access_token"]).id
    assert row.generation == 3
    assert row.revoked_at is None


def test_old_refresh_token_fails_after_rotation(client, staff):
    first = _sign_in(client)
    assert _refresh(client, first["refresh_token"]).status_code == 200
    body = _error(_refresh(client, first["refresh_token"]), 401)
    assert body["message"] == "刷新凭证无效或已过期。"


def test_reused_refresh_token_revokes_the_whole_session(client, session, staff, container):
    first = _sign_in(client)
    latest = _refresh(client, first["refresh_token"]).json
    _error(_refresh(client, first["refresh_token"]), 401)

    # Whoever held the latest pair is signed out too: one of the two holders is a thief.
    me = client.get(ME, headers=_bearer(latest["access_token"]))
    assert _error(me, 401)["message"] == "登录已失效，请重新登录。"
    _error(_refresh(client, latest["refresh_token"]), 401)
    row = _session_row(session, container, latest["access_token"])
    assert row.revoke_reason == "refresh_reuse"
    [entry] = session.scalars(select(AuditEntry).where(AuditEntry.action == "session.revoked"))
    assert entry.object_id == str(staff.id)
    assert entry.after["reason"] == "refresh_reuse"


def test_reuse_in_one_session_leaves_the_users_other_sessions_alone(client, staff):
    phone = _sign_in(client)
    desktop = _sign_in(client)
    _refresh(client, phone["refresh_token"])
    _refresh(client, phone["refresh_token"])
    assert client.get(ME, headers=_bearer(desktop["access_token"])).status_code == 200
    assert _refresh(client, desktop["refresh_token"]).status_code == 200


def test_malformed_refresh_token_for_a_real_session_does_not_end_it(client, session, staff):
    pair = _sign_in(client)
    sid = pair["refresh_token"].partition(".")[0]
    for bad in (sid, f"{sid}.", f"{sid}.not-a-secret-we-issue"):
        _error(_refresh(client, bad), 401)
    assert client.get(ME, headers=_bearer(pair["access_token"])).status_code == 200
    assert _refresh(client, pair["refresh_token"]).status_code == 200


def test_access_token_is_not_a_refresh_token(client, staff):
    pair = _sign_in(client)
    response = _refresh(client, pair["access_token"])
    assert response.status_code in (401, 422)  # JWTs are longer than any refresh token
    assert "access_token" not in _error(response, response.status_code)


def test_refresh_token_is_not_an_access_token(client, staff):
    pair = _sign_in(client)
    _error(client.get(ME, headers=_bearer(pair["refresh_token"])), 401)


def test_refresh_token_of_an_unknown_session_is_refused(client, staff):
    body = _error(_refresh(client, f"{uuid.uuid4()}.{'a' * 43}"), 401)
    assert body["message"] == "刷新凭证无效或已过期。"


def test_refresh_of_an_expired_session_is_refused(client, session, staff, container):
    pair = _sign_in(client)
    row = _session_row(session, container, pair["access_token"])
    row.expires_at = utcnow() - dt.timedelta(seconds=1)
    session.commit()
    _error(_refresh(client, pair["refresh_token"]), 401)
    _error(client.get(ME, headers=_bearer(pair["access_token"])), 401)


@pytest.mark.parametrize(
    "payload",
    [
        {},
        {"refresh_token": ""},
        {"refresh_token": None},
        {"refresh_token": 12345},
        {"refresh_token": "x" * 201},
        {"refresh_token": "abc", "user_id": "someone"},
    ],
)
def test_bad_refresh_input_is_422(client, payload):
    body = _error(client.post(REFRESH, json=payload), 422)
    assert body["errors"]["json"]


def test_logout_ends_the_access_token_at_once(client, session, staff, container):
    pair = _sign_in(client)
    response = client.post(LOGOUT, headers=_bearer(pair["access_token"]))
    assert response.status_code == 204
    assert response.data == b""
    me = client.get(ME, headers=_bearer(pair["access_token"]))
    assert _error(me, 401)["message"] == "登录已失效，请重新登录。"
    row = _session_row(session, container, pair["access_token"])
    assert row.revoke_reason == "logout"
    [entry] = session.scalars(select(AuditEntry).where(AuditEntry.action == "logout"))
    assert entry.object_id == str(staff.id)
    assert entry.actor_id == staff.id


def test_logout_ends_the_refresh_token(client, staff):
    pair = _sign_in(client)
    client.post(LOGOUT, headers=_bearer(pair["access_token"]))
    _error(_refresh(client, pair["refresh_token"]), 401)


def test_logout_ends_only_this_session(client, staff):
    phone = _sign_in(client)
    desktop = _sign_in(client)
    client.post(LOGOUT, headers=_bearer(phone["access_token"]))
    assert client.get(ME, headers=_bearer(desktop["access_token"])).status_code == 200


def test_logout_twice_is_401_the_second_time(client, staff):
    pair = _sign_in(client)
    assert client.post(LOGOUT, headers=_bearer(pair["access_token"])).status_code == 204
    _error(client.post(LOGOUT, headers=_bearer(pair["access_token"])), 401)


def test_logout_without_a_token_is_401(client):
    _error(client.post(LOGOUT), 401)


def test_user_disabled_by_an_admin_is_refused_on_the_next_request(client, session, staff):
    pair = _sign_in(client)
    set_user_active(
        session, actor=Actor.system("test-admin"), user_id=staff.id, active=False, reason="left"
    )
    _error(client.get(ME, headers=_bearer(pair["access_token"])), 401)
    _error(_refresh(client, pair["refresh_token"]), 401)


def test_user_disabled_over_the_api_is_refused_on_the_next_request(client, session, staff):
    make_user(session, role=Role.ADMIN, username="admin.chen")
    session.commit()
    pair = _sign_in(client)
    admin = _bearer(_sign_in(client, "admin.chen")["access_token"])
    response = client.post(
        f"/api/v1/users/{staff.id}/disable", json={"reason": "离职"}, headers=admin
    )
    assert response.status_code == 200, response.json
    _error(client.get(ME, headers=_bearer(pair["access_token"])), 401)


def test_user_disabled_directly_in_the_database_is_refused_at_once(client, session, staff):
    pair = _sign_in(client)
    staff.is_active = False
    session.commit()
    body = _error(client.get(ME, headers=_bearer(pair["access_token"])), 401)
    assert body["message"] == "账号已停用。"
    assert _error(_refresh(client, pair["refresh_token"]), 401)["message"] == "账号已停用。"


def test_token_for_a_session_that_does_not_exist_is_refused(client, staff, container):
    forged = container.auth.codec.issue_access(staff.id, uuid.uuid4())
    body = _error(client.get(ME, headers=_bearer(forged)), 401)
    assert body["message"] == "登录凭证无效或已过期，请重新登录。"


def test_token_naming_another_user_for_a_real_session_is_refused(client, session, staff, container):
    other = make_user(session, username="other.wang")
    session.commit()
    sid = container.auth.codec.decode_access(_sign_in(client)["access_token"]).session_id
    forged = container.auth.codec.issue_access(other.id, sid)
    _error(client.get(ME, headers=_bearer(forged)), 401)


@pytest.mark.parametrize(
    "header",
    [
        None,
        "",
        "Bearer",
        "Bearer ",
        "Bearer garbage",
        "Bearer a.b.c",
        "Bearer eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0.",
        "Basic d29ya2VyLmxpOlBhc3N3MHJk",
        "Token abc",
        "garbage",
    ],
)
def test_missing_or_garbage_authorization_is_401(client, header):
    headers = {} if header is None else {"Authorization": header}
    response = client.get(ME, headers=headers)
    assert _error(response, 401)["status"] == "Unauthorized"
    assert response.headers["WWW-Authenticate"] == "Bearer"


def test_missing_token_asks_to_log_in_and_a_bad_one_says_it_is_invalid(client):
    assert _error(client.get(ME), 401)["message"] == "请先登录。"
    bad = client.get(ME, headers=_bearer("garbage"), environ_base={"HTTP_ACCEPT_LANGUAGE": "en"})
    assert _error(bad, 401)["message"] == "The token is invalid or expired."


def test_valid_token_under_a_non_bearer_scheme_is_401(client, staff):
    token = _sign_in(client)["access_token"]
    _error(client.get(ME, headers={"Authorization": f"Basic {token}"}), 401)
    _error(client.get(ME, headers={"Authorization": token}), 401)


def test_token_in_the_query_string_is_not_accepted(client, staff):
    token = _sign_in(client)["access_token"]
    _error(client.get(f"{ME}?access_token={token}"), 401)


def test_bearer_scheme_is_case_insensitive(client, staff):
    token = _sign_in(client)["access_token"]
    assert client.get(ME, headers={"Authorization": f"bearer {token}"}).status_code == 200


def test_token_signed_with_another_secret_is_401(client, staff, container):
    from services.tokens import TokenCodec

    real = container.auth.codec.decode_access(_sign_in(client)["access_token"])
    forged = TokenCodec("x" * 64).issue_access(real.user_id, real.session_id)
    _error(client.get(ME, headers=_bearer(forged)), 401)
