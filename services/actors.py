"""Who is acting: the user, their roles and scope, and where the request came from."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field

from services.models.accounts import Role, User
from services.phones import mask_phone


@dataclass(frozen=True)
class Actor:
    user_id: uuid.UUID | None
    label: str
    roles: frozenset[Role] = field(default_factory=frozenset)
    area_id: uuid.UUID | None = None
    area_path: str | None = None
    department_id: uuid.UUID | None = None
    request_id: str | None = None
    ip: str | None = None

    @classmethod
    def for_user(cls, user: User, *, request_id: str | None = None, ip: str | None = None):
        return cls(
            user_id=user.id,
            label=user_label(user),
            roles=user.roles if user.is_active else frozenset(),
            area_id=user.area_id,
            area_path=user.area.path if user.area else None,
            department_id=user.department_id,
            request_id=request_id,
            ip=ip,
        )

    @classmethod
    def anonymous(cls, *, request_id: str | None = None, ip: str | None = None) -> Actor:
        return cls(user_id=None, label="anonymous", request_id=request_id, ip=ip)

    @classmethod
    def system(cls, label: str = "system") -> Actor:
        """The platform itself (CLI, worker): unscoped, with every role."""
        return cls(user_id=None, label=label, roles=frozenset(Role))

    @property
    def is_platform_wide(self) -> bool:
        """Unbound admins (and the system itself) see the whole platform; other staff must be
        bound to an area or a department and never are platform-wide by omission."""
        return self.area_path is None and self.department_id is None and Role.ADMIN in self.roles

    @property
    def is_staff(self) -> bool:
        return bool(self.roles - {Role.RESIDENT})


def user_label(user: User) -> str:
    """How a user is named in logs and the audit trail: never a full phone number."""
    if user.username:
        return user.username
    return mask_phone(user.phone) if user.phone else str(user.id)
