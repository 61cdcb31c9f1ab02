"""Area lookups and the materialised-path subtree test used everywhere."""

from __future__ import annotations

from sqlalchemy import ColumnElement, and_, select
from sqlalchemy.orm import Session

from services.errors import NotFound
from services.models.areas import Area, Department


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
