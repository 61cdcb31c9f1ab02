"""Reports (cases): what residents and workers report, and what follows from it."""

from __future__ import annotations

import datetime as dt
import uuid
from enum import StrEnum

from sqlalchemy import Date, ForeignKey, Index, Integer, String, Text, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from services.db import Base, Timestamps, UUIDPk, utcnow
from services.models.areas import Area
from services.models.catalogue import Category, Urgency
from services.models.media import MediaFile
from services.models.types import JSONDoc, PathString, enum_column


class ReportStatus(StrEnum):
    REPORTED = "reported"
    FILED = "filed"
    REJECTED = "rejected"
    MERGED = "merged"
    DISPATCHED = "dispatched"
    IN_PROGRESS = "in_progress"
    RESOLVED = "resolved"
    CLOSED = "closed"


OPEN_STATUSES = frozenset(
    {
        ReportStatus.REPORTED,
        ReportStatus.FILED,
        ReportStatus.DISPATCHED,
        ReportStatus.IN_PROGRESS,
        ReportStatus.RESOLVED,
    }
)


_OPEN_SQL = "('reported', 'filed', 'dispatched', 'in_progress', 'resolved')"
_DISPOSAL_SQL = "('dispatched', 'in_progress')"


class ReportSource(StrEnum):
    MINI_PROGRAM = "mini_program"
    APP = "app"
    PATROL = "patrol"
    HOTLINE = "hotline"  # 12345
    POLICE_110 = "police_110"  # 110 non-police calls
    DIGITAL_CITY = "digital_city"  # digital urban management
    OTHER = "other"


class LocationSource(StrEnum):
    DEVICE = "device"  # the location the client sent
    EXIF = "exif"  # the first photo's GPS, the client sent none


class Report(UUIDPk, Timestamps, Base):
    __tablename__ = "reports"
    __table_args__ = (
        Index("ix_reports_area_path_status", "area_path", "status"),
        Index("ix_reports_lat_lng", "lat", "lng"),
        Index("ix_reports_reporter_created", "reporter_id", "created_at"),
        Index("ix_reports_department_status", "department_id", "status"),
        # The staff list by status and period, and the statistics by period (migration 0005).
        Index("ix_reports_status_created_path", "status", "created_at", "area_path"),
        Index("ix_reports_created_path", "created_at", "area_path"),
        # Small partial indexes: the cases open and overdue now (statistics' top overdue), and
        # the cases the SLA scan must look at (running deadline, not yet flagged).
        Index(
            "ix_reports_open_overdue",
            "area_path",
            postgresql_where=text(f"overdue AND status IN {_OPEN_SQL}"),
            sqlite_where=text(f"overdue = 1 AND status IN {_OPEN_SQL}"),
        ),
        Index(
            "ix_reports_filing_unflagged",
            "filing_due_at",
            postgresql_where=text("NOT overdue AND status = 'reported'"),
            sqlite_where=text("overdue = 0 AND status = 'reported'"),
        ),
        Index(
            "ix_reports_disposal_unflagged",
            "disposal_due_at",
            postgresql_where=text(f"NOT overdue AND status IN {_DISPOSAL_SQL}"),
            sqlite_where=text(f"overdue = 0 AND status IN {_DISPOSAL_SQL}"),
        ),
    )

    number: Mapped[str] = mapped_column(String(16), unique=True)  # YYYYMMDDNNNN
    status: Mapped[ReportStatus] = mapped_column(enum_column(ReportStatus, 16), index=True)
    source: Mapped[ReportSource] = mapped_column(enum_column(ReportSource, 16), index=True)
    category_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("categories.id"), index=True)
    urgency: Mapped[Urgency] = mapped_column(enum_column(Urgency, 16), default=Urgency.NORMAL)
    description: Mapped[str] = mapped_column(Text)
    address: Mapped[str | None] = mapped_column(String(200))
    # WGS-84; the client's own coordinate system and accuracy are kept for the record
    lng: Mapped[float]
    lat: Mapped[float]
    coord_input: Mapped[str] = mapped_column(String(8))
    accuracy_m: Mapped[float | None]
    location_source: Mapped[LocationSource] = mapped_column(enum_column(LocationSource, 8))
    location_mismatch: Mapped[bool] = mapped_column(default=False)
    mismatch_m: Mapped[float | None]  # distance between the given location and the photo's GPS
    # The grid (or, unassigned, the smallest enclosing area) and its materialised path: every
    # scoped query is a prefix match on area_path. NULL when the point is outside the city.
    grid_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("areas.id"), index=True)
    area_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("areas.id"))
    area_path: Mapped[str | None] = mapped_column(PathString)
    locate_status: Mapped[str] = mapped_column(String(16))
    department_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("departments.id"))
    reporter_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("users.id"))
    anonymous: Mapped[bool] = mapped_column(default=False)
    supporters_count: Mapped[int] = mapped_column(default=0)
    filing_due_at: Mapped[dt.datetime | None]
    disposal_due_at: Mapped[dt.datetime | None]
    overdue: Mapped[bool] = mapped_column(default=False, index=True)
    closed_at: Mapped[dt.datetime | None]
    version: Mapped[int] = mapped_column(Integer, default=1)  # optimistic concurrency
    # The closed loop (services/workflow*.py): when each phase happened and how it went.
    filed_at: Mapped[dt.datetime | None]
    dispatched_at: Mapped[dt.datetime | None]
    accepted_at: Mapped[dt.datetime | None]
    resolved_at: Mapped[dt.datetime | None]
    handler_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("users.id"))
    merged_into_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("reports.id"))
    reject_reason: Mapped[str | None] = mapped_column(Text)
    rework_count: Mapped[int] = mapped_column(default=0)  # failed verifications
    reopen_count: Mapped[int] = mapped_column(default=0)  # resident reopenings (at most one)
    self_resolved: Mapped[bool] = mapped_column(default=False)  # 小事不出网格
    supervised_at: Mapped[dt.datetime | None]  # 督办
    external_ref: Mapped[str | None] = mapped_column(String(64))  # the source's own case id

    category: Mapped[Category] = relationship(lazy="joined")
    grid: Mapped[Area | None] = relationship(foreign_keys=[grid_id], lazy="raise")
    area: Mapped[Area | None] = relationship(foreign_keys=[area_id], lazy="raise")
    media: Mapped[list[MediaFile]] = relationship(
        primaryjoin="MediaFile.report_id == Report.id",
        order_by="MediaFile.position",
        lazy="selectin",
        viewonly=True,
    )


