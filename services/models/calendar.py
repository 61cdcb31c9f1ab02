"""Working-calendar overrides entered by administrators; they win over any package's data."""

from __future__ import annotations

import datetime as dt
import uuid
from enum import StrEnum

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from services.db import Base, utcnow
from services.models.types import enum_column


class DayKind(StrEnum):
    HOLIDAY = "holiday"  # a day off, even if it is a weekday
    WORKDAY = "workday"  # a working day, even if it is a weekend (调休)


class CalendarDay(Base):
    __tablename__ = "calendar_days"

    day: Mapped[dt.date] = mapped_column(primary_key=True)
    kind: Mapped[DayKind] = mapped_column(enum_column(DayKind, 16))
    name: Mapped[str] = mapped_column(String(50), default="")
    updated_by: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("users.id"))
    updated_at: Mapped[dt.datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class CalendarYear(Base):
    """A year whose complete schedule an administrator imported: its days not listed in
    ``calendar_days`` are ordinary, and it never falls back to guessed statutory holidays."""

    __tablename__ = "calendar_years"

    year: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    loaded_by: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("users.id"))
    loaded_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
