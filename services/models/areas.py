"""The responsibility map: areas (city → grid) and departments."""

from __future__ import annotations

import datetime as dt
import uuid
from enum import StrEnum
from typing import Any

from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from services.db import Base, Timestamps, UUIDPk, utcnow
from services.models.types import JSONDoc, PathString, enum_column


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
    retired_at: Mapped[dt.datetime | None]
    # WGS-84 GeoJSON geometry (Polygon or MultiPolygon), with its bounding box and centroid.
    # Deferred: the boundary is large and most reads (a user's area, listings) never need it.
    geometry: Mapped[dict[str, Any] | None] = mapped_column(JSONDoc, deferred=True)
    min_lng: Mapped[float | None]
    min_lat: Mapped[float | None]
    max_lng: Mapped[float | None]
    max_lat: Mapped[float | None]
    centroid_lng: Mapped[float | None]
    centroid_lat: Mapped[float | None]

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


class GridDuty(StrEnum):
    FULL_TIME = "full_time"
    VOLUNTEER = "volunteer"
    LEADER = "leader"


class GridAssignment(UUIDPk, Base):
    """A worker's duty in one grid; ending it keeps the row (who patrolled where, and when)."""

    __tablename__ = "grid_assignments"
    __table_args__ = (UniqueConstraint("user_id", "area_id"),)

    user_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id"), index=True)
    area_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("areas.id"), index=True)
    duty: Mapped[GridDuty] = mapped_column(enum_column(GridDuty, 16))
    started_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    ended_at: Mapped[dt.datetime | None]

    area: Mapped[Area] = relationship(lazy="joined")


class Counter(Base):
    """Named monotonic counters, e.g. ``areas``: bumped on every change to the area map so each
    server process knows when to rebuild its in-memory spatial index."""

    __tablename__ = "counters"

    name: Mapped[str] = mapped_column(String(32), primary_key=True)
    value: Mapped[int] = mapped_column(default=0)
    updated_at: Mapped[dt.datetime] = mapped_column(default=utcnow, onupdate=utcnow)
