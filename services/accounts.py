"""Signing in and out: staff passwords with lockout, resident SMS codes, rotating sessions."""

from __future__ import annotations

import datetime as dt
import math
import uuid
from dataclasses import dataclass, field

from sqlalchemy import bindparam, select
from sqlalchemy.orm import Session

from services import audit
from services.actors import Actor
from services.db import utcnow
from services.errors import AccountLocked, AuthenticationFailed
from services.models.accounts import AuthSession, User, UserRole
from services.models.areas import Area
from services.passwords import PasswordHasher
from services.phones import mask_phone
from services.prepared import PreparedQuery
from services.tokens import TokenCodec, TokenPair, hash_secret, same_hash


@dataclass(frozen=True)
class AuthPolicy:
    max_failed_logins: int = 5
    lockout: dt.timedelta = dt.timedelta(minutes=15)
    otp_ttl: dt.timedelta = dt.timedelta(minutes=5)
    otp_max_attempts: int = 5
    otp_resend_interval: dt.timedelta = dt.timedelta(seconds=60)
    otp_daily_limit: int = 10


@dataclass(frozen=True)
class AuthKit:
    """What the sign-in use cases need, built once in the composition root."""

    codec: TokenCodec
    hasher: PasswordHasher
    otp_key: bytes
    policy: AuthPolicy = field(default_factory=AuthPolicy)


def normalise_username(username: str) -> str:
    """Usernames are case-insensitive: ``Wang.Wei`` and ``wang.wei`` are one account."""
    return username.strip().lower()


def user_area_path(user: User) -> str | None:
    """Where a user sits in the area tree: their area, else their department's jurisdiction."""
    if user.area is not None:
        return user.area.path
    if user.department is not None and user.department.area is not None:
        return user.department.area.path
    return None


def start_session(
    session: Session, auth: AuthKit, user: User, actor: Actor, user_agent: str | None
) -> TokenPair:
    now = utcnow()
    sid = uuid.uuid4()
    refresh, refresh_hash = auth.codec.new_refresh(sid)
    session.add(
        AuthSession(
            id=sid,
            user_id=user.id,
            refresh_hash=refresh_hash,
            created_at=now,
            last_used_at=now,
            expires_at=now + auth.codec.refresh_ttl,
            ip=actor.ip,
            user_agent=(user_agent or "")[:200] or None,
        )
    )
    user.last_login_at = now
    return _pair(auth, user.id, sid, refresh)


def _pair(auth: AuthKit, user_id: uuid.UUID, sid: uuid.UUID, refresh: str) -> TokenPair:
    return TokenPair(
        access_token=auth.codec.issue_access(user_id, sid),
        refresh_token=refresh,
        expires_in=int(auth.codec.access_ttl.total_seconds()),
        refresh_expires_in=int(auth.codec.refresh_ttl.total_seconds()),
    )


def login(
    session: Session,
    *,
    auth: AuthKit,
    actor: Actor,
    username: str,
    password: str,
    user_agent: str | None = None,
) -> TokenPair:
    """Staff sign-in; consecutive failures lock the account for a while."""
    now = utcnow()
    # OF names the row to lock: PostgreSQL refuses FOR UPDATE on the outer-joined area/department.
    username = normalise_username(username)
    user = session.scalar(select(User).where(User.username == username).with_for_update(of=User))

    def _audit(action: str, **after: object) -> None:
        # Attempts on a known account are recorded as that account's, so its trail shows them.
        who = Actor.for_user(user, request_id=actor.request_id, ip=actor.ip) if user else actor
        audit.record(
            session,
            who,
            action,
            object_type="user",
            object_id=user.id if user else None,
            area_path=user_area_path(user) if user else None,
            after={"username": username[:64], "method": "password", **after},
        )

    if user is None:
        auth.hasher.verify(None, password)  # same cost as a real check: no user enumeration
        _audit("login.failed", reason="unknown_user")
        session.commit()
        raise AuthenticationFailed()
    if user.is_locked(now):
        minutes = math.ceil((user.locked_until - now).total_seconds() / 60)
        _audit("login.refused", reason="locked")
        session.commit()
        raise AccountLocked(minutes=minutes)
    if not auth.hasher.verify(user.password_hash, password):
        user.failed_logins += 1
        locked = user.failed_logins >= auth.policy.max_failed_logins
        if locked:
            user.locked_until = now + auth.policy.lockout
            user.failed_logins = 0
        _audit("login.locked" if locked else "login.failed", reason="wrong_password")
        session.commit()
        if locked:
            raise AccountLocked(minutes=math.ceil(auth.policy.lockout.total_seconds() / 60))
        raise AuthenticationFailed()
    if not user.is_active:
        _audit("login.refused", reason="disabled")
        session.commit()
        raise AuthenticationFailed("account_disabled")
    user.failed_logins = 0
    user.locked_until = None
    if auth.hasher.needs_rehash(user.password_hash):
        user.password_hash = auth.hasher.hash(password)
    pair = start_session(session, auth, user, actor, user_agent)
    _audit("login.succeeded")
    session.commit()
    return pair


