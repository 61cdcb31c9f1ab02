"""Is the service ready: database reachable and migrated to head."""

from __future__ import annotations

import logging

from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from services import migrate
from services.errors import ServiceUnavailable

logger = logging.getLogger(__name__)


def check_readiness(session: Session) -> dict:
    try:
        connection = session.connection()
        connection.execute(text("SELECT 1"))
        current = migrate.current(connection)
    except SQLAlchemyError as exc:
        logger.warning("readiness: database unreachable: %s", exc.__class__.__name__)
        raise ServiceUnavailable("not_ready", reason="database unreachable") from None
    head = migrate.heads()
    if set(current) != set(head):
        raise ServiceUnavailable(
            "not_ready", reason=f"migrations at {list(current)}, head is {list(head)}"
        )
    return {
        "status": "ready",
        "database": connection.dialect.name,
        "migration_current": list(current),
        "migration_head": list(head),
    }
