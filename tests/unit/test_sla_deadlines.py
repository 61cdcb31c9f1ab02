"""Phase deadlines from a category's time limits on the working calendar, across 2026's Spring
Festival and National Day with their make-up working days (调休), in Asia/Shanghai."""

from __future__ import annotations

import datetime as dt

import pytest

from services.calendar import SHANGHAI, WorkingCalendar
from services.calendar_hours import WorkingHours
from services.models.catalogue import Category, Phase, Urgency
from services.models.reports import ReportStatus
from services.sla import phase_deadline, phase_of, time_limit
from tests.catalogue_factories import limits


def _sh(*args) -> dt.datetime:
    return dt.datetime(*args, tzinfo=SHANGHAI)


def _category(time_limits=None, parent=None) -> Category:
    return Category(
        code="0101", name_zh="井盖", name_en="Manhole", time_limits=time_limits, parent=parent
    )


def _due(category, urgency, phase, start, **kwargs):
    return phase_deadline(
        None, category=category, urgency=urgency, phase=phase, start=start, **kwargs
    )


def test_the_make_up_saturday_before_spring_festival_counts_as_the_first_working_day():
    # Friday 13 Feb 2026; Saturday 14 Feb is worked (调休), 15–23 Feb are the holiday.
    due = _due(_category(limits()), Urgency.NORMAL, Phase.FILING, _sh(2026, 2, 13, 10, 0))
    assert due == _sh(2026, 2, 14, 17, 30).astimezone(dt.UTC)
    assert due.tzinfo == dt.UTC


def test_five_working_days_skip_the_nine_day_spring_festival_holiday():
    # 14 Feb (make-up), then 24, 25, 26, 27 Feb: due Friday 27 Feb 17:30, not 2 March.
    due = _due(_category(limits()), Urgency.NORMAL, Phase.DISPOSAL, _sh(2026, 2, 13, 10, 0))
    assert due == _sh(2026, 2, 27, 17, 30).astimezone(dt.UTC)


def test_working_hours_continue_on_the_make_up_saturday_morning():
    # 4 working hours from Friday 16:00: 1.5 h on Friday, 2.5 h from Saturday 09:00.
    due = _due(_category(limits()), Urgency.URGENT, Phase.FILING, _sh(2026, 2, 13, 16, 0))
    assert due == _sh(2026, 2, 14, 11, 30).astimezone(dt.UTC)


def test_working_hours_started_on_the_holiday_wait_for_the_first_day_after_it():
    # 3 h on Tuesday 24 Feb morning, the fourth after the lunch break (13:30).
    due = _due(_category(limits()), Urgency.URGENT, Phase.FILING, _sh(2026, 2, 18, 10, 0))
    assert due == _sh(2026, 2, 24, 14, 30).astimezone(dt.UTC)


def test_natural_hours_run_through_the_holiday():
    start = _sh(2026, 10, 1, 23, 30)
    due = _due(_category(limits()), Urgency.CRITICAL, Phase.DISPOSAL, start)
    assert due == (start + dt.timedelta(hours=4)).astimezone(dt.UTC)


def test_national_day_pushes_a_one_day_limit_to_the_day_after_the_golden_week():
    due = _due(_category(limits()), Urgency.URGENT, Phase.DISPOSAL, _sh(2026, 9, 30, 15, 0))
    assert due == _sh(2026, 10, 8, 17, 30).astimezone(dt.UTC)


def test_the_make_up_saturday_after_national_day_is_counted():
    # 8, 9, 10 (Saturday, worked), 12, 13 October.
    due = _due(_category(limits()), Urgency.NORMAL, Phase.DISPOSAL, _sh(2026, 9, 30, 15, 0))
    assert due == _sh(2026, 10, 13, 17, 30).astimezone(dt.UTC)


def test_the_make_up_sunday_before_national_day_is_counted():
    # Saturday 19 Sep 2026 → Sunday 20 Sep is worked (调休).
    due = _due(_category(limits()), Urgency.NORMAL, Phase.FILING, _sh(2026, 9, 19, 10, 0))
    assert due == _sh(2026, 9, 20, 17, 30).astimezone(dt.UTC)


def test_custom_working_hours_end_the_day_when_they_say():
    hours = WorkingHours(((dt.time(8, 0), dt.time(12, 0)), (dt.time(14, 0), dt.time(18, 0))))
    due = _due(
        _category(limits()), Urgency.NORMAL, Phase.FILING, _sh(2026, 2, 13, 10, 0), hours=hours
    )
    assert due == _sh(2026, 2, 14, 18, 0).astimezone(dt.UTC)


def test_a_calendar_can_be_shared_between_deadlines():
    calendar = WorkingCalendar(None)
    start = _sh(2026, 2, 13, 10, 0)
    due = _due(_category(limits()), Urgency.NORMAL, Phase.FILING, start, calendar=calendar)
    assert due == _sh(2026, 2, 14, 17, 30).astimezone(dt.UTC)


def test_a_minor_class_without_limits_uses_its_major_class():
    major = Category(code="01", name_zh="公用设施", name_en="Utilities", time_limits=limits())
    minor = _category({}, parent=major)
    assert time_limit(minor, Urgency.NORMAL, Phase.FILING) == {"amount": 1, "unit": "working_days"}


def test_no_limit_means_no_deadline():
    assert _due(_category({}), Urgency.NORMAL, Phase.FILING, _sh(2026, 2, 13, 10, 0)) is None
    only_filing = {"filing": limits()["filing"]}
    assert _due(_category(only_filing), Urgency.NORMAL, Phase.DISPOSAL, _sh(2026, 3, 2)) is None


def test_a_naive_start_is_refused():
    with pytest.raises(ValueError, match="timezone-aware"):
        _due(_category(limits()), Urgency.NORMAL, Phase.FILING, dt.datetime(2026, 2, 13, 10))  # noqa: DTZ001


@pytest.mark.parametrize(
    ("status", "phase"),
    [
        (ReportStatus.REPORTED, Phase.FILING),
        (ReportStatus.DISPATCHED, Phase.DISPOSAL),
        (ReportStatus.IN_PROGRESS, Phase.DISPOSAL),
        (ReportStatus.FILED, None),
        (ReportStatus.RESOLVED, None),
        (ReportStatus.CLOSED, None),
    ],
)
def test_each_state_runs_the_deadline_of_its_phase(status, phase):
    assert phase_of(status) == phase
