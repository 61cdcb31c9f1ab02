"""Administering departments: the units that receive and dispose of dispatched work.

A department has a code (``SCQ-CG``), a name, a public service number and the area it has
jurisdiction over; administrators manage the departments whose jurisdiction lies in their area.
Deactivating a department keeps its handlers bound to it (they can still finish and report on
what they hold), but a deactivated department receives no new work: it is never chosen by
``services.catalogue.resolve_department`` and cannot become a category's default or an override.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from services import audit
from services.actors import Actor
from services.authz import Action, require
from services.errors import Conflict, ValidationFailed
from services.models.areas import Area, Department
from services.phones import normalise_service_phone
from services.queries.areas import find_area_by_code
from services.queries.departments import department_target, get_department_for

UNSET: Any = object()


@dataclass(frozen=True)
class DepartmentChanges:
    """Fields an admin may change; UNSET leaves a field as it is, None clears the phone."""

    name: str = UNSET
    phone: str | None = UNSET
    area_code: str = UNSET


def summary(department: Department) -> dict[str, Any]:
    """What the audit trail keeps about a department (its number is public: not masked)."""
    return {
        "code": department.code,
        "name": department.name,
        "phone": department.phone,
        "area": department.area.code if department.area else None,
        "active": department.active,
    }


def _area(session: Session, code: str) -> Area:
    area = find_area_by_code(session, code)
    if area is None:
        raise ValidationFailed(fields={"area_code": "area_unknown"})
    if not area.active:
        raise ValidationFailed(fields={"area_code": "area_inactive"})
    return area


def _apply(session: Session, department: Department, changes: DepartmentChanges) -> None:
    if changes.name is not UNSET:
        department.name = changes.name.strip()
    if changes.phone is not UNSET:
        department.phone = normalise_service_phone(changes.phone) if changes.phone else None
    if changes.area_code is not UNSET:
        department.area = _area(session, changes.area_code)
        department.area_id = department.area.id


def _audit(session, actor, action, department, *, before=None, after=None) -> None:
    audit.record(
        session,
        actor,
        action,
        object_type="department",
        object_id=department.id,
        area_path=department.area.path if department.area else None,
        before=before,
        after=after,
    )


def create_department(
    session: Session,
    *,
    actor: Actor,
    code: str,
    name: str,
    area_code: str,
    phone: str | None = None,
) -> Department:
    """Create a department; codes are stored upper-case and unique (409 if taken)."""
    department = Department(code=code.upper(), active=True)
    _apply(session, department, DepartmentChanges(name=name, phone=phone, area_code=area_code))
    require(actor, Action.DEPARTMENT_MANAGE, department_target(department))
    taken = session.scalar(select(Department.id).where(Department.code == department.code))
    if taken is not None:
        raise Conflict("department_code_taken", fields={"code": "department_code_taken"})
    try:
        # A concurrent creation of the same code loses on the unique constraint: same answer.
        with session.begin_nested():
            session.add(department)
            session.flush()
    except IntegrityError:
        raise Conflict("department_code_taken", fields={"code": "department_code_taken"}) from None
    _audit(session, actor, "department.created", department, after=summary(department))
    session.commit()
    return department


def update_department(
    session: Session, *, actor: Actor, department_id: uuid.UUID, changes: DepartmentChanges
) -> Department:
    """Change name, phone or jurisdiction; both the old and the new jurisdiction must be in the
    administrator's area."""
    department = get_department_for(session, actor, department_id)
    require(actor, Action.DEPARTMENT_MANAGE, department_target(department))
    before = summary(department)
    _apply(session, department, changes)
    require(actor, Action.DEPARTMENT_MANAGE, department_target(department))
    old, new = audit.changes(before, summary(department))
    if new:
        _audit(session, actor, "department.updated", department, before=old, after=new)
    session.commit()
    return department


def set_department_active(
    session: Session, *, actor: Actor, department_id: uuid.UUID, active: bool
) -> Department:
    """Deactivate (no new work; handlers stay bound) or reactivate a department. Repeating the
    current state changes nothing and writes no audit entry."""
    department = get_department_for(session, actor, department_id)
    require(actor, Action.DEPARTMENT_MANAGE, department_target(department))
    if department.active != active:
        department.active = active
        _audit(
            session,
            actor,
            "department.activated" if active else "department.deactivated",
            department,
            before={"active": not active},
            after={"active": active},
        )
    session.commit()
    return department
