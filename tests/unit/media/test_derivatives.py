"""The display image and thumbnail: JPEG, bounded size, never enlarged, and free of every kind
of metadata (EXIF, GPS, XMP, ICC, comments, maker notes), whatever the original carried."""

from __future__ import annotations

import hashlib
import io

import pytest
from PIL import Image, ImageCms

from tests.media_images import encode, make_exif, photo, picture, wide_gamut_icc

from .test_polyglots import XMP, phone_photo

METADATA_MARKERS = {0xE1: "APP1 (EXIF/XMP)", 0xE2: "APP2 (ICC/MPF)", 0xFE: "COM"}


def _segments(jpeg: bytes) -> list[int]:
    """The markers of a JPEG's header segments, up to the first scan."""
    markers, pos = [], 2
    while pos < len(jpeg):
        assert jpeg[pos] == 0xFF
        marker = jpeg[pos + 1]
        markers.append(marker)
        if marker == 0xDA:
            return markers
        pos += 2 + int.from_bytes(jpeg[pos + 2 : pos + 4], "big")
    raise AssertionError("no scan")


def assert_no_metadata(jpeg: bytes) -> None:
    assert jpeg[:3] == b"\xff\xd8\xff"
    assert not set(_segments(jpeg)) & METADATA_MARKERS.keys(), _segments(jpeg)
    for needle in (b"Exif", b"http://ns.adobe.com/xap", b"xmpmeta", b"ICC_PROFILE", b"MPF"):
        assert needle not in jpeg, needle
    assert jpeg.count(b"\xff\xd8") == 1  # no embedded or appended second image
    img = Image.open(io.BytesIO(jpeg))
    assert img.format == "JPEG" and img.mode == "RGB"
    assert len(img.getexif()) == 0
    assert not img.getexif().get_ifd(0x8825)
    for key in ("exif", "xmp", "icc_profile", "comment", "mp", "photoshop", "adobe"):
        assert key not in img.info, key


def _full_metadata_exif() -> Image.Exif:
    exif = make_exif(gps=(31.2, 121.5), orientation=1, altitude_m=12.0)
    exif[0x010E] = "A description"  # ImageDescription
    exif[0x013B] = "Photographer"  # Artist
    exif.get_ifd(0x8769)[0x927C] = b"maker note bytes " * 20  # MakerNote
    return exif


def _icc() -> bytes:
    return ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()


def _originals() -> dict[str, bytes]:
    exif = _full_metadata_exif()
    img = photo(400, 300)
    return {
        "jpeg": encode(img, "JPEG", exif, icc_profile=_icc(), xmp=XMP, comment=b"a comment"),
        "phone-jpeg-mpf": phone_photo(),
        "png": encode(img, "PNG", exif, icc_profile=_icc()),
        "webp": encode(img, "WEBP", exif, icc_profile=_icc(), xmp=XMP),
        "heic": encode(img, "HEIF", exif),
    }


@pytest.mark.parametrize("kind", list(_originals()))
def test_both_derivatives_of_every_format_carry_no_metadata(processor, kind):
    original = _originals()[kind]

    result = processor.process(original)

    assert_no_metadata(result.display)
    assert_no_metadata(result.thumbnail)
    assert result.exif.lat is not None  # the facts were read before stripping


@pytest.mark.parametrize(
    ("size", "display", "thumbnail"),
    [
        ((4000, 3000), (1600, 1200), (320, 240)),
        ((3000, 4000), (1200, 1600), (240, 320)),
        ((1601, 100), (1600, 100), (320, 20)),
        ((5000, 50), (1600, 16), (320, 3)),
        ((800, 600), (800, 600), (320, 240)),  # smaller than the display: not enlarged
        ((200, 100), (200, 100), (200, 100)),  # smaller than the thumbnail: not enlarged
        ((1, 1), (1, 1), (1, 1)),
    ],
)
def test_derivatives_fit_their_long_edge_and_small_images_are_not_enlarged(
    processor, size, display, thumbnail
):
    result = processor.process(encode(picture(*size), "JPEG"))

    assert (result.width, result.height) == size
    assert Image.open(io.BytesIO(result.display)).size == display
    assert Image.open(io.BytesIO(result.thumbnail)).size == thumbnail


@pytest.mark.parametrize("fmt", ["PNG", "WEBP", "HEIF"])
def test_derivatives_of_large_non_jpeg_images_fit_too(processor, fmt):
    result = processor.process(encode(picture(2400, 1800), fmt))

    assert Image.open(io.BytesIO(result.display)).size == (1600, 1200)
    assert Image.open(io.BytesIO(result.thumbnail)).size == (320, 240)


def test_derivatives_are_baseline_jpegs_of_modest_quality(processor):
    result = processor.process(encode(photo(2000, 1500), "JPEG", quality=98))

    display = Image.open(io.BytesIO(result.display))
    assert not display.info.get("progressive")
    assert len(result.display) < 1_000_000
    assert len(result.thumbnail) < len(result.display)


def test_sha256_is_of_the_original_bytes(processor):
    data = encode(photo(), "JPEG")
    assert processor.process(data).sha256 == hashlib.sha256(data).hexdigest()


def test_a_wide_gamut_photo_is_converted_to_srgb_not_just_stripped(processor):
    # The same numbers mean a more saturated green in a wide-gamut space; converted to sRGB,
    # which the untagged derivative is read as, the green channel must climb relative to red.
    img = Image.new("RGB", (64, 64), (40, 200, 60))
    tagged = encode(img, "JPEG", icc_profile=wide_gamut_icc(), quality=95)
    untagged = encode(img, "JPEG", quality=95)

    converted = Image.open(io.BytesIO(processor.process(tagged).display)).getpixel((32, 32))
    as_stored = Image.open(io.BytesIO(processor.process(untagged).display)).getpixel((32, 32))

    assert converted[0] < as_stored[0] - 10  # less red: the wide-gamut green is purer
    assert converted[1] >= as_stored[1] - 3


def test_a_broken_icc_profile_is_ignored(processor):
    data = encode(picture(), "JPEG", icc_profile=b"definitely not a colour profile" * 4)
    result = processor.process(data)
    assert_no_metadata(result.display)
