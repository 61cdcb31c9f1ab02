"""Demo grid workers: one per community, on duty in every grid of it."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from services.models.accounts import Role, User
from services.models.areas import Area, AreaLevel, GridAssignment, GridDuty


def seed_grid_workers(session: Session, areas: dict[str, Area], password_hash: str) -> int:
    """Create what is missing; returns how many workers the demo city has."""
    existing = {
        u.username: u for u in session.scalars(select(User).where(User.username.startswith("gw")))
    }
    assigned = {(a.user_id, a.area_id) for a in session.scalars(select(GridAssignment))}
    grids_by_community: dict[str, list[Area]] = {}
    for area in areas.values():
        if area.level is AreaLevel.GRID:
            grids_by_community.setdefault(area.code[:12], []).append(area)
    for community_code, grids in sorted(grids_by_community.items()):
        community = areas[community_code]
        username = f"gw{community_code}"
        worker = existing.get(username)
        if worker is None:
            worker = User(
                username=username,
                display_name=f"{community.name}网格员",
                password_hash=password_hash,
                area=community,
            )
            worker.set_roles({Role.GRID_WORKER})
            session.add(worker)
            session.flush()
        for index, grid in enumerate(sorted(grids, key=lambda a: a.code)):
            if (worker.id, grid.id) not in assigned:
                duty = GridDuty.LEADER if index == 0 else GridDuty.FULL_TIME
                session.add(GridAssignment(user_id=worker.id, area_id=grid.id, duty=duty))
    return len(grids_by_community)


def count_demo_grid_workers(session: Session) -> int:
    return len(session.scalars(select(User.id).where(User.username.startswith("gw"))).all())
