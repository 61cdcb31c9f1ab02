"""A local S3-compatible server for the S3 store's tests: moto's ThreadedMotoServer on a free
127.0.0.1 port, started once per test session on first use (nothing leaves the machine).

The ``s3_server`` fixture lives in ``tests.s3_plugin`` (load it with
``pytest_plugins = ("tests.s3_plugin",)``); ``make_s3_store`` builds a store on it. Give each test
a bucket of its own (``create_bucket()``) so tests never see each other's objects.
"""

from __future__ import annotations

import datetime as dt
import hmac
import socket
import uuid
from dataclasses import dataclass
from urllib.parse import parse_qsl, quote, urlencode, urlsplit, urlunsplit

import boto3
from botocore.auth import S3SigV4QueryAuth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials
from moto.server import ThreadedMotoServer

from media.s3 import S3MediaStore

REGION = "us-east-1"
# Credentials the fake server accepts; given explicitly so boto3 never looks elsewhere.
ACCESS_KEY = "testing-access-key"
SECRET_KEY = "testing-secret-key"


@dataclass
class S3Server:
    endpoint_url: str
    _server: ThreadedMotoServer

    def create_bucket(self, name: str | None = None) -> str:
        name = name or f"onegrid-test-{uuid.uuid4().hex[:16]}"
        client = boto3.session.Session().client(
            "s3",
            endpoint_url=self.endpoint_url,
            region_name=REGION,
            aws_access_key_id=ACCESS_KEY,
            aws_secret_access_key=SECRET_KEY,
        )
        client.create_bucket(Bucket=name)
        return name

    def stop(self) -> None:
        self._server.stop()


def free_port() -> int:
    """A port nothing listens on right now (the OS picks it)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_s3_server() -> S3Server:
    """A new server on its own port; the caller stops it."""
    port = free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    return S3Server(endpoint_url=f"http://127.0.0.1:{port}", _server=server)


def make_s3_store(endpoint_url: str, bucket: str, **overrides) -> S3MediaStore:
    options = {
        "bucket": bucket,
        "endpoint_url": endpoint_url,
        "region": REGION,
        "access_key_id": ACCESS_KEY,
        "secret_access_key": SECRET_KEY,
        "max_attempts": 1,
        "connect_timeout": 2,
        "read_timeout": 5,
    }
    options.update(overrides)
    return S3MediaStore(**options)


def check_presigned_url(url: str, *, now: dt.datetime | None = None) -> int:
    """What S3 (or MinIO) would answer a presigned GET before reading the object: 403 when the
    signature does not match the URL or the link has expired, else 200.

    moto accepts any presigned URL, so the tests check the signature here, with botocore's own
    SigV4 code and the test credentials, exactly as the service recomputes it.
    """
    parts = urlsplit(url)
    query = parse_qsl(parts.query, keep_blank_values=True)
    params = dict(query)
    try:
        signature = params["X-Amz-Signature"]
        signed_at = dt.datetime.strptime(params["X-Amz-Date"] + "+0000", "%Y%m%dT%H%M%SZ%z")
        expires = int(params["X-Amz-Expires"])
    except (KeyError, ValueError):
        return 403
    unsigned = [(k, v) for k, v in query if k != "X-Amz-Signature"]
    request = AWSRequest(
        method="GET", url=urlunsplit(parts._replace(query=urlencode(unsigned, quote_via=quote)))
    )
    request.context["timestamp"] = params["X-Amz-Date"]
    auth = S3SigV4QueryAuth(Credentials(ACCESS_KEY, SECRET_KEY), "s3", REGION, expires=expires)
    string_to_sign = auth.string_to_sign(request, auth.canonical_request(request))
    expected = auth.signature(string_to_sign, request)
    if not hmac.compare_digest(expected, signature):
        return 403
    now = now or dt.datetime.now(dt.UTC)
    if now > signed_at + dt.timedelta(seconds=expires):
        return 403
    return 200
