"""The SQL behind the case statistics: grouped counts and closed cases' handling times.

Both queries read one scoped, filtered slice of ``reports`` (the caller's WHERE clause) and group
by a raw dimension column; services/stats.py folds the raw keys into the groups people read (an
area path into its street, a category id into its code) and computes the rates.

Two expressions differ by dialect, each behind a small function with a twin for SQLite: the
calendar day in Asia/Shanghai (a fixed UTC+8, no daylight saving) and a duration in seconds.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from sqlalchemy import ColumnElement, Float, case, cast, exists, func, null, select
from sqlalchemy.orm import Session

from services.models.reports import OPEN_STATUSES, Report, ReportEvent, ReportStatus

OVERDUE_EVENT = "overdue"  # services.sla writes it when it flags a case


class GroupBy(StrEnum):
    CATEGORY = "category"
    AREA_LEVEL = "area_level"
    DEPARTMENT = "department"
    SOURCE = "source"
    DAY = "day"


@dataclass(frozen=True)
class CountRow:
    key: Any  # the raw dimension value (None without grouping)
    status: ReportStatus
    ever_overdue: bool
    reworked: bool
    self_resolved: bool
    count: int


@dataclass(frozen=True)
class OverdueRow:
    id: uuid.UUID
    number: str
    status: ReportStatus
    due_at: dt.datetime | None


def shanghai_day(session: Session, column: ColumnElement) -> ColumnElement:
    """The calendar day of a UTC timestamp in Asia/Shanghai."""
    if session.get_bind().dialect.name == "postgresql":
        return func.date(func.timezone("Asia/Shanghai", column))
    # SQLite keeps the UTC wall time as text; China has had no daylight saving since 1991.
    return func.date(column, "+8 hours")


def seconds_between(session: Session, start: ColumnElement, end: ColumnElement) -> ColumnElement:
    """``end - start`` in seconds, as a float."""
    if session.get_bind().dialect.name == "postgresql":
        return cast(func.extract("epoch", end - start), Float)
    return (func.julianday(end) - func.julianday(start)) * 86400.0


def dimension(session: Session, group_by: GroupBy | None) -> ColumnElement:
    match group_by:
        case GroupBy.CATEGORY:
            return Report.category_id
        case GroupBy.AREA_LEVEL:
            return Report.area_path
        case GroupBy.DEPARTMENT:
            return Report.department_id
        case GroupBy.SOURCE:
            return Report.source
        case GroupBy.DAY:
            return shanghai_day(session, Report.created_at)
    return null()


def _ever_overdue() -> ColumnElement[bool]:
    """Flagged now, or flagged once (the SLA scan's timeline entry) and cleared since."""
    flagged_once = exists().where(
        ReportEvent.report_id == Report.id, ReportEvent.action == OVERDUE_EVENT
    )
    return case((Report.overdue.is_(True), True), (flagged_once, True), else_=False)


def grouped_counts(
    session: Session, where: Iterable[ColumnElement[bool]], group_by: GroupBy | None
) -> Iterator[CountRow]:
    """Cases per (dimension, status, ever overdue, reworked, self-resolved)."""
    inner = (
        select(
            dimension(session, group_by).label("key"),
            Report.status.label("status"),
            # The timeline probe only matters for closed cases (the on-time rate).
            case((Report.status == ReportStatus.CLOSED, _ever_overdue()), else_=False).label(
                "ever_overdue"
            ),
            (Report.rework_count > 0).label("reworked"),
            Report.self_resolved.label("self_resolved"),
        )
        .where(*where)
        .subquery()
    )
    stmt = select(
        inner.c.key,
        inner.c.status,
        inner.c.ever_overdue,
        inner.c.reworked,
        inner.c.self_resolved,
        func.count().label("n"),
    ).group_by(
        inner.c.key, inner.c.status, inner.c.ever_overdue, inner.c.reworked, inner.c.self_resolved
    )
    for row in session.execute(stmt):
        yield CountRow(
            key=row.key,
            status=ReportStatus(row.status),
            ever_overdue=bool(row.ever_overdue),
            reworked=bool(row.reworked),
            self_resolved=bool(row.self_resolved),
            count=row.n,
        )


def closed_durations(
    session: Session, where: Iterable[ColumnElement[bool]], group_by: GroupBy | None
) -> Iterator[tuple[Any, float]]:
    """(dimension, seconds from report to closing) of every closed case."""
    stmt = select(
        dimension(session, group_by),
        seconds_between(session, Report.created_at, Report.closed_at),
    ).where(*where, Report.status == ReportStatus.CLOSED, Report.closed_at.is_not(None))
    for key, seconds in session.execute(stmt):
        yield key, float(seconds)


def running_due_at() -> ColumnElement:
    """The deadline of the phase a case is in: filing while reported, disposal afterwards."""
    return case(
        (Report.status == ReportStatus.REPORTED, Report.filing_due_at),
        else_=func.coalesce(Report.disposal_due_at, Report.filing_due_at),
    )


def top_overdue(
    session: Session, where: Iterable[ColumnElement[bool]], *, limit: int = 10
) -> list[OverdueRow]:
    """The open overdue cases whose running deadline passed longest ago."""
    due = running_due_at().label("due_at")
    stmt = (
        select(Report.id, Report.number, Report.status, due)
        .where(*where, Report.overdue, Report.status.in_(OPEN_STATUSES))
        .order_by(due.asc().nulls_last(), Report.number.asc())
        .limit(limit)
    )
    return [
        OverdueRow(id=row.id, number=row.number, status=ReportStatus(row.status), due_at=row.due_at)
        for row in session.execute(stmt)
    ]
