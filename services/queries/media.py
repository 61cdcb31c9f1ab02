"""Reading uploaded photos: by id, by content, by storage key."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Collection, Iterable

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from services.errors import NotFound
from services.models.media import MediaFile
from services.models.reports import Report

_CHUNK = 500  # ids per IN (...): well under every database's parameter limit


def get_media_file(session: Session, media_id: uuid.UUID) -> MediaFile:
    media = session.get(MediaFile, media_id)
    if media is None:
        raise NotFound(what="media")
    return media


def find_media_by_content(
    session: Session, uploader_id: uuid.UUID, sha256: str
) -> MediaFile | None:
    """The uploader's own row for these bytes (a retry), if any."""
    return session.scalar(
        select(MediaFile).where(MediaFile.uploader_id == uploader_id, MediaFile.sha256 == sha256)
    )


def find_report_of(session: Session, media: MediaFile) -> Report | None:
    return session.get(Report, media.report_id) if media.report_id is not None else None


def recent_uploads(
    session: Session, uploader_id: uuid.UUID, since: dt.datetime
) -> tuple[int, dt.datetime | None]:
    """How many photos the user uploaded since ``since``, and when the oldest of them was."""
    count, oldest = session.execute(
        select(func.count(), func.min(MediaFile.created_at)).where(
            MediaFile.uploader_id == uploader_id, MediaFile.created_at >= since
        )
    ).one()
    return count, oldest


def referenced_keys(
    session: Session, keys: Iterable[str], *, excluding: Collection[uuid.UUID] = ()
) -> set[str]:
    """Those of ``keys`` that some row (other than ``excluding``) still uses as its original,
    display image or thumbnail. Keys name their content's SHA-256, so the lookup goes through
    the indexed ``sha256`` column."""
    wanted = set(keys)
    by_sha: dict[str, set[str]] = {}
    for key in wanted:
        by_sha.setdefault(_sha_of(key), set()).add(key)
    found: set[str] = set()
    shas = sorted(by_sha)
    for start in range(0, len(shas), _CHUNK):
        stmt = select(MediaFile.original_key, MediaFile.display_key, MediaFile.thumbnail_key).where(
            MediaFile.sha256.in_(shas[start : start + _CHUNK])
        )
        if excluding:
            stmt = stmt.where(MediaFile.id.not_in(list(excluding)))
        for row in session.execute(stmt):
            found.update(k for k in row if k in wanted)
    return found


def _sha_of(key: str) -> str:
    """``display/ab/<sha>.jpg`` -> ``<sha>``."""
    return key.rpartition("/")[2].partition(".")[0].lower()
