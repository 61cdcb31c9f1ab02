"""Factories for photos and reports in tests: rows made directly, without the image pipeline."""

from __future__ import annotations

import datetime as dt
import hashlib
import itertools
import uuid

from sqlalchemy.orm import Session

from services.models.accounts import User
from services.models.media import MediaFile, MediaPurpose

_seq = itertools.count(1)


def make_media(
    session: Session,
    uploader: User,
    *,
    sha256: str | None = None,
    phash: str | None = None,
    exif_lat: float | None = None,
    exif_lng: float | None = None,
    created_at: dt.datetime | None = None,
    purpose: MediaPurpose = MediaPurpose.REPORT,
) -> MediaFile:
    """An unattached, processed photo of ``uploader``. Keys follow the content-addressed scheme
    (``originals/<sha[:2]>/<sha>.jpg`` …) but no file is written. Each call gets a distinct
    sha256 and a distinct phash unless given."""
    n = next(_seq)
    sha = sha256 or hashlib.sha256(f"photo-{n}-{uuid.uuid4()}".encode()).hexdigest()
    # Distinct hashes far apart in Hamming distance, so unrelated photos are never "similar".
    digest = hashlib.sha256(sha.encode()).hexdigest()
    media = MediaFile(
        uploader_id=uploader.id,
        sha256=sha,
        phash=phash or digest[:16],
        mime="image/jpeg",
        size_bytes=123_456,
        width=1600,
        height=1200,
        original_key=f"originals/{sha[:2]}/{sha}.jpg",
        display_key=f"display/{sha[:2]}/{sha}.jpg",
        thumbnail_key=f"thumbs/{sha[:2]}/{sha}.jpg",
        exif_lat=exif_lat,
        exif_lng=exif_lng,
        purpose=purpose,
        created_at=created_at or dt.datetime.now(dt.UTC),
    )
    session.add(media)
    session.flush()
    return media


# A point inside grid 321302001001001 of tests/geo_factories.make_shaped_tree (WGS-84).
GRID1_LNG, GRID1_LAT = 118.305, 33.905


def make_report_world(session: Session) -> dict:
    """Shaped areas, a department, the fallback category 5699 and a routed minor class 0101,
    ready for submitting reports."""
    from tests.catalogue_factories import make_category
    from tests.factories import make_department
    from tests.geo_factories import make_shaped_tree

    areas = make_shaped_tree(session)
    department = make_department(session, area=areas["city"])
    make_category(session, "56")
    fallback = make_category(session, "5699")
    make_category(session, "01")
    routed = make_category(session, "0101", department=department)
    return {**areas, "department": department, "fallback": fallback, "category": routed}


def report_body(media: list[MediaFile], **overrides) -> dict:
    """A valid POST /reports body for ``media`` (WGS-84 point in grid 1)."""
    body = {
        "category_code": "0101",
        "description": "井盖破损，行人容易踩空",
        "location": {"lat": GRID1_LAT, "lng": GRID1_LNG, "coord": "wgs84", "accuracy_m": 12},
        "address": "幸福路 12 号门口",
        "media_ids": [str(m.id) for m in media],
    }
    body.update(overrides)
    return body
