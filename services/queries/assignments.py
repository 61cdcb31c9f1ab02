"""Reading grid assignments: who serves which grids, within the caller's area."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from services.actors import Actor
from services.authz import Action, Target, can, require_some
from services.errors import NotFound, PermissionDenied
from services.models.accounts import Role, User
from services.models.areas import Area, GridAssignment, GridDuty
from services.queries.areas import in_subtree
from services.queries.pagination import Page, paginate


@dataclass(frozen=True)
class Posting:
    """One assignment together with the worker holding it."""

    assignment: GridAssignment
    user: User


def get_area_for(session: Session, actor: Actor, area_id: uuid.UUID, action: Action) -> Area:
    """An area the actor may act on for ``action``; others do not exist for them."""
    area = session.get(Area, area_id)
    if area is None or not can(actor, action, Target(area_path=area.path)):
        raise NotFound(what="area")
    return area


def find_assignment(
    session: Session, user_id: uuid.UUID, area_id: uuid.UUID, *, lock: bool = False
) -> GridAssignment | None:
    """The (single) row for this worker and grid, current or ended; ``lock`` holds it until
    the transaction ends (PostgreSQL; SQLite transactions are serial anyway)."""
    stmt = select(GridAssignment).where(
        GridAssignment.user_id == user_id, GridAssignment.area_id == area_id
    )
    if lock:
        stmt = stmt.with_for_update(of=GridAssignment).execution_options(populate_existing=True)
    return session.scalar(stmt)


def postings(session: Session, assignments: list[GridAssignment]) -> list[Posting]:
    ids = {a.user_id for a in assignments}
    users = {u.id: u for u in session.scalars(select(User).where(User.id.in_(ids)))} if ids else {}
    return [Posting(a, users[a.user_id]) for a in assignments]


def list_area_workers(
    session: Session,
    actor: Actor,
    area_id: uuid.UUID,
    *,
    duty: GridDuty | None = None,
    page: int = 1,
    page_size: int = 50,
) -> Page:
    """The current assignments in a grid, or in every grid below an area, grid by grid."""
    require_some(actor, Action.ASSIGNMENT_READ)
    area = get_area_for(session, actor, area_id, Action.ASSIGNMENT_READ)
    stmt = (
        select(GridAssignment)
        .join(Area, GridAssignment.area_id == Area.id)
        .join(User, GridAssignment.user_id == User.id)
        .where(in_subtree(Area.path, area.path), GridAssignment.ended_at.is_(None))
    )
    if duty is not None:
        stmt = stmt.where(GridAssignment.duty == duty)
    stmt = stmt.order_by(Area.code, GridAssignment.duty, User.username, GridAssignment.id)
    found = paginate(session, stmt, page=page, page_size=page_size)
    return Page(postings(session, found.items), found.total, found.page, found.page_size)


def list_my_grids(session: Session, actor: Actor) -> list[GridAssignment]:
    """A grid worker's current grids, by grid code."""
    if Role.GRID_WORKER not in actor.roles or actor.user_id is None:
        raise PermissionDenied()
    stmt = (
        select(GridAssignment)
        .join(Area, GridAssignment.area_id == Area.id)
        .where(GridAssignment.user_id == actor.user_id, GridAssignment.ended_at.is_(None))
        .order_by(Area.code)
    )
    return list(session.scalars(stmt))
