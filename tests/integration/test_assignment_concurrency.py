"""Two simultaneous assignments of the same worker to the same grid make one row and one 409.

These tests use real, separate connections (one per thread) outside the per-test transaction,
so they commit for real; they create their own uniquely coded rows and delete them afterwards.
"""

from __future__ import annotations

import threading
import uuid
from collections.abc import Callable, Iterator

import pytest
from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from services import assignments
from services.actors import Actor
from services.db import make_session_factory
from services.errors import Conflict
from services.models.accounts import Role, User, UserRole
from services.models.areas import Area, AreaLevel, GridAssignment
from services.models.audit import AuditEntry

# Codes no other test uses: the rows are committed while the test runs.
CITY, GRID = "990000", "990000001001001"


@pytest.fixture
def committed(engine) -> Iterator[dict]:
    factory = make_session_factory(engine)
    with factory() as s:
        city = Area(code=CITY, name="并发测试市", level=AreaLevel.CITY, path=f"/{CITY}/")
        grid = Area(
            code=GRID,
            name="并发测试网格",
            level=AreaLevel.GRID,
            parent=city,
            path=f"/{CITY}/{GRID}/",
        )
        admin = User(username=f"race-admin-{uuid.uuid4().hex[:8]}", display_name="管理员")
        admin.set_roles({Role.ADMIN})
        worker = User(
            username=f"race-worker-{uuid.uuid4().hex[:8]}", display_name="网格员", area=city
        )
        worker.set_roles({Role.GRID_WORKER})
        s.add_all([city, grid, admin, worker])
        s.commit()
        ids = {"grid": grid.id, "city": city.id, "admin": admin.id, "worker": worker.id}
    try:
        yield {"factory": factory, **ids}
    finally:
        with factory() as s:
            users = [ids["admin"], ids["worker"]]
            s.execute(delete(AuditEntry).where(AuditEntry.actor_id.in_(users)))
            s.execute(delete(GridAssignment).where(GridAssignment.user_id.in_(users)))
            s.execute(delete(UserRole).where(UserRole.user_id.in_(users)))
            s.execute(delete(User).where(User.id.in_(users)))
            s.execute(delete(Area).where(Area.id == ids["grid"]))
            s.execute(delete(Area).where(Area.id == ids["city"]))
            s.commit()


def _race(committed, call: Callable[[Session, Actor], object]) -> list[object]:
    """Run ``call`` in two threads at once, each with its own session; returns the outcomes."""
    factory = committed["factory"]
    start = threading.Barrier(2, timeout=10)
    outcomes: list[object] = []

    def run() -> None:
        with factory() as s:
            actor = Actor.for_user(s.get(User, committed["admin"]))
            s.rollback()  # start the use case in a fresh transaction, as a request would
            start.wait()
            try:
                outcomes.append(call(s, actor))
            except Conflict as exc:
                outcomes.append(exc)

    threads = [threading.Thread(target=run) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert not any(t.is_alive() for t in threads)
    return outcomes


def _rows(committed) -> list[GridAssignment]:
    with committed["factory"]() as s:
        return list(
            s.scalars(select(GridAssignment).where(GridAssignment.user_id == committed["worker"]))
        )


def _assign(committed):
    return lambda s, actor: assignments.assign_worker(
        s, actor=actor, area_id=committed["grid"], user_id=committed["worker"]
    )


def test_two_simultaneous_assignments_make_one_row_and_one_conflict(
    committed, monkeypatch, dialect
):
    # Hold both requests after they looked for an existing row, so both try to insert.
    # On SQLite the second writer waits for the first to commit: do not hold the first long.
    looked = threading.Barrier(2, timeout=5 if dialect == "postgresql" else 0.5)
    original = assignments.find_assignment
    broken: list[bool] = []

    def find_then_wait(*args, **kwargs):
        found = original(*args, **kwargs)
        try:
            looked.wait()
        except threading.BrokenBarrierError:
            # SQLite runs write transactions one at a time: the second never gets here first.
            broken.append(True)
        return found

    monkeypatch.setattr(assignments, "find_assignment", find_then_wait)
    outcomes = _race(committed, _assign(committed))
    assert sorted(type(o).__name__ for o in outcomes) == ["Conflict", "Posting"]
    assert len(_rows(committed)) == 1
    if dialect == "postgresql":
        assert not broken, "both requests should have looked before either inserted"


def test_two_simultaneous_reopenings_reopen_once(committed):
    with committed["factory"]() as s:
        actor = Actor.for_user(s.get(User, committed["admin"]))
        assignments.assign_worker(
            s, actor=actor, area_id=committed["grid"], user_id=committed["worker"]
        )
        assignments.end_assignment(
            s, actor=actor, area_id=committed["grid"], user_id=committed["worker"]
        )
    outcomes = _race(committed, _assign(committed))
    assert sorted(type(o).__name__ for o in outcomes) == ["Conflict", "Posting"]
    (row,) = _rows(committed)
    assert row.ended_at is None
    with committed["factory"]() as s:
        reopened = s.scalar(
            select(func.count())
            .select_from(AuditEntry)
            .where(AuditEntry.action == "assignment.reopened", AuditEntry.object_id == str(row.id))
        )
    assert reopened == 1
