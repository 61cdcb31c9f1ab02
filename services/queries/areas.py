"""Area lookups and the materialised-path subtree test used everywhere."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import ColumnElement, and_, func, select
from sqlalchemy.orm import Session

from services.errors import NotFound
from services.models.areas import Area, AreaLevel, Department
from services.queries.pagination import Page, paginate


def subtree_upper_bound(path: str) -> str:
    """Paths below ``/a/b/`` sort in [``/a/b/``, ``/a/b0``): '0' is the byte after '/'."""
    return path[:-1] + "0"


def in_subtree(column: ColumnElement, path: str) -> ColumnElement[bool]:
    """``column`` is at or below ``path``: a plain indexed range scan on both databases."""
    return and_(column >= path, column < subtree_upper_bound(path))


def path_in_subtree(candidate: str | None, path: str) -> bool:
    return candidate is not None and candidate.startswith(path)


def find_area_by_code(session: Session, code: str) -> Area | None:
    return session.scalar(select(Area).where(Area.code == code))


def get_area_by_code(session: Session, code: str) -> Area:
    area = find_area_by_code(session, code)
    if area is None:
        raise NotFound(what="area")
    return area


def find_department_by_code(session: Session, code: str) -> Department | None:
    return session.scalar(select(Department).where(Department.code == code))


# ---- reading the area map (open to every signed-in user: the map itself is not secret) ----


@dataclass(frozen=True)
class AreaFilter:
    level: AreaLevel | None = None
    parent_code: str | None = None
    code_prefix: str | None = None
    q: str | None = None
    include_retired: bool = False


@dataclass(frozen=True)
class AreaDetail:
    """An area with what its page shows besides its own columns; attribute reads fall through to
    the area, so one schema can dump both."""

    area: Area
    ancestors: list[Area] = field(default_factory=list)
    child_count: int = 0
    # (message key, params) of things worth telling the writer, e.g. a repaired boundary
    notices: tuple[tuple[str, dict[str, Any]], ...] = ()

    def __getattr__(self, name: str) -> Any:
        return getattr(self.area, name)


def find_area(session: Session, area_id: uuid.UUID) -> Area | None:
    return session.get(Area, area_id)


def get_area(session: Session, area_id: uuid.UUID) -> Area:
    area = session.get(Area, area_id)
    if area is None:
        raise NotFound(what="area")
    return area


def _like(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def list_areas(
    session: Session, filters: AreaFilter, *, page: int = 1, page_size: int = 20
) -> Page:
    stmt = select(Area)
    if filters.level:
        stmt = stmt.where(Area.level == filters.level)
    if filters.parent_code:
        stmt = stmt.where(Area.parent_id == get_area_by_code(session, filters.parent_code).id)
    if filters.code_prefix:
        # Codes are ASCII digits (checked on input), so LIKE 'prefix%' has no wildcard to escape.
        stmt = stmt.where(Area.code.startswith(filters.code_prefix, autoescape=True))
    if filters.q:
        stmt = stmt.where(Area.name.ilike(_like(filters.q), escape="\\"))
    if not filters.include_retired:
        stmt = stmt.where(Area.active.is_(True))
    return paginate(session, stmt.order_by(Area.code), page=page, page_size=page_size)


def list_children(
    session: Session,
    area_id: uuid.UUID,
    *,
    include_retired: bool = False,
    page: int = 1,
    page_size: int = 20,
) -> Page:
    area = get_area(session, area_id)
    stmt = select(Area).where(Area.parent_id == area.id)
    if not include_retired:
        stmt = stmt.where(Area.active.is_(True))
    return paginate(session, stmt.order_by(Area.code), page=page, page_size=page_size)


def count_active_children(session: Session, area: Area) -> int:
    return (
        session.scalar(select(func.count()).where(Area.parent_id == area.id, Area.active.is_(True)))
        or 0
    )


def ancestors_of(session: Session, area: Area) -> list[Area]:
    """The chain from the root down to the area's parent, read from the materialised path."""
    codes = [code for code in area.path.strip("/").split("/")[:-1] if code]
    if not codes:
        return []
    found = {a.code: a for a in session.scalars(select(Area).where(Area.code.in_(codes)))}
    return [found[code] for code in codes if code in found]


def area_detail(session: Session, area: Area) -> AreaDetail:
    return AreaDetail(
        area=area,
        ancestors=ancestors_of(session, area),
        child_count=count_active_children(session, area),
    )


def get_area_detail(session: Session, area_id: uuid.UUID) -> AreaDetail:
    return area_detail(session, get_area(session, area_id))
