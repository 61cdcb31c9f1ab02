"""Administering accounts: create, change, disable and enable users within one's scope."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from services import audit
from services.accounts import normalise_username, user_area_path
from services.actors import Actor
from services.assignments import end_assignments_of
from services.authz import Action, require, require_some
from services.db import utcnow
from services.errors import ValidationFailed
from services.models.accounts import STAFF_ROLES, AuthSession, Role, User
from services.models.areas import Area, Department
from services.passwords import PasswordHasher, check_password_policy
from services.phones import mask_phone, normalise_mobile
from services.queries.areas import find_area_by_code, find_department_by_code
from services.queries.users import get_user_for, user_target

UNSET: Any = object()


@dataclass(frozen=True)
class UserChanges:
    """Fields an admin may change; UNSET leaves a field as it is, None clears it."""

    display_name: str = UNSET
    roles: frozenset[Role] = UNSET
    area_code: str | None = UNSET
    department_code: str | None = UNSET
    phone: str | None = UNSET
    password: str = UNSET
    locale: str = UNSET


def summary(user: User) -> dict[str, Any]:
    """What the audit trail keeps about a user: no hashes, phone masked."""
    return {
        "username": user.username,
        "display_name": user.display_name,
        "roles": sorted(user.roles),
        "area": user.area.code if user.area else None,
        "department": user.department.code if user.department else None,
        "phone": mask_phone(user.phone),
        "locale": user.locale,
        "is_active": user.is_active,
    }


def _resolve_area(session: Session, code: str | None) -> Area | None:
    if code is None:
        return None
    area = find_area_by_code(session, code)
    if area is None:
        raise ValidationFailed(fields={"area_code": "area_unknown"})
    return area


def _resolve_department(session: Session, code: str | None) -> Department | None:
    if code is None:
        return None
    department = find_department_by_code(session, code)
    if department is None:
        raise ValidationFailed(fields={"department_code": "department_unknown"})
    if not department.active:
        # A deactivated department receives no new work, nor new people.
        raise ValidationFailed(fields={"department_code": "department_inactive"})
    return department


def _check_shape(user: User) -> None:
    roles = user.roles
    if not roles:
        raise ValidationFailed(fields={"roles": "validation_failed"})
    if Role.RESIDENT in roles and roles & STAFF_ROLES:
        raise ValidationFailed(fields={"roles": "resident_not_staff"})
    if Role.DEPARTMENT_HANDLER in roles and user.department_id is None:
        raise ValidationFailed(fields={"department_code": "handler_needs_department"})
    # Only a platform administrator may stand outside every area and department.
    unbound = user.area_id is None and user.department_id is None
    if roles & STAFF_ROLES and unbound and roles != {Role.ADMIN}:
        raise ValidationFailed(fields={"area_code": "staff_needs_scope"})


def _unique(session: Session, user: User) -> None:
    if user.username:
        clash = session.scalar(
            select(User.id).where(User.username == user.username, User.id != user.id)
        )
        if clash:
            raise ValidationFailed(fields={"username": "username_taken"})
    if user.phone:
        clash = session.scalar(select(User.id).where(User.phone == user.phone, User.id != user.id))
        if clash:
            raise ValidationFailed(fields={"phone": "phone_taken"})


def _apply(session: Session, user: User, changes: UserChanges, hasher: PasswordHasher) -> None:
    if changes.display_name is not UNSET:
        user.display_name = changes.display_name
    if changes.locale is not UNSET:
        user.locale = changes.locale
    if changes.roles is not UNSET:
        user.set_roles(set(changes.roles))
    if changes.area_code is not UNSET:
        user.area = _resolve_area(session, changes.area_code)
        user.area_id = user.area.id if user.area else None
    if changes.department_code is not UNSET:
        user.department = _resolve_department(session, changes.department_code)
        user.department_id = user.department.id if user.department else None
    if changes.phone is not UNSET:
        user.phone = normalise_mobile(changes.phone) if changes.phone else None
    if changes.password is not UNSET:
        check_password_policy(changes.password)
        user.password_hash = hasher.hash(changes.password)
    _check_shape(user)
    _unique(session, user)


def create_user(
    session: Session,
    *,
    actor: Actor,
    hasher: PasswordHasher,
    username: str,
    changes: UserChanges,
) -> User:
    require_some(actor, Action.USER_MANAGE)
    username = normalise_username(username)
    user = User(username=username, display_name=username, is_active=True)
    if changes.password is UNSET:
        raise ValidationFailed(fields={"password": "password_weak"}, min=8)
    _apply(session, user, changes, hasher)
    require(actor, Action.USER_MANAGE, user_target(user))
    session.add(user)
    session.flush()
    audit.record(
        session,
        actor,
        "user.created",
        object_type="user",
        object_id=user.id,
        area_path=user_area_path(user),
        after=summary(user),
    )
    session.commit()
    return user


def update_user(
    session: Session,
    *,
    actor: Actor,
    hasher: PasswordHasher,
    user_id: uuid.UUID,
    changes: UserChanges,
) -> User:
    user = get_user_for(session, actor, user_id, Action.USER_MANAGE)
    before = summary(user)
    _apply(session, user, changes, hasher)
    # Both where the user was and where they are going must lie within the admin's scope.
    require(actor, Action.USER_MANAGE, user_target(user))
    if changes.password is not UNSET:
        user.failed_logins, user.locked_until = 0, None
        _revoke_sessions(session, user.id, "password_reset")
    old, new = audit.changes(before, summary(user))
    if changes.password is not UNSET:
        new["password"] = "reset"
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


def set_user_active(
    session: Session, *, actor: Actor, user_id: uuid.UUID, active: bool, reason: str | None = None
) -> User:
    """Disable (ending every session at once) or re-enable a user; enabling also unlocks."""
    user = get_user_for(session, actor, user_id, Action.USER_MANAGE)
    if not active and user.id == actor.user_id:
        raise ValidationFailed("cannot_disable_self")
    before = summary(user)
    user.is_active = active
    user.disabled_reason = None if active else reason
    if active:
        user.failed_logins, user.locked_until = 0, None
    else:
        _revoke_sessions(session, user.id, "disabled")
        end_assignments_of(session, actor, reason="user_disabled", user_id=user.id)
    audit.record(
        session,
        actor,
        "user.enabled" if active else "user.disabled",
        object_type="user",
        object_id=user.id,
        area_path=user_area_path(user),
        before={"is_active": before["is_active"]},
        after={"is_active": active, "reason": reason},
    )
    session.commit()
    return user


def _revoke_sessions(session: Session, user_id: uuid.UUID, reason: str) -> None:
    session.execute(
        update(AuthSession)
        .where(AuthSession.user_id == user_id, AuthSession.revoked_at.is_(None))
        .values(revoked_at=utcnow(), revoke_reason=reason)
    )
