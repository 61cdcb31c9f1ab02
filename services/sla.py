"""Deadlines and overdue cases (SLA).

A case has one running deadline per phase: ``filing_due_at`` while it waits to be filed
(``reported``), ``disposal_due_at`` while the department works on it (``dispatched``,
``in_progress``). Both come from the category's time limits (phase → urgency → amount + unit) on
the working calendar: ``phase_deadline``.

``scan_overdue`` (``onegrid sla scan``, and the worker every five minutes) marks the cases whose
running deadline has passed: ``overdue = True``, a timeline entry "overdue" by the system, an
audit entry and a ``CaseEvent(OVERDUE)`` for the notifications. It only ever sets the flag;
approving an extension clears it. The version is not bumped: the flag is the clock's, not a
person's action, and must not make a dispatcher's open form stale.
"""

from __future__ import annotations

import datetime as dt
import logging
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, and_, func, or_, select
from sqlalchemy.orm import Session

from services import audit
from services.actors import Actor
from services.calendar import WorkingCalendar
from services.calendar_hours import DEFAULT_WORKING_HOURS, WorkingHours
from services.case_events import CaseEvent, CaseEventKind, emit
from services.models.catalogue import Category, LimitUnit, Phase, Urgency
from services.models.reports import Report, ReportEvent, ReportStatus

logger = logging.getLogger(__name__)

OVERDUE_ACTION = "overdue"
SYSTEM_ROLE = "system"
DEFAULT_BATCH = 500

# The status a case waits in during each phase, and the column holding that phase's deadline.
PHASE_STATUSES: dict[Phase, tuple[ReportStatus, ...]] = {
    Phase.FILING: (ReportStatus.REPORTED,),
    Phase.DISPOSAL: (ReportStatus.DISPATCHED, ReportStatus.IN_PROGRESS),
}
PHASE_COLUMNS = {Phase.FILING: Report.filing_due_at, Phase.DISPOSAL: Report.disposal_due_at}


def time_limit(category: Category, urgency: Urgency, phase: Phase) -> dict[str, Any] | None:
    """The category's ``{amount, unit}`` for a phase and urgency; a minor class without limits
    of its own uses its major class's. None when neither has one."""
    for source in (category, category.parent):
        limits = (source.time_limits or {}) if source is not None else {}
        limit = limits.get(Phase(phase).value, {}).get(Urgency(urgency).value)
        if limit:
            return limit
    return None


def phase_deadline(
    session: Session | None,
    *,
    category: Category,
    urgency: Urgency,
    phase: Phase,
    start: dt.datetime,
    hours: WorkingHours = DEFAULT_WORKING_HOURS,
    calendar: WorkingCalendar | None = None,
) -> dt.datetime | None:
    """When ``phase`` of a case of ``category`` and ``urgency`` that starts at ``start`` is due
    (UTC), counted on the working calendar (database overrides, then the package, then the
    fallback); None when the category sets no limit for it."""
    limit = time_limit(category, urgency, phase)
    if limit is None:
        return None
    calendar = calendar or WorkingCalendar(session, hours=hours)
    return calendar.deadline(start, limit["amount"], LimitUnit(limit["unit"]))


def phase_of(status: ReportStatus) -> Phase | None:
    """The phase whose deadline runs while a case is in ``status`` (None: no deadline runs)."""
    for phase, statuses in PHASE_STATUSES.items():
        if ReportStatus(status) in statuses:
            return phase
    return None


def running_deadline(report: Report) -> dt.datetime | None:
    """The deadline that runs for the case now (None in states without one)."""
    phase = phase_of(report.status)
    return getattr(report, PHASE_COLUMNS[phase].key) if phase is not None else None


def late_condition(now: dt.datetime) -> ColumnElement[bool]:
    """SQL: open, not yet flagged, and past the deadline of the phase it is in."""
    # ``NOT overdue`` (not ``IS false``): the form the partial indexes' predicates use, so the
    # planner can prove they apply.
    return and_(
        ~Report.overdue,
        or_(
            *(
                and_(Report.status.in_(statuses), PHASE_COLUMNS[phase] < now)
                for phase, statuses in PHASE_STATUSES.items()
            )
        ),
    )


