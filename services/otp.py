"""Residents sign in with a one-time code sent by SMS; the account is created on first use."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import math
import secrets
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from services import audit
from services.accounts import AuthKit, start_session
from services.actors import Actor, user_label
from services.db import lock_key, utcnow
from services.errors import AuthenticationFailed, RateLimited, ServiceUnavailable
from services.models.accounts import OtpCode, Role, User
from services.phones import mask_phone, normalise_mobile
from services.ports import SmsSender
from services.tokens import TokenPair, same_hash

SHANGHAI = ZoneInfo("Asia/Shanghai")
OTP_TEMPLATE = "otp_login"


@dataclass(frozen=True)
class OtpSent:
    expires_in: int
    resend_after: int


def _otp_hash(auth: AuthKit, phone: str, code: str) -> str:
    return hmac.new(auth.otp_key, f"{phone}:{code}".encode(), hashlib.sha256).hexdigest()


def request_otp(
    session: Session, *, auth: AuthKit, sms: SmsSender, actor: Actor, phone: str
) -> OtpSent:
    """Send a 6-digit login code, at most one a minute and ten a day per number."""
    e164 = normalise_mobile(phone)
    lock_key(session, f"otp:{e164}")
    now = utcnow()
    policy = auth.policy
    last_at = session.scalar(select(func.max(OtpCode.created_at)).where(OtpCode.phone == e164))
    if last_at is not None and now - last_at < policy.otp_resend_interval:
        wait = math.ceil((policy.otp_resend_interval - (now - last_at)).total_seconds())
        raise RateLimited("otp_too_soon", retry_after=wait)
    local_midnight = dt.datetime.combine(now.astimezone(SHANGHAI).date(), dt.time(), SHANGHAI)
    sent_today = session.scalar(
        select(func.count()).where(OtpCode.phone == e164, OtpCode.created_at >= local_midnight)
    )
    if sent_today >= policy.otp_daily_limit:
        wait = math.ceil((local_midnight + dt.timedelta(days=1) - now).total_seconds())
        raise RateLimited("otp_daily_limit", retry_after=wait)
    code = f"{secrets.randbelow(10**6):06d}"
    row = OtpCode(
        phone=e164,
        code_hash=_otp_hash(auth, e164, code),
        created_at=now,
        expires_at=now + policy.otp_ttl,
        ip=actor.ip,
    )
    session.add(row)
    audit.record(session, actor, "otp.requested", object_type="phone", object_id=mask_phone(e164))
    session.flush()
    # Sent before commit: if the provider refuses, nothing is stored and the resident may retry.
    result = sms.send(
        phone=e164,
        template=OTP_TEMPLATE,
        params={"code": code, "minutes": str(int(policy.otp_ttl.total_seconds() // 60))},
        reference=str(row.id),
    )
    if not result.accepted:
        session.rollback()
        raise ServiceUnavailable("otp_send_failed")
    session.commit()
    return OtpSent(
        expires_in=int(policy.otp_ttl.total_seconds()),
        resend_after=int(policy.otp_resend_interval.total_seconds()),
    )


def verify_otp(
    session: Session,
    *,
    auth: AuthKit,
    actor: Actor,
    phone: str,
    code: str,
    user_agent: str | None = None,
) -> tuple[TokenPair, bool]:
    """Sign a resident in with their code, creating the account on first use."""
    e164 = normalise_mobile(phone)
    now = utcnow()
    row = session.scalar(
        select(OtpCode)
        .where(OtpCode.phone == e164, OtpCode.consumed_at.is_(None))
        .order_by(OtpCode.created_at.desc())
        .limit(1)
        .with_for_update()
    )
    if row is None or row.expires_at <= now:
        raise AuthenticationFailed("otp_invalid")
    if row.attempts >= auth.policy.otp_max_attempts:
        raise AuthenticationFailed("otp_too_many_attempts")
    row.attempts += 1
    if not same_hash(row.code_hash, _otp_hash(auth, e164, code)):
        exhausted = row.attempts >= auth.policy.otp_max_attempts
        session.commit()
        raise AuthenticationFailed("otp_too_many_attempts" if exhausted else "otp_invalid")
    row.consumed_at = now
    user = session.scalar(select(User).where(User.phone == e164))
    created = user is None
    if user is None:
        user = User(phone=e164, display_name=f"居民{e164[-4:]}", locale="zh-CN")
        user.set_roles({Role.RESIDENT})
        session.add(user)
        session.flush()
        audit.record(
            session,
            Actor.for_user(user, request_id=actor.request_id, ip=actor.ip),
            "user.created",
            object_type="user",
            object_id=user.id,
            after={"roles": ["resident"], "phone": mask_phone(e164)},
        )
    elif not user.is_active:
        session.commit()
        raise AuthenticationFailed("account_disabled")
    elif Role.RESIDENT not in user.roles:
        # Staff sign in with a password; a text message alone must not open a staff account.
        session.commit()
        raise AuthenticationFailed("staff_use_password")
    pair = start_session(session, auth, user, actor, user_agent)
    audit.record(
        session,
        Actor.for_user(user, request_id=actor.request_id, ip=actor.ip),
        "login.succeeded",
        object_type="user",
        object_id=user.id,
        after={"method": "otp", "user": user_label(user)},
    )
    session.commit()
    return pair, created
