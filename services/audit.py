"""Writing the audit trail; entries join the transaction of the change they describe."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from services.actors import Actor
from services.models.audit import AuditEntry


def record(
    session: Session,
    actor: Actor,
    action: str,
    *,
    object_type: str,
    object_id: object | None = None,
    area_path: str | None = None,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
) -> AuditEntry:
    """Add an audit entry to the session; the caller's commit makes it durable with the change."""
    entry = AuditEntry(
        actor_id=actor.user_id,
        actor_label=actor.label[:64],
        action=action,
        object_type=object_type,
        object_id=str(object_id) if object_id is not None else None,
        area_path=area_path,
        before=before,
        after=after,
        request_id=actor.request_id,
        ip=actor.ip,
    )
    session.add(entry)
    return entry


def changes(before: dict[str, Any], after: dict[str, Any]) -> tuple[dict, dict]:
    """Only the keys whose values differ, so entries say what changed and nothing more."""
    keys = [k for k in after if before.get(k) != after.get(k)]
    return {k: before.get(k) for k in keys}, {k: after[k] for k in keys}
