"""People and their ways in: users, roles, login sessions and one-time codes."""

from __future__ import annotations

import datetime as dt
import uuid
from enum import StrEnum

from sqlalchemy import ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from services.db import Base, Timestamps, UUIDPk, utcnow
from services.models.areas import Area, Department
from services.models.types import enum_column


class Role(StrEnum):
    RESIDENT = "resident"
    GRID_WORKER = "grid_worker"
    DISPATCHER = "dispatcher"
    DEPARTMENT_HANDLER = "department_handler"
    EMERGENCY_OFFICER = "emergency_officer"
    ADMIN = "admin"


STAFF_ROLES = frozenset(Role) - {Role.RESIDENT}


class User(UUIDPk, Timestamps, Base):
    __tablename__ = "users"

    username: Mapped[str | None] = mapped_column(String(64), unique=True)
    phone: Mapped[str | None] = mapped_column(String(20), unique=True)  # E.164
    password_hash: Mapped[str | None] = mapped_column(String(255))
    display_name: Mapped[str] = mapped_column(String(50), default="")
    locale: Mapped[str] = mapped_column(String(8), default="zh-CN")
    area_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("areas.id"), index=True)
    department_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("departments.id"), index=True
    )
    is_active: Mapped[bool] = mapped_column(default=True)
    disabled_reason: Mapped[str | None] = mapped_column(String(200))
    failed_logins: Mapped[int] = mapped_column(default=0)
    locked_until: Mapped[dt.datetime | None]
    last_login_at: Mapped[dt.datetime | None]

    area: Mapped[Area | None] = relationship(lazy="joined")
    department: Mapped[Department | None] = relationship(lazy="joined")
    role_rows: Mapped[list[UserRole]] = relationship(
        lazy="selectin", cascade="all, delete-orphan", order_by="UserRole.role"
    )

    @property
    def roles(self) -> frozenset[Role]:
        return frozenset(r.role for r in self.role_rows)

    def set_roles(self, roles: set[Role] | frozenset[Role]) -> None:
        keep = [r for r in self.role_rows if r.role in roles]
        have = {r.role for r in keep}
        self.role_rows = keep + [UserRole(role=r) for r in sorted(roles - have)]

    @property
    def is_staff(self) -> bool:
        return bool(self.roles & STAFF_ROLES)

    def is_locked(self, now: dt.datetime | None = None) -> bool:
        return self.locked_until is not None and self.locked_until > (now or utcnow())


class UserRole(Base):
    __tablename__ = "user_roles"

    user_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    role: Mapped[Role] = mapped_column(enum_column(Role), primary_key=True, index=True)


class AuthSession(UUIDPk, Base):
    """A login: refresh tokens rotate within it; revoking it ends its access tokens at once."""

    __tablename__ = "auth_sessions"

    user_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id"), index=True)
    refresh_hash: Mapped[str] = mapped_column(String(64))
    generation: Mapped[int] = mapped_column(default=1)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    last_used_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[dt.datetime]
    revoked_at: Mapped[dt.datetime | None]
    revoke_reason: Mapped[str | None] = mapped_column(String(32))
    ip: Mapped[str | None] = mapped_column(String(45))
    user_agent: Mapped[str | None] = mapped_column(String(200))

    user: Mapped[User] = relationship(lazy="joined")

    def is_live(self, now: dt.datetime | None = None) -> bool:
        return self.revoked_at is None and self.expires_at > (now or utcnow())


class OtpCode(UUIDPk, Base):
    """A one-time login code; only its keyed hash is kept."""

    __tablename__ = "otp_codes"
    __table_args__ = (Index("ix_otp_codes_phone_created_at", "phone", "created_at"),)

    phone: Mapped[str] = mapped_column(String(20))
    code_hash: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[dt.datetime]
    attempts: Mapped[int] = mapped_column(default=0)
    consumed_at: Mapped[dt.datetime | None]
    ip: Mapped[str | None] = mapped_column(String(45))