def refresh(session: Session, *, auth: AuthKit, actor: Actor, refresh_token: str) -> TokenPair:
    """Swap a refresh token for a new pair; a token used twice ends its whole session."""
    sid, secret = auth.codec.split_refresh(refresh_token)
    row = session.scalar(
        select(AuthSession).where(AuthSession.id == sid).with_for_update(of=AuthSession)
    )
    now = utcnow()
    if row is None or not row.is_live(now):
        raise AuthenticationFailed("refresh_invalid")
    if not same_hash(row.refresh_hash, hash_secret(secret)):
        # A rotated-out token came back: somebody holds a copy. End the session for both.
        row.revoked_at, row.revoke_reason = now, "refresh_reuse"
        audit.record(
            session,
            actor,
            "session.revoked",
            object_type="user",
            object_id=row.user_id,
            area_path=user_area_path(row.user),
            after={"reason": "refresh_reuse", "session": str(row.id)},
        )
        session.commit()
        raise AuthenticationFailed("refresh_invalid")
    if not row.user.is_active:
        raise AuthenticationFailed("account_disabled")
    new_refresh, new_hash = auth.codec.new_refresh(row.id)
    row.refresh_hash, row.generation, row.last_used_at = new_hash, row.generation + 1, now
    session.commit()
    return _pair(auth, row.user_id, row.id, new_refresh)


def logout(session: Session, *, actor: Actor, session_id: uuid.UUID) -> None:
    row = session.get(AuthSession, session_id)
    if row is not None and row.revoked_at is None:
        row.revoked_at, row.revoke_reason = utcnow(), "logout"
        audit.record(
            session,
            actor,
            "logout",
            object_type="user",
            object_id=row.user_id,
            area_path=user_area_path(row.user),
        )
    session.commit()


_AUTHENTICATION = PreparedQuery(
    select(
        AuthSession.user_id,
        AuthSession.expires_at,
        AuthSession.revoked_at,
        User.is_active,
        User.username,
        User.phone,
        User.area_id,
        User.department_id,
        Area.path,
        UserRole.role,
    )
    .join(User, User.id == AuthSession.user_id)
    .outerjoin(Area, Area.id == User.area_id)
    .outerjoin(UserRole, UserRole.user_id == User.id)
    .where(AuthSession.id == bindparam("sid"))
)


def authenticate(
    session: Session,
    *,
    auth: AuthKit,
    token: str,
    request_id: str | None = None,
    ip: str | None = None,
) -> tuple[Actor, uuid.UUID]:
    """The actor and session behind an access token; revoked sessions and disabled users fail.

    Runs on every authenticated request, so it reads just the columns it needs (two small
    indexed queries) instead of loading the user with its area and department.
    """
    claims = auth.codec.decode_access(token)
    # One row per role (users have one or two), so one round trip answers everything.
    rows = _AUTHENTICATION.run(session, {"sid": claims.session_id})
    row = rows[0] if rows else None
    if row is None or row.user_id != claims.user_id:
        raise AuthenticationFailed("token_invalid")
    if row.revoked_at is not None or row.expires_at <= utcnow():
        raise AuthenticationFailed("session_revoked")
    if not row.is_active:
        raise AuthenticationFailed("account_disabled")
    roles = frozenset(r.role for r in rows if r.role is not None)
    actor = Actor(
        user_id=row.user_id,
        label=row.username or mask_phone(row.phone) or str(row.user_id),
        roles=roles,
        area_id=row.area_id,
        area_path=row.path,
        department_id=row.department_id,
        request_id=request_id,
        ip=ip,
    )
    return actor, claims.session_id


def update_me(
    session: Session, *, actor: Actor, display_name: str | None = None, locale: str | None = None
) -> User:
    user = session.get(User, actor.user_id)
    before = {"display_name": user.display_name, "locale": user.locale}
    if display_name is not None:
        user.display_name = display_name
    if locale is not None:
        user.locale = locale
    old, new = audit.changes(before, {"display_name": user.display_name, "locale": user.locale})
    if new:
        audit.record(
            session,
            actor,
            "user.updated",
            object_type="user",
            object_id=user.id,
            area_path=user_area_path(user),
            before=old,
            after=new,
        )
    session.commit()
    return user
