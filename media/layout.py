"""The structure of an accepted file, walked without decoding a pixel.

The walk finds the declared dimensions (so a tiny file declaring 100000x100000 is refused before
Pillow allocates anything), where the metadata lives (APPn/COM segments, PNG ancillary chunks,
WebP EXIF/XMP, HEIF boxes other than ``mdat``) and what follows the image's end. Those are the
places a polyglot hides its payload; ``media.polyglot`` scans them. A walk that runs past the end
of the bytes means a cut-off upload: ``ValidationFailed`` image_corrupt.
"""

from __future__ import annotations

import re
import zlib
from dataclasses import dataclass, field

from media.sniff import JPEG, PNG, PNG_SIGNATURE, WEBP, ImageFormat
from services.errors import ValidationFailed

Span = tuple[int, int]  # [start, end) offsets into the file

# Trailing bytes after the image that carry nothing: padding some encoders and apps add
# (0xFF only where it does not start another JPEG).
_PADDING = re.compile(rb"(?:[\x00\t\n\r ]|\xff(?!\xd8))*")
# A few unexplained trailing bytes are tolerated (too small for a ZIP; scanned for markup anyway).
TRAILER_TOLERANCE = 64
_MAX_TRAILING_IMAGES = 32

_SOF_MARKERS = frozenset(
    {*range(0xC0, 0xC4), *range(0xC5, 0xC8), *range(0xC9, 0xCC), 0xCD, 0xCE, 0xCF}
)
# In entropy-coded data 0xFF is followed by 0x00 (stuffing) or a restart marker; anything else
# is the next marker (the last 0xFF of a fill run is its start). No "\xff+": a pattern with a
# plain literal first byte is searched twenty times faster.
_NEXT_MARKER = re.compile(rb"\xff[^\x00\xd0-\xd7\xff]")
_FOURCC = re.compile(rb"[A-Za-z0-9 _\-]{4}")


@dataclass
class Layout:
    width: int
    height: int
    metadata: list[Span] = field(default_factory=list)  # scanned for every polyglot marker
    opaque: list[Span] = field(default_factory=list)  # compressed media: only strong markers
    unexplained: Span | None = None  # trailing bytes that are no known kind of trailer

    @property
    def pixels(self) -> int:
        return self.width * self.height


class _Truncated(Exception):
    """The structure runs past the end of the bytes (or contradicts itself)."""


def inspect(data: bytes, fmt: ImageFormat) -> Layout:
    """Walk ``data`` (already sniffed as ``fmt``); ``ValidationFailed`` if it is cut off or
    malformed."""
    try:
        if fmt is JPEG:
            layout, end = _jpeg(data, 0)
        elif fmt is PNG:
            layout, end = _png(data)
        elif fmt is WEBP:
            layout, end = _webp(data)
        else:
            layout, end = _heif(data)
        if layout.width <= 0 or layout.height <= 0:
            raise _Truncated("no dimensions")
        _trailer(data, end, layout)
    except (_Truncated, IndexError, ValueError) as exc:
        raise ValidationFailed("image_corrupt") from exc
    return layout


def _u16(data: bytes, pos: int, order: str = "big") -> int:
    if pos + 2 > len(data):
        raise _Truncated
    return int.from_bytes(data[pos : pos + 2], order)  # type: ignore[arg-type]


def _u32(data: bytes, pos: int, order: str = "big") -> int:
    if pos + 4 > len(data):
        raise _Truncated
    return int.from_bytes(data[pos : pos + 4], order)  # type: ignore[arg-type]


# --- JPEG ---------------------------------------------------------------------------------


