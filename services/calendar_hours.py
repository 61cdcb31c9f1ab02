"""Daily working hours: the periods of a working day, in Asia/Shanghai wall-clock time."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

_PERIOD = re.compile(r"^\s*(\d{1,2}):(\d{2})\s*-\s*(\d{1,2}):(\d{2})\s*$")
MAX_PERIODS = 6


@dataclass(frozen=True)
class WorkingHours:
    """Ordered, non-overlapping periods of one working day, e.g. 09:00–12:00 and 13:30–17:30.

    Periods may touch (``09:00-12:00,12:00-13:00``) but not overlap, and none crosses midnight.
    """

    periods: tuple[tuple[dt.time, dt.time], ...]

    def __post_init__(self) -> None:
        if not self.periods:
            raise ValueError("at least one working period is needed")
        if len(self.periods) > MAX_PERIODS:
            raise ValueError(f"at most {MAX_PERIODS} working periods")
        previous_end: dt.time | None = None
        for start, end in self.periods:
            if start.tzinfo is not None or end.tzinfo is not None:
                raise ValueError("working periods are wall-clock times without a time zone")
            if start >= end:
                raise ValueError(f"period {_hhmm(start)}-{_hhmm(end)} does not end after it starts")
            if previous_end is not None and start < previous_end:
                raise ValueError("working periods must be in order and must not overlap")
            previous_end = end

    @property
    def per_day(self) -> dt.timedelta:
        """Working time in one full working day."""
        return sum((_span(start, end) for start, end in self.periods), dt.timedelta())

    @property
    def day_end(self) -> dt.time:
        return self.periods[-1][1]

    def labels(self) -> list[str]:
        return [f"{_hhmm(start)}-{_hhmm(end)}" for start, end in self.periods]

    def __str__(self) -> str:
        return ",".join(self.labels())


def parse_working_hours(text: str) -> WorkingHours:
    """``"09:00-12:00,13:30-17:30"`` → WorkingHours; ValueError says what is wrong."""
    periods = []
    for part in text.split(","):
        match = _PERIOD.fullmatch(part)
        if match is None:
            raise ValueError(f"{part.strip()!r} is not a period like 09:00-12:00")
        h1, m1, h2, m2 = (int(g) for g in match.groups())
        try:
            periods.append((dt.time(h1, m1), dt.time(h2, m2)))
        except ValueError:
            raise ValueError(f"{part.strip()!r} is not a valid time of day") from None
    return WorkingHours(tuple(periods))


def _span(start: dt.time, end: dt.time) -> dt.timedelta:
    day = dt.date(2000, 1, 1)
    return dt.datetime.combine(day, end) - dt.datetime.combine(day, start)


def _hhmm(value: dt.time) -> str:
    return value.strftime("%H:%M")


DEFAULT_WORKING_HOURS = WorkingHours(
    ((dt.time(9, 0), dt.time(12, 0)), (dt.time(13, 30), dt.time(17, 30)))
)
