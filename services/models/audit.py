"""The audit trail: who did what to which object, when, from where, before and after."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from sqlalchemy import ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from services.db import Base, UUIDPk, utcnow
from services.models.types import JSONDoc, PathString


class AuditEntry(UUIDPk, Base):
    __tablename__ = "audit_entries"
    __table_args__ = (Index("ix_audit_entries_object", "object_type", "object_id"),)

    at: Mapped[dt.datetime] = mapped_column(default=utcnow, index=True)
    actor_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("users.id"), index=True)
    actor_label: Mapped[str] = mapped_column(String(64), default="")
    action: Mapped[str] = mapped_column(String(64), index=True)
    object_type: Mapped[str] = mapped_column(String(32))
    object_id: Mapped[str | None] = mapped_column(String(64))
    # Where the object sits in the area tree, so area-bound admins see only their subtree.
    area_path: Mapped[str | None] = mapped_column(PathString, index=True)
    before: Mapped[dict[str, Any] | None] = mapped_column(JSONDoc)
    after: Mapped[dict[str, Any] | None] = mapped_column(JSONDoc)
    request_id: Mapped[str | None] = mapped_column(String(64))
    ip: Mapped[str | None] = mapped_column(String(45))
