"""The responsibility map: areas (city → grid) and departments."""

from __future__ import annotations

import uuid
from enum import StrEnum

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from services.db import Base, Timestamps, UUIDPk
from services.models.types import PathString, enum_column


class AreaLevel(StrEnum):
    CITY = "city"
    DISTRICT = "district"
    STREET = "street"
    COMMUNITY = "community"
    GRID = "grid"


class Area(UUIDPk, Timestamps, Base):
    """One node of the hierarchy; ``path`` is ``/code/code/…/`` from the root to this area."""

    __tablename__ = "areas"

    code: Mapped[str] = mapped_column(String(15), unique=True)
    name: Mapped[str] = mapped_column(String(100))
    level: Mapped[AreaLevel] = mapped_column(enum_column(AreaLevel, 16))
    parent_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("areas.id"), index=True)
    path: Mapped[str] = mapped_column(PathString, index=True)
    active: Mapped[bool] = mapped_column(default=True)

    parent: Mapped[Area | None] = relationship(remote_side="Area.id", lazy="joined")

    @staticmethod
    def child_path(parent: Area | None, code: str) -> str:
        return f"{parent.path if parent else '/'}{code}/"

    def contains_path(self, path: str | None) -> bool:
        """Whether ``path`` is this area or lies below it."""
        return path is not None and path.startswith(self.path)


class Department(UUIDPk, Timestamps, Base):
    """A responsible unit (城管, 住建, 水务 …) with the area it has jurisdiction over."""

    __tablename__ = "departments"

    code: Mapped[str] = mapped_column(String(32), unique=True)
    name: Mapped[str] = mapped_column(String(100))
    phone: Mapped[str | None] = mapped_column(String(32))
    area_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("areas.id"), index=True)
    active: Mapped[bool] = mapped_column(default=True)

    area: Mapped[Area | None] = relationship(lazy="joined")
