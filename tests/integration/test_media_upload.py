"""The upload use case against fake ports: what is stored, what is refused, what is cleaned up."""

from __future__ import annotations

import datetime as dt
import hashlib
import itertools

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import OperationalError

from services import media as media_service
from services.actors import Actor
from services.errors import (
    PayloadTooLarge,
    PermissionDenied,
    RateLimited,
    ServiceUnavailable,
    UnsupportedMedia,
    ValidationFailed,
)
from services.media import media_keys, upload_media
from services.models.accounts import Role
from services.models.media import MediaFile, MediaPurpose
from services.policies import MediaPolicy
from services.ports import ExifInfo
from tests.factories import make_resident, make_user
from tests.fakes_media_h3 import FakeImageProcessor, MemoryStore, fake_photo
from tests.report_factories import make_media

NOW = dt.datetime(2026, 5, 6, 8, 0, tzinfo=dt.UTC)
_seq = itertools.count(1)


@pytest.fixture
def resident(session):
    return make_resident(session)


@pytest.fixture
def images():
    return FakeImageProcessor(exif=ExifInfo(lat=33.96, lng=118.27))


@pytest.fixture
def store():
    return MemoryStore()


def _upload(session, user, data, images, store, policy=None, **kwargs):
    return upload_media(
        session,
        actor=Actor.for_user(user),
        data=data,
        images=images,
        store=store,
        policy=policy or MediaPolicy(),
        **kwargs,
    )


def _rows(session) -> int:
    return session.scalar(select(func.count()).select_from(MediaFile))


def test_media_keys_follow_the_content_addressed_scheme():
    sha = "ab" + "0" * 62
    assert media_keys(sha, "heic") == (
        f"originals/ab/{sha}.heic",
        f"display/ab/{sha}.jpg",
        f"thumbs/ab/{sha}.jpg",
    )


@pytest.mark.parametrize("sha, ext", [("xyz", "jpg"), ("0" * 64, "../jpg"), ("g" * 64, "jpg")])
def test_media_keys_refuse_what_is_not_a_digest(sha, ext):
    with pytest.raises(ValueError):
        media_keys(sha, ext)


def test_an_upload_stores_the_original_and_two_derivatives_and_one_row(
    session, resident, images, store
):
    data = fake_photo("a")
    photo = _upload(session, resident, data, images, store, now=NOW)
    sha = hashlib.sha256(data).hexdigest()
    original, display, thumb = media_keys(sha, "jpg")
    assert set(store.files) == {original, display, thumb}
    assert store.files[original][:2] == (data, "image/jpeg")
    assert store.files[display][1] == store.files[thumb][1] == "image/jpeg"
    assert (photo.sha256, photo.original_key, photo.display_key) == (sha, original, display)
    assert (photo.exif_lat, photo.exif_lng) == (33.96, 118.27)
    assert photo.uploader_id == resident.id and photo.report_id is None
    assert photo.purpose is MediaPurpose.REPORT
    assert photo.original_expires_at == NOW + dt.timedelta(days=365)
    assert _rows(session) == 1


def test_the_same_bytes_again_return_the_first_row_without_processing(
    session, resident, images, store
):
    first = _upload(session, resident, fake_photo("a"), images, store)
    again = _upload(session, resident, fake_photo("a"), images, store)
    assert again.id == first.id
    assert images.calls == 1
    assert _rows(session) == 1


def test_two_users_with_the_same_bytes_get_their_own_rows_and_share_the_files(
    session, resident, images, store
):
    other = make_resident(session)
    first = _upload(session, resident, fake_photo("a"), images, store)
    second = _upload(session, other, fake_photo("a"), images, store)
    assert first.id != second.id
    assert first.display_key == second.display_key
    assert store.puts == 3  # the second upload found every file in place


def test_originals_are_not_kept_when_the_policy_says_zero_days(session, resident, images, store):
    photo = _upload(session, resident, fake_photo("a"), images, store, MediaPolicy(original_days=0))
    assert photo.original_key is None and photo.original_expires_at is None
    assert not any(key.startswith("originals/") for key in store.files)


def test_originals_kept_forever_have_no_expiry(session, resident, images, store):
    photo = _upload(
        session, resident, fake_photo("a"), images, store, MediaPolicy(original_days=-1)
    )
    assert photo.original_key is not None and photo.original_expires_at is None


def test_a_refused_file_leaves_no_row_and_no_file(session, resident, images, store):
    with pytest.raises(UnsupportedMedia):
        _upload(session, resident, b"<svg xmlns='http://www.w3.org/2000/svg'/>", images, store)
    assert _rows(session) == 0 and store.files == {}


