"""Test photos made on the fly: every format, EXIF orientation and GPS as the test needs."""

from __future__ import annotations

import datetime as dt
import io
from fractions import Fraction

from PIL import ExifTags, Image


def _dms(value: float) -> tuple[Fraction, Fraction, Fraction]:
    value = abs(value)
    degrees = int(value)
    minutes = int((value - degrees) * 60)
    seconds = Fraction(round((value - degrees - minutes / 60) * 3600 * 10000), 10000)
    return Fraction(degrees), Fraction(minutes), seconds


def make_exif(
    *,
    gps: tuple[float, float] | None = None,
    orientation: int | None = None,
    taken_at: dt.datetime | None = None,
    altitude_m: float | None = None,
) -> Image.Exif:
    """EXIF with GPS (lat, lng in degrees; signs become N/S/E/W), orientation, DateTimeOriginal."""
    exif = Image.Exif()
    exif[ExifTags.Base.Make] = "TestPhone"
    if orientation is not None:
        exif[ExifTags.Base.Orientation] = orientation
    if taken_at is not None:
        exif.get_ifd(ExifTags.IFD.Exif)[ExifTags.Base.DateTimeOriginal] = taken_at.strftime(
            "%Y:%m:%d %H:%M:%S"
        )
    if gps is not None:
        lat, lng = gps
        block = exif.get_ifd(ExifTags.IFD.GPSInfo)
        block[ExifTags.GPS.GPSLatitudeRef] = "N" if lat >= 0 else "S"
        block[ExifTags.GPS.GPSLatitude] = _dms(lat)
        block[ExifTags.GPS.GPSLongitudeRef] = "E" if lng >= 0 else "W"
        block[ExifTags.GPS.GPSLongitude] = _dms(lng)
        if altitude_m is not None:
            block[ExifTags.GPS.GPSAltitudeRef] = b"\x00" if altitude_m >= 0 else b"\x01"
            block[ExifTags.GPS.GPSAltitude] = Fraction(round(abs(altitude_m) * 100), 100)
    return exif


