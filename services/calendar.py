"""The working calendar: which days are working days, and deadline arithmetic over them.

Which kind a day is, in order of authority:

1. a row in ``calendar_days`` (set by an administrator) wins, both ways: a holiday on a weekday,
   a working day on a weekend;
2. in a year an administrator imported as a whole (``calendar_years``), every other day is an
   ordinary weekday or weekend;
3. otherwise chinese-calendar, for the years it covers;
4. otherwise the fallback (``services.calendar_sources``): weekends plus statutory holidays,
   with a warning logged once per year per process. The calendar never fails for lack of data.

Arithmetic happens in Asia/Shanghai wall-clock time (UTC+8 all year, no daylight saving since
1991); every datetime going in must be timezone-aware and every datetime coming out is UTC.

- ``add_working_time`` / ``add_working_hours``: the instant when the given working time has
  elapsed, counting only the working periods of working days (09:00–12:00 and 13:30–17:30 by
  default). A start outside working time counts from the next working period; a result that falls
  exactly at the end of a period is that end (17:30), not the start of the next one. Zero adds
  nothing, so ``add(add(t, a), b) == add(t, a + b)``.
- ``add_working_days``: the day the period starts on is not counted (as in Chinese
  administrative law, 期间开始之日不计算在内); the deadline is the end of the last working period
  of the Nth working day after the start's local date, whatever the start's time of day. A report
  filed on Friday 18:00 with one working day is due Monday 17:30 (Tuesday 17:30 if Monday is a
  holiday). Zero working days: the end of the working day the start falls in, or of the next
  working day if that one has ended or the start is not on a working day.
- natural hours: plain elapsed time.
- ``working_time_between(a, b)``: working time inside [a, b]; negative when b is before a, so
  "overdue by" figures keep their sign.
"""

from __future__ import annotations

import datetime as dt
import numbers
from collections.abc import Iterator
from dataclasses import dataclass, field
from enum import StrEnum
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from services.calendar_hours import DEFAULT_WORKING_HOURS, WorkingHours
from services.calendar_sources import (
    FALLBACK_WARNINGS,
    KnownDays,
    fallback_days,
    package_covers,
    package_days,
)
from services.errors import ValidationFailed
from services.models.calendar import CalendarDay, CalendarYear, DayKind
from services.models.catalogue import LimitUnit

SHANGHAI = ZoneInfo("Asia/Shanghai")
ONE_DAY = dt.timedelta(days=1)
# Years people may look at and administer; arithmetic itself works for any date Python knows.
FIRST_YEAR, LAST_YEAR = 1900, 2200


class DayType(StrEnum):
    WORKING = "working"  # an ordinary working day (or a weekday an admin marked as working)
    WEEKEND = "weekend"
    HOLIDAY = "holiday"  # a day off: public holiday, bridge day, or an admin's holiday
    WORKDAY_MAKEUP = "workday_makeup"  # a weekend day worked instead (调休上班)


class Source(StrEnum):
    DATABASE = "database"
    PACKAGE = "package"
    FALLBACK = "fallback"


WORKING_TYPES = frozenset({DayType.WORKING, DayType.WORKDAY_MAKEUP})


@dataclass(frozen=True)
class DayInfo:
    day: dt.date
    kind: DayType
    name: str
    source: Source

    @property
    def is_working(self) -> bool:
        return self.kind in WORKING_TYPES

    @property
    def is_special(self) -> bool:
        """Not an ordinary weekday or weekend: a holiday, a make-up day, or a named override."""
        return self.kind in (DayType.HOLIDAY, DayType.WORKDAY_MAKEUP) or bool(self.name)


@dataclass
class _Year:
    rows: dict[dt.date, tuple[DayKind, str]] = field(default_factory=dict)
    loaded: bool = False  # an administrator imported the whole year


def out_of_range() -> ValidationFailed:
    return ValidationFailed("calendar_out_of_range")


def check_year(year: int, field: str = "year") -> None:
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise ValidationFailed(
            fields={field: "calendar_year_out_of_range"}, min=FIRST_YEAR, max=LAST_YEAR
        )


