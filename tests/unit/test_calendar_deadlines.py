"""Deadline arithmetic: working days, working hours and natural hours, in Asia/Shanghai time.

Default working hours: 09:00–12:00 and 13:30–17:30 (7 hours a day). 2026 facts used here (from
the published schedule): 2026-10-01..07 off, Saturday 2026-10-10 worked; 2026-02-14 (Saturday)
worked; 2026-11-20 is a Friday.
"""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from services.calendar import SHANGHAI, WorkingCalendar
from services.calendar_hours import parse_working_hours
from services.calendar_sources import FALLBACK_WARNINGS
from services.errors import ValidationFailed
from services.models.catalogue import LimitUnit


def sh(text: str) -> dt.datetime:
    """A Shanghai wall-clock instant: ``sh("2026-11-20 18:00")``."""
    return dt.datetime.fromisoformat(text).replace(tzinfo=SHANGHAI)


def local(value: dt.datetime) -> str:
    assert value.utcoffset() == dt.timedelta(0), "results are UTC"
    return value.astimezone(SHANGHAI).strftime("%Y-%m-%d %H:%M")


@pytest.fixture
def cal():
    FALLBACK_WARNINGS.reset()
    return WorkingCalendar(None)


@pytest.mark.parametrize(
    ("start", "days", "due"),
    [
        ("2026-11-20 18:00", 1, "2026-11-23 17:30"),  # Friday evening → Monday
        ("2026-11-20 10:00", 1, "2026-11-23 17:30"),  # the start day never counts
        ("2026-11-21 10:00", 1, "2026-11-23 17:30"),  # Saturday → Monday
        ("2026-11-23 08:00", 1, "2026-11-24 17:30"),  # Monday before work: Monday not counted
        ("2026-11-20 18:00", 5, "2026-11-27 17:30"),
        ("2026-09-30 10:00", 1, "2026-10-08 17:30"),  # over the National Day week
        ("2026-09-30 10:00", 3, "2026-10-10 17:30"),  # ... onto the make-up Saturday
        ("2026-09-30 10:00", 4, "2026-10-12 17:30"),  # Sunday 10-11 is off
        ("2026-02-13 10:00", 1, "2026-02-14 17:30"),  # make-up Saturday before Spring Festival
        ("2026-11-30 10:00", 1, "2026-12-01 17:30"),  # month boundary
        ("2026-12-30 10:00", 1, "2026-12-31 17:30"),
        ("2026-12-31 10:00", 1, "2027-01-04 17:30"),  # year boundary into 2027 (fallback)
    ],
)
def test_working_days_end_at_the_close_of_the_nth_working_day_after_the_start_day(
    cal, start, days, due
):
    assert local(cal.add_working_days(sh(start), days)) == due
    assert local(cal.deadline(sh(start), days, LimitUnit.WORKING_DAYS)) == due


@pytest.mark.parametrize(
    ("start", "due"),
    [
        ("2026-11-23 10:00", "2026-11-23 17:30"),  # today, within working hours
        ("2026-11-23 17:30", "2026-11-23 17:30"),
        ("2026-11-23 18:00", "2026-11-24 17:30"),  # today's work is over
        ("2026-11-22 10:00", "2026-11-23 17:30"),  # Sunday
        ("2026-10-05 10:00", "2026-10-08 17:30"),  # a holiday
    ],
)
def test_zero_working_days_means_by_the_end_of_the_current_working_day(cal, start, due):
    assert local(cal.add_working_days(sh(start), 0)) == due


@pytest.mark.parametrize(
    ("start", "hours", "due"),
    [
        ("2026-11-23 09:00", 7, "2026-11-23 17:30"),  # a full day ends at close, not next morning
        ("2026-11-23 09:00", 3, "2026-11-23 12:00"),
        ("2026-11-23 11:00", 2, "2026-11-23 14:30"),  # skips the lunch break
        ("2026-11-23 12:15", 1, "2026-11-23 14:30"),  # starts during lunch: counts from 13:30
        ("2026-11-23 07:00", 1, "2026-11-23 10:00"),  # before work
        ("2026-11-23 20:00", 1, "2026-11-24 10:00"),  # after work
        ("2026-11-20 16:30", 2, "2026-11-23 10:00"),  # over the weekend
        ("2026-11-21 10:00", 1, "2026-11-23 10:00"),  # filed on Saturday
        ("2026-09-30 17:00", 1, "2026-10-08 09:30"),  # over the National Day week
        ("2026-10-09 17:00", 1, "2026-10-10 09:30"),  # onto the make-up Saturday
        ("2026-11-30 17:00", 7, "2026-12-01 17:00"),  # month boundary
        ("2026-12-31 17:00", 1, "2027-01-04 09:30"),  # 2027-01-01 is a statutory holiday
        ("2026-11-23 10:00", 0.25, "2026-11-23 10:15"),
        ("2026-11-23 10:00", 35, "2026-11-30 10:00"),  # five working days later
    ],
)
def test_working_hours_count_only_working_periods_of_working_days(cal, start, hours, due):
    assert local(cal.add_working_hours(sh(start), hours)) == due
    assert local(cal.deadline(sh(start), hours, LimitUnit.WORKING_HOURS)) == due


def test_adding_zero_working_hours_returns_the_start_itself(cal):
    start = sh("2026-11-22 03:00")
    assert cal.add_working_hours(start, 0) == start
    assert cal.add_working_hours(start, 0).tzinfo is dt.UTC


