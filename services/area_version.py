"""The area map's version: bumped in the transaction of every change to areas or their shapes.

Each server process compares it with the version its in-memory spatial index was built from, so
several processes stay consistent without talking to each other.
"""

from __future__ import annotations

from sqlalchemy import select, update
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


def current_area_version(session: Session) -> int:
    return session.scalar(select(Counter.value).where(Counter.name == AREAS)) or 0
