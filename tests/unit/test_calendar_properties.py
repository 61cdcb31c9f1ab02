"""Properties of the working-time arithmetic, checked on generated instants and durations."""

import datetime as dt

from hypothesis import given, settings
from hypothesis import strategies as st

from services.calendar import SHANGHAI, WorkingCalendar

CAL = WorkingCalendar(None)  # package years only below: no database, no fallback warnings
FIRST, LAST = dt.datetime(2025, 1, 1, tzinfo=dt.UTC), dt.datetime(2026, 10, 31, tzinfo=dt.UTC)

instants = st.integers(0, int((LAST - FIRST).total_seconds()) // 60).map(
    lambda minutes: FIRST + dt.timedelta(minutes=minutes)
)
durations = st.integers(0, 7 * 60 * 15).map(lambda minutes: dt.timedelta(minutes=minutes))


def _in_working_time(instant: dt.datetime) -> bool:
    day = instant.astimezone(SHANGHAI).date()
    return any(start <= instant < end for start, end in CAL._periods(day))


@st.composite
def working_instants(draw) -> dt.datetime:
    """An instant inside a working period of a working day."""
    instant = draw(instants)
    return CAL.add_working_time(instant, dt.timedelta(minutes=draw(st.integers(1, 400))))


@settings(max_examples=300, deadline=None)
@given(working_instants(), durations, durations)
def test_adding_working_time_in_two_steps_equals_adding_it_at_once(start, a, b):
    assert CAL.add_working_time(CAL.add_working_time(start, a), b) == CAL.add_working_time(
        start, a + b
    )


@settings(max_examples=300, deadline=None)
@given(instants, durations)
def test_working_time_between_a_start_and_its_deadline_is_what_was_added(start, duration):
    due = CAL.add_working_time(start, duration)
    assert due >= start
    assert CAL.working_time_between(start, due) == duration
    assert CAL.working_time_between(due, start) == -duration


@settings(max_examples=300, deadline=None)
@given(instants, durations.filter(bool))
def test_a_working_hours_deadline_falls_in_working_time_or_at_the_end_of_a_period(start, duration):
    due = CAL.add_working_time(start, duration)
    just_before = due - dt.timedelta(microseconds=1)
    assert _in_working_time(just_before)
    assert CAL.is_working_day(due.astimezone(SHANGHAI).date())


@settings(max_examples=200, deadline=None)
@given(instants, st.integers(0, 30))
def test_working_day_deadlines_close_a_working_day_and_grow_with_the_number_of_days(start, days):
    due = CAL.add_working_days(start, days)
    closing = due.astimezone(SHANGHAI)
    assert (closing.hour, closing.minute) == (17, 30)
    assert CAL.is_working_day(closing.date())
    assert due >= start
    later = CAL.add_working_days(start, days + 1)
    if days == 0:
        # From a day off or after hours, "by the end of today's work" and "one working day"
        # are both the next working day's close; otherwise one day later.
        assert CAL.working_time_between(due, later) in {dt.timedelta(0), CAL.hours.per_day}
    else:
        # Exactly one more working day lies between consecutive deadlines.
        assert CAL.working_time_between(due, later) == CAL.hours.per_day


@settings(max_examples=200, deadline=None)
@given(instants, instants, instants)
def test_working_time_between_adds_up_over_consecutive_intervals(a, b, c):
    a, b, c = sorted((a, b, c))
    assert CAL.working_time_between(a, c) == CAL.working_time_between(
        a, b
    ) + CAL.working_time_between(b, c)
