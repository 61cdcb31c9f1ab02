"""Deadline extensions (延期) and supervision (督办): the department asks for more time and a
dispatcher approves or refuses; a dispatcher marks an overdue or important case as supervised
and the department is told. None of these change the case's state; each is a timeline entry.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from services.actors import Actor
from services.case_events import CaseEvent, CaseEventKind
from services.db import utcnow
from services.errors import Conflict, NotFound, ValidationFailed
from services.models.reports import Report
from services.models.workflow import ExtensionRequest, ExtensionStatus
from services.workflow import act, current_state, load_case
from services.workflow_rules import CaseAction
from services.workflow_triage import precheck

# A request further out than this is a typo or a way of never finishing.
MAX_EXTENSION = dt.timedelta(days=366)


@dataclass(frozen=True)
class ExtensionOutcome:
    report: Report
    extension: ExtensionRequest


def _pending(session: Session, report_id: uuid.UUID) -> ExtensionRequest | None:
    return session.scalar(
        select(ExtensionRequest).where(
            ExtensionRequest.report_id == report_id,
            ExtensionRequest.status == ExtensionStatus.PENDING,
        )
    )


def request_extension(
    session: Session,
    *,
    actor: Actor,
    report_id: uuid.UUID,
    expected_version: int,
    due_at: dt.datetime,
    reason: str,
    now: dt.datetime | None = None,
) -> ExtensionOutcome:
    """The department asks to move the disposal deadline to ``due_at``: later than the current
    deadline and than now; one pending request per case."""
    now = now or utcnow()
    report = load_case(session, report_id, actor)
    action = CaseAction.REQUEST_EXTENSION
    precheck(session, report, actor, action, expected_version)
    if due_at.tzinfo is None:
        raise ValidationFailed(fields={"due_at": "extension_due_naive"})
    floor = max(now, report.disposal_due_at) if report.disposal_due_at else now
    if due_at <= floor:
        raise ValidationFailed(fields={"due_at": "extension_due_not_later"})
    if due_at - now > MAX_EXTENSION:
        raise ValidationFailed(fields={"due_at": "extension_due_too_far"})
    if _pending(session, report.id) is not None:
        raise Conflict("extension_pending", details={"current": current_state(report)})
    extension = ExtensionRequest(
        report_id=report.id,
        requested_by_id=actor.user_id,
        requested_due_at=due_at.astimezone(dt.UTC),
        reason=reason,
        status=ExtensionStatus.PENDING,
        created_at=now,
    )
    session.add(extension)
    session.flush()
    act(
        session,
        report,
        actor=actor,
        action=action,
        expected_version=expected_version,
        note=reason,
        data={"extension_id": str(extension.id), "due_at": extension.requested_due_at.isoformat()},
        now=now,
        events=(
            CaseEvent(
                CaseEventKind.EXTENSION_REQUESTED,
                report.id,
                actor.user_id,
                {"extension_id": str(extension.id), "due_at": due_at.isoformat()},
            ),
        ),
    )
    report.updated_at = now
    session.commit()
    return ExtensionOutcome(report, extension)


def decide_extension(
    session: Session,
    *,
    actor: Actor,
    report_id: uuid.UUID,
    extension_id: uuid.UUID,
    expected_version: int,
    approve: bool,
    note: str | None = None,
    now: dt.datetime | None = None,
) -> ExtensionOutcome:
    """A dispatcher decides a pending request. Approving moves the disposal deadline (and
    clears ``overdue`` when the new deadline is still ahead)."""
    now = now or utcnow()
    action = CaseAction.APPROVE_EXTENSION if approve else CaseAction.REFUSE_EXTENSION
    report = load_case(session, report_id, actor)
    extension = session.get(ExtensionRequest, extension_id)
    if extension is None or extension.report_id != report.id:
        raise NotFound(what="extension")
    precheck(session, report, actor, action, expected_version)
    if extension.status is not ExtensionStatus.PENDING:
        raise Conflict("extension_decided", details={"current": current_state(report)})
    extension.status = ExtensionStatus.APPROVED if approve else ExtensionStatus.REFUSED
    extension.decided_by_id = actor.user_id
    extension.decided_at = now
    extension.decision_note = note
    before = report.disposal_due_at
    act(
        session,
        report,
        actor=actor,
        action=action,
        expected_version=expected_version,
        note=note,
        data={
            "extension_id": str(extension.id),
            "due_at": extension.requested_due_at.isoformat(),
            "previous_due_at": before.isoformat() if before else None,
        },
        now=now,
        events=(
            CaseEvent(
                CaseEventKind.EXTENSION_DECIDED,
                report.id,
                actor.user_id,
                {
                    "extension_id": str(extension.id),
                    "approved": approve,
                    "due_at": extension.requested_due_at.isoformat(),
                    "department_id": str(report.department_id) if report.department_id else None,
                },
            ),
        ),
    )
    if approve:
        report.disposal_due_at = extension.requested_due_at
        if report.overdue and now < extension.requested_due_at:
            report.overdue = False
    report.updated_at = now
    session.commit()
    return ExtensionOutcome(report, extension)


def supervise_case(
    session: Session,
    *,
    actor: Actor,
    report_id: uuid.UUID,
    expected_version: int,
    note: str,
    now: dt.datetime | None = None,
) -> Report:
    """A dispatcher marks an open case as supervised (督办); its department is told."""
    now = now or utcnow()
    report = load_case(session, report_id, actor)
    act(
        session,
        report,
        actor=actor,
        action=CaseAction.SUPERVISE,
        expected_version=expected_version,
        note=note,
        data={"overdue": report.overdue},
        now=now,
        events=(
            CaseEvent(
                CaseEventKind.SUPERVISED,
                report.id,
                actor.user_id,
                {
                    "department_id": str(report.department_id) if report.department_id else None,
                    "note": note,
                },
            ),
        ),
    )
    report.supervised_at = now
    report.updated_at = now
    session.commit()
    return report
