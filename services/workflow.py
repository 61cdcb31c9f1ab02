"""Applying the state machine to a case: version check, authorisation by role and by area,
department or grid duty, the timeline entry, the audit entry and the case event, in the
caller's transaction. The use cases in services/workflow_*.py build on ``act``.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from services import audit
from services.actors import Actor
from services.authz import Action, Target, can
from services.case_events import CaseEvent, CaseEventKind, emit
from services.db import utcnow
from services.errors import Conflict, NotFound, PermissionDenied
from services.models.areas import GridAssignment
from services.models.reports import Report, ReportEvent
from services.workflow_rules import CaseAction, role_for, transition_for

# Which authorisation each action needs beyond its role.
ACTION_GRANT: dict[CaseAction, Action] = {
    CaseAction.FILE: Action.CASE_TRIAGE,
    CaseAction.REJECT: Action.CASE_TRIAGE,
    CaseAction.MERGE: Action.CASE_TRIAGE,
    CaseAction.DISPATCH: Action.CASE_TRIAGE,
    CaseAction.APPROVE_EXTENSION: Action.CASE_TRIAGE,
    CaseAction.REFUSE_EXTENSION: Action.CASE_TRIAGE,
    CaseAction.SUPERVISE: Action.CASE_TRIAGE,
    CaseAction.ACCEPT: Action.CASE_DISPOSE,
    CaseAction.RETURN: Action.CASE_DISPOSE,
    CaseAction.RESOLVE: Action.CASE_DISPOSE,
    CaseAction.REQUEST_EXTENSION: Action.CASE_DISPOSE,
    CaseAction.VERIFY_PASS: Action.CASE_VERIFY,
    CaseAction.VERIFY_FAIL: Action.CASE_VERIFY,
    CaseAction.REOPEN: Action.CASE_REOPEN,
}


def case_target(report: Report) -> Target:
    return Target(
        area_path=report.area_path, department_id=report.department_id, owner_id=report.reporter_id
    )


def current_state(report: Report) -> dict[str, Any]:
    """What a 409 tells the client about the case as it is now."""
    return {"status": str(report.status), "version": report.version}


def load_case(session: Session, report_id: uuid.UUID, actor: Actor) -> Report:
    """The case, locked for this transaction (PostgreSQL row lock; SQLite write transactions
    are serial). 404 when it does not exist or the actor may not even read it."""
    query = select(Report).where(Report.id == report_id)
    if session.get_bind().dialect.name == "postgresql":
        query = query.with_for_update(of=Report)
    report = session.scalars(query).unique().one_or_none()
    if report is None or not _may_see(actor, report):
        raise NotFound(what="report")
    return report


def _may_see(actor: Actor, report: Report) -> bool:
    target = case_target(report)
    return any(can(actor, grant, target) for grant in (Action.REPORT_READ, *ACTION_GRANT.values()))


def check_version(report: Report, expected: int) -> None:
    """Optimistic concurrency: the client acted on ``expected``; someone else moved it on."""
    if report.version != expected:
        raise Conflict("case_version_conflict", details={"current": current_state(report)})


def on_duty(session: Session, actor: Actor, grid_id: uuid.UUID | None) -> bool:
    """Whether the actor is a grid worker currently assigned to the grid."""
    if grid_id is None or actor.user_id is None:
        return False
    found = session.scalar(
        select(GridAssignment.id).where(
            GridAssignment.user_id == actor.user_id,
            GridAssignment.area_id == grid_id,
            GridAssignment.ended_at.is_(None),
        )
    )
    return found is not None


def authorise(session: Session, actor: Actor, report: Report, action: CaseAction) -> str:
    """The role the actor acts in, or PermissionDenied: the role must allow the action, the
    case must be in the actor's area (dispatchers), department (handlers), grid on duty (grid
    workers) or their own (residents)."""
    role = role_for(action, actor.roles)
    if role is None or not can(actor, ACTION_GRANT[action], case_target(report)):
        raise PermissionDenied()
    if ACTION_GRANT[action] is Action.CASE_VERIFY and not on_duty(session, actor, report.grid_id):
        raise PermissionDenied("case_not_on_duty")
    return str(role)


@dataclass(frozen=True)
class Acted:
    report: Report
    event: ReportEvent


def act(
    session: Session,
    report: Report,
    *,
    actor: Actor,
    action: CaseAction,
    expected_version: int,
    note: str | None = None,
    public_note: str | None = None,
    data: dict[str, Any] | None = None,
    now: dt.datetime | None = None,
    events: tuple[CaseEvent, ...] = (),
) -> Acted:
    """Check and apply ``action``: version, state, role and scope; then the new state, version
    + 1, a timeline entry, an audit entry and the case events. The caller sets the action's own
    fields (department, deadline …) and commits."""
    now = now or utcnow()
    check_version(report, expected_version)
    try:
        rule = transition_for(action, report.status)
    except Conflict as exc:
        exc.details = {"current": current_state(report)}
        raise
    role = authorise(session, actor, report, action)
    before = report.status
    after = rule.target if rule.target is not None else before
    report.status = after
    report.version += 1
    event = ReportEvent(
        report_id=report.id,
        action=str(action),
        from_status=str(before),
        to_status=str(after),
        actor_id=actor.user_id,
        actor_role=role,
        note=note,
        public_note=public_note,
        data=data or None,
        created_at=now,
    )
    session.add(event)
    audit.record(
        session,
        actor,
        f"case.{action}",
        object_type="report",
        object_id=report.id,
        area_path=report.area_path,
        before={"status": str(before)},
        after={"status": str(after), "version": report.version, **(data or {})},
    )
    if after != before:
        emit(
            session,
            CaseEvent(
                CaseEventKind.STATUS_CHANGED,
                report.id,
                actor.user_id,
                {"from": str(before), "to": str(after), "action": str(action)},
            ),
        )
    for extra in events:
        emit(session, extra)
    return Acted(report, event)
