"""POST /api/v1/media refuses what is not one acceptable photo, with a clear message, and
stores nothing (no row, no file)."""

from __future__ import annotations

import io

import pytest
from sqlalchemy import func, select

from services import media as media_service
from services.models.media import MediaFile
from services.policies import MediaPolicy
from tests.assertions import assert_error
from tests.factories import login_resident
from tests.fakes_media_h3 import CountingProcessor, MemoryStore, post_photo
from tests.media_images import jpeg_bytes

PHONE = "+8613900000011"


@pytest.fixture
def store(container, monkeypatch):
    store = MemoryStore()
    monkeypatch.setattr(container, "media_store", store)
    return store


@pytest.fixture
def images(container, monkeypatch):
    images = CountingProcessor(container.images)
    monkeypatch.setattr(container, "images", images)
    return images


@pytest.fixture
def resident(client, sms, store, images):
    return login_resident(client, sms, PHONE)


@pytest.fixture
def nothing_stored(session, store):
    yield
    assert session.scalar(select(func.count()).select_from(MediaFile)) == 0
    assert store.files == {}


def test_a_missing_file_field_is_422(client, resident, nothing_stored):
    response = post_photo(client, resident, jpeg_bytes(), field="image")
    body = assert_error(response, 422)
    assert "file" in body["errors"]["files"]


def test_an_empty_file_is_422(client, resident, nothing_stored):
    body = assert_error(post_photo(client, resident, b""), 422)
    assert "file" in str(body["errors"])


def test_a_json_body_is_422_asking_for_the_file(client, resident, nothing_stored):
    response = client.post("/api/v1/media", headers=resident, json={"file": "aGVsbG8="})
    body = assert_error(response, 422)
    assert "file" in body["errors"]["files"]


def test_a_raw_image_body_is_415(client, resident, nothing_stored):
    response = client.post(
        "/api/v1/media", headers=resident, data=jpeg_bytes(), content_type="image/jpeg"
    )
    assert_error(response, 415)


def test_a_body_over_the_limit_is_413_before_it_is_read(
    client, resident, container, monkeypatch, images, nothing_stored
):
    monkeypatch.setattr(container, "media_policy", MediaPolicy(max_bytes=1000))
    response = post_photo(client, resident, jpeg_bytes(400, 300, quality=100) + b"\0" * 100_000)
    body = assert_error(response, 413)
    assert str(1000 + 64 * 1024) in body["message"]
    assert images.calls == 0


def test_a_file_just_over_the_photo_limit_is_413(
    client, resident, container, monkeypatch, images, nothing_stored
):
    monkeypatch.setattr(container, "media_policy", MediaPolicy(max_bytes=1000))
    response = post_photo(client, resident, jpeg_bytes(64, 48) + b"\0" * 2000)
    body = assert_error(response, 413)
    assert "1000" in body["message"]
    assert images.calls == 0


@pytest.mark.parametrize(
    "data",
    [
        b"<svg xmlns='http://www.w3.org/2000/svg'><script>alert(1)</script></svg>",
        b"%PDF-1.7\n",
        b"GIF89a\x01\x00\x01\x00",
        b"MZ\x90\x00",
    ],
    ids=["svg", "pdf", "gif", "exe"],
)
def test_what_is_not_a_photo_is_415(client, resident, data, nothing_stored):
    assert_error(post_photo(client, resident, data), 415)


def test_a_truncated_jpeg_is_422(client, resident, nothing_stored):
    data = jpeg_bytes(640, 480)
    assert_error(post_photo(client, resident, data[: len(data) // 2]), 422)


def test_too_many_uploads_in_an_hour_answer_429_with_a_retry_time(
    client, resident, monkeypatch, session, store
):
    monkeypatch.setattr(media_service, "UPLOADS_PER_HOUR", 2)
    for n in range(2):
        assert post_photo(client, resident, jpeg_bytes(color=(0, 100 * n, 0))).status_code == 201
    response = post_photo(client, resident, jpeg_bytes(color=(250, 250, 0)))
    body = assert_error(response, 429)
    assert 0 < body["retry_after"] <= 3601
    assert response.headers["Retry-After"] == str(body["retry_after"])
    assert session.scalar(select(func.count()).select_from(MediaFile)) == 2
    assert len(store.files) == 6


def test_a_malformed_multipart_body_is_refused(client, resident, nothing_stored):
    response = client.post(
        "/api/v1/media",
        headers={**resident, "Content-Type": "multipart/form-data; boundary=xyz"},
        data=io.BytesIO(
            b'--xyz\r\nContent-Disposition: form-data; name="file"\r\n\r\nunterminated'
        ),
    )
    assert_error(response, 422)


def test_a_multipart_body_without_a_boundary_is_refused(client, resident, nothing_stored):
    response = client.post(
        "/api/v1/media",
        headers={**resident, "Content-Type": "multipart/form-data"},
        data=b"whatever",
    )
    assert_error(response, 422)
