"""The media store on an S3-compatible bucket (AWS S3, MinIO, Alibaba OSS …) through boto3.

Links are presigned ``GetObject`` URLs. Anything the storage service or the network does wrong
becomes ``ServiceUnavailable("storage_unavailable")`` so use cases can clean up and answer 503.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import logging
import threading
from collections.abc import Iterator
from typing import Any

import boto3
from botocore.config import Config as BotoConfig
from botocore.exceptions import BotoCoreError, ClientError

from media.store_keys import check_download_name, check_key, check_prefix, content_disposition
from services.errors import NotFound, ServiceUnavailable
from services.ports import StoredFile

logger = logging.getLogger(__name__)

MAX_URL_TTL_SECONDS = 7 * 24 * 3600  # SigV4 presigned URLs cannot live longer
_MISSING = {"NoSuchKey", "404", "NotFound"}


class S3MediaStore:
    """Objects ``<prefix>/<key>`` in ``bucket``. The boto3 client is built on first use, so
    creating the store (in create_app) makes no network call and reads no credentials."""

    def __init__(
        self,
        *,
        bucket: str,
        prefix: str = "",
        endpoint_url: str | None = None,
        region: str = "us-east-1",
        access_key_id: str | None = None,
        secret_access_key: str | None = None,
        max_attempts: int = 3,
        connect_timeout: float = 5,
        read_timeout: float = 30,
        list_page_size: int = 1000,
    ) -> None:
        if not bucket:
            raise ValueError("S3MediaStore needs a bucket")
        self.bucket = bucket
        self.prefix = prefix.strip("/")
        self.endpoint_url = endpoint_url or None
        self.region = region
        self._credentials = {
            "aws_access_key_id": access_key_id or None,
            "aws_secret_access_key": secret_access_key or None,
        }
        self._boto_config = BotoConfig(
            region_name=region,
            signature_version="s3v4",
            # MinIO and most self-hosted services do not resolve bucket subdomains.
            s3={"addressing_style": "path" if self.endpoint_url else "auto"},
            retries={"max_attempts": max_attempts, "mode": "standard"},
            connect_timeout=connect_timeout,
            read_timeout=read_timeout,
        )
        self.list_page_size = list_page_size
        self._client: Any = None
        self._lock = threading.Lock()

    @property
    def client(self) -> Any:
        if self._client is None:
            with self._lock:
                if self._client is None:
                    # A session per store: boto3's default session is not thread-safe to build.
                    session = boto3.session.Session()
                    self._client = session.client(
                        "s3",
                        endpoint_url=self.endpoint_url,
                        config=self._boto_config,
                        **{k: v for k, v in self._credentials.items() if v},
                    )
        return self._client

    # -- the MediaStore port -------------------------------------------------------------

    def put(self, key: str, data: bytes, *, content_type: str) -> None:
        name = self._object(key)
        with self._translated("put", key):
            self.client.put_object(
                Bucket=self.bucket, Key=name, Body=data, ContentType=content_type
            )

    def get(self, key: str) -> bytes:
        name = self._object(key)
        with self._translated("get", key):
            response = self.client.get_object(Bucket=self.bucket, Key=name)
            return response["Body"].read()

    def delete(self, key: str) -> None:
        name = self._object(key)
        with self._translated("delete", key, missing_ok=True):
            self.client.delete_object(Bucket=self.bucket, Key=name)

    def exists(self, key: str) -> bool:
        name = self._object(key)
        try:
            with self._translated("head", key):
                self.client.head_object(Bucket=self.bucket, Key=name)
        except NotFound:
            return False
        return True

    def keys(self, prefix: str = "") -> Iterator[StoredFile]:
        check_prefix(prefix)
        skip = len(self.prefix) + 1 if self.prefix else 0
        paginator = self.client.get_paginator("list_objects_v2")
        with self._translated("list", prefix):
            pages = paginator.paginate(
                Bucket=self.bucket,
                Prefix=self._full(prefix),
                PaginationConfig={"PageSize": self.list_page_size},
            )
            for page in pages:
                for item in page.get("Contents", ()):
                    modified = item["LastModified"]
                    if modified.tzinfo is None:
                        modified = modified.replace(tzinfo=dt.UTC)
                    yield StoredFile(
                        key=item["Key"][skip:],
                        size=int(item["Size"]),
                        modified_at=modified.astimezone(dt.UTC),
                    )

    def url(self, key: str, *, expires_in: int, download_name: str | None = None) -> str:
        name = self._object(key)
        check_download_name(download_name)
        if not isinstance(expires_in, int) or not 1 <= expires_in <= MAX_URL_TTL_SECONDS:
            raise ValueError(f"expires_in must be 1..{MAX_URL_TTL_SECONDS} seconds")
        params = {"Bucket": self.bucket, "Key": name}
        if download_name is not None:
            params["ResponseContentDisposition"] = content_disposition(download_name)
        with self._translated("presign", key):
            # Presigning is local arithmetic; it fails only without credentials.
            return self.client.generate_presigned_url(
                "get_object", Params=params, ExpiresIn=expires_in
            )

    # -- helpers -------------------------------------------------------------------------------

    def _full(self, key_or_prefix: str) -> str:
        return f"{self.prefix}/{key_or_prefix}" if self.prefix else key_or_prefix

    def _object(self, key: str) -> str:
        return self._full(check_key(key))

    @contextlib.contextmanager
    def _translated(self, operation: str, key: str, *, missing_ok: bool = False) -> Iterator[None]:
        """Maps boto3's exceptions to domain errors: missing → NotFound, the rest → 503."""
        try:
            yield
        except ClientError as exc:
            error = exc.response.get("Error", {})
            code = str(error.get("Code", ""))
            status = exc.response.get("ResponseMetadata", {}).get("HTTPStatusCode")
            if code in _MISSING or (status == 404 and code != "NoSuchBucket"):
                if missing_ok:
                    return
                raise NotFound("file_not_found") from None
            self._log_failure(operation, key, f"{code} (HTTP {status})")
            raise ServiceUnavailable("storage_unavailable") from exc
        except BotoCoreError as exc:
            self._log_failure(operation, key, str(exc))
            raise ServiceUnavailable("storage_unavailable") from exc

    def _log_failure(self, operation: str, key: str, what: str) -> None:
        where = self.endpoint_url or "AWS"
        logger.error("S3 %s of %s in %s at %s failed: %s", operation, key, self.bucket, where, what)
