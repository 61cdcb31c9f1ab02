"""Helpers of the intake tests: sources with keys, event bodies, a recording fake geocoder."""

from __future__ import annotations

from services.actors import Actor
from services.errors import ServiceUnavailable
from services.intake_sources import create_source
from services.ports import GeocodedPlace
from tests.report_factories import GRID1_LAT, GRID1_LNG

EVENTS = "/api/v1/intake/events"
PHONE = "13812345678"
PHONE_E164 = "+8613812345678"
PHONE_MASKED = "138****5678"


def key_secret(container) -> bytes:
    return ("intake-api-key:" + container.config.secret_key).encode()


def make_source(session, container, *, name="hotline", kind="hotline", area_code="321302"):
    """An active source of ``area_code``; returns (source, API key)."""
    source, _area, key = create_source(
        session,
        actor=Actor.system("test"),
        name=name,
        source=kind,
        area_code=area_code,
        key_secret=key_secret(container),
    )
    return source, key


def event_body(**overrides) -> dict:
    body = {
        "external_id": "12345-0001",
        "category_code": "0101",
        "description": "市民来电：井盖破损",
        "location": {"lat": GRID1_LAT, "lng": GRID1_LNG, "coord": "wgs84"},
        "caller_phone": PHONE,
    }
    body.update(overrides)
    return {k: v for k, v in body.items() if v is not ...}


class FakeGeocoder:
    """Answers from a dict of address → (lng, lat); records every address asked."""

    def __init__(self, places: dict[str, tuple[float, float]] | None = None, *, down=False):
        self.places = places or {}
        self.down = down
        self.calls: list[str] = []

    def geocode(self, address: str) -> GeocodedPlace | None:
        self.calls.append(address)
        if self.down:
            raise ServiceUnavailable("geocoder_unavailable")
        found = self.places.get(address)
        return GeocodedPlace(lng=found[0], lat=found[1], label=address) if found else None
