"""PreparedQuery returns exactly what SQLAlchemy's own execution returns, on both databases."""

from __future__ import annotations

import datetime as dt
import uuid

from sqlalchemy import bindparam, select

from services.db import utcnow
from services.models.accounts import AuthSession, Role, User, UserRole
from services.models.areas import Area
from services.prepared import PreparedQuery
from tests.factories import make_user

STATEMENT = (
    select(
        AuthSession.id,
        AuthSession.user_id,
        AuthSession.expires_at,
        AuthSession.revoked_at,
        User.is_active,
        User.username,
        User.phone,
        Area.path,
        UserRole.role,
    )
    .join(User, User.id == AuthSession.user_id)
    .outerjoin(Area, Area.id == User.area_id)
    .outerjoin(UserRole, UserRole.user_id == User.id)
    .where(AuthSession.user_id == bindparam("uid"), AuthSession.generation >= bindparam("gen"))
    .order_by(UserRole.role)
)
QUERY = PreparedQuery(STATEMENT)


def _sessions(session, user, count=2):
    for n in range(count):
        session.add(
            AuthSession(
                user_id=user.id,
                refresh_hash="x" * 64,
                generation=n + 1,
                expires_at=utcnow() + dt.timedelta(hours=1),
                revoked_at=utcnow() if n else None,
            )
        )
    session.flush()


def test_rows_match_sqlalchemy_execution_with_uuids_timestamps_enums_and_nulls(session, tree):
    user = make_user(session, role={Role.DISPATCHER, Role.GRID_WORKER}, area=tree["street"])
    _sessions(session, user)
    params = {"uid": user.id, "gen": 1}

    expected = session.execute(STATEMENT, params).all()
    got = QUERY.run(session, params)

    assert [tuple(row) for row in got] == [tuple(row) for row in expected]
    assert len(got) == 4  # two sessions x two roles
    first = got[0]
    assert isinstance(first.id, uuid.UUID) and isinstance(first.user_id, uuid.UUID)
    assert first.expires_at.tzinfo is not None
    assert isinstance(first.role, Role)
    assert {row.revoked_at is None for row in got} == {True, False}
    assert first.path == tree["street"].path


def test_outer_join_nulls_and_no_match(session):
    user = make_user(session, role=set(), area=None, phone="+8613900000001")
    _sessions(session, user, count=1)

    (row,) = QUERY.run(session, {"uid": user.id, "gen": 1})
    assert row.path is None and row.role is None and row.phone == "+8613900000001"
    assert QUERY.run(session, {"uid": uuid.uuid4(), "gen": 1}) == []
    assert QUERY.run(session, {"uid": user.id, "gen": 2}) == []


def test_sees_the_sessions_uncommitted_changes(session, tree):
    """It runs on the session's own connection, inside its transaction."""
    user = make_user(session, area=tree["street"])
    _sessions(session, user, count=1)
    user.username = "renamed"
    session.flush()
    assert {row.username for row in QUERY.run(session, {"uid": user.id, "gen": 1})} == {"renamed"}
