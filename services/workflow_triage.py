"""Triage, the dispatcher's part of the closed loop: file a report as a case (correcting its
category or location), reject it, and dispatch a filed case to a department with a disposal
deadline. Merging and duplicate decisions are in services/workflow_merge.py.

Each use case is one transaction: ``act`` (services/workflow.py) checks the version, state,
role and area and writes the timeline, audit entry and case events; the use case sets its own
fields and commits once.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm import Session

from services.actors import Actor
from services.authz import Action, Target, can
from services.calendar import WorkingCalendar
from services.calendar_hours import DEFAULT_WORKING_HOURS, WorkingHours
from services.case_events import CaseEvent, CaseEventKind
from services.catalogue import resolve_department
from services.db import utcnow
from services.errors import Conflict, PermissionDenied, ValidationFailed
from services.geo.coords import Coord, to_wgs84
from services.geo.locator import LocateStatus
from services.geo.locator_cache import LocatorCache
from services.models.areas import Area, Department
from services.models.catalogue import Category, Phase
from services.models.reports import (
    Report,
)
from services.queries.catalogue import find_category
from services.workflow import act, authorise, check_version, current_state, load_case
from services.workflow_rules import CaseAction, transition_for

# How far ahead a dispatcher may set a disposal deadline by hand.
MAX_DUE_AHEAD = dt.timedelta(days=366)


@dataclass(frozen=True)
class TriageSettings:
    """The adapters triage needs, built from the app container by the views."""

    locator: LocatorCache | None = None
    hours: WorkingHours = DEFAULT_WORKING_HOURS


@dataclass(frozen=True)
class PointIn:
    lat: float
    lng: float
    coord: Coord = Coord.GCJ02


def case_state(session: Session, report: Report) -> dict[str, Any]:
    """The compact view every case action answers with (api CaseStateSchema)."""
    department = session.get(Department, report.department_id) if report.department_id else None
    return {
        "id": report.id,
        "number": report.number,
        "status": report.status,
        "version": report.version,
        "department": department,
        "filing_due_at": report.filing_due_at,
        "disposal_due_at": report.disposal_due_at,
        "overdue": report.overdue,
        "merged_into_id": report.merged_into_id,
        "updated_at": report.updated_at,
    }


def precheck(
    session: Session, report: Report, actor: Actor, action: CaseAction, expected_version: int
) -> None:
    """What ``act`` checks (version 409, state 409, role and scope 403), done before a use
    case validates its own input, so that a refused actor learns nothing from that input."""
    check_version(report, expected_version)
    try:
        transition_for(action, report.status)
    except Conflict as exc:
        exc.details = {"current": current_state(report)}
        raise
    authorise(session, actor, report, action)


def _minor_category(session: Session, code: str) -> Category:
    category = find_category(session, code)
    if category is None:
        raise ValidationFailed(fields={"category_code": "category_unknown"})
    if category.parent_id is None or not category.active:
        raise ValidationFailed(fields={"category_code": "category_not_selectable"})
    return category


def _relocate(
    session: Session, actor: Actor, report: Report, point: PointIn, settings: TriageSettings
) -> dict[str, Any]:
    """Move the case to ``point`` (re-locating grid and area); the old place for the record.
    The new place must be inside the city and inside the actor's own area."""
    if settings.locator is None:
        raise ValueError("relocating a case needs a locator")
    lng, lat = to_wgs84(point.lng, point.lat, Coord(point.coord))
    location = settings.locator.get(session).locate(lng, lat)
    if location.area is None:
        raise ValidationFailed(fields={"location": "case_location_outside"})
    area = session.get(Area, location.area.id)
    if not can(actor, Action.CASE_TRIAGE, Target(area_path=area.path)):
        raise PermissionDenied("case_location_out_of_scope")
    old = {"lat": report.lat, "lng": report.lng, "area_path": report.area_path}
    report.lng, report.lat = lng, lat
    report.coord_input = Coord(point.coord).value
    report.accuracy_m = None
    report.grid_id = (
        area.id if location.status in (LocateStatus.GRID, LocateStatus.NEAREST) else None
    )
    report.area_id, report.area_path = area.id, area.path
    report.locate_status = location.status.value
    return {"from": old, "to": {"lat": lat, "lng": lng, "area_path": area.path}}


def _proposed_department(session: Session, report: Report, category: Category):
    if report.area_id is not None:
        return resolve_department(session, category, session.get(Area, report.area_id))
    default = category.default_department
    return default if default is not None and default.active else None


