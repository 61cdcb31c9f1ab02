"""`onegrid sla scan` flags overdue cases with a progress bar; `--dry-run` only counts."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select

from services.models.reports import ReportEvent, ReportStatus
from tests.sla_factories import make_case

LONG_AGO = dt.datetime(2020, 1, 6, 9, 30, tzinfo=dt.UTC)


def _late_cases(session, tree):
    late = [make_case(session, grid=tree["grid"], filing_due_at=LONG_AGO) for _ in range(3)]
    late.append(
        make_case(
            session, grid=tree["grid"], status=ReportStatus.IN_PROGRESS, disposal_due_at=LONG_AGO
        )
    )
    session.commit()
    return late


def test_onegrid_sla_scan_flags_in_batches_with_a_progress_bar(app, container, session, tree):
    late = _late_cases(session, tree)
    result = app.test_cli_runner().invoke(args=["sla", "scan", "--batch", "3"])
    assert result.exit_code == 0, result.output
    assert "flagging overdue cases" in result.stderr
    assert "flagged 3 case(s) overdue for filing" in result.stdout
    assert "flagged 1 case(s) overdue for disposal" in result.stdout
    assert "4 case(s) in 2 batch(es)" in result.stdout
    for case in late:
        session.refresh(case)
        assert case.overdue is True
    again = app.test_cli_runner().invoke(args=["sla", "scan"])
    assert "0 case(s) in 0 batch(es)" in again.stdout


def test_onegrid_sla_scan_dry_run_counts_and_changes_nothing(app, container, session, tree):
    late = _late_cases(session, tree)
    result = app.test_cli_runner().invoke(args=["sla", "scan", "--dry-run"])
    assert result.exit_code == 0, result.output
    assert "would flag 3 case(s) overdue for filing" in result.stdout
    assert "would flag 1 case(s) overdue for disposal" in result.stdout
    for case in late:
        session.refresh(case)
        assert case.overdue is False
    assert session.scalars(select(ReportEvent).where(ReportEvent.action == "overdue")).all() == []


def test_onegrid_sla_scan_refuses_a_batch_below_one(app, container):
    result = app.test_cli_runner().invoke(args=["sla", "scan", "--batch", "0"])
    assert result.exit_code == 2
    assert "--batch" in result.output
