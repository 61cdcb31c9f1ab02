"""Reading departments: the directory every staff member may consult."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from services.actors import Actor
from services.authz import Action, Target, can, require_some
from services.errors import NotFound
from services.models.areas import Area, Department
from services.queries.areas import get_area_by_code, in_subtree
from services.queries.pagination import Page, paginate


@dataclass(frozen=True)
class DepartmentFilter:
    area_code: str | None = None
    q: str | None = None
    active: bool | None = None


def department_target(department: Department) -> Target:
    """A department sits where its jurisdiction is; one without any is platform-wide."""
    return Target(
        area_path=department.area.path if department.area else None,
        department_id=department.id,
    )


def get_department_for(
    session: Session,
    actor: Actor,
    department_id: uuid.UUID,
    action: Action = Action.DEPARTMENT_READ,
) -> Department:
    """A department the actor may read (or manage); others do not exist for them."""
    require_some(actor, action)
    department = session.get(Department, department_id)
    if department is None or not can(actor, action, department_target(department)):
        raise NotFound(what="department")
    return department


def escape_like(value: str) -> str:
    return value.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def list_departments(
    session: Session,
    actor: Actor,
    filters: DepartmentFilter,
    *,
    page: int = 1,
    page_size: int = 20,
) -> Page:
    require_some(actor, Action.DEPARTMENT_READ)
    stmt = select(Department).outerjoin(Area, Department.area_id == Area.id)
    if filters.area_code:
        area = get_area_by_code(session, filters.area_code)
        stmt = stmt.where(in_subtree(Area.path, area.path))
    if filters.active is not None:
        stmt = stmt.where(Department.active.is_(filters.active))
    if filters.q:
        pattern = f"%{escape_like(filters.q)}%"
        stmt = stmt.where(
            or_(
                Department.code.ilike(pattern, escape="\\"),
                Department.name.ilike(pattern, escape="\\"),
            )
        )
    stmt = stmt.order_by(Department.code)
    return paginate(session, stmt, page=page, page_size=page_size)