def file_case(
    session: Session,
    *,
    actor: Actor,
    report_id: uuid.UUID,
    expected_version: int,
    note: str | None = None,
    public_note: str | None = None,
    category_code: str | None = None,
    location: PointIn | None = None,
    settings: TriageSettings | None = None,
    now: dt.datetime | None = None,
) -> Report:
    """立案: ``reported`` → ``filed``. A corrected category or location re-resolves the
    proposed department; the old values go into the timeline entry's data."""
    settings, now = settings or TriageSettings(), now or utcnow()
    report = load_case(session, report_id, actor)
    precheck(session, report, actor, CaseAction.FILE, expected_version)
    data: dict[str, Any] = {}
    rerouted = False
    if category_code is not None and category_code != report.category.code:
        category = _minor_category(session, category_code)
        data["category"] = {"from": report.category.code, "to": category.code}
        report.category_id, report.category = category.id, category
        rerouted = True
    if location is not None:
        data["location"] = _relocate(session, actor, report, location, settings)
        rerouted = True
    if rerouted:
        before = report.department_id
        department = _proposed_department(session, report, report.category)
        report.department_id = department.id if department else None
        if report.department_id != before:
            data["department"] = {
                "from": str(before) if before else None,
                "to": str(report.department_id) if report.department_id else None,
            }
    report.filed_at = now
    report.updated_at = now
    act(
        session,
        report,
        actor=actor,
        action=CaseAction.FILE,
        expected_version=expected_version,
        note=note,
        public_note=public_note,
        data=data,
        now=now,
    )
    session.commit()
    return report


def reject_case(
    session: Session,
    *,
    actor: Actor,
    report_id: uuid.UUID,
    expected_version: int,
    reason: str,
    public_note: str | None = None,
    now: dt.datetime | None = None,
) -> Report:
    """不予立案: ``reported`` → ``rejected`` with the reason (staff see it; residents see
    ``public_note`` if given)."""
    now = now or utcnow()
    report = load_case(session, report_id, actor)
    report.reject_reason = reason
    report.updated_at = now
    act(
        session,
        report,
        actor=actor,
        action=CaseAction.REJECT,
        expected_version=expected_version,
        note=reason,
        public_note=public_note,
        data={"reason": reason},
        now=now,
    )
    session.commit()
    return report


def _disposal_due(session, report: Report, hours: WorkingHours, now: dt.datetime):
    limits = (report.category.time_limits or {}).get(Phase.DISPOSAL.value, {})
    limit = limits.get(str(report.urgency))
    if not limit:
        return None
    return WorkingCalendar(session, hours=hours).deadline(now, limit["amount"], limit["unit"])


def dispatch_case(
    session: Session,
    *,
    actor: Actor,
    report_id: uuid.UUID,
    expected_version: int,
    department_id: uuid.UUID,
    instructions: str,
    due_at: dt.datetime | None = None,
    settings: TriageSettings | None = None,
    now: dt.datetime | None = None,
) -> Report:
    """派遣: ``filed`` → ``dispatched`` to an active department, due by ``due_at`` or the
    category's disposal limit for the case's urgency on the working calendar."""
    settings, now = settings or TriageSettings(), now or utcnow()
    report = load_case(session, report_id, actor)
    precheck(session, report, actor, CaseAction.DISPATCH, expected_version)
    department = session.get(Department, department_id)
    if department is None:
        raise ValidationFailed(fields={"department_id": "case_department_unknown"})
    if not department.active:
        raise ValidationFailed(fields={"department_id": "department_inactive"})
    if due_at is not None:
        if due_at.tzinfo is None:
            raise ValidationFailed(fields={"due_at": "due_at_naive"})
        if not now < due_at <= now + MAX_DUE_AHEAD:
            raise ValidationFailed(fields={"due_at": "due_at_out_of_range"})
        due_at = due_at.astimezone(dt.UTC)
    due = due_at or _disposal_due(session, report, settings.hours, now)
    report.department_id = department.id
    report.handler_id = None
    report.dispatched_at = now
    report.disposal_due_at = due
    report.overdue = False
    report.updated_at = now
    act(
        session,
        report,
        actor=actor,
        action=CaseAction.DISPATCH,
        expected_version=expected_version,
        note=instructions,
        data={
            "department_id": str(department.id),
            "disposal_due_at": due.isoformat() if due else None,
            "due_at_set": due_at is not None,
        },
        now=now,
        events=(
            CaseEvent(
                CaseEventKind.DISPATCHED,
                report.id,
                actor.user_id,
                {"department_id": str(department.id)},
            ),
        ),
    )
    session.commit()
    return report
