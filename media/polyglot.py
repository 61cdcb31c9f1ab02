"""Polyglots: an image that is also HTML, a script, PHP, a PDF or a ZIP/JAR.

Two strengths of check, so real phone photos (EXIF, XMP, MPF, maker notes, thumbnails) pass:

- metadata and unexplained trailing bytes (see ``media.layout``) are scanned for every marker,
  short ones included (``<svg>``, ``<?php``, ``%PDF-``, a ZIP header or directory end anywhere);
- the whole file, compressed pixel data included, is scanned only for markers long and specific
  enough that random bytes practically never contain them (``<script`` + a delimiter, a ZIP
  local header whose fields make sense, a ZIP directory record where ZIP readers look for it).
  A four-byte marker would turn up by chance in about one 20 MB photo in a hundred.
"""

from __future__ import annotations

import re

from media.layout import TRAILER_TOLERANCE, Layout
from services.errors import UnsupportedMedia

# One pattern per literal first byte: an alternation of different first bytes defeats the
# regex engine's fast literal search and costs ten times as much on a 20 MB file.
_WEAK = (
    re.compile(
        rb"<(?:script|html|svg|iframe|object|embed|body)[\s/>]|<!doctype|<\?php", re.IGNORECASE
    ),
    re.compile(rb"%PDF-"),
)
_STRONG = (
    re.compile(
        rb"<(?:(?:script|html|iframe|object|embed|body)[\s/>]|!doctype\s+html|\?php\s)",
        re.IGNORECASE,
    ),
    re.compile(rb"%PDF-\d\.\d"),
)
_LOCAL_HEADER = re.compile(rb"PK\x03\x04")
_END_OF_DIRECTORY = re.compile(rb"PK\x05\x06")
_ZIP_METHODS = frozenset({0, 1, 6, 8, 9, 12, 14, 93, 95, 98, 99})
_EOCD_SEARCH = 22 + 0xFFFF  # ZIP readers look for the directory end this far from the end


def check_polyglot(data: bytes, layout: Layout) -> None:
    """``UnsupportedMedia`` image_polyglot (param ``found``) when ``data`` carries a payload."""
    if layout.unexplained is not None:
        start, end = layout.unexplained
        body = data[start:end]
        if len(body.rstrip(b"\x00\xff \t\r\n")) > TRAILER_TOLERANCE:
            raise UnsupportedMedia("image_polyglot", found="trailing data")
        _scan_weak(body)
    for start, end in layout.metadata:
        _scan_weak(data[start:end])
    for pattern in _STRONG:
        found = pattern.search(data)
        if found:
            raise UnsupportedMedia("image_polyglot", found=_name(found.group()))
    if _has_zip(data):
        raise UnsupportedMedia("image_polyglot", found="ZIP")


def _scan_weak(body: bytes) -> None:
    for pattern in _WEAK:
        found = pattern.search(body)
        if found:
            raise UnsupportedMedia("image_polyglot", found=_name(found.group()))
    # Even here a bare four-byte signature is no proof (an EXIF thumbnail is compressed data
    # too); a header a ZIP reader would follow is.
    if any(_plausible_local_header(body, m.start()) for m in _LOCAL_HEADER.finditer(body)) or any(
        _plausible_directory_end(body, m.start()) for m in _END_OF_DIRECTORY.finditer(body)
    ):
        raise UnsupportedMedia("image_polyglot", found="ZIP")


def _name(marker: bytes) -> str:
    if marker.startswith(b"PK"):
        return "ZIP"
    if marker.startswith(b"%PDF"):
        return "PDF"
    if marker.startswith(b"<?"):
        return "PHP"
    return "HTML/" + marker.decode("latin-1").strip("<>/ \t\r\n\f\v").lower()


def _has_zip(data: bytes) -> bool:
    for match in _LOCAL_HEADER.finditer(data):
        if _plausible_local_header(data, match.start()):
            return True
    tail = max(0, len(data) - _EOCD_SEARCH)
    return any(
        _plausible_directory_end(data, match.start())
        for match in _END_OF_DIRECTORY.finditer(data, tail)
    )


def _le(data: bytes, pos: int, size: int) -> int:
    return int.from_bytes(data[pos : pos + size], "little")


def _plausible_local_header(data: bytes, pos: int) -> bool:
    """A local file header whose version, method and name look like a real archive's."""
    if pos + 30 > len(data):
        return False
    version, method = _le(data, pos + 4, 2), _le(data, pos + 8, 2)
    name_length = _le(data, pos + 26, 2)
    name = data[pos + 30 : pos + 30 + name_length]
    return (
        (version & 0xFF) <= 63
        and method in _ZIP_METHODS
        and 0 < name_length <= 1024
        and len(name) == name_length
        and all(0x20 <= byte < 0x7F for byte in name)
    )


def _plausible_directory_end(data: bytes, pos: int) -> bool:
    """An end-of-central-directory record a ZIP reader would accept: it fits before the end
    with its comment, and its directory fits before it."""
    if pos + 22 > len(data):
        return False
    entries_here, entries = _le(data, pos + 8, 2), _le(data, pos + 10, 2)
    directory_size = _le(data, pos + 12, 4)
    comment_length = _le(data, pos + 20, 2)
    return (
        pos + 22 + comment_length <= len(data) and entries_here <= entries and directory_size <= pos
    )