def _jpeg(data: bytes, start: int) -> tuple[Layout, int]:
    """One JPEG from SOI at ``start`` to its EOI; returns the layout and the offset after EOI."""
    n = len(data)
    pos = start + 2
    layout = Layout(0, 0)
    scan_start = None
    while True:
        if pos >= n or data[pos] != 0xFF:
            raise _Truncated("expected a marker")
        while pos < n and data[pos] == 0xFF:
            pos += 1
        if pos >= n:
            raise _Truncated
        marker = data[pos]
        pos += 1
        if scan_start is not None:
            layout.opaque.append((scan_start, pos - 2))
            scan_start = None
        if marker == 0xD9:  # EOI
            return layout, pos
        if marker == 0x01 or 0xD0 <= marker <= 0xD7:  # TEM / stray RSTn: no length
            continue
        if marker in (0x00, 0xD8):
            raise _Truncated("invalid marker")
        length = _u16(data, pos)
        end = pos + length
        if length < 2 or end > n:
            raise _Truncated("segment runs past the end")
        if marker in _SOF_MARKERS and layout.width == 0:
            layout.height = _u16(data, pos + 3)
            layout.width = _u16(data, pos + 5)
        # Every segment outside the scans is small: APPn/COM are where payloads hide, but
        # tables are arbitrary bytes too.
        layout.metadata.append((pos + 2, end))
        pos = end
        if marker == 0xDA:  # SOS: entropy-coded data up to the next real marker
            if layout.width == 0:
                raise _Truncated("scan before frame header")
            found = _NEXT_MARKER.search(data, pos)
            if found is None:
                raise _Truncated("scan without an end")
            scan_start, pos = pos, found.start()


# --- PNG ----------------------------------------------------------------------------------


def _png(data: bytes) -> tuple[Layout, int]:
    pos = len(PNG_SIGNATURE)
    if data[pos + 4 : pos + 8] != b"IHDR" or _u32(data, pos) != 13:
        raise _Truncated("IHDR must come first")
    layout = Layout(_u32(data, pos + 8), _u32(data, pos + 12))
    n = len(data)
    while True:
        length = _u32(data, pos)
        kind = data[pos + 4 : pos + 8]
        end = pos + 12 + length
        if length > 0x7FFFFFFF or end > n or not kind.isalpha():
            raise _Truncated("chunk runs past the end")
        span = (pos + 8, pos + 8 + length)
        if kind[0] < 0x61:  # critical chunk (upper-case first letter): libpng insists, so do we
            _png_check(data, pos, length, first_idat=kind == b"IDAT" and not layout.opaque)
        (layout.opaque if kind in (b"IDAT", b"fdAT") else layout.metadata).append(span)
        pos = end
        if kind == b"IEND":
            return layout, pos


def _png_check(data: bytes, pos: int, length: int, *, first_idat: bool) -> None:
    """Pillow skips the checksum of pixel data and decodes a stream with a broken zlib header
    as a black picture; a bit flipped in transit must be refused instead."""
    body_end = pos + 8 + length
    if zlib.crc32(data[pos + 4 : body_end]) != _u32(data, body_end):
        raise _Truncated("chunk checksum mismatch")
    if first_idat:
        if length < 2:
            raise _Truncated("empty pixel data")
        cmf, flags = data[pos + 8], data[pos + 9]
        if cmf & 0x0F != 8 or (cmf << 8 | flags) % 31:
            raise _Truncated("pixel data is not a zlib stream")


# --- WebP ---------------------------------------------------------------------------------


def _webp(data: bytes) -> tuple[Layout, int]:
    riff_end = 8 + _u32(data, 4, "little")
    if riff_end > len(data):
        raise _Truncated("RIFF size beyond the end")
    layout = Layout(0, 0)
    pos = 12
    while pos + 8 <= riff_end:
        kind = data[pos : pos + 4]
        size = _u32(data, pos + 4, "little")
        body = pos + 8
        end = body + size
        if end > riff_end:
            raise _Truncated("chunk runs past the end")
        if layout.width == 0:
            layout.width, layout.height = _webp_size(kind, data[body:end])
        if kind in (b"VP8 ", b"VP8L", b"ALPH", b"ANMF"):
            layout.opaque.append((body, end))
        else:
            layout.metadata.append((body, end))
        pos = end + (size & 1)
    return layout, riff_end


