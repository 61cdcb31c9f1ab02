"""Resident sign-in by SMS code: sending, limits, verifying, and first-login account creation."""

import datetime as dt
import json
import re
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import func, select

from services import otp
from services.db import utcnow
from services.models.accounts import AuthSession, OtpCode, Role, User
from services.models.audit import AuditEntry
from tests.assertions import assert_error as _error
from tests.factories import make_resident, make_user

OTP = "/api/v1/auth/otp"
VERIFY = "/api/v1/auth/otp/verify"
PHONE = "13812345678"
E164 = "+8613812345678"
SHANGHAI = ZoneInfo("Asia/Shanghai")


def _request(client, phone=PHONE, ip="127.0.0.1", **kwargs):
    return client.post(OTP, json={"phone": phone}, environ_overrides={"REMOTE_ADDR": ip}, **kwargs)


def _verify(client, code, phone=PHONE, **kwargs):
    return client.post(VERIFY, json={"phone": phone, "code": code}, **kwargs)


def _codes(session, phone=E164):
    stmt = (
        select(OtpCode)
        .where(OtpCode.phone == phone)
        .order_by(OtpCode.created_at)
        .execution_options(populate_existing=True)
    )
    return session.scalars(stmt).all()


def _age_codes(session, seconds, phone=E164):
    """Move every code for the number back in time, as if it had been sent earlier."""
    for row in _codes(session, phone):
        row.created_at -= dt.timedelta(seconds=seconds)
    session.commit()


def _count(session, model, *where):
    return session.scalar(select(func.count()).select_from(model).where(*where))


def _other(code):
    return f"{(int(code) + 1) % 10**6:06d}"


@pytest.fixture
def clock(monkeypatch):
    """Pin the sign-in clock at 00:30 in Shanghai (16:30 UTC the day before), the latest such
    instant, so that "today" is unambiguous and differs from the UTC date."""
    local = dt.datetime.now(SHANGHAI).replace(hour=0, minute=30, second=0, microsecond=0)
    if local > dt.datetime.now(SHANGHAI):
        local -= dt.timedelta(days=1)
    now = local.astimezone(dt.UTC)
    monkeypatch.setattr(otp, "utcnow", lambda: now)
    return now


def test_request_sends_one_sms_with_a_six_digit_code(client, session, sms):
    response = _request(client)
    assert response.status_code == 202
    assert response.json == {"expires_in": 300, "resend_after": 60}
    [message] = sms.sent
    assert message.phone == E164
    assert message.template == "otp_login"
    assert re.fullmatch(r"[0-9]{6}", message.params["code"])
    assert message.params["minutes"] == "5"
    [row] = _codes(session)
    assert message.reference == str(row.id)


def test_code_is_stored_only_as_a_keyed_hash(client, session, sms):
    _request(client)
    code = sms.sent[0].params["code"]
    [row] = _codes(session)
    assert row.code_hash != code
    assert code not in row.code_hash
    assert len(row.code_hash) == 64
    assert row.expires_at - row.created_at == dt.timedelta(minutes=5)


def test_request_audit_masks_the_number_and_never_holds_the_code(client, session, sms):
    _request(client)
    code = sms.sent[0].params["code"]
    [entry] = session.scalars(select(AuditEntry).where(AuditEntry.action == "otp.requested"))
    assert entry.object_id == "138****5678"
    stored = json.dumps([entry.object_id, entry.before, entry.after], ensure_ascii=False)
    assert PHONE not in stored
    assert code not in stored


def test_every_spelling_of_a_number_reaches_the_same_e164_phone(client, sms):
    assert _request(client, phone="+86 138 1234 5678").status_code == 202
    assert sms.sent[0].phone == E164


def test_second_request_within_a_minute_is_429_with_retry_after(client, session, sms, clock):
    _request(client)
    response = _request(client)
    body = _error(response, 429)
    assert body["retry_after"] == 60
    assert body["message"] == "验证码发送过于频繁，请 60 秒后再试。"
    assert abs(int(response.headers["Retry-After"]) - 60) <= 1
    assert len(sms.sent) == 1
    assert len(_codes(session)) == 1


def test_resend_limit_counts_the_seconds_that_remain(client, session, clock):
    _request(client)
    _age_codes(session, 45)
    assert _error(_request(client), 429)["retry_after"] == 15


def test_resend_limit_applies_to_the_number_however_it_is_written(client, sms, clock):
    _request(client, phone="13812345678")
    _error(_request(client, phone="+86 138-1234-5678", ip="10.0.0.9"), 429)
    assert len(sms.sent) == 1


