"""The area map's version: bumped in the transaction of every change to areas or their shapes.

Each server process compares it with the version its in-memory spatial index was built from, so
several processes stay consistent without talking to each other.
"""

from __future__ import annotations

from sqlalchemy import update
from sqlalchemy.orm import Session

from services.db import utcnow
from services.models.areas import Counter

AREAS = "areas"


def bump_area_version(session: Session) -> None:
    """Increment atomically (no read-modify-write); commits with the caller's change."""
    session.execute(
        update(Counter)
        .where(Counter.name == AREAS)
        .values(value=Counter.value + 1, updated_at=utcnow())
    )


# Fixed, parameterless, portable SQL: it runs on every locate request, so it goes straight to
# the driver on the session's own connection (same transaction), skipping the statement
# machinery that costs far more than the lookup itself.
_CURRENT_SQL = "SELECT value FROM counters WHERE name = 'areas'"


def current_area_version(session: Session) -> int:
    cursor = session.connection().connection.dbapi_connection.cursor()
    try:
        cursor.execute(_CURRENT_SQL)
        row = cursor.fetchone()
    finally:
        cursor.close()
    return int(row[0]) if row else 0
