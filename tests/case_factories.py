"""Cases in each state of the closed loop, inserted directly (no HTTP, no state machine).

``world`` is ``tests.report_factories.make_report_world`` (or the standard ``tree`` plus a
department under "department"): the case lies in ``grid`` (default: world["grid1"] or
world["grid"]). Each helper sets the fields the steps before it would have set, a version one
higher per step, and a timeline entry per step.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.orm import Session

from services.models.accounts import Role, User
from services.models.areas import Area, Department
from services.models.audit import AuditEntry
from services.models.reports import Report, ReportEvent, ReportStatus
from tests.factories import make_department, make_user
from tests.report_read_factories import make_report

S = ReportStatus
_STEPS = (
    ("file", S.REPORTED, S.FILED),
    ("dispatch", S.FILED, S.DISPATCHED),
    ("accept", S.DISPATCHED, S.IN_PROGRESS),
    ("resolve", S.IN_PROGRESS, S.RESOLVED),
)


def _grid(world: dict, grid: Area | None) -> Area:
    return grid or world.get("grid1") or world["grid"]


def _department(session: Session, world: dict, department: Department | None) -> Department:
    if department is not None:
        return department
    if world.get("department") is None:
        world["department"] = make_department(session, area=world.get("city"))
    return world["department"]


def make_dispatcher(session: Session, area: Area, **kwargs) -> User:
    return make_user(session, role=Role.DISPATCHER, area=area, **kwargs)


def make_handler(session: Session, department: Department, **kwargs) -> User:
    return make_user(session, role=Role.DEPARTMENT_HANDLER, department=department, **kwargs)


def reported_case(
    session: Session,
    world: dict,
    *,
    reporter: User | None = None,
    grid: Area | None = None,
    category=None,
    department: Department | None = None,
    now: dt.datetime | None = None,
    **kwargs,
) -> Report:
    """A case as submission leaves it (status reported, version 1)."""
    now = now or dt.datetime.now(dt.UTC)
    report = make_report(
        session,
        reporter=reporter,
        grid=_grid(world, grid),
        category=category or world.get("category"),
        department=department,
        created_at=now - dt.timedelta(hours=2),
        filing_due_at=now + dt.timedelta(days=1),
        **kwargs,
    )
    session.add(
        ReportEvent(
            report_id=report.id,
            action="reported",
            to_status=str(S.REPORTED),
            actor_id=reporter.id if reporter else None,
            created_at=now - dt.timedelta(hours=2),
        )
    )
    session.flush()
    return report


def _advance(session: Session, report: Report, upto: ReportStatus, now: dt.datetime, fields):
    for action, source, target in _STEPS:
        if report.status is upto:
            break
        assert report.status is source
        report.status = target
        report.version += 1
        for name, value in fields.get(action, {}).items():
            setattr(report, name, value)
        session.add(
            ReportEvent(
                report_id=report.id,
                action=action,
                from_status=str(source),
                to_status=str(target),
                created_at=now - dt.timedelta(minutes=60 - report.version),
            )
        )
    report.updated_at = now
    session.flush()
    return report


def _case(session, world, upto, *, department=None, handler=None, now=None, **kwargs) -> Report:
    now = now or dt.datetime.now(dt.UTC)
    department = _department(session, world, department)
    report = reported_case(session, world, department=department, now=now, **kwargs)
    fields = {
        "file": {"filed_at": now - dt.timedelta(minutes=50)},
        "dispatch": {
            "dispatched_at": now - dt.timedelta(minutes=40),
            "disposal_due_at": now + dt.timedelta(days=5),
        },
        "accept": {
            "accepted_at": now - dt.timedelta(minutes=30),
            "handler_id": handler.id if handler else None,
        },
        "resolve": {"resolved_at": now - dt.timedelta(minutes=20)},
    }
    return _advance(session, report, upto, now, fields)


def filed_case(session: Session, world: dict, **kwargs) -> Report:
    """Filed (version 2), the department proposed (world["department"] unless given)."""
    return _case(session, world, S.FILED, **kwargs)


def dispatched_case(session: Session, world: dict, **kwargs) -> Report:
    """Dispatched to the department (version 3), due in five days."""
    return _case(session, world, S.DISPATCHED, **kwargs)


def in_progress_case(session: Session, world: dict, **kwargs) -> Report:
    """Accepted by the department (version 4); ``handler=`` names the handler."""
    return _case(session, world, S.IN_PROGRESS, **kwargs)


def resolved_case(session: Session, world: dict, **kwargs) -> Report:
    """Resolved by the department (version 5), awaiting verification."""
    return _case(session, world, S.RESOLVED, **kwargs)


# Helpers of the case API tests.


def post(client, headers, report, action: str, body: dict | None = None, **kwargs):
    """POST /reports/{id}/{action}; the body gets the case's version unless it says otherwise
    (``version=None`` in ``body`` leaves it out)."""
    body = {"version": report.version, **(body or {})}
    body = {k: v for k, v in body.items() if v is not None}
    return client.post(
        f"/api/v1/reports/{report.id}/{action}", json=body, headers=headers, **kwargs
    )


def fresh(session, report: Report) -> Report:
    session.expire_all()
    return session.get(Report, report.id)


def events(session, report: Report) -> list[ReportEvent]:
    return list(
        session.scalars(
            select(ReportEvent)
            .where(ReportEvent.report_id == report.id)
            .order_by(ReportEvent.created_at, ReportEvent.id)
        )
    )


def audits(session, report: Report, action: str) -> list[AuditEntry]:
    return list(
        session.scalars(
            select(AuditEntry).where(
                AuditEntry.object_id == str(report.id), AuditEntry.action == action
            )
        )
    )