def test_request_is_accepted_again_after_a_minute(client, session, sms, clock):
    _request(client)
    _age_codes(session, 60)
    assert _request(client).status_code == 202
    assert len(sms.sent) == 2


def test_eleventh_code_in_one_day_is_429_until_midnight_in_shanghai(client, session, sms, clock):
    for i in range(10):
        assert _request(client, ip=f"10.0.0.{i + 1}").status_code == 202
        _age_codes(session, 120)
    body = _error(_request(client, ip="10.0.1.1"), 429)
    assert body["message"] == "该号码今日获取验证码次数已达上限。"
    # 00:30 now: the count starts again in 23.5 hours.
    assert body["retry_after"] == 23 * 3600 + 30 * 60
    assert len(sms.sent) == 10
    assert len(_codes(session)) == 10


def test_codes_sent_before_midnight_in_shanghai_do_not_count_today(client, session, sms, clock):
    for i in range(10):
        assert _request(client, ip=f"10.0.0.{i + 1}").status_code == 202
        _age_codes(session, 120)
    # Now all sent by 23:59 yesterday in Shanghai, though still "today" by the UTC calendar.
    _age_codes(session, 29 * 60)
    assert _request(client, ip="10.0.1.1").status_code == 202
    assert len(sms.sent) == 11


def test_daily_limit_is_per_number(client, session, sms, clock):
    for i in range(10):
        _request(client, ip=f"10.0.0.{i + 1}")
        _age_codes(session, 120)
    assert _request(client, phone="13912345678", ip="10.0.1.1").status_code == 202


def test_first_verify_creates_a_resident(client, session, sms):
    _request(client)
    response = _verify(client, sms.sent[0].params["code"])
    assert response.status_code == 200
    body = response.json
    assert body["new_user"] is True
    assert body["token_type"] == "Bearer"
    user = session.scalars(select(User).where(User.phone == E164)).one()
    assert user.roles == {Role.RESIDENT}
    assert user.username is None and user.password_hash is None
    assert user.display_name == "居民5678"
    me = client.get("/api/v1/me", headers={"Authorization": f"Bearer {body['access_token']}"})
    assert me.json["id"] == str(user.id)
    assert me.json["roles"] == ["resident"]
    actions = session.scalars(select(AuditEntry.action).order_by(AuditEntry.at)).all()
    assert actions == ["otp.requested", "user.created", "login.succeeded"]


def test_second_sign_in_reuses_the_resident(client, session, sms):
    _request(client)
    first = _verify(client, sms.sent[-1].params["code"]).json
    _age_codes(session, 60)
    _request(client)
    second = _verify(client, sms.sent[-1].params["code"])
    assert second.status_code == 200
    assert second.json["new_user"] is False
    assert _count(session, User, User.phone == E164) == 1
    ids = {
        client.get("/api/v1/me", headers={"Authorization": f"Bearer {p['access_token']}"}).json[
            "id"
        ]
        for p in (first, second.json)
    }
    assert len(ids) == 1


def test_existing_resident_signs_in_to_their_own_account(client, session, sms):
    resident = make_resident(session, phone=E164)
    session.commit()
    _request(client)
    body = _verify(client, sms.sent[0].params["code"]).json
    assert body["new_user"] is False
    me = client.get("/api/v1/me", headers={"Authorization": f"Bearer {body['access_token']}"})
    assert me.json["id"] == str(resident.id)


def test_code_works_only_once(client, session, sms):
    _request(client)
    code = sms.sent[0].params["code"]
    assert _verify(client, code).status_code == 200
    _error(_verify(client, code), 401)
    assert _count(session, AuthSession) == 1


def test_wrong_code_is_401(client, session, sms):
    _request(client)
    body = _error(_verify(client, _other(sms.sent[0].params["code"])), 401)
    assert body["message"] == "验证码错误或已过期。"
    assert _codes(session)[0].attempts == 1
    assert _count(session, User) == 0


def test_after_five_wrong_codes_even_the_right_code_is_refused(client, session, sms):
    _request(client)
    code = sms.sent[0].params["code"]
    for _ in range(4):
        _error(_verify(client, _other(code)), 401)
    fifth = _error(_verify(client, _other(code)), 401)
    assert fifth["message"] == "验证码尝试次数过多，请重新获取。"
    right = _error(_verify(client, code), 401)
    assert right["message"] == "验证码尝试次数过多，请重新获取。"
    assert _count(session, User) == 0
    assert _count(session, AuthSession) == 0


def test_a_new_code_may_be_requested_after_too_many_attempts(client, session, sms):
    _request(client)
    for _ in range(5):
        _verify(client, _other(sms.sent[-1].params["code"]))
    _age_codes(session, 60)
    _request(client)
    assert _verify(client, sms.sent[-1].params["code"]).status_code == 200