def _is_weekend(day: dt.date) -> bool:
    return day.weekday() >= 5


def _ordinary(day: dt.date, source: Source) -> DayInfo:
    return DayInfo(day, DayType.WEEKEND if _is_weekend(day) else DayType.WORKING, "", source)


def _from_known(day: dt.date, known: KnownDays, source: Source) -> DayInfo:
    if day in known.workdays:
        kind = DayType.WORKDAY_MAKEUP if _is_weekend(day) else DayType.WORKING
        return DayInfo(day, kind, known.workdays[day], source)
    if day in known.holidays:
        return DayInfo(day, DayType.HOLIDAY, known.holidays[day], source)
    return _ordinary(day, source)


def _aware(value: dt.datetime, name: str) -> dt.datetime:
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValueError(f"{name} must be a timezone-aware datetime")
    return value


def _next(day: dt.date) -> dt.date:
    try:
        return day + ONE_DAY
    except OverflowError:
        raise out_of_range() from None


class WorkingCalendar:
    """Built per unit of work from a session; database rows are loaded once per year needed.

    ``session`` may be None (no overrides: package and fallback only), e.g. in pure unit tests.
    """

    def __init__(self, session: Session | None, *, hours: WorkingHours = DEFAULT_WORKING_HOURS):
        self._session = session
        self.hours = hours
        self._years: dict[int, _Year] = {}

    # --- days ------------------------------------------------------------------------------

    def _year(self, year: int) -> _Year:
        found = self._years.get(year)
        if found is None:
            found = self._years[year] = self._load(year)
        return found

    def _load(self, year: int) -> _Year:
        if self._session is None:
            return _Year()
        first, last = dt.date(year, 1, 1), dt.date(year, 12, 31)
        rows = self._session.execute(
            select(CalendarDay.day, CalendarDay.kind, CalendarDay.name).where(
                CalendarDay.day >= first, CalendarDay.day <= last
            )
        )
        loaded = self._session.get(CalendarYear, year) is not None
        return _Year(rows={day: (kind, name) for day, kind, name in rows}, loaded=loaded)

    def coverage(self, year: int) -> Source:
        """Who knows ``year``'s schedule: an imported schedule, the package, or nobody."""
        if self._year(year).loaded:
            return Source.DATABASE
        return Source.PACKAGE if package_covers(year) else Source.FALLBACK

    def day_info(self, day: dt.date) -> DayInfo:
        year = self._year(day.year)
        row = year.rows.get(day)
        if row is not None:
            kind, name = row
            if kind is DayKind.HOLIDAY:
                return DayInfo(day, DayType.HOLIDAY, name, Source.DATABASE)
            working = DayType.WORKDAY_MAKEUP if _is_weekend(day) else DayType.WORKING
            return DayInfo(day, working, name, Source.DATABASE)
        if year.loaded:
            return _ordinary(day, Source.DATABASE)
        if package_covers(day.year):
            return _from_known(day, package_days(day.year), Source.PACKAGE)
        FALLBACK_WARNINGS.warn(day.year)
        return _from_known(day, fallback_days(day.year), Source.FALLBACK)

    def is_working_day(self, day: dt.date) -> bool:
        return self.day_info(day).is_working

    def special_days(self, year: int) -> list[DayInfo]:
        """Every day of ``year`` that is not an ordinary weekday or weekend, in order."""
        day, found = dt.date(year, 1, 1), []
        while day.year == year:
            info = self.day_info(day)
            if info.is_special:
                found.append(info)
            if day == dt.date.max:
                break
            day += ONE_DAY
        return found

    # --- working periods -------------------------------------------------------------------

    def _local_date(self, instant: dt.datetime) -> dt.date:
        try:
            return instant.astimezone(SHANGHAI).date()
        except OverflowError:
            raise out_of_range() from None

    def _periods(self, day: dt.date) -> Iterator[tuple[dt.datetime, dt.datetime]]:
        """The working periods of ``day`` as UTC instants (none on a day off)."""
        if not self.is_working_day(day):
            return
        try:
            for start, end in self.hours.periods:
                yield (
                    dt.datetime.combine(day, start, SHANGHAI).astimezone(dt.UTC),
                    dt.datetime.combine(day, end, SHANGHAI).astimezone(dt.UTC),
                )
        except OverflowError:
            raise out_of_range() from None

    def _day_end(self, day: dt.date) -> dt.datetime:
        try:
            return dt.datetime.combine(day, self.hours.day_end, SHANGHAI).astimezone(dt.UTC)
        except OverflowError:
            raise out_of_range() from None

    # --- arithmetic --------------------------------------------------------------------------

    def add_working_time(self, start: dt.datetime, duration: dt.timedelta) -> dt.datetime:
        """The instant when ``duration`` of working time has elapsed since ``start``."""
        start = _aware(start, "start").astimezone(dt.UTC)
        if duration < dt.timedelta(0):
            raise ValueError("working time to add must not be negative")
        if not duration:
            return start
        remaining, day = duration, self._local_date(start)
        while True:
            for period_start, period_end in self._periods(day):
                if period_end <= start:
                    continue
                begin = max(period_start, start)
                available = period_end - begin
                if remaining <= available:
                    return begin + remaining
                remaining -= available
            day = _next(day)

    def add_working_hours(self, start: dt.datetime, hours: float) -> dt.datetime:
        return self.add_working_time(start, _hours(hours))

    def add_working_days(self, start: dt.datetime, days: int) -> dt.datetime:
        """The end of the ``days``-th working day after the start's local date (see above)."""
        start = _aware(start, "start").astimezone(dt.UTC)
        if isinstance(days, bool) or not isinstance(days, numbers.Integral) or days < 0:
            raise ValueError("working days must be a whole number, zero or more")
        day = self._local_date(start)
        if days == 0:
            while not (self.is_working_day(day) and self._day_end(day) >= start):
                day = _next(day)
            return self._day_end(day)
        counted = 0
        while counted < days:
            day = _next(day)
            if self.is_working_day(day):
                counted += 1
        return self._day_end(day)

    def deadline(self, start: dt.datetime, amount: float, unit: LimitUnit) -> dt.datetime:
        """When a time limit of ``amount`` ``unit`` that starts at ``start`` runs out."""
        match LimitUnit(unit):
            case LimitUnit.WORKING_DAYS:
                if isinstance(amount, float) and amount.is_integer():
                    amount = int(amount)
                return self.add_working_days(start, amount)  # type: ignore[arg-type]
            case LimitUnit.WORKING_HOURS:
                return self.add_working_hours(start, amount)
            case LimitUnit.NATURAL_HOURS:
                start = _aware(start, "start").astimezone(dt.UTC)
                try:
                    return start + _hours(amount)
                except OverflowError:
                    raise out_of_range() from None

    def working_time_between(self, a: dt.datetime, b: dt.datetime) -> dt.timedelta:
        """Working time inside [a, b]; negative when ``b`` comes before ``a``."""
        a = _aware(a, "a").astimezone(dt.UTC)
        b = _aware(b, "b").astimezone(dt.UTC)
        if b < a:
            return -self.working_time_between(b, a)
        total, day, last = dt.timedelta(0), self._local_date(a), self._local_date(b)
        while True:
            for period_start, period_end in self._periods(day):
                overlap = min(period_end, b) - max(period_start, a)
                if overlap > dt.timedelta(0):
                    total += overlap
            if day >= last:
                return total
            day = _next(day)

    def working_hours_between(self, a: dt.datetime, b: dt.datetime) -> float:
        return self.working_time_between(a, b) / dt.timedelta(hours=1)


def _hours(hours: float) -> dt.timedelta:
    if isinstance(hours, bool) or not isinstance(hours, numbers.Real):
        raise ValueError("hours must be a number")
    if hours < 0:
        raise ValueError("hours must not be negative")
    try:
        return dt.timedelta(hours=float(hours))
    except OverflowError:
        raise out_of_range() from None
