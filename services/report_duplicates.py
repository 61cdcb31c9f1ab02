"""Suspected duplicates, linked when a report is created for a dispatcher to confirm or dismiss.

* ``nearby``: an earlier open report of the same category within ``duplicate_radius_m`` and
  ``duplicate_window`` (a bounding box on the indexed coordinates, then exact distance);
* ``similar_photo``: an open report of the same window with a photo whose perceptual hash
  differs from one of the new report's photos in at most ``phash_max_distance`` bits.

A report is never linked to itself. Reports of the same reporter are linked too: the dispatcher
decides whether the second one says something new.
"""

from __future__ import annotations

import datetime as dt
import uuid

from sqlalchemy import select
from sqlalchemy.orm import Session

from services.geo.coords import haversine_m
from services.media_hash import phash_distance
from services.models.media import MediaFile
from services.models.reports import (
    OPEN_STATUSES,
    DuplicateReason,
    Report,
    ReportDuplicate,
)
from services.policies import ReportPolicy
from services.queries.nearby import bbox_clause


def _nearby(session: Session, report: Report, policy: ReportPolicy, now: dt.datetime):
    rows = session.execute(
        select(Report.id, Report.lng, Report.lat).where(
            bbox_clause(report.lng, report.lat, policy.duplicate_radius_m),
            Report.category_id == report.category_id,
            Report.status.in_(OPEN_STATUSES),
            Report.created_at >= now - policy.duplicate_window,
            Report.id != report.id,
        )
    ).all()
    for row in rows:
        distance = haversine_m(report.lng, report.lat, row.lng, row.lat)
        if distance <= policy.duplicate_radius_m:
            yield row.id, distance


def _similar_photos(
    session: Session, report: Report, hashes: list[str], policy: ReportPolicy, now: dt.datetime
):
    if not hashes:
        return
    # Photos of the open reports of the same window as ``nearby``: a 16-hex-digit comparison
    # each, cheap next to a request, and bounded by the window rather than the city's history.
    rows = session.execute(
        select(MediaFile.report_id, MediaFile.phash)
        .join(Report, Report.id == MediaFile.report_id)
        .where(
            Report.status.in_(OPEN_STATUSES),
            Report.id != report.id,
            Report.created_at >= now - policy.duplicate_window,
        )
    ).all()
    for row in rows:
        if any(phash_distance(row.phash, h) <= policy.phash_max_distance for h in hashes):
            yield row.report_id


def link_duplicates(
    session: Session,
    report: Report,
    *,
    photo_hashes: list[str],
    policy: ReportPolicy,
    now: dt.datetime,
) -> int:
    """Add a ReportDuplicate per suspected original (one per original, ``nearby`` winning);
    returns how many. The caller commits."""
    found: dict[uuid.UUID, DuplicateReason] = {}
    for original_id, _distance in _nearby(session, report, policy, now):
        found[original_id] = DuplicateReason.NEARBY
    for original_id in _similar_photos(session, report, photo_hashes, policy, now):
        found.setdefault(original_id, DuplicateReason.SIMILAR_PHOTO)
    if not found:
        return 0
    coords = {
        row.id: (row.lng, row.lat)
        for row in session.execute(
            select(Report.id, Report.lng, Report.lat).where(Report.id.in_(found))
        )
    }
    for original_id, reason in found.items():
        lng, lat = coords[original_id]
        session.add(
            ReportDuplicate(
                report_id=report.id,
                original_id=original_id,
                reason=reason,
                distance_m=round(haversine_m(report.lng, report.lat, lng, lat), 1),
            )
        )
    return len(found)
