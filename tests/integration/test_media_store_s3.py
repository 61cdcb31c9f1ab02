"""The S3 store's own behaviour: object names under its prefix, a lazy client, and storage
failures (server down, wrong endpoint, 5xx, missing bucket) turned into ServiceUnavailable."""

from __future__ import annotations

import logging
from urllib.parse import parse_qs, urlsplit

import pytest
from botocore.stub import Stubber

from media.s3 import S3MediaStore
from services.errors import NotFound, ServiceUnavailable
from tests.s3_server import free_port, make_s3_store, start_s3_server

# The session's moto server fixture (a plugin, so one server serves every module).
pytest_plugins = ("tests.s3_plugin",)

KEY = "display/ab/abcdef.jpg"


def _operations(store):
    return [
        lambda: store.put(KEY, b"bytes", content_type="image/jpeg"),
        lambda: store.get(KEY),
        lambda: store.exists(KEY),
        lambda: store.delete(KEY),
        lambda: list(store.keys("display/")),
    ]


def test_objects_live_under_the_configured_prefix_and_keep_their_content_type(s3_server):
    bucket = s3_server.create_bucket()
    store = make_s3_store(s3_server.endpoint_url, bucket, prefix="/media/onegrid/")
    store.put(KEY, b"bytes", content_type="image/jpeg")

    head = store.client.head_object(Bucket=bucket, Key=f"media/onegrid/{KEY}")
    assert head["ContentType"] == "image/jpeg"
    assert [f.key for f in store.keys("")] == [KEY]


def test_stores_with_different_prefixes_do_not_see_each_other(s3_server):
    bucket = s3_server.create_bucket()
    one = make_s3_store(s3_server.endpoint_url, bucket, prefix="one")
    two = make_s3_store(s3_server.endpoint_url, bucket, prefix="two")
    one.put(KEY, b"bytes", content_type="image/jpeg")
    assert not two.exists(KEY)
    assert list(two.keys("")) == []


def test_keys_pages_through_more_than_one_listing(s3_server, caplog):
    bucket = s3_server.create_bucket()
    store = make_s3_store(s3_server.endpoint_url, bucket, list_page_size=2)
    keys = [f"thumbs/{i:02d}/{i:064d}.jpg" for i in range(5)]
    for key in keys:
        store.put(key, b"x", content_type="image/jpeg")
    calls = []
    store.client.meta.events.register(
        "before-call.s3.ListObjectsV2", lambda **kw: calls.append(kw["params"])
    )
    assert sorted(f.key for f in store.keys("thumbs/")) == keys
    assert len(calls) == 3


def test_the_client_is_built_on_first_use_only():
    store = S3MediaStore(bucket="b", endpoint_url="http://127.0.0.1:9")
    assert store._client is None
    assert store.client is store.client


def test_a_custom_endpoint_uses_path_style_urls(s3_server):
    store = make_s3_store(s3_server.endpoint_url, "my-bucket")
    url = store.url(KEY, expires_in=60)
    assert url.startswith(f"{s3_server.endpoint_url}/my-bucket/{KEY}?")
    query = parse_qs(urlsplit(url).query)
    assert query["X-Amz-Expires"] == ["60"]
    assert "response-content-disposition" not in query


def test_a_stopped_server_is_a_storage_failure(caplog):
    server = start_s3_server()
    store = make_s3_store(server.endpoint_url, server.create_bucket())
    store.put(KEY, b"bytes", content_type="image/jpeg")
    server.stop()
    caplog.set_level(logging.ERROR, logger="media.s3")
    for operation in _operations(store):
        with pytest.raises(ServiceUnavailable) as caught:
            operation()
        assert caught.value.key == "storage_unavailable"
    assert "S3 put of display/ab/abcdef.jpg" in caplog.text


def test_a_wrong_endpoint_is_a_storage_failure():
    store = make_s3_store(f"http://127.0.0.1:{free_port()}", "bucket")
    for operation in _operations(store):
        with pytest.raises(ServiceUnavailable):
            operation()


def test_a_missing_bucket_is_a_storage_failure_not_a_missing_file(s3_server):
    store = make_s3_store(s3_server.endpoint_url, "no-such-bucket-here")
    with pytest.raises(ServiceUnavailable):
        store.put(KEY, b"bytes", content_type="image/jpeg")
    with pytest.raises(ServiceUnavailable):
        store.get(KEY)
    with pytest.raises(ServiceUnavailable):
        list(store.keys(""))


@pytest.mark.parametrize(("status", "code"), [(500, "InternalError"), (503, "SlowDown")])
def test_server_errors_are_storage_failures(status, code):
    store = make_s3_store("http://127.0.0.1:9", "bucket")
    with Stubber(store.client) as stub:
        stub.add_client_error("put_object", service_error_code=code, http_status_code=status)
        stub.add_client_error("get_object", service_error_code=code, http_status_code=status)
        stub.add_client_error("head_object", service_error_code=code, http_status_code=status)
        with pytest.raises(ServiceUnavailable):
            store.put(KEY, b"bytes", content_type="image/jpeg")
        with pytest.raises(ServiceUnavailable):
            store.get(KEY)
        with pytest.raises(ServiceUnavailable):
            store.exists(KEY)


def test_access_denied_is_a_storage_failure():
    store = make_s3_store("http://127.0.0.1:9", "bucket")
    with Stubber(store.client) as stub:
        stub.add_client_error("get_object", service_error_code="AccessDenied", http_status_code=403)
        with pytest.raises(ServiceUnavailable):
            store.get(KEY)


def test_no_such_key_is_not_found():
    store = make_s3_store("http://127.0.0.1:9", "bucket")
    with Stubber(store.client) as stub:
        stub.add_client_error("get_object", service_error_code="NoSuchKey", http_status_code=404)
        with pytest.raises(NotFound):
            store.get(KEY)
