"""Reading the working calendar: a year's special days, one day's kind. Any staff member may."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy.orm import Session

from services.actors import Actor
from services.calendar import DayInfo, Source, WorkingCalendar, check_year
from services.calendar_hours import DEFAULT_WORKING_HOURS, WorkingHours
from services.errors import PermissionDenied


@dataclass(frozen=True)
class YearOverview:
    year: int
    coverage: Source
    working_hours: list[str]
    days: list[DayInfo]

    @property
    def falls_back(self) -> bool:
        return self.coverage is Source.FALLBACK


def _require_staff(actor: Actor) -> None:
    # The calendar is no secret, but it is a working tool: residents have no use for it here.
    if not actor.is_staff:
        raise PermissionDenied()


def get_year_overview(
    session: Session, *, actor: Actor, year: int, hours: WorkingHours = DEFAULT_WORKING_HOURS
) -> YearOverview:
    """Every non-ordinary day of ``year`` with its source, and who knows the year's schedule."""
    _require_staff(actor)
    check_year(year)
    calendar = WorkingCalendar(session, hours=hours)
    return YearOverview(
        year=year,
        coverage=calendar.coverage(year),
        working_hours=hours.labels(),
        days=calendar.special_days(year),
    )


def get_day_info(session: Session, *, actor: Actor, day: dt.date) -> DayInfo:
    """Whether ``day`` is a working day, and why."""
    _require_staff(actor)
    check_year(day.year, "date")
    return WorkingCalendar(session).day_info(day)
