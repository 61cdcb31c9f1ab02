"""The event catalogue: what can be reported, who handles it, and how long each phase may take."""

from __future__ import annotations

import uuid
from enum import StrEnum
from typing import Any

from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from services.db import Base, Timestamps, UUIDPk
from services.models.areas import Area, Department
from services.models.types import JSONDoc, enum_column


class CategoryKind(StrEnum):
    COMPONENT = "component"  # 部件: a physical object (manhole cover, street light …)
    EVENT = "event"  # 事件: something happening (garbage, illegal parking …)


class Urgency(StrEnum):
    NORMAL = "normal"  # 一般
    URGENT = "urgent"  # 紧急
    CRITICAL = "critical"  # 特急


class Phase(StrEnum):
    FILING = "filing"  # 立案
    DISPOSAL = "disposal"  # 处置


class LimitUnit(StrEnum):
    WORKING_DAYS = "working_days"
    WORKING_HOURS = "working_hours"
    NATURAL_HOURS = "natural_hours"


class Category(UUIDPk, Timestamps, Base):
    """A major class (no parent) or a minor class under one.

    ``time_limits`` maps phase → urgency → ``{"amount": int, "unit": LimitUnit}``.
    """

    __tablename__ = "categories"

    code: Mapped[str] = mapped_column(String(16), unique=True)
    parent_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("categories.id"), index=True)
    name_zh: Mapped[str] = mapped_column(String(50))
    name_en: Mapped[str] = mapped_column(String(100))
    kind: Mapped[CategoryKind] = mapped_column(enum_column(CategoryKind, 16))
    default_department_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("departments.id"))
    time_limits: Mapped[dict[str, Any]] = mapped_column(JSONDoc, default=dict)
    resident_selectable: Mapped[bool] = mapped_column(default=True)
    photo_required: Mapped[bool] = mapped_column(default=False)
    active: Mapped[bool] = mapped_column(default=True)
    sort_order: Mapped[int] = mapped_column(default=0)

    parent: Mapped[Category | None] = relationship(remote_side="Category.id", lazy="joined")
    default_department: Mapped[Department | None] = relationship(lazy="joined")


class CategoryDepartmentOverride(UUIDPk, Base):
    """In this area's subtree, this category goes to this department (deepest area wins)."""

    __tablename__ = "category_department_overrides"
    __table_args__ = (UniqueConstraint("category_id", "area_id"),)

    category_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("categories.id"), index=True)
    area_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("areas.id"), index=True)
    department_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("departments.id"))

    area: Mapped[Area] = relationship(lazy="joined")
    department: Mapped[Department] = relationship(lazy="joined")
