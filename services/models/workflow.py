"""What the closed loop keeps beside the report: extension requests, external sources and
their events, the free-text category mapping, and standard replies."""

from __future__ import annotations

import datetime as dt
import uuid
from enum import StrEnum
from typing import Any

from sqlalchemy import ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from services.db import Base, UUIDPk, utcnow
from services.models.reports import ReportSource
from services.models.types import JSONDoc, enum_column


class ExtensionStatus(StrEnum):
    PENDING = "pending"
    APPROVED = "approved"
    REFUSED = "refused"


class ExtensionRequest(UUIDPk, Base):
    """A department asks for more time; a dispatcher approves or refuses."""

    __tablename__ = "extension_requests"

    report_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("reports.id"), index=True)
    requested_by_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id"))
    requested_due_at: Mapped[dt.datetime]
    reason: Mapped[str] = mapped_column(Text)
    status: Mapped[ExtensionStatus] = mapped_column(
        enum_column(ExtensionStatus, 16), default=ExtensionStatus.PENDING, index=True
    )
    decided_by_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("users.id"))
    decided_at: Mapped[dt.datetime | None]
    decision_note: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class IntakeSource(UUIDPk, Base):
    """An external system that sends events (12345 hotline, 110 non-police calls …)."""

    __tablename__ = "intake_sources"

    name: Mapped[str] = mapped_column(String(32), unique=True)  # e.g. "hotline-12345"
    source: Mapped[ReportSource] = mapped_column(enum_column(ReportSource, 16))
    key_prefix: Mapped[str] = mapped_column(String(12), index=True)  # shown to admins
    key_hash: Mapped[str] = mapped_column(String(64))  # keyed SHA-256 of the API key
    area_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("areas.id"))  # events outside: 422
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class IntakeEvent(UUIDPk, Base):
    """One event received from a source; ``external_id`` makes delivery idempotent."""

    __tablename__ = "intake_events"
    __table_args__ = (UniqueConstraint("source_id", "external_id"),)

    source_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("intake_sources.id"))
    external_id: Mapped[str] = mapped_column(String(64))
    report_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("reports.id"), index=True)
    request_hash: Mapped[str] = mapped_column(String(64))
    caller_phone: Mapped[str | None] = mapped_column(String(20))  # E.164; shown masked
    payload: Mapped[dict[str, Any]] = mapped_column(JSONDoc)  # what the source sent, minus phone
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class CategoryMapping(UUIDPk, Base):
    """Free text of an external event → a category (first matching pattern by priority)."""

    __tablename__ = "category_mappings"

    source_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("intake_sources.id"))
    pattern: Mapped[str] = mapped_column(String(100))  # a keyword, matched as a substring
    category_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("categories.id"))
    priority: Mapped[int] = mapped_column(default=100)
    active: Mapped[bool] = mapped_column(default=True)


class ReplyTemplate(UUIDPk, Base):
    """A standard reply (标准回复) for an action, optionally for one category, with
    ``{placeholders}``."""

    __tablename__ = "reply_templates"

    action: Mapped[str] = mapped_column(String(32), index=True)
    category_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("categories.id"))
    title: Mapped[str] = mapped_column(String(100))
    text_zh: Mapped[str] = mapped_column(Text)
    text_en: Mapped[str] = mapped_column(Text)
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
