"""Factories for deadlines and work queues: cases in a given state with given deadlines."""

from __future__ import annotations

import datetime as dt

from sqlalchemy.orm import Session

from services.models.areas import Area, Department
from services.models.reports import Report, ReportStatus
from tests.factories import make_resident
from tests.report_read_factories import make_report

NOW = dt.datetime(2026, 3, 10, 8, 0, tzinfo=dt.UTC)
PAST = NOW - dt.timedelta(hours=1)
FUTURE = NOW + dt.timedelta(hours=1)


def make_case(
    session: Session,
    *,
    grid: Area | None,
    status: ReportStatus = ReportStatus.REPORTED,
    filing_due_at: dt.datetime | None = None,
    disposal_due_at: dt.datetime | None = None,
    department: Department | None = None,
    overdue: bool = False,
    created_at: dt.datetime | None = None,
    rework_count: int = 0,
    category: str | None = None,
) -> Report:
    """A case in ``status`` in ``grid`` with the given deadlines (inserted directly)."""
    report = make_report(
        session,
        reporter=make_resident(session),
        grid=grid,
        status=status,
        department=department,
        overdue=overdue,
        filing_due_at=filing_due_at,
        created_at=created_at,
        category=category,
    )
    report.disposal_due_at = disposal_due_at
    report.rework_count = rework_count
    session.flush()
    return report
