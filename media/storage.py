"""Media stores: a local directory served through HMAC-signed expiring links, or an
S3-compatible bucket (``media.s3``); ``build_media_store`` picks one from the configuration."""

from __future__ import annotations

import base64
import contextlib
import datetime as dt
import hashlib
import hmac
import logging
import os
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlencode

from media.s3 import S3MediaStore
from media.store_keys import check_download_name, check_key, check_prefix, content_type_for
from services.errors import NotFound, PermissionDenied, ServiceUnavailable
from services.ports import MediaStore, StoredFile

logger = logging.getLogger(__name__)

FILES_URL_PREFIX = "/api/v1/files"
MAX_URL_TTL_SECONDS = 7 * 24 * 3600  # the most S3 presigning allows; both stores agree
_SIGNING_CONTEXT = b"onegrid/media-url/v1"


@dataclass(frozen=True)
class SignedFile:
    """A file a valid link points at, ready to be served."""

    path: Path
    content_type: str
    size: int
    download_name: str | None
    max_age: int  # seconds the link stays valid


class LocalMediaStore:
    """Files under ``root``; links are ``<url_prefix>/<key>?expires=<unix>&sig=<hmac>[&dl=…]``.

    Writes are atomic (a hidden temporary file in the same directory, fsync, rename), so a
    reader never sees half a file and a crash leaves at most a hidden temporary file behind.
    """

    def __init__(
        self,
        root: str | Path,
        *,
        secret_key: str,
        url_prefix: str = FILES_URL_PREFIX,
        clock: Callable[[], float] = time.time,
    ) -> None:
        if not secret_key:
            raise ValueError("LocalMediaStore needs a secret key to sign its links")
        self.root = Path(root)
        self.url_prefix = url_prefix.rstrip("/")
        self._clock = clock
        # A key of its own: a leaked link signature says nothing about tokens signed elsewhere.
        self._signing_key = hmac.new(
            secret_key.encode("utf-8"), _SIGNING_CONTEXT, hashlib.sha256
        ).digest()

    # -- the MediaStore port -------------------------------------------------------------

    def put(self, key: str, data: bytes, *, content_type: str) -> None:
        # content_type is implied by the extension: see store_keys.content_type_for.
        path = self._path(key)
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            fd, temporary = tempfile.mkstemp(
                dir=path.parent, prefix=f".{path.name}.", suffix=".tmp"
            )
            try:
                with os.fdopen(fd, "wb") as handle:
                    handle.write(data)
                    handle.flush()
                    os.fsync(handle.fileno())
                os.replace(temporary, path)
            except BaseException:
                with contextlib.suppress(OSError):
                    os.unlink(temporary)
                raise
            _fsync_directory(path.parent)
        except OSError as exc:
            logger.error("cannot write media file %s under %s: %s", key, self.root, exc)
            raise ServiceUnavailable("storage_unavailable") from exc

    def get(self, key: str) -> bytes:
        path = self._path(key)
        try:
            return path.read_bytes()
        except (FileNotFoundError, IsADirectoryError, NotADirectoryError):
            raise NotFound("file_not_found") from None
        except OSError as exc:
            logger.error("cannot read media file %s under %s: %s", key, self.root, exc)
            raise ServiceUnavailable("storage_unavailable") from exc

    def delete(self, key: str) -> None:
        path = self._path(key)
        try:
            path.unlink(missing_ok=True)
        except (IsADirectoryError, NotADirectoryError):
            return
        except OSError as exc:
            logger.error("cannot delete media file %s under %s: %s", key, self.root, exc)
            raise ServiceUnavailable("storage_unavailable") from exc

    def exists(self, key: str) -> bool:
        return self._path(key).is_file()

    def keys(self, prefix: str = "") -> Iterator[StoredFile]:
        check_prefix(prefix)
        directory = self.root / prefix.rpartition("/")[0]
        for current, dirnames, filenames in os.walk(directory):
            dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
            for name in sorted(filenames):
                if name.startswith("."):  # temporary files of writes in progress
                    continue
                path = Path(current, name)
                key = path.relative_to(self.root).as_posix()
                if not key.startswith(prefix):
                    continue
                try:
                    stat = path.stat()
                except FileNotFoundError:  # deleted while we were listing
                    continue
                modified = dt.datetime.fromtimestamp(stat.st_mtime, dt.UTC)
                yield StoredFile(key=key, size=stat.st_size, modified_at=modified)

    def url(self, key: str, *, expires_in: int, download_name: str | None = None) -> str:
        check_key(key)
        check_download_name(download_name)
        if not isinstance(expires_in, int) or not 1 <= expires_in <= MAX_URL_TTL_SECONDS:
            raise ValueError(f"expires_in must be 1..{MAX_URL_TTL_SECONDS} seconds")
        expires = int(self._clock()) + expires_in
        params = {"expires": expires, "sig": self._sign(key, expires, download_name)}
        if download_name is not None:
            params["dl"] = download_name
        return f"{self.url_prefix}/{key}?{urlencode(params)}"

    # -- serving signed links --------------------------------------------------------------

    def open_signed(
        self, key: str, *, expires: int, signature: str, download_name: str | None = None
    ) -> SignedFile:
        """The file a link points at. PermissionDenied when the signature does not match
        (anything tampered with) or the link has expired; NotFound when the file is gone."""
        expected = self._sign(key, expires, download_name).encode("ascii")
        if not hmac.compare_digest(expected, signature.encode("utf-8", "replace")):
            raise PermissionDenied("file_link_invalid")
        max_age = expires - int(self._clock())
        if max_age <= 0:
            raise PermissionDenied("file_link_expired")
        path = self._path(key)
        try:
            size = path.stat().st_size if path.is_file() else None
        except OSError:
            size = None
        if size is None:
            raise NotFound("file_not_found")
        return SignedFile(
            path=path,
            content_type=content_type_for(key),
            size=size,
            download_name=download_name,
            max_age=max_age,
        )

    # -- helpers -------------------------------------------------------------------------------

    def _sign(self, key: str, expires: int, download_name: str | None) -> str:
        # Fields never contain "\n" (keys are checked, names refuse control characters).
        message = f"{key}\n{expires}\n{download_name or ''}".encode("utf-8", "surrogatepass")
        mac = hmac.new(self._signing_key, message, hashlib.sha256).digest()
        return base64.urlsafe_b64encode(mac).rstrip(b"=").decode("ascii")

    def _path(self, key: str) -> Path:
        return self.root / check_key(key)


def _fsync_directory(directory: Path) -> None:
    """Make the rename itself durable (POSIX); platforms without directory fds skip it."""
    try:
        fd = os.open(directory, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def build_media_store(config, instance: Path) -> MediaStore:
    """The store the configuration names; nothing touches the disk or the network yet."""
    if config.media_storage == "s3":
        return S3MediaStore(
            bucket=config.s3_bucket,
            prefix=config.s3_prefix,
            endpoint_url=config.s3_endpoint_url,
            region=config.s3_region,
            access_key_id=config.s3_access_key_id,
            secret_access_key=config.s3_secret_access_key,
        )
    return LocalMediaStore(config.media_root or instance / "media", secret_key=config.secret_key)
