"""The Pillow image processor: sniff, verify, read EXIF, orient, strip, resize, hash.

``PillowImageProcessor.process`` takes an upload's bytes and returns a ``ProcessedImage`` with
two metadata-free JPEG derivatives, or raises one of three domain errors: ``PayloadTooLarge``
(bytes), ``UnsupportedMedia`` (not an accepted format, or a polyglot) and ``ValidationFailed``
(empty, too many pixels, corrupt). Nothing a hostile file does surfaces as anything else.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import io
import logging
import struct
import warnings
from collections.abc import Iterator

from PIL import Image, ImageCms

from media.exif import read_exif
from media.layout import inspect
from media.phash import dhash
from media.polyglot import check_polyglot
from media.sniff import HEIC, HEIF, JPEG, ImageFormat, sniff
from services.errors import DomainError, PayloadTooLarge, ValidationFailed
from services.ports import ProcessedImage

logger = logging.getLogger(__name__)

DISPLAY_EDGE = 1600
THUMBNAIL_EDGE = 320
DISPLAY_QUALITY = 82
THUMBNAIL_QUALITY = 75
_WHITE = (255, 255, 255)

# What Pillow and its plugins raise on broken input, besides our own errors.
_DECODE_ERRORS = (
    ArithmeticError,  # ZeroDivisionError in EXIF rationals, OverflowError in sizes
    AttributeError,
    EOFError,
    IndexError,
    KeyError,
    OSError,  # includes UnidentifiedImageError and "image file is truncated"
    RuntimeError,  # pillow-heif / libheif
    SyntaxError,  # "broken PNG file"
    TypeError,
    ValueError,
    struct.error,
)

_TRANSPOSE = {
    2: (Image.Transpose.FLIP_LEFT_RIGHT,),
    3: (Image.Transpose.ROTATE_180,),
    4: (Image.Transpose.FLIP_TOP_BOTTOM,),
    5: (Image.Transpose.TRANSPOSE,),
    6: (Image.Transpose.ROTATE_270,),
    7: (Image.Transpose.TRANSVERSE,),
    8: (Image.Transpose.ROTATE_90,),
}


@functools.cache
def _register_heif() -> None:
    """pillow-heif's opener, registered on first use (nothing happens at import time);
    registering twice from racing threads is harmless."""
    import pillow_heif

    pillow_heif.register_heif_opener()


class PillowImageProcessor:
    """``ImageProcessor`` on Pillow (and pillow-heif for HEIC)."""

    def __init__(
        self,
        *,
        max_bytes: int,
        max_pixels: int,
        display_edge: int = DISPLAY_EDGE,
        thumbnail_edge: int = THUMBNAIL_EDGE,
    ) -> None:
        self.max_bytes = max_bytes
        self.max_pixels = max_pixels
        self.display_edge = display_edge
        self.thumbnail_edge = thumbnail_edge

    def process(self, data: bytes, *, sha256: str | None = None) -> ProcessedImage:
        """``sha256``: the caller's digest of ``data`` when it has one (not computed twice)."""
        if len(data) > self.max_bytes:
            limit_mb = f"{self.max_bytes / 2**20:.3g}"
            raise PayloadTooLarge("image_too_large", limit=self.max_bytes, limit_mb=limit_mb)
        data = bytes(data)  # bytearray/memoryview from a caller; bytes pass through uncopied
        if not data:
            raise ValidationFailed("image_empty")
        fmt = sniff(data)
        layout = inspect(data, fmt)
        self._check_pixels(layout.width, layout.height)
        check_polyglot(data, layout)
        if fmt in (HEIC, HEIF):
            _register_heif()
        try:
            with _quiet_bomb_warning(layout.pixels):
                return self._render(data, fmt, sha256 or hashlib.sha256(data).hexdigest())
        except DomainError:
            raise
        except Image.DecompressionBombError as exc:
            # Pillow's global guard is stricter than a limit configured above 2x its threshold.
            raise ValidationFailed(
                "image_too_many_pixels",
                width=layout.width,
                height=layout.height,
                limit=min(self.max_pixels, 2 * (Image.MAX_IMAGE_PIXELS or self.max_pixels)),
            ) from exc
        except _DECODE_ERRORS as exc:
            logger.info("image refused as corrupt: %s: %s", type(exc).__name__, exc)
            raise ValidationFailed("image_corrupt") from exc

    def _check_pixels(self, width: int, height: int) -> None:
        if width * height > self.max_pixels:
            raise ValidationFailed(
                "image_too_many_pixels", width=width, height=height, limit=self.max_pixels
            )

    def _render(self, data: bytes, fmt: ImageFormat, sha256: str) -> ProcessedImage:
        with Image.open(io.BytesIO(data), formats=[fmt.name]) as img:
            self._check_pixels(*img.size)  # what the decoder will allocate, not the header
            exif, orientation = read_exif(img)
            icc = img.info.get("icc_profile")
            stored_size = img.size
            if fmt is JPEG:
                self._draft(img, orientation)
            img.load()
            # Resize first: the long edge does not depend on orientation, and turning the
            # display image costs a third of turning the decoded one.
            display = _fit(_to_rgb(img), self.display_edge)
            if display is img:
                display = img.copy()  # closing the file frees the decoded pixels
        display = _to_srgb(display, icc)
        for transpose in _TRANSPOSE.get(orientation, ()):
            display = display.transpose(transpose)
        width, height = _oriented_size(stored_size, orientation)
        thumbnail = _fit(display, self.thumbnail_edge)
        return ProcessedImage(
            mime=fmt.mime,
            extension=fmt.extension,
            size_bytes=len(data),
            sha256=sha256,
            phash=dhash(thumbnail),
            width=width,
            height=height,
            exif=exif,
            display=_jpeg(display, DISPLAY_QUALITY),
            thumbnail=_jpeg(thumbnail, THUMBNAIL_QUALITY),
        )

    def _draft(self, img: Image.Image, orientation: int) -> None:
        """Let libjpeg decode at 1/2, 1/4 or 1/8 scale while the result still covers the
        display size: a 12 MP photo then decodes as 3 MP."""
        width, height = img.size
        scale = self.display_edge / max(width, height)
        if scale < 1:
            img.draft("RGB", (max(1, int(width * scale)), max(1, int(height * scale))))


