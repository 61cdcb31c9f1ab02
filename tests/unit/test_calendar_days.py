"""Which kind a day is, from chinese-calendar where it has data and the fallback where it has not.

These run without a database: ``WorkingCalendar(None)`` has no administrator overrides.
"""

import datetime as dt
import logging

import chinese_calendar
import pytest

from services import calendar_sources
from services.calendar import DayType, Source, WorkingCalendar
from services.calendar_sources import FALLBACK_WARNINGS

D = dt.date.fromisoformat
FALLBACK_LOGGER = "services.calendar_sources"


@pytest.fixture
def cal():
    return WorkingCalendar(None)


@pytest.fixture(autouse=True)
def _fresh_warnings():
    FALLBACK_WARNINGS.reset()
    yield
    FALLBACK_WARNINGS.reset()


def _fallback_warnings(caplog) -> list[str]:
    return [
        r.getMessage()
        for r in caplog.records
        if r.name == FALLBACK_LOGGER and r.levelno == logging.WARNING
    ]


def test_the_installed_package_really_lacks_2027_so_the_fallback_is_exercised():
    # If a newer chinese-calendar ships 2027, these tests must move to a year it lacks.
    assert chinese_calendar.is_holiday(D("2026-10-01"))
    with pytest.raises(NotImplementedError):
        chinese_calendar.is_holiday(D("2027-01-04"))


@pytest.mark.parametrize(
    ("day", "kind", "name"),
    [
        ("2026-10-01", DayType.HOLIDAY, "国庆节"),
        ("2026-10-07", DayType.HOLIDAY, "国庆节"),  # a Wednesday off in the golden week
        ("2026-02-21", DayType.HOLIDAY, "春节"),  # a Saturday inside the Spring Festival
        ("2026-10-10", DayType.WORKDAY_MAKEUP, "国庆节"),  # Saturday worked for National Day
        ("2026-02-14", DayType.WORKDAY_MAKEUP, "春节"),
        ("2026-09-20", DayType.WORKDAY_MAKEUP, "国庆节"),
        ("2026-10-08", DayType.WORKING, ""),
        ("2026-10-11", DayType.WEEKEND, ""),
        ("2026-11-22", DayType.WEEKEND, ""),
    ],
)
def test_2026_days_come_from_the_published_schedule_in_the_package(cal, day, kind, name):
    info = cal.day_info(D(day))
    assert (info.kind, info.name, info.source) == (kind, name, Source.PACKAGE)
    assert cal.is_working_day(D(day)) is (kind in (DayType.WORKING, DayType.WORKDAY_MAKEUP))


def test_2026_special_days_are_the_package_holidays_and_make_up_workdays(cal):
    days = cal.special_days(2026)
    assert cal.coverage(2026) is Source.PACKAGE
    makeup = [d.day.isoformat() for d in days if d.kind is DayType.WORKDAY_MAKEUP]
    assert makeup == [
        "2026-01-04",
        "2026-02-14",
        "2026-02-28",
        "2026-05-09",
        "2026-09-20",
        "2026-10-10",
    ]
    assert sum(d.kind is DayType.HOLIDAY for d in days) == 33
    assert all(d.source is Source.PACKAGE for d in days)


def test_2027_never_fails_and_falls_back_to_weekends_and_statutory_holidays(cal, caplog):
    caplog.set_level(logging.WARNING, logger=FALLBACK_LOGGER)
    assert cal.coverage(2027) is Source.FALLBACK
    new_year = cal.day_info(D("2027-01-01"))
    assert (new_year.kind, new_year.name, new_year.source) == (
        DayType.HOLIDAY,
        "元旦",
        Source.FALLBACK,
    )
    assert cal.day_info(D("2027-10-01")).kind is DayType.HOLIDAY
    assert cal.day_info(D("2027-02-06")).name == "春节"
    assert cal.day_info(D("2027-01-04")).kind is DayType.WORKING
    assert cal.day_info(D("2027-01-09")).kind is DayType.WEEKEND
    # The package's "observed" guesses are not official: a fallback day off is statutory.
    assert cal.day_info(D("2027-10-04")).kind is DayType.WORKING


def test_the_fallback_warns_once_per_year_per_process(caplog):
    caplog.set_level(logging.WARNING, logger=FALLBACK_LOGGER)
    for _ in range(3):
        calendar = WorkingCalendar(None)  # a new calendar per unit of work, as in requests
        calendar.special_days(2027)
        calendar.is_working_day(D("2027-06-01"))
    warnings = _fallback_warnings(caplog)
    assert len(warnings) == 1
    assert "2027" in warnings[0] and "onegrid calendar load" in warnings[0]
    WorkingCalendar(None).is_working_day(D("2028-03-01"))
    assert len(_fallback_warnings(caplog)) == 2


def test_package_years_log_no_fallback_warning(cal, caplog):
    caplog.set_level(logging.WARNING, logger=FALLBACK_LOGGER)
    cal.special_days(2026)
    assert _fallback_warnings(caplog) == []


@pytest.mark.parametrize(
    "day", ["0001-01-01", "1066-10-14", "1949-10-01", "2003-02-08", "2101-01-01", "9999-12-31"]
)
def test_years_far_in_the_past_or_future_never_fail(cal, day):
    info = cal.day_info(D(day))
    assert info.source is Source.FALLBACK
    assert info.kind in set(DayType)


def test_the_fallback_uses_what_the_holidays_package_knows_of_make_up_days(cal):
    # chinese-calendar starts in 2004; the holidays package knows 2003's arrangement.
    assert cal.day_info(D("2003-02-08")).kind is DayType.WORKDAY_MAKEUP
    assert cal.day_info(D("2003-02-06")).kind is DayType.HOLIDAY


def test_the_fallback_before_1950_and_after_2100_is_plain_weekends(cal):
    assert cal.special_days(1900) == []
    assert cal.day_info(D("1900-01-06")).kind is DayType.WEEKEND
    assert cal.special_days(2150) == []


def test_a_broken_package_degrades_to_the_fallback_instead_of_failing(monkeypatch, caplog):
    def broken(_day):
        raise RuntimeError("corrupt data")

    monkeypatch.setattr(chinese_calendar, "get_holiday_detail", broken)
    calendar_sources.package_covers.cache_clear()
    try:
        info = WorkingCalendar(None).day_info(D("2026-10-01"))
    finally:
        monkeypatch.undo()
        calendar_sources.package_covers.cache_clear()
    assert (info.kind, info.source) == (DayType.HOLIDAY, Source.FALLBACK)
    assert "chinese-calendar failed" in caplog.text


def test_a_broken_holidays_package_still_leaves_weekends(monkeypatch, caplog):
    def broken(**_kwargs):
        raise RuntimeError("corrupt data")

    monkeypatch.setattr(calendar_sources.holidays_package, "China", broken)
    calendar_sources.fallback_days.cache_clear()
    try:
        calendar = WorkingCalendar(None)
        holiday, saturday = calendar.day_info(D("2031-10-01")), calendar.day_info(D("2031-10-04"))
    finally:
        monkeypatch.undo()
        calendar_sources.fallback_days.cache_clear()
    assert (holiday.kind, saturday.kind) == (DayType.WORKING, DayType.WEEKEND)
    assert "holidays package failed" in caplog.text
