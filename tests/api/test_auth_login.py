"""POST /api/v1/auth/login: staff sign-in, lockout after repeated failures, per-address limits."""

import datetime as dt

import pytest
from sqlalchemy import func, select

from services.db import utcnow
from services.models.accounts import AuthSession
from services.models.audit import AuditEntry
from tests.factories import PASSWORD, make_area_tree, make_user

LOGIN = "/api/v1/auth/login"
WRONG = "Wrong-passw0rd"


def _login(client, username, password, **kwargs):
    return client.post(LOGIN, json={"username": username, "password": password}, **kwargs)


def _error(response, status):
    """The common error shape; returns the body."""
    assert response.status_code == status, response.json
    body = response.json
    assert body["code"] == status
    assert isinstance(body["status"], str) and body["status"]
    assert isinstance(body["message"], str) and body["message"]
    assert body["request_id"] == response.headers["X-Request-ID"]
    return body


def _audit(session, action=None):
    stmt = select(AuditEntry).order_by(AuditEntry.at)
    if action:
        stmt = stmt.where(AuditEntry.action == action)
    return session.scalars(stmt).all()


def _count(session, model):
    return session.scalar(select(func.count()).select_from(model))


def _fresh(session, user):
    session.refresh(user)
    return user


@pytest.fixture
def staff(session):
    tree = make_area_tree(session)
    user = make_user(session, area=tree["grid"], username="worker.li")
    session.commit()
    return user


def test_staff_login_returns_a_token_pair(client, staff, container):
    response = _login(client, "worker.li", PASSWORD)
    assert response.status_code == 200
    body = response.json
    assert body["token_type"] == "Bearer"
    assert body["expires_in"] == container.config.access_token_minutes * 60
    assert body["refresh_expires_in"] == container.config.refresh_token_days * 86400
    assert body["access_token"] and body["refresh_token"]
    me = client.get("/api/v1/me", headers={"Authorization": f"Bearer {body['access_token']}"})
    assert me.status_code == 200
    assert me.json["id"] == str(staff.id)


def test_staff_login_opens_one_session_and_stamps_last_login(client, session, staff):
    _login(client, "worker.li", PASSWORD, headers={"User-Agent": "grid-app/1.0"})
    row = session.scalars(select(AuthSession)).one()
    assert row.user_id == staff.id
    assert row.ip == "127.0.0.1"
    assert row.user_agent == "grid-app/1.0"
    assert row.revoked_at is None
    assert _fresh(session, staff).last_login_at is not None


def test_staff_login_writes_a_succeeded_audit_row(client, session, staff):
    response = _login(client, "worker.li", PASSWORD)
    [entry] = _audit(session, "login.succeeded")
    assert entry.object_type == "user"
    assert entry.object_id == str(staff.id)
    assert entry.after["method"] == "password"
    assert entry.after["username"] == "worker.li"
    assert entry.area_path == staff.area.path
    assert entry.request_id == response.headers["X-Request-ID"]
    assert entry.ip == "127.0.0.1"
    assert PASSWORD not in str(entry.after)


def test_wrong_password_is_401_in_the_common_shape(client, session, staff):
    response = _login(client, "worker.li", WRONG)
    body = _error(response, 401)
    assert body["status"] == "Unauthorized"
    assert body["message"] == "用户名或密码错误。"
    assert response.headers["WWW-Authenticate"] == "Bearer"
    assert "access_token" not in body
    assert _count(session, AuthSession) == 0
    [entry] = _audit(session, "login.failed")
    assert entry.after["reason"] == "wrong_password"
    assert WRONG not in str(entry.after)


def test_unknown_user_gets_the_same_answer_as_a_wrong_password(client, session, staff):
    wrong_password = _error(_login(client, "worker.li", WRONG), 401)
    unknown_user = _error(_login(client, "nobody.here", WRONG), 401)
    assert unknown_user["message"] == wrong_password["message"]
    assert unknown_user.keys() == wrong_password.keys()
    assert [e.after["reason"] for e in _audit(session, "login.failed")] == [
        "wrong_password",
        "unknown_user",
    ]


def test_wrong_password_message_is_english_when_asked(client, staff):
    response = _login(client, "worker.li", WRONG, headers={"Accept-Language": "en-US,en;q=0.9"})
    assert _error(response, 401)["message"] == "Wrong username or password."


