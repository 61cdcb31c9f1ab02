"""Uploaded photos: one row per uploader and content; the files live in the media store."""

from __future__ import annotations

import datetime as dt
import uuid
from enum import StrEnum

from sqlalchemy import BigInteger, ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from services.db import Base, UUIDPk, utcnow
from services.models.types import enum_column


class MediaPurpose(StrEnum):
    REPORT = "report"  # a resident's or worker's photo of a problem
    DISPOSAL = "disposal"  # after-photos of a department (next issue)
    VERIFICATION = "verification"  # a grid worker's on-site check (next issue)


class MediaFile(UUIDPk, Base):
    """A processed upload. Files are content-addressed by ``sha256`` in the store, so identical
    bytes are stored once; the row is per uploader (a retry returns the same row)."""

    __tablename__ = "media_files"
    __table_args__ = (
        UniqueConstraint("uploader_id", "sha256"),
        Index("ix_media_files_unattached", "report_id", "created_at"),
    )

    uploader_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id"), index=True)
    sha256: Mapped[str] = mapped_column(String(64), index=True)
    # 64-bit perceptual (difference) hash as 16 hex digits, for near-duplicate photos
    phash: Mapped[str] = mapped_column(String(16), index=True)
    mime: Mapped[str] = mapped_column(String(32))  # of the original, sniffed from the bytes
    size_bytes: Mapped[int] = mapped_column(BigInteger)
    width: Mapped[int]  # after applying the EXIF orientation
    height: Mapped[int]
    original_key: Mapped[str | None] = mapped_column(String(200))  # None once removed
    display_key: Mapped[str] = mapped_column(String(200))
    thumbnail_key: Mapped[str] = mapped_column(String(200))
    # From the original's EXIF, kept for staff and the uploader (never in the derivatives).
    exif_lat: Mapped[float | None]
    exif_lng: Mapped[float | None]
    exif_altitude_m: Mapped[float | None]
    exif_gps_time: Mapped[dt.datetime | None]
    exif_taken_at: Mapped[dt.datetime | None]  # DateTimeOriginal, read as Asia/Shanghai
    purpose: Mapped[MediaPurpose] = mapped_column(
        enum_column(MediaPurpose, 16), default=MediaPurpose.REPORT
    )
    report_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("reports.id"))
    position: Mapped[int | None]  # order within the report
    attached_at: Mapped[dt.datetime | None]
    original_expires_at: Mapped[dt.datetime | None]  # None: kept
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
