"""Open reports near a point: what a resident sees before filing, to support one instead.

Candidates come from a bounding box on ``(lat, lng)`` (index ``ix_reports_lat_lng``), then the
exact great-circle distance decides. Nothing here names the reporter.
"""

from __future__ import annotations

import datetime as dt
import math
import uuid
from dataclasses import dataclass

from sqlalchemy import ColumnElement, and_, select
from sqlalchemy.orm import Session

from services.db import utcnow
from services.geo.coords import Coord, haversine_m, to_wgs84
from services.models.catalogue import Category
from services.models.media import MediaFile
from services.models.reports import OPEN_STATUSES, Report, ReportStatus
from services.policies import ReportPolicy
from services.queries.catalogue import find_category

EXCERPT_CHARS = 80
# A degree of latitude is at least 110,574 m; a degree of longitude 111,320 m * cos(lat).
_M_PER_DEG_LAT = 110_574.0
_M_PER_DEG_LNG_EQUATOR = 111_320.0


@dataclass(frozen=True)
class NearbyReport:
    id: uuid.UUID
    number: str
    category: Category
    status: ReportStatus
    distance_m: float
    created_at: dt.datetime
    supporters_count: int
    description: str  # an excerpt
    address: str | None  # None for anonymous reports
    thumbnail: MediaFile | None  # the first photo


def bbox_clause(lng: float, lat: float, radius_m: float) -> ColumnElement[bool]:
    """A box on the reports' WGS-84 columns that surely holds every point within the radius."""
    d_lat = radius_m / _M_PER_DEG_LAT * 1.01
    cos_lat = max(math.cos(math.radians(min(abs(lat) + d_lat, 89.9))), 1e-6)
    d_lng = radius_m / (_M_PER_DEG_LNG_EQUATOR * cos_lat) * 1.01
    return and_(
        Report.lat.between(lat - d_lat, lat + d_lat),
        Report.lng.between(lng - d_lng, lng + d_lng),
    )


def excerpt(text: str, limit: int = EXCERPT_CHARS) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def nearby_reports(
    session: Session,
    *,
    lng: float,
    lat: float,
    coord: Coord,
    category_code: str | None,
    policy: ReportPolicy,
    now: dt.datetime | None = None,
) -> list[NearbyReport]:
    """Open reports within ``policy.nearby_radius_m`` created in the last ``nearby_days``:
    the given category first, then by distance, at most ``policy.nearby_limit``. An unknown
    category code simply ranks nothing first."""
    now = now or utcnow()
    wgs_lng, wgs_lat = to_wgs84(lng, lat, Coord(coord))
    radius = policy.nearby_radius_m
    rows = session.execute(
        select(Report.id, Report.lng, Report.lat, Report.category_id).where(
            bbox_clause(wgs_lng, wgs_lat, radius),
            Report.status.in_(OPEN_STATUSES),
            Report.created_at >= now - dt.timedelta(days=policy.nearby_days),
        )
    ).all()
    category = find_category(session, category_code) if category_code else None
    preferred = category.id if category is not None else None
    ranked = sorted(
        (
            (row.category_id != preferred, distance, row.id)
            for row in rows
            if (distance := haversine_m(wgs_lng, wgs_lat, row.lng, row.lat)) <= radius
        ),
        key=lambda item: (item[0], item[1], str(item[2])),
    )[: policy.nearby_limit]
    if not ranked:
        return []
    reports = {
        r.id: r
        for r in session.scalars(select(Report).where(Report.id.in_([i for *_, i in ranked])))
    }
    return [_nearby(reports[report_id], distance) for _, distance, report_id in ranked]


def _nearby(report: Report, distance: float) -> NearbyReport:
    return NearbyReport(
        id=report.id,
        number=report.number,
        category=report.category,
        status=report.status,
        distance_m=round(distance, 1),
        created_at=report.created_at,
        supporters_count=report.supporters_count,
        description=excerpt(report.description),
        address=None if report.anonymous else report.address,
        thumbnail=report.media[0] if report.media else None,
    )
