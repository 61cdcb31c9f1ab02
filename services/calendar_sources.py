"""Where the calendar's knowledge comes from when the database has nothing to say about a day.

1. ``chinese-calendar``: the State Council's published schedules (holidays and make-up working
   days, 调休), for the years the installed release covers. It raises NotImplementedError for any
   other year (1.11 stops at 2026), which is caught here: the calendar never fails for a year.
2. The fallback: weekends plus the statutory holidays the ``holidays`` package knows for the year
   (computed from the lunar calendar, so known years ahead; without the "observed" guesses, which
   are not official), and whatever make-up working days it happens to know. A warning is logged
   once per year per process, because deadlines in such a year may be off by the days the State
   Council will add.

Both packages are pure data: their answers are cached for the life of the process.
"""

from __future__ import annotations

import datetime as dt
import functools
import logging
import threading
from dataclasses import dataclass

import chinese_calendar
import holidays as holidays_package

logger = logging.getLogger(__name__)

MAKEUP_WORKDAY_NAME = "调休上班"

# chinese-calendar names days in English; people here read Chinese.
_PACKAGE_NAMES_ZH = {h.value: h.chinese for h in chinese_calendar.Holiday}


@dataclass(frozen=True)
class KnownDays:
    """A source's special days for one year: holidays and make-up working days, with names."""

    holidays: dict[dt.date, str]
    workdays: dict[dt.date, str]


@functools.lru_cache(maxsize=512)
def package_covers(year: int) -> bool:
    """Whether the installed chinese-calendar has the State Council's schedule for ``year``."""
    try:
        chinese_calendar.get_holiday_detail(dt.date(year, 7, 1))
    except NotImplementedError:
        return False
    except Exception:  # a broken or changed package must not take deadlines down with it
        logger.exception("chinese-calendar failed for %s; using the fallback", year)
        return False
    return True


@functools.lru_cache(maxsize=64)
def package_days(year: int) -> KnownDays:
    """chinese-calendar's holidays and make-up working days of ``year`` (names in Chinese)."""
    if not package_covers(year):
        return KnownDays({}, {})
    return KnownDays(
        holidays=_named(chinese_calendar.holidays, year),
        workdays=_named(chinese_calendar.workdays, year),
    )


def _named(days: dict[dt.date, object], year: int) -> dict[dt.date, str]:
    return {
        day: _PACKAGE_NAMES_ZH.get(str(name), str(name))
        for day, name in days.items()
        if day.year == year
    }


@functools.lru_cache(maxsize=64)
def fallback_days(year: int) -> KnownDays:
    """Statutory holidays of ``year`` from the ``holidays`` package (empty outside its range)."""
    try:
        china = holidays_package.China(years=year, observed=False, language="zh_CN")
        named = {day: str(name) for day, name in china.items() if day.year == year}
        workdays = {
            day: MAKEUP_WORKDAY_NAME
            for day in getattr(china, "weekend_workdays", ())
            if day.year == year and day not in named
        }
    except Exception:  # weekends alone are still a usable calendar
        logger.exception("the holidays package failed for %s; using weekends only", year)
        return KnownDays({}, {})
    return KnownDays(holidays=named, workdays=workdays)


class FallbackWarnings:
    """Remembers which years already logged their fallback warning in this process."""

    def __init__(self) -> None:
        self._years: set[int] = set()
        self._lock = threading.Lock()

    def warn(self, year: int) -> None:
        with self._lock:
            if year in self._years:
                return
            self._years.add(year)
        logger.warning(
            "working calendar: no published schedule for %s in the database or in "
            "chinese-calendar; using weekends plus the statutory holidays known for that year "
            "(make-up working days may be missing). Load the year's schedule with "
            "`onegrid calendar load FILE` or POST /api/v1/calendar/import.",
            year,
        )

    def reset(self) -> None:
        """Forget every warning (tests)."""
        with self._lock:
            self._years.clear()


FALLBACK_WARNINGS = FallbackWarnings()
