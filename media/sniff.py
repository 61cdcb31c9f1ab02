"""What a file is, judged from its bytes alone (never its name or declared content type).

Accepted: JPEG, PNG, WebP and HEIC/HEIF. Everything else is refused with ``UnsupportedMedia``
naming what was recognised (GIF, SVG, HTML, PDF, ZIP, executables, AVIF, …) where possible.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from services.errors import UnsupportedMedia, ValidationFailed


@dataclass(frozen=True)
class ImageFormat:
    """An accepted format: what Pillow calls it and how it is stored and served."""

    name: str  # Pillow's format name, used to restrict Image.open to exactly this decoder
    mime: str
    extension: str


JPEG = ImageFormat("JPEG", "image/jpeg", "jpg")
PNG = ImageFormat("PNG", "image/png", "png")
WEBP = ImageFormat("WEBP", "image/webp", "webp")
HEIC = ImageFormat("HEIF", "image/heic", "heic")  # HEVC-coded HEIF: what iPhones write
HEIF = ImageFormat("HEIF", "image/heif", "heif")  # generic HEIF brands only (mif1/msf1)

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
JPEG_SIGNATURE = b"\xff\xd8\xff"

HEVC_BRANDS = frozenset({b"heic", b"heix", b"hevc", b"hevx", b"heim", b"heis", b"hevm", b"hevs"})
GENERIC_HEIF_BRANDS = frozenset({b"mif1", b"msf1"})
AVIF_BRANDS = frozenset({b"avif", b"avis"})

# ISO-BMFF brands of things that are not still images we accept, for a helpful message.
_OTHER_BMFF_BRANDS = {
    b"qt  ": "QuickTime",
    b"crx ": "Canon CR3",
    b"jxl ": "JPEG XL",
    b"jp2 ": "JPEG 2000",
    b"3gp4": "3GP",
    b"3gp5": "3GP",
    b"M4A ": "M4A",
}

# Leading signatures of formats we refuse, checked in order (longest first where they overlap).
_SIGNATURES: tuple[tuple[bytes, str], ...] = (
    (b"GIF87a", "GIF"),
    (b"GIF89a", "GIF"),
    (b"%PDF-", "PDF"),
    (b"PK\x03\x04", "ZIP"),
    (b"PK\x05\x06", "ZIP"),
    (b"PK\x07\x08", "ZIP"),
    (b"\x7fELF", "ELF"),
    (b"\xfe\xed\xfa\xce", "Mach-O"),
    (b"\xfe\xed\xfa\xcf", "Mach-O"),
    (b"\xce\xfa\xed\xfe", "Mach-O"),
    (b"\xcf\xfa\xed\xfe", "Mach-O"),
    (b"\xca\xfe\xba\xbe", "Mach-O"),  # also a Java class file; refused either way
    (b"MZ", "PE"),
    (b"#!", "script"),
    (b"II*\x00", "TIFF"),
    (b"MM\x00*", "TIFF"),
    (b"BM", "BMP"),
    (b"\x00\x00\x01\x00", "ICO"),
    (b"8BPS", "PSD"),
    (b"\xff\x0a", "JPEG XL"),
    (b"\x00\x00\x00\x0cJXL ", "JPEG XL"),
    (b"\x00\x00\x00\x0cjP  ", "JPEG 2000"),
    (b"Rar!\x1a\x07", "RAR"),
    (b"7z\xbc\xaf\x27\x1c", "7z"),
    (b"\x1f\x8b", "gzip"),
    (b"BZh", "bzip2"),
    (b"\xfd7zXZ\x00", "xz"),
    (b"OggS", "Ogg"),
    (b"ID3", "MP3"),
    (b"fLaC", "FLAC"),
    (b"\x1aE\xdf\xa3", "Matroska/WebM"),
    (b"{\\rtf", "RTF"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "Microsoft Office"),
)

_BOM = re.compile(rb"^(?:\xef\xbb\xbf|\xff\xfe|\xfe\xff)?[\s\x00]*")
_MARKUP = (
    (re.compile(rb"<svg[\s>/:]", re.IGNORECASE), "SVG"),
    (
        re.compile(rb"<(?:!doctype\s+html|html|head|body|script|iframe)[\s>/]", re.IGNORECASE),
        "HTML",
    ),
    (re.compile(rb"<\?php", re.IGNORECASE), "PHP"),
)


def sniff(data: bytes) -> ImageFormat:
    """The accepted format ``data`` is in; ``UnsupportedMedia`` for anything else.

    A file too short to hold any signature but starting like an accepted one is a truncated
    upload (``ValidationFailed`` image_corrupt), not an unknown format.
    """
    if data.startswith(JPEG_SIGNATURE):
        return JPEG
    if data.startswith(PNG_SIGNATURE):
        return PNG
    if len(data) >= 12 and data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return WEBP
    if data[4:8] == b"ftyp":
        return _bmff(data)
    if _is_prefix_of_accepted(data):
        raise ValidationFailed("image_corrupt")
    detected = describe(data)
    if detected is None:
        raise UnsupportedMedia("image_format_unknown")
    raise UnsupportedMedia("image_format_unsupported", format=detected)


def describe(data: bytes) -> str | None:
    """A short name for a format we refuse, or None when nothing is recognised."""
    if data[:4] == b"RIFF" and len(data) >= 12:
        kind = data[8:12]
        return f"RIFF {kind.decode().strip()}" if kind.isalnum() else "RIFF"
    for signature, name in _SIGNATURES:
        if data.startswith(signature):
            return name
    head = data[:4096]
    text = head[_BOM.match(head).end() :]  # type: ignore[union-attr]
    if text.startswith(b"<"):
        for pattern, name in _MARKUP:
            if pattern.search(head):
                return name
        if text[:5].lower() == b"<?xml":
            return "XML"
    return None


def _bmff(data: bytes) -> ImageFormat:
    """HEIC/HEIF from an ISO-BMFF ``ftyp`` box; AVIF, video and the rest are refused."""
    size = int.from_bytes(data[:4], "big")
    if size > len(data):
        raise ValidationFailed("image_corrupt")  # a cut-off upload
    if size < 16 or size % 4:
        raise UnsupportedMedia("image_format_unknown")
    major = data[8:12]
    brands = {major} | {data[i : i + 4] for i in range(16, size - 3, 4)}
    if brands & HEVC_BRANDS:
        return HEIC
    if brands & AVIF_BRANDS:
        raise UnsupportedMedia("image_format_unsupported", format="AVIF")
    if brands & GENERIC_HEIF_BRANDS:
        return HEIF
    name = _OTHER_BMFF_BRANDS.get(major)
    if name is None:
        brand = major.decode().strip() if major.strip().isalnum() else "?"
        name = f"MP4/ISO media ({brand})"
    raise UnsupportedMedia("image_format_unsupported", format=name)


def _is_prefix_of_accepted(data: bytes) -> bool:
    if not data or len(data) >= len(PNG_SIGNATURE):
        return False
    return JPEG_SIGNATURE.startswith(data[:3]) or PNG_SIGNATURE.startswith(data)
