"""The media garbage collector: unattached uploads, expired originals, orphan files."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from services import media_gc
from services.actors import Actor
from services.media import upload_media
from services.media_gc import collect_garbage
from services.models.accounts import User
from services.models.media import MediaFile
from services.policies import MediaPolicy
from tests.factories import make_resident
from tests.fakes_media_h3 import FakeImageProcessor, MemoryStore, fake_photo
from tests.integration.test_media_access import attach

NOW = dt.datetime(2026, 5, 6, 8, 0, tzinfo=dt.UTC)
POLICY = MediaPolicy()


@pytest.fixture
def store():
    # Files written "now" by the uploads below: an hour before the collector runs at NOW.
    return MemoryStore(now=NOW - dt.timedelta(hours=2))


def _upload(session, user, tag, store, *, at: dt.datetime, policy=POLICY) -> MediaFile:
    return upload_media(
        session,
        actor=Actor.for_user(user),
        data=fake_photo(tag),
        images=FakeImageProcessor(),
        store=store,
        policy=policy,
        now=at,
    )


def _keys(photo: MediaFile) -> set[str]:
    return {k for k in (photo.original_key, photo.display_key, photo.thumbnail_key) if k}


def _gc(session, store, **kwargs):
    return collect_garbage(session, store=store, policy=POLICY, now=NOW, **kwargs)


def _ids(session) -> set:
    return set(session.scalars(select(MediaFile.id)))


def test_uploads_unattached_for_more_than_a_day_are_removed_with_their_files(session, store):
    user = make_resident(session)
    old = _upload(session, user, "old", store, at=NOW - dt.timedelta(hours=25))
    fresh = _upload(session, user, "fresh", store, at=NOW - dt.timedelta(hours=23))
    result = _gc(session, store)
    assert _ids(session) == {fresh.id}
    assert not _keys(old) & set(store.files)
    assert _keys(fresh) <= set(store.files)
    assert result.unattached_rows == 1 and result.files_deleted == 3


def test_attached_uploads_are_kept_however_old(session, store, tree):
    user = make_resident(session)
    photo = _upload(session, user, "a", store, at=NOW - dt.timedelta(days=3))
    attach(session, photo, area=tree["grid"], reporter=user)
    session.commit()
    result = _gc(session, store)
    assert _ids(session) == {photo.id}
    assert _keys(photo) <= set(store.files)
    assert result.unattached_rows == 0 and result.files_deleted == 0


def test_shared_files_stay_while_another_row_uses_them(session, store):
    first, second = make_resident(session), make_resident(session)
    old = _upload(session, first, "same", store, at=NOW - dt.timedelta(hours=30))
    fresh = _upload(session, second, "same", store, at=NOW - dt.timedelta(hours=1))
    result = _gc(session, store)
    assert _ids(session) == {fresh.id}
    assert _keys(old) == _keys(fresh) and _keys(fresh) <= set(store.files)
    assert result.unattached_rows == 1 and result.files_deleted == 0


def test_originals_past_their_keeping_time_are_removed_and_derivatives_kept(session, store, tree):
    user = make_resident(session)
    short = MediaPolicy(original_days=2)
    expired = _upload(session, user, "exp", store, at=NOW - dt.timedelta(days=3), policy=short)
    kept = _upload(session, user, "kept", store, at=NOW - dt.timedelta(days=1), policy=short)
    for photo in (expired, kept):
        attach(session, photo, area=tree["grid"], reporter=user)
    session.commit()
    original = expired.original_key
    result = _gc(session, store)
    session.refresh(expired)
    assert expired.original_key is None
    assert original not in store.files
    assert {expired.display_key, expired.thumbnail_key} <= set(store.files)
    assert _keys(kept) <= set(store.files)
    assert result.expired_originals == 1 and result.files_deleted == 1


def test_an_expired_original_another_user_still_keeps_is_not_deleted(session, store, tree):
    first, second = make_resident(session), make_resident(session)
    expiring = _upload(
        session,
        first,
        "same",
        store,
        at=NOW - dt.timedelta(days=3),
        policy=MediaPolicy(original_days=2),
    )
    forever = _upload(
        session,
        second,
        "same",
        store,
        at=NOW - dt.timedelta(days=3),
        policy=MediaPolicy(original_days=-1),
    )
    for photo in (expiring, forever):
        attach(session, photo, area=tree["grid"], reporter=session.get(User, photo.uploader_id))
    session.commit()
    result = _gc(session, store)
    assert result.expired_originals == 1
    assert forever.original_key in store.files


def test_orphan_files_older_than_an_hour_are_removed(session, store):
    user = make_resident(session)
    photo = _upload(session, user, "a", store, at=NOW - dt.timedelta(hours=2))
    sha = "ab" + "1" * 62
    store.now = NOW - dt.timedelta(minutes=90)
    store.put(f"display/ab/{sha}.jpg", b"left by a crash", content_type="image/jpeg")
    store.now = NOW - dt.timedelta(minutes=30)
    store.put(f"thumbs/ab/{sha}.jpg", b"an upload in progress", content_type="image/jpeg")
    store.now = NOW - dt.timedelta(days=9)
    store.put("exports/report.csv", b"not a photo", content_type="text/csv")
    result = _gc(session, store)
    assert f"display/ab/{sha}.jpg" not in store.files
    assert f"thumbs/ab/{sha}.jpg" in store.files
    assert "exports/report.csv" in store.files
    assert _keys(photo) <= set(store.files)
    assert result.orphan_files == 1


def test_a_dry_run_counts_and_changes_nothing(session, store):
    user = make_resident(session)
    old = _upload(session, user, "old", store, at=NOW - dt.timedelta(hours=25))
    store.put("display/cd/" + "c" * 64 + ".jpg", b"orphan", content_type="image/jpeg")
    before = dict(store.files)
    result = _gc(session, store, dry_run=True)
    assert result.dry_run is True
    assert result.counts == {
        "unattached_rows": 1,
        "expired_originals": 0,
        "orphan_files": 1,
        "files_deleted": 3,
    }
    assert store.files == before and _ids(session) == {old.id}


def test_the_collector_works_through_many_rows_in_batches(session, store, monkeypatch):
    monkeypatch.setattr(media_gc, "BATCH", 2)
    user = make_resident(session)
    for n in range(5):
        _upload(session, user, n, store, at=NOW - dt.timedelta(days=2))
    phases: list[tuple[str, int, int]] = []
    result = _gc(session, store, progress=lambda *p: phases.append(p))
    assert _ids(session) == set() and store.files == {}
    assert result.unattached_rows == 5 and result.files_deleted == 15
    assert ("unattached", 5, 5) in phases and phases[0] == ("unattached", 0, 5)
    assert {p[0] for p in phases} == {"unattached", "originals", "orphans"}