def test_five_consecutive_failures_lock_the_account_and_name_the_minutes(client, session, staff):
    for _ in range(4):
        _error(_login(client, "worker.li", WRONG), 401)
    body = _error(_login(client, "worker.li", WRONG), 423)
    assert body["status"] == "Locked"
    assert body["message"] == "连续登录失败次数过多，账号已锁定，请 15 分钟后再试。"
    assert _fresh(session, staff).locked_until > utcnow() + dt.timedelta(minutes=14)
    assert len(_audit(session, "login.locked")) == 1


def test_locked_account_refuses_even_the_right_password(client, session, staff):
    for _ in range(5):
        _login(client, "worker.li", WRONG)
    response = _login(client, "worker.li", PASSWORD)
    assert "15 分钟" in _error(response, 423)["message"]
    assert _count(session, AuthSession) == 0
    assert _audit(session, "login.refused")[-1].after["reason"] == "locked"


def test_locked_message_speaks_english_when_asked(client, staff):
    for _ in range(5):
        _login(client, "worker.li", WRONG)
    response = _login(client, "worker.li", PASSWORD, headers={"Accept-Language": "en"})
    assert _error(response, 423)["message"] == (
        "Too many failed logins; the account is locked for 15 more minutes."
    )


def test_locked_message_names_the_minutes_that_remain(client, session, staff):
    staff.locked_until = utcnow() + dt.timedelta(minutes=2, seconds=30)
    session.commit()
    response = _login(client, "worker.li", PASSWORD)
    assert "请 3 分钟后再试" in _error(response, 423)["message"]


def test_attempts_while_locked_do_not_extend_the_lock(client, session, staff):
    for _ in range(5):
        _login(client, "worker.li", WRONG)
    locked_until = _fresh(session, staff).locked_until
    for _ in range(3):
        _error(_login(client, "worker.li", WRONG), 423)
    assert _fresh(session, staff).locked_until == locked_until


def test_login_works_again_once_the_lock_expires(client, session, staff):
    for _ in range(5):
        _login(client, "worker.li", WRONG)
    staff = _fresh(session, staff)
    staff.locked_until = utcnow() - dt.timedelta(seconds=1)
    session.commit()
    assert _login(client, "worker.li", PASSWORD).status_code == 200
    assert _fresh(session, staff).locked_until is None


def test_after_the_lock_expires_a_single_failure_does_not_lock_again(client, session, staff):
    for _ in range(5):
        _login(client, "worker.li", WRONG)
    staff = _fresh(session, staff)
    staff.locked_until = utcnow() - dt.timedelta(seconds=1)
    session.commit()
    _error(_login(client, "worker.li", WRONG), 401)


def test_a_success_resets_the_failure_counter(client, session, staff):
    for _ in range(4):
        _error(_login(client, "worker.li", WRONG), 401)
    assert _login(client, "worker.li", PASSWORD).status_code == 200
    assert _fresh(session, staff).failed_logins == 0
    for _ in range(4):
        _error(_login(client, "worker.li", WRONG), 401)
    assert _fresh(session, staff).locked_until is None
    assert _login(client, "worker.li", PASSWORD).status_code == 200


def test_failures_on_one_account_do_not_lock_another(client, session, staff):
    make_user(session, username="other.wang")
    session.commit()
    for _ in range(5):
        _login(client, "worker.li", WRONG)
    assert _login(client, "other.wang", PASSWORD).status_code == 200


def test_disabled_user_cannot_log_in(client, session):
    make_user(session, username="gone.zhao", active=False)
    session.commit()
    body = _error(_login(client, "gone.zhao", PASSWORD), 401)
    assert body["message"] == "账号已停用。"
    assert _count(session, AuthSession) == 0
    assert _audit(session, "login.refused")[-1].after["reason"] == "disabled"


def test_disabled_user_with_a_wrong_password_learns_nothing_more(client, session):
    make_user(session, username="gone.zhao", active=False)
    session.commit()
    assert _error(_login(client, "gone.zhao", WRONG), 401)["message"] == "用户名或密码错误。"


def test_account_without_a_password_cannot_log_in_with_any_password(client, session):
    make_user(session, username="no.password", password=None)
    session.commit()
    _error(_login(client, "no.password", "onegrid-dummy-password"), 401)
    _error(_login(client, "no.password", "anything1"), 401)
    assert _count(session, AuthSession) == 0


def test_login_is_rate_limited_per_address_with_retry_after(client, session, staff):
    for _ in range(20):
        assert _login(client, "nobody", WRONG).status_code == 401
    response = _login(client, "worker.li", PASSWORD)
    body = _error(response, 429)
    assert body["status"] == "Too Many Requests"
    assert 0 < body["retry_after"] <= 60
    assert int(response.headers["Retry-After"]) == body["retry_after"]
    assert f"{body['retry_after']} 秒" in body["message"]
    assert _count(session, AuthSession) == 0


