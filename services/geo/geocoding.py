"""Geocoders: addresses of external events to WGS-84 points (adapters of ``ports.Geocoder``).

* ``OfflineGeocoder`` (the default) needs no network: it finds the area whose name the address
  mentions (the deepest level, then the most of its ancestors also named, then the longest
  name) and answers with that area's centroid. Coarse, but it places a hotline call in the
  right grid or street, which is what routing needs.
* ``GeopyGeocoder`` drives geopy: Nominatim (OpenStreetMap or a self-hosted instance) or Baidu
  Maps (API v3). Baidu answers in BD-09, converted here to WGS-84. Timeouts and service errors
  become ``ServiceUnavailable("geocoder_unavailable")``.

``build_geocoder`` picks one from the settings; tests use a recording fake.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from contextlib import AbstractContextManager
from typing import Any
from urllib.parse import urlsplit

from geopy.adapters import RequestsAdapter
from geopy.exc import GeopyError
from geopy.geocoders import BaiduV3, Nominatim
from sqlalchemy import select
from sqlalchemy.orm import Session

from services.errors import ServiceUnavailable
from services.geo.coords import bd09_to_wgs84
from services.models.areas import Area
from services.ports import GeocodedPlace, Geocoder

logger = logging.getLogger(__name__)

GEOCODERS = ("offline", "nominatim", "baidu")
DEFAULT_USER_AGENT = "onegrid-geocoder/1.0"
MAX_ADDRESS_LENGTH = 200


class OfflineGeocoder:
    """Matches the address text against the names of the active areas that have a shape."""

    def __init__(self, session_factory: Callable[[], AbstractContextManager[Session]]) -> None:
        self._session_factory = session_factory

    def geocode(self, address: str) -> GeocodedPlace | None:
        text = (address or "").strip()
        if not text:
            return None
        with self._session_factory() as session:
            rows = session.execute(
                select(Area.name, Area.path, Area.centroid_lng, Area.centroid_lat).where(
                    Area.active.is_(True), Area.centroid_lng.is_not(None)
                )
            ).all()
        named = {row.path: row for row in rows if row.name and row.name in text}
        if not named:
            return None

        def rank(row: Any) -> tuple[int, int, int, str]:
            ancestors = sum(1 for p in named if p != row.path and row.path.startswith(p))
            # deepest first, then the one whose parents the address names too, then the longest
            # name; the smallest path among equals, so the answer never depends on row order
            return (-row.path.count("/"), -ancestors, -len(row.name), row.path)

        best = min(named.values(), key=rank)
        return GeocodedPlace(lng=best.centroid_lng, lat=best.centroid_lat, label=best.name)


class GeopyGeocoder:
    """A geopy geocoder behind the port. ``provider`` is ``nominatim`` or ``baidu``."""

    def __init__(
        self,
        provider: str,
        *,
        url: str | None = None,
        api_key: str | None = None,
        timeout_s: float = 5,
        user_agent: str = DEFAULT_USER_AGENT,
        adapter_factory: Callable[..., Any] = RequestsAdapter,
    ) -> None:
        common = {
            "timeout": timeout_s,
            "user_agent": user_agent,
            "adapter_factory": adapter_factory,
        }
        self.provider = provider
        if provider == "nominatim":
            kwargs: dict[str, Any] = {}
            if url:
                parts = urlsplit(url if "://" in url else f"https://{url}")
                kwargs = {"scheme": parts.scheme, "domain": parts.netloc + parts.path.rstrip("/")}
            self._geocoder = Nominatim(**common, **kwargs)
        elif provider == "baidu":
            if not api_key:
                raise ValueError("the Baidu geocoder needs an API key")
            self._geocoder = BaiduV3(api_key, **common)
        else:
            raise ValueError(f"unknown geocoder {provider!r}")

    def geocode(self, address: str) -> GeocodedPlace | None:
        text = (address or "").strip()[:MAX_ADDRESS_LENGTH]
        if not text:
            return None
        try:
            found = self._geocoder.geocode(text, exactly_one=True)
        except GeopyError as exc:
            # Never the address itself in the log: it may name a caller's home.
            logger.warning("geocoder %s failed: %s", self.provider, type(exc).__name__)
            raise ServiceUnavailable("geocoder_unavailable") from None
        if found is None:
            return None
        lng, lat = found.longitude, found.latitude
        if self.provider == "baidu":
            lng, lat = bd09_to_wgs84(lng, lat)
        label = found.address if isinstance(found.address, str) else text
        return GeocodedPlace(lng=lng, lat=lat, label=label)


def build_geocoder(
    kind: str,
    *,
    session_factory: Callable[[], AbstractContextManager[Session]],
    url: str | None = None,
    api_key: str | None = None,
    timeout_s: float = 5,
) -> Geocoder:
    """The geocoder the settings name (``offline``, ``nominatim`` or ``baidu``)."""
    if kind == "offline":
        return OfflineGeocoder(session_factory)
    return GeopyGeocoder(kind, url=url, api_key=api_key, timeout_s=timeout_s)
