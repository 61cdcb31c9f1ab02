"""The local directory store: atomic writes, what a crash can leave behind, and its link format."""

from __future__ import annotations

import os
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest

from media import storage
from media.storage import LocalMediaStore
from media.store_keys import content_disposition, content_type_for
from services.errors import NotFound, PermissionDenied, ServiceUnavailable

SECRET = "a-secret-key-that-is-long-enough-for-tests-0123"
KEY = "display/ab/abcdef.jpg"


class Clock:
    def __init__(self, now: float = 1_800_000_000.0) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def store(tmp_path, clock) -> LocalMediaStore:
    return LocalMediaStore(tmp_path / "media", secret_key=SECRET, clock=clock)


def _query(url: str) -> dict[str, str]:
    return {k: v[0] for k, v in parse_qs(urlsplit(url).query).items()}


def _files(root: Path) -> list[str]:
    return sorted(p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file())


def test_creating_the_store_touches_nothing_on_disk(tmp_path):
    LocalMediaStore(tmp_path / "media", secret_key=SECRET)
    assert not (tmp_path / "media").exists()


def test_a_store_needs_a_secret_to_sign_links(tmp_path):
    with pytest.raises(ValueError):
        LocalMediaStore(tmp_path, secret_key="")


def test_put_creates_directories_and_leaves_only_the_file(store):
    store.put(KEY, b"bytes", content_type="image/jpeg")
    assert (store.root / KEY).read_bytes() == b"bytes"
    assert _files(store.root) == [KEY]


def test_listing_an_empty_store_yields_nothing(store):
    assert list(store.keys("")) == []


def test_a_failed_write_leaves_neither_the_file_nor_a_temporary_file(store, monkeypatch):
    store.put("display/ab/other.jpg", b"kept", content_type="image/jpeg")

    def broken_replace(src, dst):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(storage.os, "replace", broken_replace)
    with pytest.raises(ServiceUnavailable) as caught:
        store.put(KEY, b"bytes", content_type="image/jpeg")
    assert caught.value.key == "storage_unavailable"
    assert _files(store.root) == ["display/ab/other.jpg"]


def test_a_failed_write_keeps_the_previous_version_whole(store, monkeypatch):
    store.put(KEY, b"version one", content_type="image/jpeg")
    monkeypatch.setattr(storage.os, "fsync", lambda fd: (_ for _ in ()).throw(OSError(5, "EIO")))
    with pytest.raises(ServiceUnavailable):
        store.put(KEY, b"version two", content_type="image/jpeg")
    assert store.get(KEY) == b"version one"
    assert _files(store.root) == [KEY]


def test_an_unwritable_root_is_a_storage_failure(tmp_path):
    blocker = tmp_path / "media"
    blocker.write_bytes(b"a file where the directory should be")
    store = LocalMediaStore(blocker, secret_key=SECRET)
    with pytest.raises(ServiceUnavailable):
        store.put(KEY, b"bytes", content_type="image/jpeg")


def test_temporary_files_of_interrupted_writes_are_not_listed(store):
    store.put(KEY, b"bytes", content_type="image/jpeg")
    (store.root / "display/ab/.abcdef.jpg.x1y2.tmp").write_bytes(b"half")
    (store.root / ".trash").mkdir()
    (store.root / ".trash/old.jpg").write_bytes(b"old")
    assert [f.key for f in store.keys("")] == [KEY]


def test_a_directory_at_a_key_is_not_a_file(store):
    store.put(KEY, b"bytes", content_type="image/jpeg")
    assert not store.exists("display/ab")
    with pytest.raises(NotFound):
        store.get("display/ab")
    store.delete("display/ab")
    assert store.exists(KEY)


def test_url_has_the_documented_shape(store, clock):
    url = store.url(KEY, expires_in=900)
    assert url.startswith(f"/api/v1/files/{KEY}?")
    query = _query(url)
    assert query["expires"] == str(int(clock.now) + 900)
    assert len(query["sig"]) == 43  # SHA-256, base64url without padding
    assert "dl" not in query


def test_url_prefix_is_configurable(tmp_path):
    store = LocalMediaStore(tmp_path, secret_key=SECRET, url_prefix="https://cdn.example/f/")
    assert store.url(KEY, expires_in=60).startswith(f"https://cdn.example/f/{KEY}?")


