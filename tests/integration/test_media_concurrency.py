"""Twenty parallel uploads from one user all succeed: the same photo gives one row (every
request answers with it), different photos give one row each.

These tests use real, separate connections (one per thread) outside the per-test transaction,
so they commit for real; they create their own user and delete everything afterwards.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator

import pytest
from sqlalchemy import delete, select

from media.pipeline import PillowImageProcessor
from services.actors import Actor
from services.db import make_session_factory
from services.media import upload_media
from services.models.accounts import Role, User, UserRole
from services.models.media import MediaFile
from services.policies import MediaPolicy
from tests.fakes_media_h3 import MemoryStore
from tests.media_images import jpeg_bytes

PARALLEL = 20


@pytest.fixture
def committed(engine) -> Iterator[dict]:
    factory = make_session_factory(engine)
    with factory() as s:
        user = User(phone="+8613999990001", display_name="并发上传")
        user.set_roles({Role.RESIDENT})
        s.add(user)
        s.commit()
        actor = Actor.for_user(user)
    try:
        yield {"factory": factory, "actor": actor}
    finally:
        with factory() as s:
            s.execute(delete(MediaFile).where(MediaFile.uploader_id == actor.user_id))
            s.execute(delete(UserRole).where(UserRole.user_id == actor.user_id))
            s.execute(delete(User).where(User.id == actor.user_id))
            s.commit()


def _upload_in_parallel(committed, photos: list[bytes]) -> tuple[list, MemoryStore]:
    factory, actor = committed["factory"], committed["actor"]
    store = MemoryStore()
    images = PillowImageProcessor(max_bytes=20 * 1024 * 1024, max_pixels=50_000_000)
    start = threading.Barrier(len(photos), timeout=30)
    outcomes: list = []
    lock = threading.Lock()

    def run(data: bytes) -> None:
        with factory() as s:
            start.wait()
            try:
                photo = upload_media(
                    s, actor=actor, data=data, images=images, store=store, policy=MediaPolicy()
                )
                result: object = photo.id
            except Exception as exc:  # the test reports whatever went wrong
                result = exc
        with lock:
            outcomes.append(result)

    threads = [threading.Thread(target=run, args=(data,)) for data in photos]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert not any(t.is_alive() for t in threads)
    return outcomes, store


def _rows(committed) -> list[MediaFile]:
    with committed["factory"]() as s:
        return list(
            s.scalars(select(MediaFile).where(MediaFile.uploader_id == committed["actor"].user_id))
        )


def test_twenty_parallel_uploads_of_the_same_photo_all_get_the_one_row(committed):
    outcomes, store = _upload_in_parallel(committed, [jpeg_bytes(320, 240)] * PARALLEL)
    assert not [o for o in outcomes if isinstance(o, Exception)], outcomes
    (row,) = _rows(committed)
    assert outcomes == [row.id] * PARALLEL
    assert {row.original_key, row.display_key, row.thumbnail_key} == set(store.files)


def test_twenty_parallel_uploads_of_different_photos_all_succeed(committed):
    photos = [jpeg_bytes(320, 240, color=(10 * n, 200, 255 - 10 * n)) for n in range(PARALLEL)]
    outcomes, store = _upload_in_parallel(committed, photos)
    assert not [o for o in outcomes if isinstance(o, Exception)], outcomes
    rows = _rows(committed)
    assert len(rows) == len(set(outcomes)) == PARALLEL
    assert len(store.files) == 3 * PARALLEL