@contextlib.contextmanager
def _quiet_bomb_warning(pixels: int) -> Iterator[None]:
    """Our limit (checked before and after open) is the one that applies; Pillow's global
    threshold would only warn about a size we already allow. ``catch_warnings`` touches
    process-wide state, so it is entered only in that rare case."""
    if Image.MAX_IMAGE_PIXELS is None or pixels <= Image.MAX_IMAGE_PIXELS:
        yield
        return
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", Image.DecompressionBombWarning)
        yield


def _oriented_size(stored: tuple[int, int], orientation: int) -> tuple[int, int]:
    """Full-resolution width and height after orientation (draft mode may have decoded a
    smaller picture, so the decoded size is not the answer)."""
    width, height = stored
    return (height, width) if orientation in (5, 6, 7, 8) else (width, height)


def _to_rgb(img: Image.Image) -> Image.Image:
    """8-bit RGB; transparency is composited on white, 16-bit samples scaled, not clipped."""
    mode = img.mode
    if mode.startswith("I;16") or mode in ("I", "F"):
        if mode.startswith("I;16"):
            img = img.convert("I")
        img = img.point(lambda value: value * (1 / 256)) if mode != "F" else img
        return img.convert("L").convert("RGB")
    has_alpha = mode in ("RGBA", "LA", "PA", "RGBa", "La") or (
        mode == "P" and "transparency" in img.info
    )
    if has_alpha:
        rgba = img.convert("RGBA")
        background = Image.new("RGB", rgba.size, _WHITE)
        background.paste(rgba, mask=rgba.getchannel("A"))
        return background
    return img.convert("RGB") if mode != "RGB" else img


def _fit(img: Image.Image, edge: int) -> Image.Image:
    """``img`` scaled so its long edge is at most ``edge`` (itself when it already fits: small
    pictures are never enlarged). Hamming costs what bilinear costs and is sharper; the
    reducing gap shrinks large ratios by whole-pixel averaging first."""
    width, height = img.size
    if max(width, height) <= edge:
        return img
    scale = edge / max(width, height)
    size = (max(1, round(width * scale)), max(1, round(height * scale)))
    return img.resize(size, Image.Resampling.HAMMING, reducing_gap=2.0)


@functools.lru_cache(maxsize=16)
def _srgb_transform(icc: bytes) -> ImageCms.ImageCmsTransform | None:
    try:
        source = ImageCms.ImageCmsProfile(io.BytesIO(icc))
        # NOCACHE: the transform is shared by threads, and lcms's one-pixel cache is not.
        return ImageCms.buildTransform(
            source, ImageCms.createProfile("sRGB"), "RGB", "RGB", flags=ImageCms.Flags.NOCACHE
        )
    except (ImageCms.PyCMSError, OSError, TypeError, ValueError):
        return None


def _to_srgb(img: Image.Image, icc: object) -> Image.Image:
    """Convert from the original's colour profile (Display P3 on iPhones) to sRGB, so the
    derivatives, which carry no profile, show the colours the phone showed."""
    if not isinstance(icc, bytes) or not icc:
        return img
    transform = _srgb_transform(icc)
    if transform is None:
        return img
    try:
        return ImageCms.applyTransform(img, transform) or img
    except (ImageCms.PyCMSError, OSError, ValueError):
        return img


def _jpeg(img: Image.Image, quality: int) -> bytes:
    """Baseline JPEG with no metadata: no EXIF, XMP, ICC profile or comment."""
    img.info.clear()
    out = io.BytesIO()
    img.save(out, format="JPEG", quality=quality, optimize=False, progressive=False)
    return out.getvalue()
