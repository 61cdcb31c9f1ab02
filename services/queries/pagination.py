"""One way to page through a query."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session


@dataclass(frozen=True)
class Page:
    items: list[Any]
    total: int
    page: int
    page_size: int


def paginate(session: Session, stmt: Select, *, page: int, page_size: int) -> Page:
    total = session.scalar(select(func.count()).select_from(stmt.order_by(None).subquery()))
    items = list(session.scalars(stmt.limit(page_size).offset((page - 1) * page_size)).unique())
    return Page(items=items, total=total or 0, page=page, page_size=page_size)
