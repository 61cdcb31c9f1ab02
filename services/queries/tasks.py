"""The work queues: which cases wait for which staff member, as SQL conditions.

A queue is a condition on ``reports`` plus the scope of the grant its role acts under: dispatchers
and admins their area subtree (``CASE_TRIAGE``), department handlers their department
(``CASE_DISPOSE``), grid workers their area and the grids they are on duty in (``CASE_VERIFY``).
Every queue sorts by the deadline that runs in the case's state (nulls last), then by age.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum

from sqlalchemy import ColumnElement, Select, and_, case, exists, func, select
from sqlalchemy.orm import Session

from services.actors import Actor
from services.authz import Action, scope_clause
from services.models.accounts import Role
from services.models.areas import Area, GridAssignment
from services.models.reports import (
    OPEN_STATUSES,
    DuplicateStatus,
    Report,
    ReportDuplicate,
    ReportEvent,
    ReportStatus,
)
from services.models.workflow import ExtensionRequest, ExtensionStatus
from services.workflow_rules import DISPATCHERS, HANDLERS, WORKERS, CaseAction

S = ReportStatus


class TaskQueue(StrEnum):
    TO_FILE = "to_file"  # 待立案
    DUPLICATES = "duplicates"  # 疑似重复待确认
    RETURNED = "returned"  # 被退回
    EXTENSIONS = "extensions"  # 延期申请待审批
    OVERDUE = "overdue"  # 超期
    TO_DISPATCH = "to_dispatch"  # 待派遣
    TO_ACCEPT = "to_accept"  # 待签收
    IN_PROGRESS = "in_progress"  # 处置中
    REWORK = "rework"  # 返工
    TO_VERIFY = "to_verify"  # 待核查


# The deadline that runs while a case is in its state: filing while it waits to be filed, the
# disposal deadline from filing until it is resolved (set when it is dispatched).
DEADLINE = case(
    (Report.status == S.REPORTED, Report.filing_due_at),
    (Report.status.in_((S.FILED, S.DISPATCHED, S.IN_PROGRESS)), Report.disposal_due_at),
    else_=None,
).label("deadline")


def _triage_scope(session: Session, actor: Actor) -> ColumnElement[bool]:
    return scope_clause(actor, Action.CASE_TRIAGE, area_paths=(Report.area_path,))


def _dispose_scope(session: Session, actor: Actor) -> ColumnElement[bool]:
    return scope_clause(actor, Action.CASE_DISPOSE, department_col=Report.department_id)


def _verify_scope(session: Session, actor: Actor) -> ColumnElement[bool]:
    on_duty = select(GridAssignment.area_id).where(
        GridAssignment.user_id == actor.user_id, GridAssignment.ended_at.is_(None)
    )
    return and_(
        scope_clause(actor, Action.CASE_VERIFY, area_paths=(Report.area_path,)),
        Report.grid_id.in_(on_duty),
    )


def _latest_filing_action() -> Select:
    """The action of the case's latest entry that put it in ``filed`` ("file" or "return")."""
    return (
        select(ReportEvent.action)
        .where(ReportEvent.report_id == Report.id, ReportEvent.to_status == S.FILED.value)
        .order_by(ReportEvent.created_at.desc(), ReportEvent.id.desc())
        .limit(1)
        .correlate(Report)
        .scalar_subquery()
    )


def _condition(queue: TaskQueue) -> ColumnElement[bool]:
    match queue:
        case TaskQueue.TO_FILE:
            return Report.status == S.REPORTED
        case TaskQueue.DUPLICATES:
            suspected = exists().where(
                ReportDuplicate.report_id == Report.id,
                ReportDuplicate.status == DuplicateStatus.SUSPECTED,
            )
            return and_(Report.status.in_((S.REPORTED, S.FILED)), suspected)
        case TaskQueue.RETURNED:
            return and_(
                Report.status == S.FILED, _latest_filing_action() == CaseAction.RETURN.value
            )
        case TaskQueue.EXTENSIONS:
            pending = exists().where(
                ExtensionRequest.report_id == Report.id,
                ExtensionRequest.status == ExtensionStatus.PENDING,
            )
            return and_(Report.status.in_((S.DISPATCHED, S.IN_PROGRESS)), pending)
        case TaskQueue.OVERDUE:
            return and_(Report.overdue.is_(True), Report.status.in_(OPEN_STATUSES))
        case TaskQueue.TO_DISPATCH:
            return Report.status == S.FILED
        case TaskQueue.TO_ACCEPT:
            return Report.status == S.DISPATCHED
        case TaskQueue.IN_PROGRESS:
            return Report.status == S.IN_PROGRESS
        case TaskQueue.REWORK:
            return and_(Report.status == S.IN_PROGRESS, Report.rework_count > 0)
        case TaskQueue.TO_VERIFY:
            return Report.status == S.RESOLVED
    raise ValueError(f"unknown queue {queue!r}")  # pragma: no cover - the match is exhaustive


Scope = Callable[[Session, Actor], ColumnElement[bool]]


@dataclass(frozen=True)
class QueueGroup:
    roles: frozenset[Role]
    scope: Scope
    queues: tuple[TaskQueue, ...]


Q = TaskQueue
GROUPS: tuple[QueueGroup, ...] = (
    QueueGroup(
        DISPATCHERS,
        _triage_scope,
        (Q.TO_FILE, Q.DUPLICATES, Q.RETURNED, Q.EXTENSIONS, Q.OVERDUE, Q.TO_DISPATCH),
    ),
    QueueGroup(HANDLERS, _dispose_scope, (Q.TO_ACCEPT, Q.IN_PROGRESS, Q.REWORK)),
    QueueGroup(WORKERS, _verify_scope, (Q.TO_VERIFY,)),
)


def queues_for(actor: Actor) -> list[TaskQueue]:
    """The actor's queues, in display order (empty for residents)."""
    return [q for group in GROUPS if group.roles & actor.roles for q in group.queues]


def _where(session: Session, actor: Actor, queue: TaskQueue) -> ColumnElement[bool]:
    group = next(g for g in GROUPS if queue in g.queues)
    return and_(_condition(queue), group.scope(session, actor))


def count_queue(session: Session, actor: Actor, queue: TaskQueue) -> int:
    stmt = select(func.count()).select_from(Report).where(_where(session, actor, queue))
    return session.scalar(stmt) or 0


@dataclass(frozen=True)
class TaskRow:
    report: Report
    area_name: str | None
    deadline: dt.datetime | None


def list_queue(
    session: Session, actor: Actor, queue: TaskQueue, *, page: int, page_size: int
) -> list[TaskRow]:
    """One page of the queue, by deadline (none last), then oldest first."""
    stmt = (
        select(Report, Area.name, DEADLINE)
        .outerjoin(Area, Area.id == Report.area_id)
        .where(_where(session, actor, queue))
        .order_by(DEADLINE.is_(None), DEADLINE, Report.created_at, Report.id)
        .limit(page_size)
        .offset((page - 1) * page_size)
    )
    return [
        TaskRow(report, area_name, deadline)
        for report, area_name, deadline in session.execute(stmt).unique()
    ]
