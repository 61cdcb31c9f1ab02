"""Supporting a report ("me too"): counted once per person, and the supporter is subscribed.

The ReportSupporter row is both the vote and the subscription the notifications use. The
count moves with ``supporters_count + 1`` only when that row was really inserted, so retries
and simultaneous taps count once.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from sqlalchemy import select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from services import audit
from services.actors import Actor
from services.db import utcnow
from services.errors import AuthenticationFailed, Conflict, NotFound
from services.models.reports import OPEN_STATUSES, Report, ReportSupporter


@dataclass(frozen=True)
class SupportState:
    report_id: uuid.UUID
    supporters_count: int
    supported: bool = True


def support_report(session: Session, *, actor: Actor, report_id: uuid.UUID) -> SupportState:
    """Count ``actor`` as a supporter of an open report (not their own); idempotent."""
    if actor.user_id is None:
        raise AuthenticationFailed("unauthenticated")
    report = session.get(Report, report_id)
    if report is None:
        raise NotFound(what="report")
    if report.reporter_id == actor.user_id:
        raise Conflict("cannot_support_own")
    if report.status not in OPEN_STATUSES:
        raise Conflict("report_not_open")
    insert = postgresql.insert if session.get_bind().dialect.name == "postgresql" else sqlite.insert
    table = ReportSupporter.__table__
    inserted = session.execute(
        insert(table)
        .values(report_id=report.id, user_id=actor.user_id, created_at=utcnow())
        .on_conflict_do_nothing(index_elements=["report_id", "user_id"])
        .returning(table.c.user_id)
    ).first()
    if inserted is not None:
        session.execute(
            update(Report)
            .where(Report.id == report.id)
            .values(supporters_count=Report.supporters_count + 1)
            .execution_options(synchronize_session=False)
        )
        audit.record(
            session,
            actor,
            "report.supported",
            object_type="report",
            object_id=report.id,
            area_path=report.area_path,
        )
    count = session.scalar(select(Report.supporters_count).where(Report.id == report.id))
    session.commit()
    return SupportState(report_id=report.id, supporters_count=count or 0)