def picture(width: int = 64, height: int = 48, color=(200, 40, 40)) -> Image.Image:
    """A picture whose top-left quadrant is red and the rest blue, so orientation is visible."""
    img = Image.new("RGB", (width, height), (30, 60, 200))
    img.paste(Image.new("RGB", (width // 2, height // 2), color), (0, 0))
    return img


def encode(img: Image.Image, fmt: str, exif: Image.Exif | None = None, **params) -> bytes:
    """``fmt``: JPEG, PNG, WEBP or HEIF (via pillow-heif)."""
    if fmt.upper() in {"HEIF", "HEIC"}:
        import pillow_heif

        pillow_heif.register_heif_opener()
        fmt = "HEIF"
    out = io.BytesIO()
    if exif is not None:
        params["exif"] = exif.tobytes()
    img.save(out, format=fmt, **params)
    return out.getvalue()


def jpeg_bytes(
    width: int = 64,
    height: int = 48,
    *,
    gps: tuple[float, float] | None = None,
    orientation: int | None = None,
    taken_at: dt.datetime | None = None,
    color=(200, 40, 40),
    quality: int = 90,
) -> bytes:
    exif = make_exif(gps=gps, orientation=orientation, taken_at=taken_at)
    return encode(picture(width, height, color), "JPEG", exif, quality=quality)


def png_bytes(width: int = 64, height: int = 48, color=(200, 40, 40)) -> bytes:
    return encode(picture(width, height, color), "PNG")


def webp_bytes(width: int = 64, height: int = 48, color=(200, 40, 40)) -> bytes:
    return encode(picture(width, height, color), "WEBP")


def heic_bytes(width: int = 64, height: int = 48, *, gps=None, color=(200, 40, 40)) -> bytes:
    return encode(picture(width, height, color), "HEIF", make_exif(gps=gps))


# --- added for the pipeline's own tests (tests/unit/media) ---------------------------------

# What each EXIF orientation asks the viewer to do to the stored pixels, as the inverse
# operation a camera applied when it stored them: storing picture().transpose(STORE[o]) with
# orientation o means a correct viewer shows picture() again.
STORE_FOR_ORIENTATION = {
    1: None,
    2: Image.Transpose.FLIP_LEFT_RIGHT,
    3: Image.Transpose.ROTATE_180,
    4: Image.Transpose.FLIP_TOP_BOTTOM,
    5: Image.Transpose.TRANSPOSE,
    6: Image.Transpose.ROTATE_90,
    7: Image.Transpose.TRANSVERSE,
    8: Image.Transpose.ROTATE_270,
}


def stored_for_orientation(img: Image.Image, orientation: int) -> Image.Image:
    """The pixels a camera stores with ``orientation`` so that viewers show ``img``."""
    operation = STORE_FOR_ORIENTATION[orientation]
    return img if operation is None else img.transpose(operation)


def photo(width: int = 640, height: int = 480, *, seed: int = 0) -> Image.Image:
    """A photo-like picture with texture and edges (dHash needs structure, not flat colour);
    different seeds give different scenes."""
    scene = Image.effect_mandelbrot(
        (width, height), (-2.2 + 0.35 * seed, -1.3 + 0.2 * seed, 0.9, 1.3 - 0.1 * seed), 40
    )
    ramp = Image.linear_gradient("L").resize((width, height))
    if seed % 2:
        ramp = ramp.transpose(Image.Transpose.ROTATE_180)
    noise = Image.effect_noise((width, height), 12)
    return Image.merge("RGB", (scene, ramp, Image.blend(noise, scene, 0.7)))


def jpeg_segment(marker: int, payload: bytes) -> bytes:
    """One JPEG marker segment (APPn 0xE0-0xEF, COM 0xFE) with its length field."""
    return bytes([0xFF, marker]) + (len(payload) + 2).to_bytes(2, "big") + payload


def insert_jpeg_segment(data: bytes, segment: bytes) -> bytes:
    """``data`` (a JPEG) with ``segment`` right after SOI."""
    return data[:2] + segment + data[2:]


def bmff_box(kind: bytes, payload: bytes) -> bytes:
    """One ISO-BMFF box (HEIF, MP4)."""
    return (len(payload) + 8).to_bytes(4, "big") + kind + payload


def mp4_bytes(payload_size: int = 4096, *, seed: int = 0) -> bytes:
    """A minimal MP4-shaped byte string (ftyp + mdat), as a motion photo appends."""
    import random

    body = random.Random(seed).randbytes(payload_size)
    return bmff_box(b"ftyp", b"mp42\x00\x00\x00\x00isommp42") + bmff_box(b"mdat", body)


def zip_bytes(files: dict[str, bytes] | None = None) -> bytes:
    import zipfile

    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for name, content in (files or {"payload.html": b"<script>alert(1)</script>"}).items():
            archive.writestr(name, content)
    return out.getvalue()


def wide_gamut_icc() -> bytes:
    """A minimal ICC v2 RGB display profile with Adobe RGB (1998) primaries (D50-adapted) and
    gamma 2.2: a stand-in for the Display P3 profile iPhones attach. Pillow can only make sRGB."""
    import struct

    def s15(value: float) -> bytes:
        return struct.pack(">i", round(value * 65536))

    def xyz(x: float, y: float, z: float) -> bytes:
        return b"XYZ " + b"\x00" * 4 + s15(x) + s15(y) + s15(z)

    curve = b"curv" + b"\x00" * 4 + struct.pack(">IH", 1, 0x0233) + b"\x00\x00"
    tags = [
        (b"wtpt", xyz(0.9642, 1.0, 0.8249)),
        (b"rXYZ", xyz(0.6097, 0.3111, 0.0195)),
        (b"gXYZ", xyz(0.2053, 0.6257, 0.0609)),
        (b"bXYZ", xyz(0.1492, 0.0632, 0.7446)),
        (b"rTRC", curve),
        (b"gTRC", curve),
        (b"bTRC", curve),
    ]
    offset = 128 + 4 + 12 * len(tags)
    table, body = b"", b""
    for signature, data in tags:
        table += signature + struct.pack(">II", offset + len(body), len(data))
        body += data
    size = offset + len(body)
    header = (
        struct.pack(">I", size)
        + b"none"
        + bytes([2, 0x10, 0, 0])
        + b"mntrRGB XYZ "
        + b"\x00" * 12
        + b"acsp"
        + b"\x00" * 24
        + struct.pack(">I", 0)
        + s15(0.9642)
        + s15(1.0)
        + s15(0.8249)
        + b"\x00" * 48
    )
    assert len(header) == 128
    return header + struct.pack(">I", len(tags)) + table + body
