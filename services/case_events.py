"""Events of the closed loop that people must hear about (dispatched to a department, overdue,
supervised, returned …). Every use case emits them through ``emit``, in its own transaction;
the notifications issue turns each into outbox rows here, so nothing else has to change.
"""

from __future__ import annotations

import logging
import uuid
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from sqlalchemy.orm import Session

logger = logging.getLogger(__name__)

_KEY = "onegrid.case_events"


class CaseEventKind(StrEnum):
    STATUS_CHANGED = "status_changed"  # reporter and supporters care
    DISPATCHED = "dispatched"  # the department
    RETURNED = "returned"  # the dispatcher
    VERIFICATION_DUE = "verification_due"  # the grid worker(s) of the grid
    REWORK = "rework"  # the department: verification failed, the case is back in its queue
    REOPENED = "reopened"  # the dispatcher
    EXTENSION_REQUESTED = "extension_requested"  # the dispatcher
    EXTENSION_DECIDED = "extension_decided"  # the department
    SUPERVISED = "supervised"  # the department
    OVERDUE = "overdue"  # the dispatcher (and the department)


@dataclass(frozen=True)
class CaseEvent:
    kind: CaseEventKind
    report_id: uuid.UUID
    actor_id: uuid.UUID | None = None
    data: dict[str, Any] = field(default_factory=dict)


def emit(session: Session, event: CaseEvent) -> None:
    """Record ``event`` with the caller's transaction (it is lost if that rolls back)."""
    session.info.setdefault(_KEY, []).append(event)
    logger.info("case event %s for report %s", event.kind, event.report_id)


def emitted(session: Session) -> list[CaseEvent]:
    """What this session emitted so far (tests, and the outbox when it arrives)."""
    return list(session.info.get(_KEY, ()))
