"""Small fakes of the photo ports for the upload and cleanup tests (a processor that accepts
anything starting with ``FAKEIMG``, an in-memory store that can be told to fail) and helpers:
attach a photo to a report, post a photo as the mini-program does."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
from collections.abc import Iterator
from dataclasses import dataclass, field

from services.errors import ServiceUnavailable, UnsupportedMedia
from services.models.reports import LocationSource, Report, ReportSource, ReportStatus
from services.ports import ExifInfo, ImageProcessor, ProcessedImage, StoredFile
from tests.catalogue_factories import make_category

MAGIC = b"FAKEIMG"


def fake_photo(tag: str | int = 0) -> bytes:
    """Bytes the fake processor accepts; different tags make different photos."""
    return MAGIC + f":{tag}".encode()


@dataclass
class FakeImageProcessor:
    """Accepts ``FAKEIMG…`` bytes (415 otherwise), reports ``exif`` for every photo."""

    exif: ExifInfo = field(default_factory=ExifInfo)
    mime: str = "image/jpeg"
    extension: str = "jpg"
    calls: int = 0

    def process(self, data: bytes, *, sha256: str | None = None) -> ProcessedImage:
        self.calls += 1
        if not data.startswith(MAGIC):
            raise UnsupportedMedia()
        sha = hashlib.sha256(data).hexdigest()
        return ProcessedImage(
            mime=self.mime,
            extension=self.extension,
            size_bytes=len(data),
            sha256=sha,
            phash=sha[:16],
            width=40,
            height=30,
            exif=self.exif,
            display=b"display:" + sha.encode(),
            thumbnail=b"thumb:" + sha.encode(),
        )


@dataclass
class CountingProcessor:
    """Wraps a real processor and counts the photos it was asked to process."""

    inner: ImageProcessor
    calls: int = 0

    def process(self, data: bytes, *, sha256: str | None = None) -> ProcessedImage:
        self.calls += 1
        return self.inner.process(data, sha256=sha256)


@dataclass
class MemoryStore:
    """A MediaStore in a dict. ``fail_puts_after``: that many puts succeed, then each put raises
    ServiceUnavailable; ``now`` is the modification time given to new files."""

    files: dict[str, tuple[bytes, str, dt.datetime]] = field(default_factory=dict)
    fail_puts_after: int | None = None
    puts: int = 0
    deleted: list[str] = field(default_factory=list)
    now: dt.datetime | None = None

    def put(self, key: str, data: bytes, *, content_type: str) -> None:
        if self.fail_puts_after is not None and self.puts >= self.fail_puts_after:
            raise ServiceUnavailable("storage_unavailable")
        self.puts += 1
        self.files[key] = (data, content_type, self.now or dt.datetime.now(dt.UTC))

    def get(self, key: str) -> bytes:
        return self.files[key][0]

    def delete(self, key: str) -> None:
        self.deleted.append(key)
        self.files.pop(key, None)

    def exists(self, key: str) -> bool:
        return key in self.files

    def keys(self, prefix: str = "") -> Iterator[StoredFile]:
        for key, (data, _, modified) in sorted(self.files.items()):
            if key.startswith(prefix):
                yield StoredFile(key=key, size=len(data), modified_at=modified)

    def url(self, key: str, *, expires_in: int, download_name: str | None = None) -> str:
        suffix = f"&dl={download_name}" if download_name else ""
        return f"/fake-files/{key}?expires_in={expires_in}{suffix}"

    def age(self, key: str, by: dt.timedelta) -> None:
        """Make a stored file older."""
        data, content_type, modified = self.files[key]
        self.files[key] = (data, content_type, modified - by)


def attach(session, media, *, area, reporter, department=None) -> Report:
    """Attach ``media`` to a new report in ``area`` (the reports use case is not needed)."""
    if session.query(Report).count() == 0:
        make_category(session, "56")
    category = make_category(session, f"56{session.query(Report).count() + 10:02d}")
    report = Report(
        number=f"2026050600{session.query(Report).count() + 1:02d}",
        status=ReportStatus.REPORTED,
        source=ReportSource.MINI_PROGRAM,
        category_id=category.id,
        description="路灯不亮",
        lng=118.27,
        lat=33.96,
        coord_input="wgs84",
        location_source=LocationSource.DEVICE,
        locate_status="inside",
        grid_id=area.id,
        area_id=area.id,
        area_path=area.path,
        department_id=department.id if department else None,
        reporter_id=reporter.id,
    )
    session.add(report)
    session.flush()
    media.report_id, media.position, media.attached_at = report.id, 0, dt.datetime.now(dt.UTC)
    session.flush()
    return report


def post_photo(client, headers, data: bytes, *, field="file", filename="photo.jpg", **kwargs):
    """POST /api/v1/media as wx.uploadFile does: multipart, the photo in ``field``."""
    mimetype = kwargs.pop("mimetype", "image/jpeg")
    return client.post(
        "/api/v1/media",
        headers=headers,
        data={field: (io.BytesIO(data), filename, mimetype)},
        content_type="multipart/form-data",
        **kwargs,
    )
