"""The outside world as the domain sees it; adapters in notifications/ and media/ implement it."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Protocol


@dataclass(frozen=True)
class SmsResult:
    accepted: bool
    provider_message_id: str | None = None
    error: str | None = None


class SmsSender(Protocol):
    """Sends one text message made from a provider-side template and its parameters."""

    def send(
        self, *, phone: str, template: str, params: Mapping[str, str], reference: str
    ) -> SmsResult:
        """``reference`` is our id for the message, passed to the provider for reconciliation."""
        ...


@dataclass(frozen=True)
class ExifInfo:
    """What the original's EXIF said, read before stripping; None where absent or degenerate."""

    lat: float | None = None  # WGS-84 (phone GPS), degrees
    lng: float | None = None
    altitude_m: float | None = None
    gps_time: dt.datetime | None = None  # UTC
    taken_at: dt.datetime | None = None  # DateTimeOriginal; aware (offset tag, else Asia/Shanghai)


@dataclass(frozen=True)
class ProcessedImage:
    """An accepted photo: the original's facts and two metadata-free JPEG derivatives."""

    mime: str  # image/jpeg | image/png | image/webp | image/heic | image/heif
    extension: str  # jpg | png | webp | heic | heif
    size_bytes: int
    sha256: str  # of the original bytes, hex
    phash: str  # 64-bit difference hash of the oriented image, 16 hex digits
    width: int  # after orientation
    height: int
    exif: ExifInfo
    display: bytes  # JPEG, long edge <= 1600 px
    thumbnail: bytes  # JPEG, long edge <= 320 px


class ImageProcessor(Protocol):
    """Sniffs, verifies and processes one upload. Raises UnsupportedMedia (not an accepted
    format, polyglot), PayloadTooLarge (bytes), ValidationFailed (pixels, bomb, corrupt)."""

    def process(self, data: bytes, *, sha256: str | None = None) -> ProcessedImage:
        """``sha256``: the caller's digest of ``data``, if it has one, so it is not computed
        twice."""
        ...


@dataclass(frozen=True)
class StoredFile:
    key: str
    size: int
    modified_at: dt.datetime  # aware UTC


class MediaStore(Protocol):
    """Where files live: a local directory or an S3-compatible bucket. Keys are relative
    paths such as ``display/ab/abcdef….jpg``."""

    def put(self, key: str, data: bytes, *, content_type: str) -> None: ...

    def get(self, key: str) -> bytes:
        """The bytes, or NotFound."""
        ...

    def delete(self, key: str) -> None:
        """Remove the file; a missing file is not an error."""
        ...

    def exists(self, key: str) -> bool: ...

    def keys(self, prefix: str = "") -> Iterator[StoredFile]:
        """Every stored file under ``prefix`` with its age (for the garbage collector)."""
        ...

    def url(self, key: str, *, expires_in: int, download_name: str | None = None) -> str:
        """A signed URL that reads the file until it expires (seconds from now)."""
        ...


@dataclass(frozen=True)
class GeocodedPlace:
    lng: float  # WGS-84
    lat: float
    label: str  # what the geocoder understood


class Geocoder(Protocol):
    """Turns an address into a point. None when it cannot; GeocodingUnavailable (a
    ServiceUnavailable) when the service cannot be reached."""

    def geocode(self, address: str) -> GeocodedPlace | None: ...