def test_a_valid_link_opens_with_type_size_and_remaining_life(store, clock):
    store.put(KEY, b"bytes", content_type="image/jpeg")
    query = _query(store.url(KEY, expires_in=900, download_name="照片.jpg"))
    clock.now += 100
    found = store.open_signed(
        KEY, expires=int(query["expires"]), signature=query["sig"], download_name=query["dl"]
    )
    assert (found.content_type, found.size, found.max_age) == ("image/jpeg", 5, 800)
    assert found.download_name == "照片.jpg"


@pytest.mark.parametrize(
    "change",
    [
        {"key": "display/ab/other.jpg"},
        {"expires": 1},
        {"download_name": "renamed.jpg"},
        {"download_name": None},
        {"signature": ""},
        {"signature": "非ASCII签名"},
    ],
)
def test_any_change_to_a_signed_link_is_refused(store, change):
    store.put(KEY, b"bytes", content_type="image/jpeg")
    store.put("display/ab/other.jpg", b"other", content_type="image/jpeg")
    query = _query(store.url(KEY, expires_in=900, download_name="a.jpg"))
    link = {"key": KEY, "expires": int(query["expires"]), "signature": query["sig"]}
    link["download_name"] = "a.jpg"
    link.update(change)
    key = link.pop("key")
    with pytest.raises(PermissionDenied) as caught:
        store.open_signed(key, **link)
    assert caught.value.key == "file_link_invalid"


def test_a_link_signed_with_another_secret_is_refused(store, tmp_path):
    other = LocalMediaStore(store.root, secret_key="another-secret-" + "x" * 32, clock=store._clock)
    store.put(KEY, b"bytes", content_type="image/jpeg")
    query = _query(other.url(KEY, expires_in=900))
    with pytest.raises(PermissionDenied):
        store.open_signed(KEY, expires=int(query["expires"]), signature=query["sig"])


def test_a_link_is_refused_from_the_second_it_expires(store, clock):
    store.put(KEY, b"bytes", content_type="image/jpeg")
    query = _query(store.url(KEY, expires_in=60))
    clock.now += 59
    assert store.open_signed(KEY, expires=int(query["expires"]), signature=query["sig"]).max_age
    clock.now += 1
    with pytest.raises(PermissionDenied) as caught:
        store.open_signed(KEY, expires=int(query["expires"]), signature=query["sig"])
    assert caught.value.key == "file_link_expired"


def test_a_valid_link_to_a_deleted_file_is_not_found(store):
    store.put(KEY, b"bytes", content_type="image/jpeg")
    query = _query(store.url(KEY, expires_in=60))
    store.delete(KEY)
    with pytest.raises(NotFound):
        store.open_signed(KEY, expires=int(query["expires"]), signature=query["sig"])


@pytest.mark.parametrize(
    ("key", "expected"),
    [
        ("a/b.jpg", "image/jpeg"),
        ("a/b.JPEG", "image/jpeg"),
        ("a/b.png", "image/png"),
        ("a/b.webp", "image/webp"),
        ("a/b.heic", "image/heic"),
        ("a/b.heif", "image/heif"),
        ("a/b.svg", "application/octet-stream"),
        ("a/b.html", "application/octet-stream"),
        ("a.d/b", "application/octet-stream"),
    ],
)
def test_content_type_comes_from_the_extension(key, expected):
    assert content_type_for(key) == expected


def test_content_disposition_is_inline_without_a_name():
    assert content_disposition(None) == "inline"


def test_content_disposition_keeps_an_ascii_name_plain():
    assert content_disposition("report-1.jpg") == 'attachment; filename="report-1.jpg"'


def test_content_disposition_encodes_a_chinese_name_with_an_ascii_fallback():
    value = content_disposition("照片 1.jpg")
    assert value == ("attachment; filename=\"1.jpg\"; filename*=UTF-8''%E7%85%A7%E7%89%87%201.jpg")


def test_files_are_private_to_the_service_account(store):
    store.put(KEY, b"bytes", content_type="image/jpeg")
    mode = os.stat(store.root / KEY).st_mode & 0o777
    assert mode & 0o077 == 0
