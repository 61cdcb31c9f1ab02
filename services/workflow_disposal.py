"""Disposal and verification: the department accepts, returns or resolves a case (with
after-photos); a grid worker on duty verifies it on site; the reporter may reopen it once.

Each use case loads the case under a row lock, runs every check before changing anything
(version, state, role and scope through ``precheck``, then its own rules), applies the action
through ``services.workflow.act`` and commits once.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Sequence

from sqlalchemy.orm import Session

from services.actors import Actor
from services.case_events import CaseEvent, CaseEventKind
from services.db import utcnow
from services.errors import Conflict, ValidationFailed
from services.media_claims import attach_media, claimable_media
from services.models.media import MediaPurpose
from services.models.reports import Report
from services.workflow import act, current_state, load_case
from services.workflow_rules import CaseAction
from services.workflow_triage import precheck

REOPEN_WINDOW = dt.timedelta(days=7)
MAX_REOPENS = 1


def accept_case(
    session: Session,
    *,
    actor: Actor,
    report_id: uuid.UUID,
    expected_version: int,
    note: str | None = None,
    now: dt.datetime | None = None,
) -> Report:
    """The department takes the dispatched case: in progress, with the actor as its handler."""
    now = now or utcnow()
    report = load_case(session, report_id, actor)
    act(
        session,
        report,
        actor=actor,
        action=CaseAction.ACCEPT,
        expected_version=expected_version,
        note=note,
        now=now,
    )
    report.accepted_at = now
    report.handler_id = actor.user_id
    report.updated_at = now
    session.commit()
    return report


def return_case(
    session: Session,
    *,
    actor: Actor,
    report_id: uuid.UUID,
    expected_version: int,
    reason: str,
    now: dt.datetime | None = None,
) -> Report:
    """The department sends the case back to the dispatcher (not ours, wrong place …). The
    department stays on the case as a hint; the case leaves its queue (status ``filed``)."""
    now = now or utcnow()
    report = load_case(session, report_id, actor)
    department_id = report.department_id
    act(
        session,
        report,
        actor=actor,
        action=CaseAction.RETURN,
        expected_version=expected_version,
        note=reason,
        data={"reason": reason},
        now=now,
        events=(
            CaseEvent(
                CaseEventKind.RETURNED,
                report.id,
                actor.user_id,
                {"department_id": str(department_id) if department_id else None, "reason": reason},
            ),
        ),
    )
    report.handler_id = None
    report.accepted_at = None
    report.updated_at = now
    session.commit()
    return report


def resolve_case(
    session: Session,
    *,
    actor: Actor,
    report_id: uuid.UUID,
    expected_version: int,
    note: str,
    public_note: str | None = None,
    media_ids: Sequence[uuid.UUID] = (),
    now: dt.datetime | None = None,
) -> Report:
    """The department reports the work done, with after-photos (at least one when the
    category requires photos); the grid's workers are asked to verify it."""
    now = now or utcnow()
    report = load_case(session, report_id, actor)
    precheck(session, report, actor, CaseAction.RESOLVE, expected_version)
    media = claimable_media(session, actor, list(media_ids), purpose=MediaPurpose.DISPOSAL)
    if report.category.photo_required and not media:
        raise ValidationFailed(fields={"media_ids": "case_photos_required"})
    attached = attach_media(session, report, media, now)
    grid = str(report.grid_id) if report.grid_id else None
    act(
        session,
        report,
        actor=actor,
        action=CaseAction.RESOLVE,
        expected_version=expected_version,
        note=note,
        public_note=public_note,
        data={"media_ids": attached} if attached else None,
        now=now,
        events=(
            CaseEvent(CaseEventKind.VERIFICATION_DUE, report.id, actor.user_id, {"grid_id": grid}),
        ),
    )
    report.resolved_at = now
    report.updated_at = now
    session.commit()
    return report


def verify_case(
    session: Session,
    *,
    actor: Actor,
    report_id: uuid.UUID,
    expected_version: int,
    passed: bool,
    note: str | None = None,
    media_ids: Sequence[uuid.UUID] = (),
    now: dt.datetime | None = None,
) -> Report:
    """On-site verification by a grid worker on duty in the case's grid. Passing (with at least
    one photo) closes the case; failing (with the reason) sends it back to the department as
    rework."""
    now = now or utcnow()
    action = CaseAction.VERIFY_PASS if passed else CaseAction.VERIFY_FAIL
    report = load_case(session, report_id, actor)
    precheck(session, report, actor, action, expected_version)
    if not passed and not (note and note.strip()):
        raise ValidationFailed(fields={"note": "case_reason_required"})
    media = claimable_media(session, actor, list(media_ids), purpose=MediaPurpose.VERIFICATION)
    if passed and not media:
        raise ValidationFailed(fields={"media_ids": "case_verify_photo_required"})
    attached = attach_media(session, report, media, now)
    events: tuple[CaseEvent, ...] = ()
    if not passed:
        # The department must hear that the work is back in its queue.
        department = str(report.department_id) if report.department_id else None
        events = (
            CaseEvent(
                CaseEventKind.REWORK,
                report.id,
                actor.user_id,
                {"department_id": department, "reason": note},
            ),
        )
    act(
        session,
        report,
        actor=actor,
        action=action,
        expected_version=expected_version,
        note=note,
        data={"media_ids": attached} if attached else None,
        now=now,
        events=events,
    )
    if passed:
        report.closed_at = now
    else:
        report.rework_count += 1
    report.updated_at = now
    session.commit()
    return report


def reopen_case(
    session: Session,
    *,
    actor: Actor,
    report_id: uuid.UUID,
    expected_version: int,
    reason: str,
    now: dt.datetime | None = None,
) -> Report:
    """The reporter is not satisfied with the closed case: within 7 days of closing, once, it
    goes back to verification."""
    now = now or utcnow()
    report = load_case(session, report_id, actor)
    precheck(session, report, actor, CaseAction.REOPEN, expected_version)
    if report.reopen_count >= MAX_REOPENS:
        raise Conflict("case_reopen_once", details={"current": current_state(report)})
    if report.closed_at is None or now - report.closed_at > REOPEN_WINDOW:
        raise Conflict("case_reopen_expired", details={"current": current_state(report)})
    grid = str(report.grid_id) if report.grid_id else None
    act(
        session,
        report,
        actor=actor,
        action=CaseAction.REOPEN,
        expected_version=expected_version,
        public_note=reason,
        data={"reason": reason},
        now=now,
        events=(
            CaseEvent(CaseEventKind.REOPENED, report.id, actor.user_id, {"reason": reason}),
            CaseEvent(CaseEventKind.VERIFICATION_DUE, report.id, actor.user_id, {"grid_id": grid}),
        ),
    )
    report.reopen_count += 1
    report.closed_at = None
    report.updated_at = now
    session.commit()
    return report
