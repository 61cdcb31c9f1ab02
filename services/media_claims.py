"""Photos becoming part of a case: which uploads an actor may attach, and attaching them so
that two cases racing for one photo cannot both get it. Used by report submission, disposal,
verification and self-resolution."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Sequence

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import set_committed_value

from services.actors import Actor
from services.errors import Conflict, ValidationFailed
from services.models.media import MediaFile, MediaPurpose
from services.models.reports import Report

MAX_CASE_MEDIA = 9


def claimable_media(
    session: Session,
    actor: Actor,
    ids: Sequence[uuid.UUID],
    *,
    purpose: MediaPurpose,
    field: str = "media_ids",
    min_count: int = 0,
    max_count: int = MAX_CASE_MEDIA,
) -> list[MediaFile]:
    """The actor's own unattached photos of ``purpose``, in the order given. Someone else's
    photo, or one of another purpose, reads exactly like a missing one (422: nothing to learn by
    probing); an attached one is 409."""
    if not min_count <= len(ids) <= max_count:
        raise ValidationFailed(fields={field: "media_count"}, max=max_count)
    if len(set(ids)) != len(ids):
        raise ValidationFailed(fields={field: "media_ids_repeated"})
    if not ids:
        return []
    rows = {m.id: m for m in session.scalars(select(MediaFile).where(MediaFile.id.in_(ids)))}
    media = []
    for media_id in ids:
        found = rows.get(media_id)
        if found is None or found.uploader_id != actor.user_id or found.purpose != purpose:
            raise ValidationFailed(fields={field: "media_unknown"})
        if found.report_id is not None:
            raise Conflict("media_attached", fields={field: "media_attached"})
        media.append(found)
    return media


def attach_media(
    session: Session, report: Report, media: Sequence[MediaFile], now: dt.datetime
) -> list[str]:
    """Attach the photos after the case's existing ones, each only if it is still free: a photo
    claimed meanwhile by another case makes the whole use case fail (409, its transaction rolls
    back). Returns their ids for the timeline."""
    if not media:
        return []
    last = session.scalar(
        select(func.max(MediaFile.position)).where(MediaFile.report_id == report.id)
    )
    start = 0 if last is None else last + 1
    for offset, item in enumerate(media):
        position = start + offset
        claimed = session.execute(
            update(MediaFile)
            .where(MediaFile.id == item.id, MediaFile.report_id.is_(None))
            .values(report_id=report.id, position=position, attached_at=now)
            .execution_options(synchronize_session=False)
        )
        if claimed.rowcount != 1:
            raise Conflict("media_attached", fields={"media_ids": "media_attached"})
        # The row already says so; keep the loaded object in step without a second UPDATE.
        for name, value in (("report_id", report.id), ("position", position), ("attached_at", now)):
            set_committed_value(item, name, value)
    session.expire(report, ["media"])
    return [str(m.id) for m in media]