def test_successful_logins_carry_no_retry_after_header(client, staff):
    response = _login(client, "worker.li", PASSWORD)
    assert response.status_code == 200
    assert "Retry-After" not in response.headers


def test_usernames_are_case_insensitive(client, staff):
    assert _login(client, "WORKER.Li", PASSWORD).status_code == 200


def test_rate_limit_counts_each_address_separately(client, staff):
    for _ in range(21):
        _login(client, "nobody", WRONG)
    other = _login(client, "worker.li", PASSWORD, environ_overrides={"REMOTE_ADDR": "10.1.2.3"})
    assert other.status_code == 200


@pytest.mark.parametrize(
    ("payload", "field", "message"),
    [
        ({}, "username", "缺少必填字段。"),
        ({"username": "worker.li"}, "password", "缺少必填字段。"),
        ({"password": PASSWORD}, "username", "缺少必填字段。"),
        ({"username": 12345, "password": PASSWORD}, "username", "不是有效的字符串。"),
        ({"username": "worker.li", "password": ["x"]}, "password", "不是有效的字符串。"),
        ({"username": None, "password": PASSWORD}, "username", "不能为空值。"),
        ({"username": "worker.li", "password": PASSWORD, "remember": True}, "remember", None),
        ({"username": "w" * 65, "password": PASSWORD}, "username", "长度必须在 1 到 64 之间。"),
        ({"username": "", "password": PASSWORD}, "username", None),
        ({"username": "worker.li", "password": ""}, "password", None),
        ({"username": "worker.li", "password": "p" * 129}, "password", None),
        ({"username": "worker.li\x00", "password": PASSWORD}, "username", "格式不正确。"),
    ],
)
def test_bad_login_input_is_422_naming_the_field_and_stores_nothing(
    client, session, staff, payload, field, message
):
    body = _error(client.post(LOGIN, json=payload), 422)
    assert body["message"] == "请求参数校验失败。"
    assert field in body["errors"]["json"]
    if message:
        assert body["errors"]["json"][field] == [message]
    assert _count(session, AuthSession) == 0
    assert _audit(session) == []
    # Malformed requests are not password guesses: they must not count towards a lockout.
    assert _fresh(session, staff).failed_logins == 0


def test_unknown_field_message_is_english_when_asked(client, staff):
    response = client.post(
        LOGIN,
        json={"username": "worker.li", "password": PASSWORD, "admin": True},
        headers={"Accept-Language": "en"},
    )
    assert _error(response, 422)["errors"]["json"] == {"admin": ["Unknown field."]}


def test_malformed_json_is_400_with_a_clear_message_and_stores_nothing(client, session, staff):
    response = client.post(LOGIN, data='{"username": "worker.li",', content_type="application/json")
    body = _error(response, 400)
    assert body["errors"]["json"] == ["请求体不是有效的 JSON。"]
    assert _count(session, AuthSession) == 0
    assert _audit(session) == []


@pytest.mark.parametrize(
    ("data", "content_type"),
    [
        (f"username=worker.li&password={PASSWORD}", "application/x-www-form-urlencoded"),
        (f"worker.li:{PASSWORD}", "text/plain"),
        (
            "--b\r\nContent-Disposition: form-data; name=username\r\n\r\nx\r\n--b--",
            "multipart/form-data; boundary=b",
        ),
    ],
)
def test_login_body_that_is_not_json_is_415_and_stores_nothing(
    client, session, staff, data, content_type
):
    response = client.post(LOGIN, data=data, content_type=content_type)
    body = _error(response, 415)
    assert body["message"] == "不支持的内容类型。"
    assert _count(session, AuthSession) == 0
    assert _audit(session) == []
    assert _fresh(session, staff).failed_logins == 0


@pytest.mark.parametrize("data", ['["worker.li", "secret"]', '"worker.li"', "null", "42"])
def test_login_body_that_is_not_a_json_object_is_refused_and_stores_nothing(
    client, session, staff, data
):
    response = client.post(LOGIN, data=data, content_type="application/json")
    body = _error(response, 422)
    assert body["errors"]["json"]
    assert _count(session, AuthSession) == 0
    assert _audit(session) == []
    assert _fresh(session, staff).failed_logins == 0


def test_login_refuses_get(client):
    assert _error(client.get(LOGIN), 405)["code"] == 405
