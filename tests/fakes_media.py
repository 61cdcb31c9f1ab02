"""Media stores for tests of the use cases: an in-memory one that records what it was asked,
and one that fails on purpose, for "storage failure leaves no row" tests."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from urllib.parse import quote

from media.store_keys import check_download_name, check_key, check_prefix
from services.errors import NotFound, ServiceUnavailable
from services.ports import StoredFile


class RecordingMediaStore:
    """Keeps files in a dict; ``puts`` and ``deletes`` list the keys in call order.

    ``url`` returns ``memory://<key>?expires_in=…[&dl=…]`` so tests can see what was signed.
    """

    def __init__(self, *, now=lambda: dt.datetime.now(dt.UTC)) -> None:
        self.files: dict[str, tuple[bytes, str, dt.datetime]] = {}
        self.puts: list[str] = []
        self.deletes: list[str] = []
        self._now = now

    def put(self, key: str, data: bytes, *, content_type: str) -> None:
        check_key(key)
        self.puts.append(key)
        self.files[key] = (bytes(data), content_type, self._now())

    def get(self, key: str) -> bytes:
        check_key(key)
        if key not in self.files:
            raise NotFound("file_not_found")
        return self.files[key][0]

    def delete(self, key: str) -> None:
        check_key(key)
        self.deletes.append(key)
        self.files.pop(key, None)

    def exists(self, key: str) -> bool:
        return check_key(key) in self.files

    def keys(self, prefix: str = "") -> Iterator[StoredFile]:
        check_prefix(prefix)
        for key in sorted(self.files):
            if key.startswith(prefix):
                data, _, modified = self.files[key]
                yield StoredFile(key=key, size=len(data), modified_at=modified)

    def url(self, key: str, *, expires_in: int, download_name: str | None = None) -> str:
        check_key(key)
        check_download_name(download_name)
        url = f"memory://{key}?expires_in={expires_in}"
        return url + (f"&dl={quote(download_name)}" if download_name else "")

    def content_type(self, key: str) -> str:
        return self.files[key][1]

    def set_modified(self, key: str, when: dt.datetime) -> None:
        """Age a file, for garbage-collector tests."""
        data, content_type, _ = self.files[key]
        self.files[key] = (data, content_type, when)


class FailingMediaStore(RecordingMediaStore):
    """Like RecordingMediaStore, but ``put`` raises ServiceUnavailable once ``fail_after``
    puts have succeeded (0: the first put fails); ``fail_gets``/``fail_deletes`` break those too.
    Failed puts are recorded in ``failed_puts`` and store nothing."""

    def __init__(
        self, *, fail_after: int = 0, fail_gets: bool = False, fail_deletes: bool = False, **kw
    ) -> None:
        super().__init__(**kw)
        self.fail_after = fail_after
        self.fail_gets = fail_gets
        self.fail_deletes = fail_deletes
        self.failed_puts: list[str] = []

    def put(self, key: str, data: bytes, *, content_type: str) -> None:
        if len(self.puts) >= self.fail_after:
            self.failed_puts.append(key)
            raise ServiceUnavailable("storage_unavailable")
        super().put(key, data, content_type=content_type)

    def get(self, key: str) -> bytes:
        if self.fail_gets:
            raise ServiceUnavailable("storage_unavailable")
        return super().get(key)

    def delete(self, key: str) -> None:
        if self.fail_deletes:
            self.deletes.append(key)
            raise ServiceUnavailable("storage_unavailable")
        super().delete(key)
