"""Reading the audit trail within the caller's scope."""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from services.actors import Actor
from services.authz import Action, require_some, scope_clause
from services.models.audit import AuditEntry
from services.queries.pagination import Page, paginate


@dataclass(frozen=True)
class AuditFilter:
    actor_id: uuid.UUID | None = None
    action: str | None = None
    object_type: str | None = None
    object_id: str | None = None
    request_id: str | None = None
    since: dt.datetime | None = None
    until: dt.datetime | None = None


def list_audit(
    session: Session, actor: Actor, filters: AuditFilter, *, page: int = 1, page_size: int = 50
) -> Page:
    require_some(actor, Action.AUDIT_READ)
    stmt = select(AuditEntry).where(
        scope_clause(actor, Action.AUDIT_READ, area_paths=(AuditEntry.area_path,))
    )
    if filters.actor_id:
        stmt = stmt.where(AuditEntry.actor_id == filters.actor_id)
    if filters.action:
        # "login" matches login.succeeded, login.failed …
        stmt = stmt.where(
            (AuditEntry.action == filters.action)
            | AuditEntry.action.startswith(filters.action + ".", autoescape=True)
        )
    if filters.object_type:
        stmt = stmt.where(AuditEntry.object_type == filters.object_type)
    if filters.object_id:
        stmt = stmt.where(AuditEntry.object_id == filters.object_id)
    if filters.request_id:
        stmt = stmt.where(AuditEntry.request_id == filters.request_id)
    if filters.since:
        stmt = stmt.where(AuditEntry.at >= filters.since)
    if filters.until:
        stmt = stmt.where(AuditEntry.at < filters.until)
    stmt = stmt.order_by(AuditEntry.at.desc(), AuditEntry.id)
    return paginate(session, stmt, page=page, page_size=page_size)