@dataclass(frozen=True)
class ScanResult:
    filing: int = 0  # cases flagged late in filing
    disposal: int = 0  # cases flagged late in disposal
    batches: int = 0  # transactions committed
    dry_run: bool = False

    @property
    def marked(self) -> int:
        return self.filing + self.disposal

    def as_dict(self) -> dict[str, Any]:
        return {
            "filing": self.filing,
            "disposal": self.disposal,
            "marked": self.marked,
            "batches": self.batches,
            "dry_run": self.dry_run,
        }


def count_late(session: Session, *, now: dt.datetime) -> dict[Phase, int]:
    """How many cases a scan at ``now`` would flag, per phase (nothing changes)."""
    return {
        phase: session.scalar(
            select(func.count())
            .select_from(Report)
            .where(
                Report.overdue.is_(False),
                Report.status.in_(statuses),
                PHASE_COLUMNS[phase] < now,
            )
        )
        or 0
        for phase, statuses in PHASE_STATUSES.items()
    }


def _late_batch(session: Session, now: dt.datetime, size: int) -> list[Report]:
    query = select(Report).where(late_condition(now)).order_by(Report.id).limit(size)
    if session.get_bind().dialect.name == "postgresql":
        # A case a person is acting on right now is left for the next scan rather than waited
        # for; the lock re-checks the condition, so a case filed meanwhile is not flagged.
        query = query.with_for_update(of=Report, skip_locked=True)
    return list(session.scalars(query).unique())


def _flag(session: Session, report: Report, system: Actor, now: dt.datetime) -> Phase:
    # The query selects only statuses with a running deadline.
    phase = phase_of(report.status) or Phase.DISPOSAL
    due_at = getattr(report, PHASE_COLUMNS[phase].key)
    due = due_at.isoformat() if due_at is not None else None
    report.overdue = True
    session.add(
        ReportEvent(
            report_id=report.id,
            action=OVERDUE_ACTION,
            from_status=str(report.status),
            to_status=str(report.status),
            actor_id=None,
            actor_role=SYSTEM_ROLE,
            data={"phase": str(phase), "due_at": due},
            created_at=now,
        )
    )
    audit.record(
        session,
        system,
        "case.overdue",
        object_type="report",
        object_id=report.id,
        area_path=report.area_path,
        before={"overdue": False},
        after={"overdue": True, "phase": str(phase), "due_at": due},
    )
    department = str(report.department_id) if report.department_id else None
    emit(
        session,
        CaseEvent(
            CaseEventKind.OVERDUE,
            report.id,
            None,
            {"phase": str(phase), "due_at": due, "department_id": department},
        ),
    )
    return phase


def scan_overdue(
    session: Session,
    *,
    now: dt.datetime,
    batch: int = DEFAULT_BATCH,
    dry_run: bool = False,
    progress: Callable[[int], None] | None = None,
) -> ScanResult:
    """Flag every case past its running deadline, ``batch`` cases per transaction.

    Idempotent: a flagged case is not selected again. ``progress`` is told how many cases each
    committed batch flagged. With ``dry_run`` nothing changes and the counts are what a scan
    would flag.
    """
    if batch < 1:
        raise ValueError("batch must be at least 1")
    if dry_run:
        counts = count_late(session, now=now)
        return ScanResult(counts[Phase.FILING], counts[Phase.DISPOSAL], 0, dry_run=True)
    system = Actor.system("sla-scan")
    flagged = {Phase.FILING: 0, Phase.DISPOSAL: 0}
    batches = 0
    seen: set[uuid.UUID] = set()
    while True:
        cases = [case for case in _late_batch(session, now, batch) if case.id not in seen]
        if not cases:
            break
        for case in cases:
            flagged[_flag(session, case, system, now)] += 1
            seen.add(case.id)
        session.commit()
        batches += 1
        if progress is not None:
            progress(len(cases))
        if len(cases) < batch:
            break
    result = ScanResult(flagged[Phase.FILING], flagged[Phase.DISPOSAL], batches)
    if result.marked:
        logger.info("sla scan flagged %s overdue cases: %s", result.marked, result.as_dict())
    return result
