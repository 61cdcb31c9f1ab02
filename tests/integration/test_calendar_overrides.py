"""Administrator overrides in the database win over the package, both ways, and the arithmetic
follows them. Imported years stop falling back."""

import datetime as dt
import logging

import pytest
from sqlalchemy import event

from services.calendar import SHANGHAI, DayType, Source, WorkingCalendar
from services.calendar_sources import FALLBACK_WARNINGS
from services.models.calendar import CalendarDay, CalendarYear, DayKind

D = dt.date.fromisoformat


def sh(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text).replace(tzinfo=SHANGHAI)


def local(value: dt.datetime) -> str:
    return value.astimezone(SHANGHAI).strftime("%Y-%m-%d %H:%M")


@pytest.fixture(autouse=True)
def _fresh_warnings():
    FALLBACK_WARNINGS.reset()
    yield
    FALLBACK_WARNINGS.reset()


def _override(session, day: str, kind: DayKind, name: str) -> None:
    session.add(CalendarDay(day=D(day), kind=kind, name=name))
    session.flush()


def test_a_database_holiday_on_a_working_day_wins_over_the_package(session):
    _override(session, "2026-11-23", DayKind.HOLIDAY, "台风停工")
    cal = WorkingCalendar(session)
    info = cal.day_info(D("2026-11-23"))
    assert (info.kind, info.name, info.source) == (DayType.HOLIDAY, "台风停工", Source.DATABASE)
    assert local(cal.add_working_days(sh("2026-11-20 18:00"), 1)) == "2026-11-24 17:30"
    assert local(cal.add_working_hours(sh("2026-11-20 17:00"), 1)) == "2026-11-24 09:30"


def test_a_database_workday_on_a_weekend_wins_over_the_package(session):
    _override(session, "2026-11-22", DayKind.WORKDAY, "补班")
    cal = WorkingCalendar(session)
    info = cal.day_info(D("2026-11-22"))
    assert (info.kind, info.source) == (DayType.WORKDAY_MAKEUP, Source.DATABASE)
    assert local(cal.add_working_hours(sh("2026-11-20 18:00"), 1)) == "2026-11-22 10:00"
    assert local(cal.add_working_days(sh("2026-11-20 18:00"), 1)) == "2026-11-22 17:30"


def test_database_rows_also_overrule_the_packages_own_special_days(session):
    _override(session, "2026-10-10", DayKind.HOLIDAY, "取消调休")  # package: make-up Saturday
    _override(session, "2026-10-05", DayKind.WORKDAY, "恢复上班")  # package: National Day
    cal = WorkingCalendar(session)
    assert cal.day_info(D("2026-10-10")).kind is DayType.HOLIDAY
    monday = cal.day_info(D("2026-10-05"))
    assert (monday.kind, monday.name) == (DayType.WORKING, "恢复上班")
    assert [d.day.isoformat() for d in cal.special_days(2026) if d.source is Source.DATABASE] == [
        "2026-10-05",
        "2026-10-10",
    ]


def test_overrides_in_a_fallback_year_win_and_the_rest_still_falls_back(session, caplog):
    caplog.set_level(logging.WARNING, logger="services.calendar_sources")
    _override(session, "2027-01-04", DayKind.HOLIDAY, "元旦补假")
    cal = WorkingCalendar(session)
    assert cal.day_info(D("2027-01-04")).source is Source.DATABASE
    assert cal.day_info(D("2027-01-01")).source is Source.FALLBACK
    assert cal.coverage(2027) is Source.FALLBACK
    assert local(cal.add_working_days(sh("2026-12-31 10:00"), 1)) == "2027-01-05 17:30"
    assert "no published schedule for 2027" in caplog.text


def test_an_imported_year_is_covered_by_the_database_and_no_longer_falls_back(session, caplog):
    caplog.set_level(logging.WARNING, logger="services.calendar_sources")
    session.add(CalendarYear(year=2030))
    _override(session, "2030-02-06", DayKind.HOLIDAY, "春节（示例）")
    _override(session, "2030-02-09", DayKind.WORKDAY, "调休（示例）")
    cal = WorkingCalendar(session)
    assert cal.coverage(2030) is Source.DATABASE
    # 2030-02-04 is a statutory holiday in the fallback; the imported schedule does not list it.
    assert cal.day_info(D("2030-02-04")).kind is DayType.WORKING
    assert cal.day_info(D("2030-02-04")).source is Source.DATABASE
    assert cal.day_info(D("2030-02-09")).kind is DayType.WORKDAY_MAKEUP
    assert [d.day.isoformat() for d in cal.special_days(2030)] == ["2030-02-06", "2030-02-09"]
    assert "2030" not in caplog.text


def test_each_year_is_loaded_once_per_calendar_instance(session, connection):
    statements: list[str] = []

    def count(_conn, _cursor, statement, *_args):
        if "calendar_" in statement:
            statements.append(statement)

    event.listen(connection, "before_cursor_execute", count)
    try:
        cal = WorkingCalendar(session)
        cal.special_days(2026)
        cal.add_working_days(sh("2026-11-20 18:00"), 10)
        cal.is_working_day(D("2026-01-01"))
    finally:
        event.remove(connection, "before_cursor_execute", count)
    assert len(statements) == 2  # calendar_days and calendar_years for 2026, nothing more


def test_a_new_calendar_sees_changes_made_after_an_earlier_one_loaded(session):
    before = WorkingCalendar(session)
    assert before.is_working_day(D("2026-11-23"))
    _override(session, "2026-11-23", DayKind.HOLIDAY, "停工")
    assert before.is_working_day(D("2026-11-23"))  # cached for this unit of work
    assert not WorkingCalendar(session).is_working_day(D("2026-11-23"))
