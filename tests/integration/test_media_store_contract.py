"""One contract for every media store: the local directory (links served by our Flask route)
and an S3 bucket on the local moto server (links fetched with ``requests`` from 127.0.0.1)."""

from __future__ import annotations

import datetime as dt
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

import pytest
import requests

from media.storage import LocalMediaStore
from services.errors import NotFound, ValidationFailed
from services.ports import MediaStore
from tests.s3_server import check_presigned_url, make_s3_store

# The session's moto server fixture (a plugin, so one server serves every module).
pytest_plugins = ("tests.s3_plugin",)

JPEG = b"\xff\xd8\xff\xe0" + b"display bytes" * 50
PNG = b"\x89PNG\r\n\x1a\n" + b"png bytes"


@dataclass
class Backend:
    """A store plus how a client would fetch one of its links, with a clock tests can advance."""

    name: str
    store: MediaStore
    fetch: Callable[[str], tuple[int, dict[str, str], bytes]]
    offset: list[float] = field(default_factory=lambda: [0.0])

    def advance(self, seconds: float) -> None:
        self.offset[0] += seconds


@pytest.fixture(params=["local", "s3"])
def backend(request, tmp_path) -> Backend:
    offset = [0.0]
    if request.param == "local":
        container = request.getfixturevalue("container")
        client = request.getfixturevalue("client")
        store = LocalMediaStore(
            tmp_path / "media",
            secret_key=container.config.secret_key,
            clock=lambda: time.time() + offset[0],
        )
        original, container.media_store = container.media_store, store
        request.addfinalizer(lambda: setattr(container, "media_store", original))

        def fetch(url: str):
            response = client.get(url)
            return response.status_code, _lower(response.headers), response.get_data()

        return Backend("local", store, fetch, offset)

    server = request.getfixturevalue("s3_server")
    store = make_s3_store(server.endpoint_url, server.create_bucket(), prefix="onegrid")

    def fetch_s3(url: str):
        now = dt.datetime.now(dt.UTC) + dt.timedelta(seconds=offset[0])
        # moto serves any presigned URL; refuse what S3 itself would refuse.
        if check_presigned_url(url, now=now) != 200:
            return 403, {}, b""
        response = requests.get(url, timeout=10)
        return response.status_code, _lower(response.headers), response.content

    return Backend("s3", store, fetch_s3, offset)


def _lower(headers) -> dict[str, str]:
    return {name.lower(): value for name, value in headers.items()}


def _key(prefix: str = "display", ext: str = "jpg") -> str:
    sha = uuid.uuid4().hex * 2
    return f"{prefix}/{sha[:2]}/{sha}.{ext}"


def _with_query(url: str, **changes: str) -> str:
    parts = urlsplit(url)
    query = dict(parse_qsl(parts.query, keep_blank_values=True))
    query.update(changes)
    return urlunsplit(parts._replace(query=urlencode(query)))


def _flip_last(value: str) -> str:
    return value[:-1] + ("A" if value[-1] != "A" else "B")


def test_a_stored_file_reads_back_byte_for_byte(backend):
    key = _key()
    backend.store.put(key, JPEG, content_type="image/jpeg")
    assert backend.store.exists(key)
    assert backend.store.get(key) == JPEG


def test_putting_a_key_again_replaces_its_content(backend):
    key = _key()
    backend.store.put(key, JPEG, content_type="image/jpeg")
    backend.store.put(key, b"second", content_type="image/jpeg")
    assert backend.store.get(key) == b"second"


def test_reading_a_missing_key_is_not_found(backend):
    with pytest.raises(NotFound):
        backend.store.get(_key())
    assert not backend.store.exists(_key())


def test_delete_removes_the_file_and_a_missing_file_is_no_error(backend):
    key = _key()
    backend.store.put(key, JPEG, content_type="image/jpeg")
    backend.store.delete(key)
    assert not backend.store.exists(key)
    with pytest.raises(NotFound):
        backend.store.get(key)
    backend.store.delete(key)  # again: nothing to delete, no error


def test_keys_lists_files_under_a_prefix_with_size_and_utc_age(backend):
    before = dt.datetime.now(dt.UTC) - dt.timedelta(seconds=5)
    display, thumb = _key("display"), _key("thumbs")
    backend.store.put(display, JPEG, content_type="image/jpeg")
    backend.store.put(thumb, b"tiny", content_type="image/jpeg")

    listed = {f.key: f for f in backend.store.keys("display/")}
    assert set(listed) == {display}
    assert listed[display].size == len(JPEG)
    modified = listed[display].modified_at
    assert modified.utcoffset() == dt.timedelta(0)
    assert before <= modified <= dt.datetime.now(dt.UTC) + dt.timedelta(seconds=5)
    assert {f.key for f in backend.store.keys("")} == {display, thumb}


