"""An intake caller's phone number: stored in full, shown masked, and revealed in full only to
a dispatcher of the case's area who needs to call back, with an audit entry each time."""

from __future__ import annotations

import uuid

from sqlalchemy import select
from sqlalchemy.orm import Session

from services import audit
from services.actors import Actor
from services.authz import Action, can
from services.errors import NotFound, PermissionDenied
from services.models.workflow import IntakeEvent
from services.phones import mask_phone
from services.workflow import case_target, load_case


def reveal_caller_phone(
    session: Session, *, actor: Actor, report_id: uuid.UUID, reason: str
) -> dict[str, str]:
    """The full number of the caller behind an intake case (404 when there is none)."""
    report = load_case(session, report_id, actor)
    if not can(actor, Action.CASE_TRIAGE, case_target(report)):
        raise PermissionDenied()
    phone = session.scalar(
        select(IntakeEvent.caller_phone)
        .where(IntakeEvent.report_id == report.id, IntakeEvent.caller_phone.is_not(None))
        .order_by(IntakeEvent.created_at)
        .limit(1)
    )
    if phone is None:
        raise NotFound(what="caller_phone")
    masked = mask_phone(phone)
    audit.record(
        session,
        actor,
        "case.caller_phone_revealed",
        object_type="report",
        object_id=report.id,
        area_path=report.area_path,
        after={"phone": masked, "reason": reason},
    )
    session.commit()
    return {"phone": phone, "masked": masked}
