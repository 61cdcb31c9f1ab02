"""GET /api/v1/files/<key>: signed links to the local store's files, over HTTP."""

from __future__ import annotations

import time
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

import pytest

from media.s3 import S3MediaStore
from media.storage import LocalMediaStore
from tests.assertions import assert_error

KEY = "display/ab/abcdef0123.jpg"
JPEG = b"\xff\xd8\xff\xe0" + b"pixels" * 100


class Clock:
    def __init__(self) -> None:
        self.now = time.time()

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def store(container, tmp_path, clock):
    store = LocalMediaStore(tmp_path / "media", secret_key=container.config.secret_key, clock=clock)
    original, container.media_store = container.media_store, store
    store.put(KEY, JPEG, content_type="image/jpeg")
    yield store
    container.media_store = original


def _change(url: str, **changes: str | None) -> str:
    parts = urlsplit(url)
    query = dict(parse_qsl(parts.query, keep_blank_values=True))
    for name, value in changes.items():
        if value is None:
            query.pop(name, None)
        else:
            query[name] = value
    return urlunsplit(parts._replace(query=urlencode(query)))


def test_a_signed_link_serves_the_file_inline_with_safe_headers(client, store):
    response = client.get(store.url(KEY, expires_in=900))
    assert response.status_code == 200
    assert response.get_data() == JPEG
    assert response.mimetype == "image/jpeg"
    assert response.headers["Content-Length"] == str(len(JPEG))
    assert response.headers["Content-Disposition"] == "inline"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in response.headers["Content-Security-Policy"]
    cache = response.cache_control
    assert cache.private and not cache.public
    assert 895 <= cache.max_age <= 900
    assert "Expires" not in response.headers


def test_cache_lifetime_is_what_remains_of_the_link(client, store, clock):
    url = store.url(KEY, expires_in=900)
    clock.now += 600
    assert client.get(url).cache_control.max_age == 300


def test_no_bearer_token_is_needed_or_looked_at(client, store):
    url = store.url(KEY, expires_in=900)
    response = client.get(url, headers={"Authorization": "Bearer not-a-token"})
    assert response.status_code == 200


def test_head_answers_the_headers_without_the_body(client, store):
    response = client.head(store.url(KEY, expires_in=900))
    assert response.status_code == 200
    assert response.get_data() == b""
    assert response.headers["Content-Length"] == str(len(JPEG))
    assert response.mimetype == "image/jpeg"


def test_a_repeated_request_with_the_etag_is_not_modified(client, store):
    url = store.url(KEY, expires_in=900)
    etag = client.get(url).headers["ETag"]
    assert client.get(url, headers={"If-None-Match": etag}).status_code == 304


def test_a_byte_range_is_served_partially(client, store):
    response = client.get(store.url(KEY, expires_in=900), headers={"Range": "bytes=0-3"})
    assert response.status_code == 206
    assert response.get_data() == JPEG[:4]


def test_an_unsatisfiable_range_is_416_in_the_common_shape(client, store):
    response = client.get(store.url(KEY, expires_in=900), headers={"Range": "bytes=99999-"})
    assert_error(response, 416)


def test_a_download_name_makes_it_an_attachment(client, store):
    response = client.get(store.url(KEY, expires_in=900, download_name="report-7.jpg"))
    assert response.status_code == 200
    assert response.headers["Content-Disposition"] == 'attachment; filename="report-7.jpg"'


def test_a_png_is_served_as_png(client, store):
    store.put("thumbs/cd/cd01.png", b"\x89PNG\r\n\x1a\n", content_type="image/png")
    response = client.get(store.url("thumbs/cd/cd01.png", expires_in=60))
    assert response.mimetype == "image/png"


def test_an_expired_link_is_403_and_says_so(client, store, clock):
    url = store.url(KEY, expires_in=60)
    clock.now += 61
    response = client.get(url, headers={"Accept-Language": "en"})
    body = assert_error(response, 403)
    assert body["message"] == "The file link has expired; please get a new one."
    assert JPEG not in response.get_data()


@pytest.mark.parametrize(
    "change",
    [
        {"sig": "A" * 43},
        {"sig": "x"},
        {"expires": "99999999999"},
        {"dl": "other.jpg"},
    ],
)
def test_a_tampered_link_is_403_in_the_common_shape(client, store, change):
    url = _change(store.url(KEY, expires_in=900), **change)
    body = assert_error(client.get(url), 403)
    assert body["message"] == "文件链接无效，请重新获取。"


def test_removing_the_signed_download_name_is_refused(client, store):
    url = store.url(KEY, expires_in=900, download_name="a.jpg")
    assert_error(client.get(_change(url, dl=None)), 403)


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/files/../../etc/passwd",
        "/api/v1/files/%2e%2e/%2e%2e/etc/passwd",
        "/api/v1/files//etc/passwd",
        "/api/v1/files/display/ab/.abcdef0123.jpg.tmp",
    ],
)
def test_path_traversal_is_refused(client, store, path):
    url = f"{path}?expires={int(time.time()) + 60}&sig={'A' * 43}"
    response = client.get(url, follow_redirects=True)  # "//" is first merged by a redirect
    assert response.status_code in {403, 404}
    assert response.json["code"] == response.status_code


def test_a_valid_link_to_a_removed_file_is_404(client, store):
    url = store.url(KEY, expires_in=900)
    store.delete(KEY)
    assert_error(client.get(url), 404)


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ({"sig": "abc"}, "expires"),
        ({"expires": "123"}, "sig"),
        ({"expires": "soon", "sig": "abc"}, "expires"),
        ({"expires": "-5", "sig": "abc"}, "expires"),
        ({"expires": "1" * 30, "sig": "abc"}, "expires"),
        ({"expires": "123", "sig": "a" * 129}, "sig"),
        ({"expires": "123", "sig": "abc", "dl": "n" * 256}, "dl"),
    ],
)
def test_a_malformed_link_is_422_naming_the_parameter(client, store, query, field):
    response = client.get(f"/api/v1/files/{KEY}?{urlencode(query)}")
    body = assert_error(response, 422)
    assert field in body["errors"]["query"]


def test_links_are_not_served_when_files_live_in_s3(client, container, store):
    url = store.url(KEY, expires_in=900)
    container.media_store = S3MediaStore(bucket="b", endpoint_url="http://127.0.0.1:9")
    assert_error(client.get(url), 404)
    assert container.media_store._client is None  # nothing was asked of S3


def test_other_methods_are_not_allowed(client, store):
    response = client.post(store.url(KEY, expires_in=900))
    assert_error(response, 405)


def test_the_route_is_documented_as_a_public_binary_download(client):
    spec = client.get("/api/v1/openapi.json").json
    operation = spec["paths"]["/api/v1/files/{key}"]["get"]
    assert "security" not in operation
    assert operation["responses"]["200"]["content"]["image/*"]["schema"]["format"] == "binary"
    assert {"403", "404", "422"} <= set(operation["responses"])
    assert {p["name"] for p in operation["parameters"]} == {"expires", "sig", "dl"}
