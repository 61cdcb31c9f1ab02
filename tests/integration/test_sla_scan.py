"""The overdue scan flags open cases past the deadline of the phase they are in, once, with a
timeline entry, an audit entry and an OVERDUE case event; it leaves everything else alone."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from services.case_events import CaseEventKind, emitted
from services.models.audit import AuditEntry
from services.models.reports import Report, ReportEvent, ReportStatus
from services.models.workflow import ExtensionRequest, ExtensionStatus
from services.sla import count_late, scan_overdue
from tests.factories import make_department, make_user
from tests.sla_factories import FUTURE, NOW, PAST, make_case

S = ReportStatus


def _overdue_events(session, report):
    return session.scalars(
        select(ReportEvent).where(
            ReportEvent.report_id == report.id, ReportEvent.action == "overdue"
        )
    ).all()


def test_a_report_past_its_filing_deadline_is_flagged_with_timeline_audit_and_event(session, tree):
    dept = make_department(session)
    case = make_case(session, grid=tree["grid"], filing_due_at=PAST, department=dept)
    result = scan_overdue(session, now=NOW)
    assert (result.filing, result.disposal, result.batches) == (1, 0, 1)
    session.refresh(case)
    assert case.overdue is True
    assert case.version == 1  # the clock's flag does not make open forms stale
    [event] = _overdue_events(session, case)
    assert (event.actor_id, event.actor_role) == (None, "system")
    assert (event.from_status, event.to_status) == ("reported", "reported")
    assert event.data == {"phase": "filing", "due_at": PAST.isoformat()}
    entry = session.scalar(select(AuditEntry).where(AuditEntry.object_id == str(case.id)))
    assert (entry.action, entry.actor_id, entry.actor_label) == ("case.overdue", None, "sla-scan")
    assert entry.after == {"overdue": True, "phase": "filing", "due_at": PAST.isoformat()}
    assert entry.area_path == tree["grid"].path
    [sent] = [e for e in emitted(session) if e.kind is CaseEventKind.OVERDUE]
    assert sent.report_id == case.id and sent.actor_id is None
    assert sent.data == {
        "phase": "filing",
        "due_at": PAST.isoformat(),
        "department_id": str(dept.id),
    }


@pytest.mark.parametrize("status", [S.DISPATCHED, S.IN_PROGRESS])
def test_a_case_past_its_disposal_deadline_is_flagged(session, tree, status):
    case = make_case(session, grid=tree["grid"], status=status, disposal_due_at=PAST)
    result = scan_overdue(session, now=NOW)
    assert (result.filing, result.disposal) == (0, 1)
    session.refresh(case)
    assert case.overdue is True
    assert _overdue_events(session, case)[0].data["phase"] == "disposal"


def test_a_second_scan_flags_nothing_new(session, tree):
    case = make_case(session, grid=tree["grid"], filing_due_at=PAST)
    assert scan_overdue(session, now=NOW).marked == 1
    again = scan_overdue(session, now=NOW + NOW.resolution * 10**6)
    assert (again.marked, again.batches) == (0, 0)
    assert len(_overdue_events(session, case)) == 1
    assert len([e for e in emitted(session) if e.kind is CaseEventKind.OVERDUE]) == 1


def test_cases_not_yet_due_or_without_deadline_are_left_alone(session, tree):
    future = make_case(session, grid=tree["grid"], filing_due_at=FUTURE)
    exactly = make_case(session, grid=tree["grid"], status=S.DISPATCHED, disposal_due_at=NOW)
    none = make_case(session, grid=tree["grid"], status=S.IN_PROGRESS)
    assert scan_overdue(session, now=NOW).marked == 0
    for case in (future, exactly, none):
        session.refresh(case)
        assert case.overdue is False


@pytest.mark.parametrize("status", [S.FILED, S.RESOLVED, S.CLOSED, S.REJECTED, S.MERGED])
def test_cases_in_states_without_a_running_deadline_are_not_flagged(session, tree, status):
    # A stale deadline from an earlier phase must not flag a case that has moved on.
    case = make_case(
        session, grid=tree["grid"], status=status, filing_due_at=PAST, disposal_due_at=PAST
    )
    assert scan_overdue(session, now=NOW).marked == 0
    session.refresh(case)
    assert case.overdue is False and not _overdue_events(session, case)


def test_a_reported_case_is_judged_by_filing_not_by_a_disposal_deadline(session, tree):
    case = make_case(session, grid=tree["grid"], filing_due_at=FUTURE, disposal_due_at=PAST)
    assert scan_overdue(session, now=NOW).marked == 0
    session.refresh(case)
    assert case.overdue is False


def test_a_case_whose_deadline_was_extended_past_now_is_not_flagged(session, tree):
    handler = make_user(session)
    case = make_case(session, grid=tree["grid"], status=S.IN_PROGRESS, disposal_due_at=FUTURE)
    session.add(
        ExtensionRequest(
            report_id=case.id,
            requested_by_id=handler.id,
            requested_due_at=FUTURE,
            reason="材料未到",
            status=ExtensionStatus.APPROVED,
        )
    )
    session.flush()
    assert scan_overdue(session, now=NOW).marked == 0


def test_an_already_flagged_case_gets_no_second_entry(session, tree):
    case = make_case(session, grid=tree["grid"], filing_due_at=PAST, overdue=True)
    assert scan_overdue(session, now=NOW).marked == 0
    assert _overdue_events(session, case) == []


def test_the_scan_commits_in_batches_and_reports_progress(session, tree):
    cases = [make_case(session, grid=tree["grid"], filing_due_at=PAST) for _ in range(5)]
    cases += [
        make_case(session, grid=tree["grid"], status=S.DISPATCHED, disposal_due_at=PAST)
        for _ in range(2)
    ]
    progress: list[int] = []
    result = scan_overdue(session, now=NOW, batch=3, progress=progress.append)
    assert (result.filing, result.disposal, result.batches) == (5, 2, 3)
    assert progress == [3, 3, 1]
    flagged = session.scalar(
        select(func.count()).select_from(Report).where(Report.overdue.is_(True))
    )
    assert flagged == 7
    assert result.as_dict() == {
        "filing": 5,
        "disposal": 2,
        "marked": 7,
        "batches": 3,
        "dry_run": False,
    }


def test_a_full_last_batch_is_followed_by_an_empty_check(session, tree):
    for _ in range(4):
        make_case(session, grid=tree["grid"], filing_due_at=PAST)
    assert scan_overdue(session, now=NOW, batch=2).batches == 2


def test_a_dry_run_counts_and_changes_nothing(session, tree):
    case = make_case(session, grid=tree["grid"], filing_due_at=PAST)
    make_case(session, grid=tree["grid"], status=S.IN_PROGRESS, disposal_due_at=PAST)
    result = scan_overdue(session, now=NOW, dry_run=True)
    assert (result.filing, result.disposal, result.dry_run) == (1, 1, True)
    session.refresh(case)
    assert case.overdue is False and not _overdue_events(session, case)
    assert count_late(session, now=NOW) == {"filing": 1, "disposal": 1}


def test_cases_outside_the_city_are_scanned_too(session):
    case = make_case(session, grid=None, filing_due_at=PAST)
    assert scan_overdue(session, now=NOW).marked == 1
    session.refresh(case)
    assert case.overdue is True


def test_a_batch_size_below_one_is_refused(session):
    with pytest.raises(ValueError, match="batch"):
        scan_overdue(session, now=NOW, batch=0)
