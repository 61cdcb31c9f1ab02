"""Triage use cases called directly: disposal deadlines on the working calendar (across the
2026 National Day holiday and its make-up working day) and the case events emitted."""

from __future__ import annotations

import datetime as dt

import pytest

from services.actors import Actor
from services.calendar import WorkingCalendar
from services.case_events import CaseEventKind, emitted
from services.errors import ValidationFailed
from services.models.catalogue import Urgency
from services.workflow_triage import dispatch_case, file_case, reject_case
from tests.case_factories import filed_case, make_dispatcher, reported_case

pytest_plugins = ("tests.report_fixtures",)

CST = dt.timezone(dt.timedelta(hours=8))
# Wednesday before the holiday of 1–7 October 2026; Saturday 10 October is worked instead.
BEFORE_HOLIDAY = dt.datetime(2026, 9, 30, 10, 0, tzinfo=CST)


@pytest.fixture
def actor(session, world):
    return Actor.for_user(make_dispatcher(session, world["district"]))


def _dispatch(session, actor, world, case, now, **kwargs):
    return dispatch_case(
        session,
        actor=actor,
        report_id=case.id,
        expected_version=case.version,
        department_id=world["department"].id,
        instructions="处理",
        now=now,
        **kwargs,
    )


def test_the_calendar_knows_the_2026_national_day_holiday_and_its_makeup_day(session):
    calendar = WorkingCalendar(session)
    assert not any(calendar.is_working_day(dt.date(2026, 10, d)) for d in range(1, 8))
    assert calendar.is_working_day(dt.date(2026, 10, 10))  # a Saturday, worked


def test_five_working_days_skip_the_holiday_and_count_the_makeup_saturday(session, world, actor):
    case = filed_case(session, world)
    report = _dispatch(session, actor, world, case, BEFORE_HOLIDAY)
    # 8, 9, 10 (Saturday, worked), 12, 13 October: due Tuesday 13 October 17:30.
    assert report.disposal_due_at == dt.datetime(2026, 10, 13, 17, 30, tzinfo=CST)
    assert report.dispatched_at == BEFORE_HOLIDAY


def test_an_urgent_case_gets_the_urgent_limit(session, world, actor):
    case = filed_case(session, world)
    case.urgency = Urgency.URGENT
    session.flush()
    report = _dispatch(session, actor, world, case, BEFORE_HOLIDAY)
    # One working day: the first after the holiday.
    assert report.disposal_due_at == dt.datetime(2026, 10, 8, 17, 30, tzinfo=CST)


def test_a_critical_case_counts_natural_hours_through_the_holiday(session, world, actor):
    case = filed_case(session, world)
    case.urgency = Urgency.CRITICAL
    session.flush()
    report = _dispatch(session, actor, world, case, dt.datetime(2026, 10, 2, 22, 0, tzinfo=CST))
    assert report.disposal_due_at == dt.datetime(2026, 10, 3, 2, 0, tzinfo=CST)


def test_a_category_without_a_disposal_limit_leaves_no_deadline(session, world, actor):
    case = filed_case(session, world)
    case.category.time_limits = {}
    session.flush()
    assert _dispatch(session, actor, world, case, BEFORE_HOLIDAY).disposal_due_at is None


def test_an_override_deadline_is_kept_as_given_in_utc(session, world, actor):
    case = filed_case(session, world)
    due = dt.datetime(2026, 10, 2, 12, 0, tzinfo=CST)
    report = _dispatch(session, actor, world, case, BEFORE_HOLIDAY, due_at=due)
    assert report.disposal_due_at == due
    assert report.disposal_due_at.utcoffset() == dt.timedelta(0)


@pytest.mark.parametrize(
    "due",
    [
        BEFORE_HOLIDAY,  # not in the future
        BEFORE_HOLIDAY - dt.timedelta(seconds=1),
        BEFORE_HOLIDAY + dt.timedelta(days=367),
        dt.datetime(2026, 10, 2, 12, 0, tzinfo=CST).replace(tzinfo=None),  # naive
    ],
)
def test_an_override_deadline_must_be_aware_and_within_a_year(session, world, actor, due):
    case = filed_case(session, world)
    with pytest.raises(ValidationFailed) as raised:
        _dispatch(session, actor, world, case, BEFORE_HOLIDAY, due_at=due)
    assert "due_at" in raised.value.fields


def test_dispatching_emits_status_changed_and_dispatched(session, world, actor):
    case = filed_case(session, world)
    _dispatch(session, actor, world, case, BEFORE_HOLIDAY)
    kinds = [(e.kind, e.data) for e in emitted(session) if e.report_id == case.id]
    assert (
        CaseEventKind.STATUS_CHANGED,
        {"from": "filed", "to": "dispatched", "action": "dispatch"},
    ) in kinds
    assert (CaseEventKind.DISPATCHED, {"department_id": str(world["department"].id)}) in kinds


def test_filing_and_rejecting_emit_status_changed_only(session, world, actor):
    first, second = reported_case(session, world), reported_case(session, world)
    file_case(session, actor=actor, report_id=first.id, expected_version=1)
    reject_case(session, actor=actor, report_id=second.id, expected_version=1, reason="重复")
    kinds = {(e.report_id, e.kind) for e in emitted(session)}
    assert kinds == {
        (first.id, CaseEventKind.STATUS_CHANGED),
        (second.id, CaseEventKind.STATUS_CHANGED),
    }


def test_filing_records_when_and_leaves_the_filing_deadline(session, world, actor):
    case = reported_case(session, world)
    due = case.filing_due_at
    report = file_case(
        session, actor=actor, report_id=case.id, expected_version=1, now=BEFORE_HOLIDAY
    )
    assert report.filed_at == BEFORE_HOLIDAY
    assert report.filing_due_at == due