def test_an_empty_file_is_refused_before_processing(session, resident, images, store):
    with pytest.raises(ValidationFailed) as caught:
        _upload(session, resident, b"", images, store)
    assert caught.value.fields == {"file": "upload_file_empty"}
    assert images.calls == 0 and _rows(session) == 0


def test_a_file_over_the_byte_limit_is_refused_before_processing(session, resident, images, store):
    with pytest.raises(PayloadTooLarge):
        _upload(session, resident, fake_photo("x" * 100), images, store, MediaPolicy(max_bytes=50))
    assert images.calls == 0 and _rows(session) == 0 and store.files == {}


def test_a_user_without_an_account_cannot_upload(session, images, store):
    with pytest.raises(PermissionDenied):
        upload_media(
            session,
            actor=Actor.anonymous(),
            data=fake_photo(),
            images=images,
            store=store,
            policy=MediaPolicy(),
        )


@pytest.mark.parametrize("puts_before_failure", [0, 1, 2])
def test_a_storage_failure_leaves_no_row_and_removes_what_was_written(
    session, resident, images, store, puts_before_failure
):
    store.fail_puts_after = puts_before_failure
    with pytest.raises(ServiceUnavailable):
        _upload(session, resident, fake_photo("a"), images, store)
    assert _rows(session) == 0
    assert store.files == {}


def test_a_database_failure_removes_the_files_this_upload_wrote(
    session, resident, images, store, monkeypatch
):
    real_commit = session.commit

    def failing_commit():
        if any(isinstance(obj, MediaFile) for obj in session.new):
            raise OperationalError("INSERT", {}, Exception("database went away"))
        real_commit()

    monkeypatch.setattr(session, "commit", failing_commit)
    with pytest.raises(OperationalError):
        _upload(session, resident, fake_photo("a"), images, store)
    monkeypatch.undo()
    assert _rows(session) == 0
    assert store.files == {} and len(store.deleted) == 3


def test_a_database_failure_keeps_files_another_row_uses(
    session, resident, images, store, monkeypatch
):
    other = make_resident(session)
    sha = hashlib.sha256(fake_photo("a")).hexdigest()
    # Another user's row uses the display image whose file has gone missing: this upload
    # writes it again, and must not take it away when its own row fails.
    make_media(session, other, sha256=sha)
    session.commit()
    original, display, thumb = media_keys(sha, "jpg")
    real_commit = session.commit

    def failing_commit():
        if any(isinstance(obj, MediaFile) for obj in session.new):
            raise OperationalError("INSERT", {}, Exception("database went away"))
        real_commit()

    monkeypatch.setattr(session, "commit", failing_commit)
    with pytest.raises(OperationalError):
        _upload(session, resident, fake_photo("a"), images, store)
    assert set(store.files) == {original, display, thumb}


def test_files_collected_while_an_upload_ran_are_put_back(session, resident, images, store):
    other = make_resident(session)
    first = _upload(session, other, fake_photo("a"), images, store)
    real_exists = store.exists
    checked: list[str] = []

    def exists_then_vanish(key):
        # The file is there when the upload looks, and gone (collected) right after.
        found = real_exists(key)
        checked.append(key)
        if found and checked.count(key) == 1:
            store.files.pop(key)
        return found

    store.exists = exists_then_vanish
    second = _upload(session, resident, fake_photo("a"), images, store)
    assert second.display_key == first.display_key
    assert {first.original_key, first.display_key, first.thumbnail_key} <= set(store.files)


def test_the_hourly_upload_limit_answers_429_with_a_retry_time(
    session, resident, images, store, monkeypatch
):
    monkeypatch.setattr(media_service, "UPLOADS_PER_HOUR", 3)
    for minutes in (50, 20, 10):
        make_media(session, resident, created_at=NOW - dt.timedelta(minutes=minutes))
    make_media(session, resident, created_at=NOW - dt.timedelta(minutes=70))  # outside the hour
    with pytest.raises(RateLimited) as caught:
        _upload(session, resident, fake_photo("new"), images, store, now=NOW)
    assert caught.value.retry_after == 10 * 60 + 1
    assert images.calls == 0 and store.files == {}


def test_a_retry_is_answered_even_over_the_upload_limit(
    session, resident, images, store, monkeypatch
):
    first = _upload(session, resident, fake_photo("a"), images, store, now=NOW)
    monkeypatch.setattr(media_service, "UPLOADS_PER_HOUR", 1)
    assert _upload(session, resident, fake_photo("a"), images, store, now=NOW).id == first.id


def test_staff_may_upload_too(session, images, store):
    worker = make_user(session, role=Role.GRID_WORKER)
    photo = _upload(session, worker, fake_photo(next(_seq)), images, store)
    assert photo.uploader_id == worker.id
