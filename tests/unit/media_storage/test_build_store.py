"""build_media_store picks the store the configuration names, without touching disk or network."""

from __future__ import annotations

from pathlib import Path

import pytest

from api.app import create_app
from api.config import Config, ConfigError
from media.s3 import S3MediaStore
from media.storage import LocalMediaStore, build_media_store


def test_local_is_the_default_under_the_instance_folder(tmp_path):
    store = build_media_store(Config.for_tests(), tmp_path)
    assert isinstance(store, LocalMediaStore)
    assert store.root == tmp_path / "media"
    assert not store.root.exists()


def test_media_root_moves_the_local_store(tmp_path):
    config = Config.for_tests(media_root=str(tmp_path / "elsewhere"))
    store = build_media_store(config, tmp_path / "instance")
    assert store.root == Path(tmp_path / "elsewhere")


def test_local_links_are_signed_with_the_secret_key(tmp_path):
    one = build_media_store(Config.for_tests(secret_key="k" * 40), tmp_path)
    two = build_media_store(Config.for_tests(secret_key="j" * 40), tmp_path)
    key = "display/ab/ab.jpg"
    assert one.url(key, expires_in=60) != two.url(key, expires_in=60)


def test_s3_is_built_from_the_s3_settings_without_a_network_call(tmp_path):
    config = Config.from_env(
        {
            "ONEGRID_MEDIA_STORAGE": "s3",
            "ONEGRID_S3_BUCKET": "grid-photos",
            "ONEGRID_S3_ENDPOINT_URL": "http://minio.internal:9000",
            "ONEGRID_S3_REGION": "cn-east-1",
            "ONEGRID_S3_PREFIX": "onegrid/",
            "ONEGRID_S3_ACCESS_KEY_ID": "AK",
            "ONEGRID_S3_SECRET_ACCESS_KEY": "SK",
        }
    ).validate()
    store = build_media_store(config, tmp_path)
    assert isinstance(store, S3MediaStore)
    assert (store.bucket, store.prefix, store.region) == ("grid-photos", "onegrid", "cn-east-1")
    assert store.endpoint_url == "http://minio.internal:9000"
    assert store._client is None


def test_s3_presigns_with_the_configured_endpoint_and_region(tmp_path):
    config = Config.for_tests(
        media_storage="s3",
        s3_bucket="grid-photos",
        s3_endpoint_url="http://minio.internal:9000",
        s3_region="cn-east-1",
        s3_access_key_id="AK",
        s3_secret_access_key="SK",
    )
    url = build_media_store(config, tmp_path).url("thumbs/ab/ab.jpg", expires_in=300)
    assert url.startswith("http://minio.internal:9000/grid-photos/thumbs/ab/ab.jpg?")
    assert "cn-east-1" in url and "X-Amz-Expires=300" in url


def test_s3_storage_without_a_bucket_is_refused():
    with pytest.raises(ConfigError, match="ONEGRID_S3_BUCKET"):
        Config.from_env({"ONEGRID_MEDIA_STORAGE": "s3"}).validate()


def test_an_unknown_storage_is_refused():
    with pytest.raises(ConfigError, match="ONEGRID_MEDIA_STORAGE"):
        Config.from_env({"ONEGRID_MEDIA_STORAGE": "ftp"}).validate()


def test_the_app_builds_with_s3_storage_and_no_server(tmp_path):
    config = Config.for_tests(
        instance_path=str(tmp_path),
        database_url=f"sqlite:///{tmp_path / 'app.db'}",
        media_storage="s3",
        s3_bucket="grid-photos",
        s3_endpoint_url="http://127.0.0.1:9",
    )
    app = create_app(config)
    assert app.extensions["onegrid"].media_store._client is None