def test_keys_accepts_a_partial_last_segment(backend):
    key = _key("originals", "png")
    backend.store.put(key, PNG, content_type="image/png")
    other = _key("originals", "png")
    backend.store.put(other, PNG, content_type="image/png")
    sha_dir = key.split("/")[1]
    listed = [f.key for f in backend.store.keys(f"originals/{sha_dir}/{key.split('/')[2][:10]}")]
    assert listed == [key]
    assert list(backend.store.keys("nothing-here/")) == []


@pytest.mark.parametrize(
    "bad",
    [
        "",
        "/etc/passwd",
        "../secret.jpg",
        "display/../../etc/passwd",
        "display/./a.jpg",
        "display//a.jpg",
        "display/a.jpg/",
        "display\\a.jpg",
        ".hidden.jpg",
        "display/.a.jpg.tmp",
        "display/a b.jpg",
        "display/照片.jpg",
        "display/a.jpg\x00.png",
        "display/a.jpg?x=1",
        "a" * 513,
    ],
)
def test_unsafe_keys_are_refused_by_every_operation(backend, bad):
    store = backend.store
    for call in (
        lambda: store.put(bad, JPEG, content_type="image/jpeg"),
        lambda: store.get(bad),
        lambda: store.exists(bad),
        lambda: store.delete(bad),
        lambda: store.url(bad, expires_in=60),
    ):
        with pytest.raises(ValidationFailed) as caught:
            call()
        assert caught.value.key == "storage_key_invalid"


@pytest.mark.parametrize("bad", ["/", "../", "display/../", "/display", "a\\b"])
def test_unsafe_prefixes_are_refused(backend, bad):
    with pytest.raises(ValidationFailed):
        list(backend.store.keys(bad))


def test_a_signed_url_fetches_the_bytes_with_their_content_type(backend):
    key = _key(ext="png")
    backend.store.put(key, PNG, content_type="image/png")
    status, headers, body = backend.fetch(backend.store.url(key, expires_in=60))
    assert status == 200
    assert body == PNG
    assert headers["content-type"] == "image/png"


def test_a_download_name_is_signed_into_the_content_disposition(backend):
    key = _key()
    backend.store.put(key, JPEG, content_type="image/jpeg")
    url = backend.store.url(key, expires_in=60, download_name="现场照片 1.jpg")
    status, headers, body = backend.fetch(url)
    assert status == 200 and body == JPEG
    disposition = headers["content-disposition"]
    assert disposition.startswith("attachment;")
    assert "filename*=UTF-8''%E7%8E%B0%E5%9C%BA%E7%85%A7%E7%89%87%201.jpg" in disposition


def test_an_expired_url_is_refused(backend):
    key = _key()
    backend.store.put(key, JPEG, content_type="image/jpeg")
    url = backend.store.url(key, expires_in=60)
    backend.advance(30)
    assert backend.fetch(url)[0] == 200
    backend.advance(31)
    status, _, body = backend.fetch(url)
    assert status == 403 and body != JPEG


def test_a_tampered_signature_is_refused(backend):
    key = _key()
    backend.store.put(key, JPEG, content_type="image/jpeg")
    url = backend.store.url(key, expires_in=60)
    name = "sig" if backend.name == "local" else "X-Amz-Signature"
    signature = dict(parse_qsl(urlsplit(url).query))[name]
    assert backend.fetch(_with_query(url, **{name: _flip_last(signature)}))[0] == 403


def test_a_url_cannot_be_pointed_at_another_file(backend):
    signed, other = _key(), _key()
    backend.store.put(signed, JPEG, content_type="image/jpeg")
    backend.store.put(other, b"private original", content_type="image/jpeg")
    url = backend.store.url(signed, expires_in=60)
    status, _, body = backend.fetch(url.replace(signed, other))
    assert status == 403 and body != b"private original"


def test_a_url_cannot_be_given_a_longer_life(backend):
    key = _key()
    backend.store.put(key, JPEG, content_type="image/jpeg")
    url = backend.store.url(key, expires_in=60)
    name = "expires" if backend.name == "local" else "X-Amz-Expires"
    value = int(dict(parse_qsl(urlsplit(url).query))[name])
    assert backend.fetch(_with_query(url, **{name: str(value + 3600)}))[0] == 403


@pytest.mark.parametrize("expires_in", [0, -1, 7 * 24 * 3600 + 1])
def test_url_lifetimes_outside_one_second_to_seven_days_are_refused(backend, expires_in):
    with pytest.raises(ValueError):
        backend.store.url(_key(), expires_in=expires_in)


@pytest.mark.parametrize("name", ["", "  ", "a/b.jpg", "..\\x.jpg", 'a".jpg', "a\r\nb.jpg"])
def test_hostile_download_names_are_refused(backend, name):
    with pytest.raises(ValidationFailed) as caught:
        backend.store.url(_key(), expires_in=60, download_name=name)
    assert caught.value.key == "download_name_invalid"
