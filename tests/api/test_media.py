"""POST /api/v1/media and GET /api/v1/media/{id}: uploading photos and reading them back."""

from __future__ import annotations

import datetime as dt
import io
import uuid

import pytest
from PIL import Image
from sqlalchemy import func, select

from media.storage import LocalMediaStore
from services.models.accounts import Role, User
from services.models.media import MediaFile
from tests.assertions import assert_error
from tests.factories import login, login_resident, make_department, make_user
from tests.fakes_media_h3 import (
    CountingProcessor,
    MemoryStore,
    attach,
)
from tests.fakes_media_h3 import (
    post_photo as upload,
)
from tests.media_images import heic_bytes, jpeg_bytes, png_bytes, webp_bytes

PHONE = "+8613900000001"
GPS = (33.96, 118.27)
# DateTimeOriginal is the phone's wall clock, read as Asia/Shanghai
TAKEN = dt.datetime(2026, 5, 1, 9, 30)  # noqa: DTZ001


@pytest.fixture
def store(container, tmp_path, monkeypatch):
    store = LocalMediaStore(tmp_path / "media", secret_key=container.config.secret_key)
    monkeypatch.setattr(container, "media_store", store)
    return store


@pytest.fixture
def images(container, monkeypatch):
    """The app's real processor, counting its calls."""
    images = CountingProcessor(container.images)
    monkeypatch.setattr(container, "images", images)
    return images


def photo(tag: int = 0) -> bytes:
    """A 640x480 JPEG shot rotated (orientation 6: shown 480x640) with GPS and a time."""
    return jpeg_bytes(640, 480, gps=GPS, orientation=6, taken_at=TAKEN, color=(200, 40 + tag, 40))


@pytest.fixture
def resident(client, sms, store, images):
    return login_resident(client, sms, PHONE)


def _stored(store) -> list[str]:
    return sorted(f.key for f in store.keys(""))


def _rows(session) -> int:
    return session.scalar(select(func.count()).select_from(MediaFile))


def test_an_upload_answers_201_with_signed_urls_and_the_exif_for_the_uploader(
    client, resident, store, session
):
    response = upload(client, resident, photo())
    assert response.status_code == 201, response.json
    body = response.json
    assert set(body) == {
        "id",
        "display_url",
        "thumbnail_url",
        "width",
        "height",
        "sha256",
        "mime",
        "created_at",
        "attached",
        "exif",
    }
    assert body["exif"] == {"lat": 33.96, "lng": 118.27, "taken_at": "2026-05-01T01:30:00+00:00"}
    assert (body["width"], body["height"], body["attached"]) == (480, 640, False)
    assert body["display_url"].startswith("/api/v1/files/display/")
    assert body["thumbnail_url"].startswith("/api/v1/files/thumbs/")
    assert "sig=" in body["display_url"] and "expires=" in body["display_url"]
    assert len(_stored(store)) == 3 and _rows(session) == 1


def test_the_signed_display_url_serves_the_stripped_image(client, resident):
    body = upload(client, resident, photo()).json
    for url in (body["display_url"], body["thumbnail_url"]):
        served = client.get(url)
        assert served.status_code == 200
        image = Image.open(io.BytesIO(served.data))
        assert (image.format, image.size) == (
            "JPEG",
            (480, 640) if "display" in url else (240, 320),
        )
        assert not image.getexif() and "exif" not in image.info and "xmp" not in image.info


def test_the_original_is_never_in_the_uploaders_answer(client, resident):
    body = upload(client, resident, photo()).json
    assert "original_url" not in body
    assert "originals/" not in str(body)


def test_the_file_name_and_declared_type_are_ignored(client, resident):
    response = upload(client, resident, photo(), filename="x.exe", mimetype="text/html")
    assert response.status_code == 201
    assert response.json["mime"] == "image/jpeg"


@pytest.mark.parametrize(
    "data, mime",
    [
        (png_bytes(), "image/png"),
        (webp_bytes(), "image/webp"),
        (heic_bytes(gps=GPS), "image/heic"),
    ],
    ids=["png", "webp", "heic"],
)
def test_png_webp_and_heic_photos_are_accepted(client, resident, data, mime):
    response = upload(client, resident, data, filename="photo.jpg")
    assert response.status_code == 201, response.json
    assert response.json["mime"] in {mime, "image/heif"}
    assert (response.json["width"], response.json["height"]) == (64, 48)


def test_the_same_photo_again_returns_the_same_photo(client, resident, images, session):
    first = upload(client, resident, photo())
    again = upload(client, resident, photo())
    assert again.status_code == first.status_code == 201
    unsigned = {k: v for k, v in first.json.items() if not k.endswith("_url")}
    assert {k: v for k, v in again.json.items() if not k.endswith("_url")} == unsigned
    assert again.json["display_url"].split("?")[0] == first.json["display_url"].split("?")[0]
    assert images.calls == 1 and _rows(session) == 1


def test_the_uploader_reads_the_photo_back_with_its_exif(client, resident):
    created = upload(client, resident, photo()).json
    response = client.get(f"/api/v1/media/{created['id']}", headers=resident)
    assert response.status_code == 200
    assert response.json["exif"]["lat"] == 33.96
    assert "original_url" not in response.json


def test_another_resident_gets_404(client, resident, sms):
    created = upload(client, resident, photo()).json
    other = login_resident(client, sms, "+8613900000002")
    assert_error(client.get(f"/api/v1/media/{created['id']}", headers=other), 404)


def test_staff_of_the_reports_area_get_the_original_but_not_the_exif(
    client, resident, session, tree
):
    created = upload(client, resident, photo()).json
    row = session.get(MediaFile, uuid.UUID(created["id"]))
    attach(session, row, area=tree["grid"], reporter=session.get(User, row.uploader_id))
    dispatcher = login(client, make_user(session, role=Role.DISPATCHER, area=tree["street"]))
    response = client.get(f"/api/v1/media/{created['id']}", headers=dispatcher)
    assert response.status_code == 200
    assert "exif" not in response.json
    assert response.json["original_url"].startswith("/api/v1/files/originals/")
    assert client.get(response.json["original_url"]).data == photo()


def test_staff_elsewhere_get_404(client, resident, session, tree):
    created = upload(client, resident, photo()).json
    row = session.get(MediaFile, uuid.UUID(created["id"]))
    attach(session, row, area=tree["grid"], reporter=session.get(User, row.uploader_id))
    handler = make_user(session, role=Role.DEPARTMENT_HANDLER, department=make_department(session))
    response = client.get(f"/api/v1/media/{created['id']}", headers=login(client, handler))
    assert_error(response, 404)


def test_an_unknown_photo_is_404(client, resident):
    assert_error(client.get(f"/api/v1/media/{uuid.uuid4()}", headers=resident), 404)


def test_a_storage_failure_answers_503_and_stores_no_row(
    client, resident, container, monkeypatch, session
):
    failing = MemoryStore(fail_puts_after=1)
    monkeypatch.setattr(container, "media_store", failing)
    response = upload(client, resident, photo())
    assert_error(response, 503)
    assert _rows(session) == 0 and failing.files == {}


def test_an_upload_needs_a_signed_in_user(client, store, images):
    assert_error(upload(client, {}, photo()), 401)


def test_staff_may_upload(client, session, store, images):
    worker = make_user(session, role=Role.GRID_WORKER)
    assert upload(client, login(client, worker), photo(1)).status_code == 201
