"""Factories for the event catalogue in tests: ``make_category(session, code, ...)``."""

from __future__ import annotations

import copy

from sqlalchemy.orm import Session

from services.catalogue_rules import major_kind
from services.models.areas import Department
from services.models.catalogue import Category

LIMITS = {
    "filing": {
        "normal": {"amount": 1, "unit": "working_days"},
        "urgent": {"amount": 4, "unit": "working_hours"},
        "critical": {"amount": 1, "unit": "natural_hours"},
    },
    "disposal": {
        "normal": {"amount": 5, "unit": "working_days"},
        "urgent": {"amount": 1, "unit": "working_days"},
        "critical": {"amount": 4, "unit": "natural_hours"},
    },
}


def limits() -> dict:
    """A fresh, valid time-limits document (callers may mutate it)."""
    return copy.deepcopy(LIMITS)


def make_category(
    session: Session,
    code: str,
    *,
    name_zh: str | None = None,
    name_en: str | None = None,
    department: Department | None = None,
    active: bool = True,
    resident_selectable: bool = True,
    sort_order: int = 0,
) -> Category:
    """A major class for a two-digit code, else a minor class under ``code[:2]`` (which must
    exist); like the service, only minor classes carry a department and time limits."""
    parent = None
    if len(code) == 4:
        parent = session.query(Category).filter_by(code=code[:2]).one()
    category = Category(
        code=code,
        parent_id=parent.id if parent else None,
        name_zh=name_zh or f"类别{code}",
        name_en=name_en or f"Category {code}",
        kind=parent.kind if parent else major_kind(code),
        default_department_id=department.id if department and parent else None,
        time_limits=limits() if parent else {},
        resident_selectable=resident_selectable,
        photo_required=False,
        active=active,
        sort_order=sort_order,
    )
    session.add(category)
    session.flush()
    return category
