"""Merging a duplicate into another case and dismissing suspected duplicates (triage, with
services/workflow_triage.py). Both cases of a merge are row-locked in id order.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from services import audit
from services.actors import Actor
from services.authz import Action, Target, can
from services.db import utcnow
from services.errors import Conflict, NotFound, ValidationFailed
from services.models.reports import (
    OPEN_STATUSES,
    DuplicateStatus,
    Report,
    ReportDuplicate,
    ReportEvent,
    ReportSupporter,
)
from services.workflow import act, authorise, load_case
from services.workflow_rules import CaseAction, role_for
from services.workflow_triage import precheck


def _lock_pair(session: Session, a: uuid.UUID, b: uuid.UUID) -> dict[uuid.UUID, Report]:
    """Both cases, row-locked in id order so two opposite merges cannot deadlock."""
    query = select(Report).where(Report.id.in_([a, b])).order_by(Report.id)
    if session.get_bind().dialect.name == "postgresql":
        query = query.with_for_update(of=Report)
    return {r.id: r for r in session.scalars(query).unique()}


def _move_supporters(session: Session, report: Report, master: Report, now: dt.datetime) -> int:
    """The merged case's reporter and supporters support the master (once each; never the
    master's own reporter); returns the master's exact new count."""
    people = set(
        session.scalars(
            select(ReportSupporter.user_id).where(ReportSupporter.report_id == report.id)
        )
    )
    if report.reporter_id is not None:
        people.add(report.reporter_id)
    people.discard(master.reporter_id)
    existing = set(
        session.scalars(
            select(ReportSupporter.user_id).where(
                ReportSupporter.report_id == master.id, ReportSupporter.user_id.in_(people)
            )
        )
    )
    # A resident may say "me too" on the master at this very moment: never fail on their row.
    insert = postgresql.insert if session.get_bind().dialect.name == "postgresql" else sqlite.insert
    for user_id in sorted(people - existing):
        session.execute(
            insert(ReportSupporter.__table__)
            .values(report_id=master.id, user_id=user_id, created_at=now)
            .on_conflict_do_nothing(index_elements=["report_id", "user_id"])
        )
    master.supporters_count = session.scalar(
        select(func.count())
        .select_from(ReportSupporter)
        .where(ReportSupporter.report_id == master.id)
    )
    return len(people - existing)


def _confirm_links(
    session: Session, actor: Actor, report: Report, master: Report, now: dt.datetime
) -> bool:
    links = session.scalars(
        select(ReportDuplicate).where(
            ((ReportDuplicate.report_id == report.id) & (ReportDuplicate.original_id == master.id))
            | (
                (ReportDuplicate.report_id == master.id)
                & (ReportDuplicate.original_id == report.id)
            )
        )
    ).all()
    for link in links:
        link.status = DuplicateStatus.CONFIRMED
        link.decided_by_id, link.decided_at = actor.user_id, now
    return bool(links)


def merge_case(
    session: Session,
    *,
    actor: Actor,
    report_id: uuid.UUID,
    into_id: uuid.UUID,
    expected_version: int,
    note: str | None = None,
    now: dt.datetime | None = None,
) -> Report:
    """Merge a duplicate into an open case (the master): ``reported``/``filed`` → ``merged``.
    Its reporter and supporters become the master's supporters; cases merged into it before
    now point at the master; a suspected-duplicate link between the two is confirmed."""
    now = now or utcnow()
    if into_id == report_id:
        load_case(session, report_id, actor)
        raise ValidationFailed(fields={"into": "merge_into_self"})
    pair = _lock_pair(session, report_id, into_id)
    report = load_case(session, report_id, actor)
    precheck(session, report, actor, CaseAction.MERGE, expected_version)
    master = pair.get(into_id)
    if master is None or not can(actor, Action.CASE_TRIAGE, Target(area_path=master.area_path)):
        raise ValidationFailed(fields={"into": "merge_target_unknown"})
    if master.status not in OPEN_STATUSES:
        raise Conflict("merge_target_not_open", number=master.number)
    moved = _move_supporters(session, report, master, now)
    confirmed = _confirm_links(session, actor, report, master, now)
    for earlier in session.scalars(select(Report).where(Report.merged_into_id == report.id)):
        earlier.merged_into_id = master.id
    report.merged_into_id = master.id
    report.updated_at = master.updated_at = now
    data = {"into": str(master.id), "into_number": master.number, "supporters_added": moved}
    act(
        session,
        report,
        actor=actor,
        action=CaseAction.MERGE,
        expected_version=expected_version,
        note=note,
        data={**data, "duplicate_confirmed": confirmed},
        now=now,
    )
    session.add(
        ReportEvent(
            report_id=master.id,
            action="merged_in",
            from_status=str(master.status),
            actor_id=actor.user_id,
            actor_role=str(role_for(CaseAction.MERGE, actor.roles)),
            note=note,
            data={"from": str(report.id), "from_number": report.number, "supporters_added": moved},
            created_at=now,
        )
    )
    session.commit()
    return report


@dataclass(frozen=True)
class DuplicateDecision:
    report_id: uuid.UUID
    original_id: uuid.UUID
    status: DuplicateStatus
    decided_at: dt.datetime


def dismiss_duplicate(
    session: Session,
    *,
    actor: Actor,
    report_id: uuid.UUID,
    original_id: uuid.UUID,
    note: str | None = None,
    now: dt.datetime | None = None,
) -> DuplicateDecision:
    """Not a duplicate after all: the suspected link is dismissed; the case's state and
    version stay as they are (a timeline entry and an audit entry record the decision)."""
    now = now or utcnow()
    report = load_case(session, report_id, actor)
    role = authorise(session, actor, report, CaseAction.MERGE)
    link = session.scalar(
        select(ReportDuplicate).where(
            ReportDuplicate.report_id == report.id, ReportDuplicate.original_id == original_id
        )
    )
    if link is None:
        raise NotFound(what="duplicate")
    if link.status is not DuplicateStatus.SUSPECTED:
        raise Conflict("duplicate_already_decided", status=str(link.status))
    link.status = DuplicateStatus.DISMISSED
    link.decided_by_id, link.decided_at = actor.user_id, now
    data = {"original_id": str(original_id)}
    session.add(
        ReportEvent(
            report_id=report.id,
            action="duplicate_dismissed",
            from_status=str(report.status),
            actor_id=actor.user_id,
            actor_role=role,
            note=note,
            data=data,
            created_at=now,
        )
    )
    audit.record(
        session,
        actor,
        "case.duplicate_dismissed",
        object_type="report",
        object_id=report.id,
        area_path=report.area_path,
        before={"duplicate": str(DuplicateStatus.SUSPECTED)},
        after={"duplicate": str(DuplicateStatus.DISMISSED), **data},
    )
    session.commit()
    return DuplicateDecision(report.id, original_id, link.status, now)