class ReportEvent(UUIDPk, Base):
    """One entry of a report's timeline."""

    __tablename__ = "report_events"

    report_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("reports.id"), index=True)
    action: Mapped[str] = mapped_column(String(32))
    from_status: Mapped[str | None] = mapped_column(String(16))
    to_status: Mapped[str | None] = mapped_column(String(16))
    actor_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("users.id"))
    actor_role: Mapped[str | None] = mapped_column(String(32))
    note: Mapped[str | None] = mapped_column(Text)  # internal: staff only
    public_note: Mapped[str | None] = mapped_column(Text)  # what residents may read
    data: Mapped[dict | None] = mapped_column(JSONDoc)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow, index=True)


class ReportSupporter(Base):
    """A resident who said "me too": counted, and subscribed to the report's updates."""

    __tablename__ = "report_supporters"

    report_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("reports.id"), primary_key=True)
    user_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id"), primary_key=True)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class DuplicateReason(StrEnum):
    NEARBY = "nearby"  # same category, close in space and time
    SIMILAR_PHOTO = "similar_photo"  # a near-identical photo


class DuplicateStatus(StrEnum):
    SUSPECTED = "suspected"
    CONFIRMED = "confirmed"
    DISMISSED = "dismissed"


class ReportDuplicate(UUIDPk, Base):
    """``report`` may be a duplicate of the earlier ``original``; a dispatcher decides."""

    __tablename__ = "report_duplicates"
    __table_args__ = (UniqueConstraint("report_id", "original_id"),)

    report_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("reports.id"), index=True)
    original_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("reports.id"), index=True)
    reason: Mapped[DuplicateReason] = mapped_column(enum_column(DuplicateReason, 16))
    distance_m: Mapped[float | None]
    status: Mapped[DuplicateStatus] = mapped_column(
        enum_column(DuplicateStatus, 16), default=DuplicateStatus.SUSPECTED
    )
    decided_by_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("users.id"))
    decided_at: Mapped[dt.datetime | None]
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class ReportNumberDay(Base):
    """The last report number handed out on a day (Asia/Shanghai); numbers have no gaps
    because the counter moves in the transaction that creates the report."""

    __tablename__ = "report_number_days"

    day: Mapped[dt.date] = mapped_column(Date, primary_key=True)
    last: Mapped[int] = mapped_column(default=0)


class IdempotencyRecord(Base):
    """The first answer to a phone's POST with an ``Idempotency-Key``: a retry with the same
    key and body gets it again; the same key with another body is refused."""

    __tablename__ = "idempotency_records"
    __table_args__ = (UniqueConstraint("user_id", "scope", "key"),)

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=True)
    user_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id"))
    scope: Mapped[str] = mapped_column(String(32))  # e.g. "report.create"
    key: Mapped[str] = mapped_column(String(128))
    request_hash: Mapped[str] = mapped_column(String(64))
    result_id: Mapped[uuid.UUID | None]  # what the first request created
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow, index=True)
