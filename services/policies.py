"""Settings the photo and report use cases need, built from the configuration in create_app."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass


@dataclass(frozen=True)
class MediaPolicy:
    max_bytes: int = 20 * 1024 * 1024
    max_pixels: int = 50_000_000
    original_days: int = 365  # 0: originals are not kept; -1: kept forever
    url_ttl_seconds: int = 900
    unattached_after: dt.timedelta = dt.timedelta(hours=24)


@dataclass(frozen=True)
class ReportPolicy:
    reports_per_hour: int = 20
    nearby_radius_m: float = 250
    nearby_days: int = 30
    nearby_limit: int = 5
    duplicate_radius_m: float = 50
    duplicate_window: dt.timedelta = dt.timedelta(hours=72)
    location_mismatch_m: float = 500
    phash_max_distance: int = 6
    max_media: int = 9
