"""What both media stores agree on: which keys are acceptable, a file's content type from its
extension, and the Content-Disposition a signed download link asks for."""

from __future__ import annotations

import re
import unicodedata
from urllib.parse import quote

from services.errors import ValidationFailed

MAX_KEY_LENGTH = 512
MAX_DOWNLOAD_NAME_LENGTH = 255
# Relative paths of plain segments; a segment never starts with a dot, which refuses ".", ".."
# and hidden names (the local store's temporary files are hidden).
_KEY = re.compile(r"[A-Za-z0-9_-][A-Za-z0-9._-]*(?:/[A-Za-z0-9_-][A-Za-z0-9._-]*)*")
_PREFIX = re.compile(r"(?:[A-Za-z0-9_-][A-Za-z0-9._-]*/)*(?:[A-Za-z0-9_-][A-Za-z0-9._-]*)?")

CONTENT_TYPES = {
    "jpg": "image/jpeg",
    "jpeg": "image/jpeg",
    "png": "image/png",
    "webp": "image/webp",
    "heic": "image/heic",
    "heif": "image/heif",
}
DEFAULT_CONTENT_TYPE = "application/octet-stream"


def check_key(key: object) -> str:
    """``key`` if it is a safe relative key such as ``display/ab/abcd….jpg``; otherwise
    ValidationFailed (absolute paths, ``..``, backslashes, odd characters, empty segments)."""
    if not isinstance(key, str) or len(key) > MAX_KEY_LENGTH or not _KEY.fullmatch(key):
        raise ValidationFailed("storage_key_invalid")
    return key


def check_prefix(prefix: object) -> str:
    """A listing prefix: empty, whole segments ending in ``/``, or a partial last segment."""
    if not isinstance(prefix, str) or len(prefix) > MAX_KEY_LENGTH or not _PREFIX.fullmatch(prefix):
        raise ValidationFailed("storage_key_invalid")
    return prefix


def content_type_for(key: str) -> str:
    """The content type a file is served with, from its extension (stores keep no sidecar)."""
    name = key.rsplit("/", 1)[-1]
    if "." not in name:
        return DEFAULT_CONTENT_TYPE
    return CONTENT_TYPES.get(name.rsplit(".", 1)[1].lower(), DEFAULT_CONTENT_TYPE)


def check_download_name(name: str | None) -> str | None:
    """A file name to suggest to the browser: 1-255 characters, no path separators, no
    control characters, no quotes (they would break the header). None stays None."""
    if name is None:
        return None
    if (
        not isinstance(name, str)
        or not name.strip()
        or len(name) > MAX_DOWNLOAD_NAME_LENGTH
        or any(c in name for c in '/\\"')
        or any(unicodedata.category(c)[0] == "C" for c in name)
        or name.strip() in {".", ".."}
    ):
        raise ValidationFailed("download_name_invalid")
    return name


def content_disposition(download_name: str | None) -> str:
    """``inline`` for viewing, or ``attachment`` with an ASCII fallback name and the UTF-8 one
    (RFC 6266 / RFC 8187) so Chinese file names survive."""
    if download_name is None:
        return "inline"
    fallback = (
        unicodedata.normalize("NFKD", download_name).encode("ascii", "ignore").decode("ascii")
    )
    fallback = re.sub(r"[^A-Za-z0-9._ -]", "_", fallback).strip() or "download"
    if fallback == download_name:
        return f'attachment; filename="{fallback}"'
    return f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(download_name, safe='')}"