def test_expired_code_is_refused(client, session, sms):
    _request(client)
    [row] = _codes(session)
    row.expires_at = utcnow() - dt.timedelta(seconds=1)
    session.commit()
    body = _error(_verify(client, sms.sent[0].params["code"]), 401)
    assert body["message"] == "验证码错误或已过期。"
    assert _count(session, User) == 0


def test_verify_without_a_requested_code_is_401(client, session):
    _error(_verify(client, "123456"), 401)
    assert _count(session, User) == 0


def test_code_for_one_number_does_not_sign_in_another(client, session, sms):
    _request(client)
    _error(_verify(client, sms.sent[0].params["code"], phone="13912345678"), 401)
    assert _count(session, User) == 0


def test_staff_phone_cannot_be_used_for_otp_login(client, session, sms):
    staff = make_user(session, role=Role.ADMIN, username="admin.chen", phone=E164)
    session.commit()
    _request(client)
    body = _error(_verify(client, sms.sent[0].params["code"]), 401)
    assert body["message"] == "工作人员请使用账号密码登录。"
    assert _count(session, AuthSession) == 0
    assert _count(session, User) == 1
    session.refresh(staff)
    assert staff.roles == {Role.ADMIN}


def test_disabled_resident_cannot_sign_in(client, session, sms):
    resident = make_resident(session, phone=E164)
    resident.is_active = False
    session.commit()
    _request(client)
    body = _error(_verify(client, sms.sent[0].params["code"]), 401)
    assert body["message"] == "账号已停用。"
    assert _count(session, AuthSession) == 0


@pytest.mark.parametrize(
    "phone", ["02158881234", "+12025550123", "138ABCD5678", "12345", "not a phone", "1" * 33]
)
def test_invalid_phone_is_422_on_the_phone_field(client, session, sms, phone):
    body = _error(_request(client, phone=phone), 422)
    assert list(body["errors"]["json"]) == ["phone"]
    assert sms.sent == []
    assert _count(session, OtpCode) == 0
    assert _count(session, AuditEntry) == 0


def test_invalid_phone_message_is_clear_in_both_languages(client):
    zh = _error(_request(client, phone="02158881234"), 422)
    assert zh["errors"]["json"]["phone"] == ["请输入有效的中国大陆手机号码。"]
    en = _error(_request(client, phone="02158881234", headers={"Accept-Language": "en"}), 422)
    assert en["errors"]["json"]["phone"] == ["Enter a valid mainland China mobile number."]


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({}, "phone"),
        ({"phone": None}, "phone"),
        ({"phone": 13812345678}, "phone"),
        ({"phone": PHONE, "code": "123456"}, "code"),
    ],
)
def test_bad_request_body_is_422(client, session, sms, payload, field):
    body = _error(client.post(OTP, json=payload), 422)
    assert field in body["errors"]["json"]
    assert sms.sent == []
    assert _count(session, OtpCode) == 0


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"phone": PHONE}, "code"),
        ({"phone": PHONE, "code": "12345"}, "code"),
        ({"phone": PHONE, "code": "1234567"}, "code"),
        ({"phone": PHONE, "code": "abcdef"}, "code"),
        ({"phone": PHONE, "code": 123456}, "code"),
        ({"phone": "02158881234", "code": "123456"}, "phone"),
        ({"code": "123456"}, "phone"),
        ({"phone": PHONE, "code": "123456", "new_user": True}, "new_user"),
    ],
)
def test_bad_verify_body_is_422_and_spends_no_attempt(client, session, sms, payload, field):
    _request(client)
    body = _error(client.post(VERIFY, json=payload), 422)
    assert field in body["errors"]["json"]
    assert _codes(session)[0].attempts == 0
    assert _count(session, User) == 0


def test_provider_failure_is_503_and_stores_nothing(client, session, sms):
    sms.fail_next = 1
    body = _error(_request(client), 503)
    assert body["message"] == "验证码短信发送失败，请稍后重试。"
    assert sms.sent == []
    assert _count(session, OtpCode) == 0
    assert _count(session, AuditEntry) == 0


def test_resident_may_retry_at_once_after_a_provider_failure(client, session, sms):
    sms.fail_next = 1
    _error(_request(client), 503)
    assert _request(client).status_code == 202
    assert _verify(client, sms.sent[0].params["code"]).status_code == 200


def test_otp_request_is_rate_limited_per_address(client, session):
    for i in range(10):
        _request(client, phone=f"1391234{i:04d}")
    body = _error(_request(client, phone="13712345678"), 429)
    assert body["retry_after"] > 0
    assert _count(session, OtpCode) == 10
