"""Reading users within the caller's scope."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from sqlalchemy import Select, or_, select
from sqlalchemy.orm import Session, aliased

from services.actors import Actor
from services.authz import Action, Target, can, require_some, scope_clause
from services.errors import NotFound
from services.models.accounts import Role, User, UserRole
from services.models.areas import Area, Department
from services.queries.areas import get_area_by_code, in_subtree
from services.queries.pagination import Page, paginate


@dataclass(frozen=True)
class UserFilter:
    role: Role | None = None
    area_code: str | None = None
    department_code: str | None = None
    active: bool | None = None
    q: str | None = None


def user_target(user: User) -> Target:
    area_path = user.area.path if user.area else None
    if area_path is None and user.department and user.department.area:
        area_path = user.department.area.path
    return Target(area_path=area_path, department_id=user.department_id, owner_id=user.id)


def find_user(session: Session, user_id: uuid.UUID) -> User | None:
    return session.get(User, user_id)


def get_user_for(
    session: Session, actor: Actor, user_id: uuid.UUID, action: Action = Action.USER_READ
) -> User:
    """A user the actor may see; users outside the actor's scope do not exist for them."""
    user = session.get(User, user_id)
    if user is None or not can(actor, action, user_target(user)):
        raise NotFound(what="user")
    return user


def _scoped_users(actor: Actor, action: Action) -> Select:
    user_area = aliased(Area)
    dept_area = aliased(Area)
    return (
        select(User)
        .outerjoin(user_area, User.area_id == user_area.id)
        .outerjoin(Department, User.department_id == Department.id)
        .outerjoin(dept_area, Department.area_id == dept_area.id)
        .where(
            scope_clause(
                actor,
                action,
                area_paths=(user_area.path, dept_area.path),
                department_col=User.department_id,
                owner_col=User.id,
            )
        )
    )


def list_users(
    session: Session, actor: Actor, filters: UserFilter, *, page: int = 1, page_size: int = 20
) -> Page:
    require_some(actor, Action.USER_READ)
    stmt = _scoped_users(actor, Action.USER_READ)
    if filters.role:
        stmt = stmt.where(
            User.id.in_(select(UserRole.user_id).where(UserRole.role == filters.role))
        )
    if filters.area_code:
        area = get_area_by_code(session, filters.area_code)
        stmt = stmt.where(User.area_id.in_(select(Area.id).where(in_subtree(Area.path, area.path))))
    if filters.department_code:
        stmt = stmt.where(Department.code == filters.department_code)
    if filters.active is not None:
        stmt = stmt.where(User.is_active.is_(filters.active))
    if filters.q:
        escaped = filters.q.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        pattern = f"%{escaped}%"
        stmt = stmt.where(
            or_(
                User.username.ilike(pattern, escape="\\"),
                User.display_name.ilike(pattern, escape="\\"),
            )
        )
    stmt = stmt.order_by(User.created_at.desc(), User.id)
    return paginate(session, stmt, page=page, page_size=page_size)