@pytest.mark.parametrize(
    ("start", "hours", "due"),
    [
        ("2026-11-20 18:00", 24, "2026-11-21 18:00"),  # weekends count
        ("2026-09-30 10:00", 48, "2026-10-02 10:00"),  # holidays count
        ("2026-12-31 23:30", 1, "2027-01-01 00:30"),
    ],
)
def test_natural_hours_ignore_the_calendar(cal, start, hours, due):
    assert local(cal.deadline(sh(start), hours, LimitUnit.NATURAL_HOURS)) == due


def test_results_are_utc_and_shanghai_has_no_daylight_saving(cal):
    # Every working day closes at 09:30 UTC, whichever side of Europe's and America's clock
    # changes (2026-03-08, 03-29, 10-25, 11-01) the date falls.
    for start in ("2026-03-06 12:00", "2026-03-27 12:00", "2026-10-23 12:00", "2026-10-30 12:00"):
        due = cal.add_working_days(sh(start), 1)
        assert due.tzinfo is dt.UTC
        assert (due.hour, due.minute) == (9, 30)


def test_starts_given_in_other_time_zones_are_read_as_the_same_instant(cal):
    berlin = dt.datetime(2026, 11, 20, 11, 0, tzinfo=ZoneInfo("Europe/Berlin"))  # 18:00 Shanghai
    utc = dt.datetime(2026, 11, 20, 10, 0, tzinfo=dt.UTC)
    assert cal.add_working_days(berlin, 1) == cal.add_working_days(utc, 1)
    assert local(cal.add_working_days(berlin, 1)) == "2026-11-23 17:30"


@pytest.mark.parametrize(
    ("a", "b", "hours"),
    [
        ("2026-11-20 16:00", "2026-11-23 10:00", 2.5),
        ("2026-11-23 11:00", "2026-11-23 14:00", 1.5),  # lunch does not count
        ("2026-09-30 09:00", "2026-10-08 09:00", 7),  # only 09-30 was worked
        ("2026-11-21 08:00", "2026-11-22 20:00", 0),  # a weekend
        ("2026-11-23 10:00", "2026-11-23 10:00", 0),
        ("2026-11-23 10:00", "2026-11-20 16:00", -2.5),  # "overdue by" keeps its sign
    ],
)
def test_working_hours_between_two_instants(cal, a, b, hours):
    assert cal.working_hours_between(sh(a), sh(b)) == pytest.approx(hours)


def test_configured_working_hours_are_used(cal):
    single = WorkingCalendar(None, hours=parse_working_hours("08:30-17:00"))
    assert local(single.add_working_hours(sh("2026-11-23 16:00"), 2)) == "2026-11-24 09:30"
    assert local(single.add_working_days(sh("2026-11-23 10:00"), 1)) == "2026-11-24 17:00"
    assert single.working_hours_between(sh("2026-11-23 00:00"), sh("2026-11-24 00:00")) == 8.5


NAIVE = dt.datetime(2026, 11, 20, 18, 0)  # noqa: DTZ001 - naive on purpose: it must be refused


@pytest.mark.parametrize(
    "call",
    [
        lambda c: c.add_working_days(NAIVE, 1),
        lambda c: c.add_working_hours(NAIVE, 1),
        lambda c: c.working_hours_between(NAIVE, sh("2026-11-21 00:00")),
        lambda c: c.add_working_days(sh("2026-11-20 18:00"), -1),
        lambda c: c.add_working_days(sh("2026-11-20 18:00"), 1.5),
        lambda c: c.add_working_days(sh("2026-11-20 18:00"), True),
        lambda c: c.add_working_hours(sh("2026-11-20 18:00"), -0.5),
        lambda c: c.add_working_hours(sh("2026-11-20 18:00"), "2"),
        lambda c: c.add_working_hours(sh("2026-11-20 18:00"), float("nan")),
        lambda c: c.deadline(sh("2026-11-20 18:00"), 1, "fortnights"),
    ],
    ids=[
        "naive-days",
        "naive-hours",
        "naive-between",
        "negative-days",
        "fractional-days",
        "bool-days",
        "negative-hours",
        "text-hours",
        "nan-hours",
        "unknown-unit",
    ],
)
def test_misuse_is_refused_loudly(cal, call):
    with pytest.raises(ValueError):
        call(cal)


def test_whole_float_working_days_are_accepted(cal):
    assert local(cal.deadline(sh("2026-11-20 18:00"), 2.0, "working_days")) == "2026-11-24 17:30"


@pytest.mark.parametrize(
    "call",
    [
        lambda c: c.add_working_days(sh("9999-12-30 10:00"), 5),
        lambda c: c.add_working_hours(sh("9999-12-31 10:00"), 100),
        lambda c: c.deadline(sh("9999-12-31 10:00"), 10**6, LimitUnit.NATURAL_HOURS),
        lambda c: c.add_working_hours(sh("2026-11-20 18:00"), float("inf")),
        lambda c: c.add_working_days(dt.datetime.max.replace(tzinfo=dt.UTC), 1),
    ],
    ids=["days", "hours", "natural", "infinite", "utc-max"],
)
def test_arithmetic_past_the_last_representable_date_is_a_clear_validation_error(cal, call):
    with pytest.raises(ValidationFailed) as caught:
        call(cal)
    assert caught.value.key == "calendar_out_of_range"


def test_dates_near_the_first_representable_year_still_work(cal):
    start = dt.datetime(1, 1, 3, 12, 0, tzinfo=dt.UTC)  # a Wednesday
    assert cal.add_working_hours(start, 1) > start
    assert cal.working_hours_between(start, cal.add_working_days(start, 1)) > 0
