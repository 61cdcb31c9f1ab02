"""Reading what a case action left behind: emitted event kinds, timeline, audit actions."""

from __future__ import annotations

from sqlalchemy import select

from services.models.audit import AuditEntry
from services.models.reports import ReportEvent


def kinds(events) -> list[str]:
    return [str(e.kind) for e in events]


def timeline(session, report) -> list[ReportEvent]:
    return list(
        session.scalars(
            select(ReportEvent)
            .where(ReportEvent.report_id == report.id)
            .order_by(ReportEvent.created_at, ReportEvent.id)
        )
    )


def audit_actions(session, report) -> list[str]:
    return list(
        session.scalars(
            select(AuditEntry.action).where(
                AuditEntry.object_type == "report", AuditEntry.object_id == str(report.id)
            )
        )
    )