def _webp_size(kind: bytes, body: bytes) -> tuple[int, int]:
    if kind == b"VP8X" and len(body) >= 10:
        return 1 + int.from_bytes(body[4:7], "little"), 1 + int.from_bytes(body[7:10], "little")
    if kind == b"VP8 " and len(body) >= 10 and body[3:6] == b"\x9d\x01\x2a":
        return (
            int.from_bytes(body[6:8], "little") & 0x3FFF,
            int.from_bytes(body[8:10], "little") & 0x3FFF,
        )
    if kind == b"VP8L" and len(body) >= 5 and body[0] == 0x2F:
        bits = int.from_bytes(body[1:5], "little")
        return 1 + (bits & 0x3FFF), 1 + ((bits >> 14) & 0x3FFF)
    raise _Truncated("no image header in the first chunk")


# --- HEIF (ISO-BMFF) ----------------------------------------------------------------------


def _boxes(data: bytes, start: int, end: int):
    """(type, body_start, box_end) for each box in [start, end); stops at bytes that are no box."""
    pos = start
    while pos + 8 <= end:
        size = _u32(data, pos)
        kind = data[pos + 4 : pos + 8]
        if not _FOURCC.fullmatch(kind):
            return
        header = 8
        if size == 1:
            size, header = int.from_bytes(data[pos + 8 : pos + 16], "big"), 16
        elif size == 0:
            size = end - pos
        if size < header or pos + size > end:
            raise _Truncated(f"box {kind!r} runs past the end")
        yield kind, pos + header, pos + size
        pos += size


def _heif(data: bytes) -> tuple[Layout, int]:
    layout = Layout(0, 0)
    end = 0
    for kind, body, box_end in _boxes(data, 0, len(data)):
        (layout.opaque if kind == b"mdat" else layout.metadata).append((body, box_end))
        if kind == b"meta":
            for width, height in _ispe_sizes(data, body + 4, box_end):
                if width * height > layout.pixels:
                    layout.width, layout.height = width, height
        end = box_end
    return layout, end


def _ispe_sizes(data: bytes, start: int, end: int):
    """Every image spatial extent in meta/iprp/ipco: the largest is the primary image (or the
    grid that tiles it), which is what the pixel limit must look at."""
    for kind, body, box_end in _boxes(data, start, end):
        if kind == b"iprp":
            for sub, sub_body, sub_end in _boxes(data, body, box_end):
                if sub != b"ipco":
                    continue
                for prop, prop_body, prop_end in _boxes(data, sub_body, sub_end):
                    if prop == b"ispe" and prop_end - prop_body >= 12:
                        yield _u32(data, prop_body + 4), _u32(data, prop_body + 8)


# --- after the image ----------------------------------------------------------------------


def _trailer(data: bytes, pos: int, layout: Layout) -> None:
    """Classify what follows the image. Phones append more images (MPF: Ultra HDR gain maps,
    iPhone HDR), motion-photo videos (an ISO-BMFF file) and Samsung's SEFT trailer; those are
    walked like the image itself. Anything else is ``layout.unexplained``."""
    n = len(data)
    images = 0
    while pos < n:
        padded = _PADDING.match(data, pos).end()  # type: ignore[union-attr]
        if data[pos + 4 : pos + 8] != b"ftyp":
            # Zero padding runs into the zero high bytes of a box size: look for the box there.
            box = data.find(b"ftyp", max(pos + 4, padded - 4), padded + 8)
            pos = box - 4 if box != -1 else padded
        if pos >= n:
            return
        if data.startswith(b"\xff\xd8\xff", pos) and images < _MAX_TRAILING_IMAGES:
            extra, pos = _jpeg(data, pos)
            layout.metadata += extra.metadata
            layout.opaque += extra.opaque
            images += 1
            continue
        if data[pos + 4 : pos + 8] == b"ftyp":
            media_end = pos
            for kind, body, box_end in _boxes(data, pos, n):
                target = layout.opaque if kind in (b"mdat", b"moov") else layout.metadata
                target.append((body, box_end))
                media_end = box_end
            if media_end > pos:
                pos = media_end
                continue
        if data.endswith(b"SEFT") and n - pos >= 8:
            # Samsung's trailer (may hold a motion-photo video): its directory is small and
            # at the very end; the rest is media.
            directory = max(pos, n - 4096)
            layout.opaque.append((pos, directory))
            layout.metadata.append((directory, n))
            return
        layout.unexplained = (pos, n)
        return
