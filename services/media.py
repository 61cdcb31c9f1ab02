"""Uploading photos: process, store content-addressed, record one row per uploader and content.

Files are written before the row is committed; whatever goes wrong in between is cleaned up here
(best effort) and, failing that, by the garbage collector (services/media_gc.py), which removes
files no row references once they are an hour old.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
import uuid
from typing import Any

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from services.actors import Actor
from services.authz import Action, Target, can, require
from services.db import utcnow
from services.errors import (
    NotFound,
    PayloadTooLarge,
    PermissionDenied,
    RateLimited,
    ServiceUnavailable,
    ValidationFailed,
)
from services.models.media import MediaFile, MediaPurpose
from services.policies import MediaPolicy
from services.ports import ImageProcessor, MediaStore, ProcessedImage
from services.queries.media import (
    find_media_by_content,
    find_report_of,
    get_media_file,
    recent_uploads,
    referenced_keys,
)

logger = logging.getLogger(__name__)

# Per user; a resident files at most 20 reports of at most 9 photos an hour, plus retakes.
UPLOADS_PER_HOUR = 120
# What residents may upload photos for; disposal and verification photos come from staff.
RESIDENT_PURPOSES = frozenset({MediaPurpose.REPORT})
DERIVATIVE_TYPE = "image/jpeg"
_HEX = frozenset("0123456789abcdef")


def media_keys(sha256: str, extension: str) -> tuple[str, str, str]:
    """``(original_key, display_key, thumbnail_key)`` of the photo whose original has this
    SHA-256: identical bytes share their files, whoever uploaded them."""
    sha = sha256.lower()
    if len(sha) != 64 or not set(sha) <= _HEX or not extension.isalnum():
        raise ValueError(f"not a SHA-256 hex digest and extension: {sha256!r}, {extension!r}")
    shard = sha[:2]
    return (
        f"originals/{shard}/{sha}.{extension.lower()}",
        f"display/{shard}/{sha}.jpg",
        f"thumbs/{shard}/{sha}.jpg",
    )


def upload_media(
    session: Session,
    *,
    actor: Actor,
    data: bytes,
    images: ImageProcessor,
    store: MediaStore,
    policy: MediaPolicy,
    purpose: MediaPurpose = MediaPurpose.REPORT,
    now: dt.datetime | None = None,
) -> MediaFile:
    """Accept one photo from ``actor``; the same bytes again return the first row (a retry on a
    weak network). Refusals (413, 415, 422, 429) store nothing; a storage failure (503) leaves
    no row; a database failure removes the files this call wrote."""
    require(actor, Action.REPORT_CREATE)
    if actor.user_id is None:
        raise PermissionDenied()
    if purpose not in RESIDENT_PURPOSES and not actor.is_staff:
        raise PermissionDenied("media_purpose_staff_only")
    if not data:
        raise ValidationFailed(fields={"file": "upload_file_empty"})
    if len(data) > policy.max_bytes:
        raise PayloadTooLarge(limit=policy.max_bytes)
    now = now or utcnow()
    # A retry answers before any costly work and does not count against the rate limit.
    digest = hashlib.sha256(data).hexdigest()
    existing = find_media_by_content(session, actor.user_id, digest)
    if existing is not None:
        return _repurpose(session, existing, purpose)
    _check_rate(session, actor.user_id, now)
    # Decoding a 12 MP photo takes a while: end the transaction of the reads above first, so
    # SQLite's write lock, taken when a write transaction begins, is not held while the CPU works
    # on pixels. It wrote nothing (commit, not rollback, so a caller's pending rows survive); the
    # use case's own changes are committed once, after the files are stored.
    session.commit()
    processed = images.process(data, sha256=digest)

    existing = find_media_by_content(session, actor.user_id, processed.sha256)
    if existing is not None:  # a parallel upload of the same bytes finished meanwhile
        return existing
    files = _files(processed, data, keep_original=policy.original_days != 0)
    written, present = _put_all(session, store, files)
    media = _new_row(actor, processed, files, purpose=purpose, policy=policy, now=now)
    session.add(media)
    try:
        session.commit()
    except IntegrityError:
        session.rollback()
        # Another request of this user stored the same bytes first: theirs is the answer, and
        # its row uses the very files this call wrote.
        winner = find_media_by_content(session, actor.user_id, processed.sha256)
        if winner is None:
            _discard(session, store, written)
            raise
        return winner
    except Exception:
        session.rollback()
        _discard(session, store, written)
        raise
    _restore(store, files, present)
    return media


def _repurpose(session: Session, media: MediaFile, purpose: MediaPurpose) -> MediaFile:
    """The same bytes sent again for another purpose (a before-photo reused as an after-photo
    by mistake, or a retry): an unattached photo takes the new purpose; an attached one keeps
    its own (using it again is refused where it is attached)."""
    if media.purpose != purpose and media.report_id is None:
        media.purpose = purpose
        session.commit()
    return media


def media_view(
    store: MediaStore,
    policy: MediaPolicy,
    media: MediaFile,
    *,
    include_exif: bool,
    include_original: bool,
) -> dict[str, Any]:
    """What clients see of a photo: signed, expiring URLs of the metadata-free derivatives;
    the EXIF facts and the original only when the caller says this reader may see them."""
    ttl = policy.url_ttl_seconds
    view: dict[str, Any] = {
        "id": media.id,
        "display_url": store.url(media.display_key, expires_in=ttl),
        "thumbnail_url": store.url(media.thumbnail_key, expires_in=ttl),
        "width": media.width,
        "height": media.height,
        "sha256": media.sha256,
        "mime": media.mime,
        "created_at": _utc(media.created_at),
        "attached": media.report_id is not None,
    }
    if include_exif:
        view["exif"] = {
            "lat": media.exif_lat,
            "lng": media.exif_lng,
            "taken_at": _utc(media.exif_taken_at),
        }
    if include_original and media.original_key is not None:
        extension = media.original_key.rsplit(".", 1)[-1]
        view["original_url"] = store.url(
            media.original_key, expires_in=ttl, download_name=f"{media.sha256[:16]}.{extension}"
        )
    return view


def get_media(
    session: Session,
    *,
    actor: Actor,
    media_id: uuid.UUID,
    store: MediaStore,
    policy: MediaPolicy,
) -> dict[str, Any]:
    """One photo for its uploader (with EXIF) or for staff who may read its report (the
    original only with MEDIA_READ_ORIGINAL); anyone else learns nothing, not even that it
    exists (404)."""
    media = get_media_file(session, media_id)
    is_uploader = actor.user_id is not None and media.uploader_id == actor.user_id
    report = find_report_of(session, media)
    target = (
        Target(
            area_path=report.area_path,
            department_id=report.department_id,
            owner_id=report.reporter_id,
        )
        if report is not None
        else None
    )
    may_read_report = target is not None and can(actor, Action.REPORT_READ, target)
    if not (is_uploader or may_read_report):
        raise NotFound(what="media")
    original = target is not None and can(actor, Action.MEDIA_READ_ORIGINAL, target)
    return media_view(store, policy, media, include_exif=is_uploader, include_original=original)


def _utc(moment: dt.datetime | None) -> dt.datetime | None:
    """The same instant in UTC, as it reads back from the database (the pipeline gives times
    taken in the photo's own zone): a retry's answer then equals the first one."""
    return moment.astimezone(dt.UTC) if moment is not None else None


def _check_rate(session: Session, user_id: uuid.UUID, now: dt.datetime) -> None:
    window = dt.timedelta(hours=1)
    count, oldest = recent_uploads(session, user_id, now - window)
    if count >= UPLOADS_PER_HOUR and oldest is not None:
        wait = max(1, int((oldest + window - now).total_seconds()) + 1)
        raise RateLimited("uploads_too_frequent", retry_after=wait, limit=UPLOADS_PER_HOUR)


def _files(
    processed: ProcessedImage, data: bytes, *, keep_original: bool
) -> list[tuple[str, bytes, str]]:
    """``(key, bytes, content type)`` to store: the original first (the largest, and the one
    most likely to fail), then the derivatives."""
    original_key, display_key, thumbnail_key = media_keys(processed.sha256, processed.extension)
    files = [(original_key, data, processed.mime)] if keep_original else []
    files.append((display_key, processed.display, DERIVATIVE_TYPE))
    files.append((thumbnail_key, processed.thumbnail, DERIVATIVE_TYPE))
    return files


def _put_all(
    session: Session, store: MediaStore, files: list[tuple[str, bytes, str]]
) -> tuple[list[str], list[str]]:
    """Store what is not there yet; returns (keys written, keys already present). On failure
    removes what this call wrote and raises ServiceUnavailable."""
    written: list[str] = []
    present: list[str] = []
    try:
        for key, content, content_type in files:
            if store.exists(key):  # content-addressed: the same bytes are stored once
                present.append(key)
                continue
            store.put(key, content, content_type=content_type)
            written.append(key)
    except ServiceUnavailable:
        _discard(session, store, written)
        raise
    return written, present


def _new_row(
    actor: Actor,
    processed: ProcessedImage,
    files: list[tuple[str, bytes, str]],
    *,
    purpose: MediaPurpose,
    policy: MediaPolicy,
    now: dt.datetime,
) -> MediaFile:
    original_key, display_key, thumbnail_key = media_keys(processed.sha256, processed.extension)
    kept = any(key == original_key for key, _, _ in files)
    expires = (
        now + dt.timedelta(days=policy.original_days) if kept and policy.original_days > 0 else None
    )
    exif = processed.exif
    return MediaFile(
        uploader_id=actor.user_id,
        sha256=processed.sha256,
        phash=processed.phash,
        mime=processed.mime,
        size_bytes=processed.size_bytes,
        width=processed.width,
        height=processed.height,
        original_key=original_key if kept else None,
        display_key=display_key,
        thumbnail_key=thumbnail_key,
        exif_lat=exif.lat,
        exif_lng=exif.lng,
        exif_altitude_m=exif.altitude_m,
        exif_gps_time=exif.gps_time,
        exif_taken_at=exif.taken_at,
        purpose=purpose,
        original_expires_at=expires,
        created_at=now,
    )


def _discard(session: Session, store: MediaStore, keys: list[str]) -> None:
    """Best effort: remove files this call wrote that no row uses. If even that fails, the
    garbage collector removes them once they are an hour old."""
    if not keys:
        return
    try:
        in_use = referenced_keys(session, keys)
        session.rollback()
    except Exception:
        logger.warning("upload cleanup: cannot check %d file(s); left to media gc", len(keys))
        session.rollback()
        return
    for key in keys:
        if key in in_use:
            continue
        try:
            store.delete(key)
        except Exception:
            logger.warning("upload cleanup: cannot delete %s; left to media gc", key)


def _restore(store: MediaStore, files: list[tuple[str, bytes, str]], present: list[str]) -> None:
    """Files that were already there when this upload started may have been collected since (the
    row that used them was removed): put them back, the new row needs them."""
    for key, content, content_type in files:
        if key not in present:
            continue
        try:
            if not store.exists(key):
                store.put(key, content, content_type=content_type)
        except ServiceUnavailable:
            logger.warning("upload: shared file %s vanished and cannot be restored", key)
