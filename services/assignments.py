"""Assigning grid workers to grids and ending their assignments.

A worker may serve several grids and a grid may have several workers, but a worker holds at most
one row per grid: ending an assignment keeps the row (who served where, and when) and assigning
the same worker again reopens it. The unique constraint on (user, grid) settles races: of two
simultaneous assignments one wins and the other gets a clean 409.
"""

from __future__ import annotations

import uuid

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from services import audit
from services.actors import Actor, user_label
from services.authz import Action, Target, require
from services.db import utcnow
from services.errors import Conflict, NotFound, ValidationFailed
from services.models.accounts import Role, User
from services.models.areas import Area, AreaLevel, GridAssignment, GridDuty
from services.queries.assignments import Posting, find_assignment, get_area_for


def _managed_area(session: Session, actor: Actor, area_id: uuid.UUID) -> Area:
    # Whoever may see the area's workers learns they may not change them (403); others 404.
    area = get_area_for(session, actor, area_id, Action.ASSIGNMENT_READ)
    require(actor, Action.ASSIGNMENT_MANAGE, Target(area_path=area.path))
    return area


def _assignable_worker(session: Session, user_id: uuid.UUID, grid: Area) -> User:
    user = session.get(User, user_id)
    if user is None:
        raise ValidationFailed(fields={"user_id": "assignment_user_unknown"})
    if Role.GRID_WORKER not in user.roles:
        raise ValidationFailed(fields={"user_id": "assignment_user_not_worker"})
    if not user.is_active:
        raise ValidationFailed(fields={"user_id": "assignment_user_inactive"})
    if user.area is None or not user.area.contains_path(grid.path):
        raise ValidationFailed(fields={"user_id": "assignment_user_outside_area"})
    return user


def _record(session, actor, action, assignment: GridAssignment, grid: Area, user: User, **kw):
    audit.record(
        session,
        actor,
        action,
        object_type="grid_assignment",
        object_id=assignment.id,
        area_path=grid.path,
        **kw,
    )


def assign_worker(
    session: Session,
    *,
    actor: Actor,
    area_id: uuid.UUID,
    user_id: uuid.UUID,
    duty: GridDuty = GridDuty.FULL_TIME,
) -> Posting:
    """Put a grid worker on duty in an active grid (409 if already on duty there)."""
    grid = _managed_area(session, actor, area_id)
    if grid.level is not AreaLevel.GRID or not grid.active:
        raise ValidationFailed("assignment_needs_active_grid")
    user = _assignable_worker(session, user_id, grid)
    existing = find_assignment(session, user.id, grid.id, lock=True)
    if existing is not None and existing.ended_at is None:
        raise Conflict("assignment_exists")
    summary = {"user": user_label(user), "grid": grid.code, "duty": str(duty)}
    if existing is not None:
        before = {"duty": str(existing.duty), "ended_at": existing.ended_at.isoformat()}
        existing.duty, existing.started_at, existing.ended_at = duty, utcnow(), None
        _record(
            session,
            actor,
            "assignment.reopened",
            existing,
            grid,
            user,
            before=before,
            after=summary,
        )
        session.commit()
        return Posting(existing, user)
    assignment = GridAssignment(user_id=user.id, area_id=grid.id, duty=duty, started_at=utcnow())
    try:
        with session.begin_nested():
            session.add(assignment)
            session.flush()
    except IntegrityError:
        # A simultaneous request inserted the same pair first.
        raise Conflict("assignment_exists") from None
    _record(session, actor, "assignment.created", assignment, grid, user, after=summary)
    session.commit()
    return Posting(assignment, user)


def end_assignment(
    session: Session, *, actor: Actor, area_id: uuid.UUID, user_id: uuid.UUID
) -> Posting:
    """Take a worker off a grid; the row stays with its end time."""
    grid = _managed_area(session, actor, area_id)
    assignment = find_assignment(session, user_id, grid.id, lock=True)
    if assignment is None or assignment.ended_at is not None:
        raise NotFound(what="grid_assignment")
    user = session.get(User, user_id)
    assignment.ended_at = utcnow()
    _record(
        session,
        actor,
        "assignment.ended",
        assignment,
        grid,
        user,
        before={"user": user_label(user), "grid": grid.code, "duty": str(assignment.duty)},
        after={"ended_at": assignment.ended_at.isoformat()},
    )
    session.commit()
    return Posting(assignment, user)


def end_assignments_of(
    session: Session,
    actor: Actor,
    *,
    reason: str,
    user_id: uuid.UUID | None = None,
    area_ids: list[uuid.UUID] | None = None,
) -> int:
    """End the active assignments of a worker (disabled) or in some grids (retired), within the
    caller's transaction: a disabled worker or a retired grid must not keep receiving tasks."""
    query = select(GridAssignment).where(GridAssignment.ended_at.is_(None))
    if user_id is not None:
        query = query.where(GridAssignment.user_id == user_id)
    if area_ids is not None:
        query = query.where(GridAssignment.area_id.in_(area_ids))
    ended = 0
    now = utcnow()
    for assignment in session.scalars(query.order_by(GridAssignment.started_at)):
        user = session.get(User, assignment.user_id)
        assignment.ended_at = now
        _record(
            session,
            actor,
            "assignment.ended",
            assignment,
            assignment.area,
            user,
            before={"user": user_label(user), "grid": assignment.area.code},
            after={"ended_at": now.isoformat(), "reason": reason},
        )
        ended += 1
    return ended
